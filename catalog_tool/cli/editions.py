"""`editions` lists the editions in the database; `totals` checks one against its stated totals."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import FormatOption, OutputFormat, emit, open_catalog


def register(app: typer.Typer) -> None:
    app.command("editions")(editions)
    app.command("totals")(totals)


def editions(
    ctx: typer.Context,
    catalog: Annotated[Optional[str], typer.Option("--catalog", "-c", help="drugs, consumables or services.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List every edition (版本): kind, id, title, document number, dates, rows, source sha256."""
    from catalog_tool.model import CatalogKind
    from catalog_tool.render.table import render_records

    kind = _kind(catalog)
    with open_catalog(ctx) as db:
        eds = db.editions(kind)
    if fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        emit(to_json([e.model_dump(mode="json") for e in eds]))
        return
    records = [
        {
            "catalog": e.kind.value, "edition": e.id, "title": e.title, "document_no": e.document_no,
            "published": e.published, "effective": e.effective, "rows": e.item_count,
            "source sha256": "; ".join(f"{f.name} {f.sha256[:12]}" for f in e.source_files)
            if fmt is not OutputFormat.table else (e.source_files[0].sha256[:12] + ("…" if len(e.source_files) > 1 else "") if e.source_files else ""),
        }
        for e in eds
    ]
    emit(render_records(records, fmt.value, maxwidth=None if fmt is not OutputFormat.table else 34) if records else "no editions")
    _ = CatalogKind  # keeps the import for type checkers


def totals(
    ctx: typer.Context,
    edition: Annotated[str, typer.Argument(help="Edition id.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Stated totals (凡例) of an edition beside the counted rows; exit 1 when one disagrees."""
    from catalog_tool.render.table import render_records
    from catalog_tool.totals import check_totals

    with open_catalog(ctx) as db:
        checks = check_totals(db, db.edition(edition))
    records = [
        {"total": c.key, "名称": c.label, "stated": c.stated, "counted": c.counted,
         "agrees": "" if c.ok is None else ("yes" if c.ok else "NO")}
        for c in checks
    ]
    emit(render_records(records, fmt.value, maxwidth=None))
    if any(c.ok is False for c in checks):
        raise typer.Exit(1)


def _kind(catalog: str | None):
    from catalog_tool.errors import InputError
    from catalog_tool.model import CatalogKind

    if catalog is None:
        return None
    try:
        return CatalogKind(catalog)
    except ValueError:
        raise InputError(f"--catalog must be drugs, consumables or services, not {catalog!r}") from None
