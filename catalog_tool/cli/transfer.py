"""`import` files as an edition; `export` an edition as CSV, XLSX, JSON or XML."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import open_catalog


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    xml = "xml"


class Catalog(str, Enum):
    drugs = "drugs"
    consumables = "consumables"
    services = "services"


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)


def import_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Files (CSV/TSV in UTF-8 or GBK, XLSX, JSON, XML) or folders of them.")],
    catalog: Annotated[Catalog, typer.Option("--catalog", "-c", help="Which catalog the files hold.")],
    edition: Annotated[Optional[str], typer.Option("--edition", "-e", help="Edition id, e.g. nrdl-2025.")] = None,
    title: Annotated[Optional[str], typer.Option(help="Title of the release.")] = None,
    document_no: Annotated[Optional[str], typer.Option("--document-no", help="文号, e.g. 医保发〔2025〕33号.")] = None,
    published: Annotated[Optional[str], typer.Option(help="Publication date.")] = None,
    effective: Annotated[Optional[str], typer.Option(help="Effective date.")] = None,
    replaces: Annotated[Optional[str], typer.Option(help="The edition this one replaces.")] = None,
    meta: Annotated[Optional[Path], typer.Option(help="edition.json with title, dates and stated totals.")] = None,
    sheet: Annotated[Optional[str], typer.Option(help="Excel sheet (default 总表, else the first).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Swap an existing edition with different content.")] = False,
) -> None:
    """Import an edition in one transaction: all rows or nothing."""
    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind

    overrides = {"title": title, "document_no": document_no, "published": published,
                 "effective": effective, "replaces": replaces}
    with open_catalog(ctx) as db:
        result = import_files(db, CatalogKind(catalog.value), files, edition, meta_file=meta,
                              overrides=overrides, replace=replace, sheet=sheet)
    ed = result.edition
    verb = {"imported": "imported", "replaced": "replaced", "unchanged": "unchanged (same content already imported):",
            "metadata": "metadata updated (same rows) for"}[result.status]
    typer.echo(f"{verb} {ed.kind.value} edition {ed.id}: {ed.item_count} rows from {len(ed.source_files)} file(s)")


def export_command(
    ctx: typer.Context,
    edition: Annotated[str, typer.Argument(help="Edition id.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.csv,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")] = ...,
) -> None:
    """Write an edition in the canonical layout; importing the file gives the same content back."""
    from catalog_tool.formats import canonical
    from catalog_tool.formats.layout import LAYOUTS

    with open_catalog(ctx) as db:
        ed = db.edition(edition)
        fields = LAYOUTS[ed.kind].fields
        meta = ed.model_dump(mode="json", exclude={"imported_at", "content_sha256", "item_count"})
        rows = db.rows(edition)
        if fmt is ExportFormat.csv:
            canonical.write_csv(output, fields, rows)
        elif fmt is ExportFormat.json:
            canonical.write_json(output, meta, fields, rows)
        elif fmt is ExportFormat.xml:
            canonical.write_xml(output, meta, fields, rows)
        else:
            canonical.write_xlsx(output, meta, fields, rows)
    typer.echo(f"wrote {output} ({ed.item_count} rows, {fmt.value})", err=True)
