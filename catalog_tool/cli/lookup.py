"""`show` one item by code, number or name; `search` by name substring or pinyin initials."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import EditionOption, FormatOption, OutputFormat, emit, open_catalog


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("search")(search)


def _summary(ed, item) -> dict:
    """The columns a person reads first, whatever the catalog."""
    from catalog_tool.formats.values import format_period

    d = item.model_dump(mode="json", exclude_none=True)
    if ed.kind.value == "drugs":
        return {
            "edition": ed.id, "code": d.get("code") or "", "section": d.get("section"),
            "number": d.get("number"), "name": d.get("name"), "dosage_form": d.get("dosage_form"),
            "class": d.get("drug_class"), "restriction": d.get("remarks"),
            "payment_standard": d.get("payment_standard"),
            "agreement": format_period(d.get("agreement_start"), d.get("agreement_end")),
        }
    if ed.kind.value == "consumables":
        return {"edition": ed.id, "code": d["code"], "name": d.get("generic_name"), "spec": d.get("spec"),
                "material": d.get("material"), "class": d.get("payment_category"),
                "payment_cap": d.get("payment_cap"), "company": d.get("company")}
    return {"edition": ed.id, "code": d["code"], "name": d.get("name"), "unit": d.get("unit"),
            "price": d.get("price"), "class": d.get("payment_category"), "restriction": d.get("remarks")}


def show(
    ctx: typer.Context,
    code_or_name: Annotated[str, typer.Argument(help="National code, 编号, or exact name.")],
    edition: EditionOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Every field of the items with this code, number or exact name."""
    from catalog_tool.errors import InputError
    from catalog_tool.render.table import to_json

    with open_catalog(ctx) as db:
        found = db.find(code_or_name, edition_id=edition, exact=True, limit=200)
        if not found:
            found = db.find(code_or_name, edition_id=edition, limit=20)
    if not found:
        raise InputError(f"no item matches {code_or_name!r}" + (f" in edition {edition}" if edition else ""))
    if fmt is OutputFormat.json:
        emit(to_json([{"edition": ed.id, "kind": ed.kind.value, **item.model_dump(mode="json", exclude_none=True)}
                      for ed, item in found]))
        return
    from catalog_tool.render.table import render_records

    if fmt is not OutputFormat.table:
        emit(render_records([_summary(ed, item) for ed, item in found], fmt.value))
        return
    blocks = []
    for ed, item in found:
        d = _summary(ed, item)
        d.update({k: x for k, x in item.model_dump(mode="json", exclude_none=True).items()
                  if k not in d and k not in ("drug_class", "remarks", "generic_name", "payment_category")})
        blocks.append(render_records([{"field": k, "value": x} for k, x in d.items() if x not in (None, "")],
                                     "table", maxwidth=None))
    emit("\n\n".join(blocks))


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Name substring (阿莫西林), pinyin initials (amxl) or code.")],
    edition: EditionOption = None,
    catalog: Annotated[Optional[str], typer.Option("--catalog", "-c", help="drugs, consumables or services.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many items.")] = 50,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Find items by name, pinyin initials or code across editions."""
    from catalog_tool.cli.editions import _kind
    from catalog_tool.errors import InputError
    from catalog_tool.render.table import render_records

    if not text.strip():
        raise InputError("empty search text: give a name (阿莫西林), pinyin initials (amxl) or a code", field="TEXT")
    with open_catalog(ctx) as db:
        found = db.find(text, edition_id=edition, kind=_kind(catalog), limit=limit)
    if not found:
        typer.echo(f"no item matches {text!r}", err=True)
        raise typer.Exit(1)
    emit(render_records([_summary(ed, item) for ed, item in found], fmt.value))
