"""`diff OLD NEW`: year-on-year comparison of two editions (ids in the database) or two files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import OutputOption, emit, parse_kinds


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)


def _split(text: str | None, kind=None) -> list[str] | None:
    """Comma-separated column names; a file's own header (药品代码) names its canonical field (code)."""
    from catalog_tool.formats.layout import LAYOUTS
    from catalog_tool.model import CatalogKind

    if not text:
        return None
    layout = LAYOUTS[kind or CatalogKind.drugs]
    return [layout.field_for(c.strip()) or c.strip() for c in text.split(",") if c.strip()]


def _is_file(arg: str) -> bool:
    return Path(arg).suffix.lower() in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"} or Path(arg).is_file()


def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Old edition id, or a CSV/XLSX file.")],
    new: Annotated[str, typer.Argument(help="New edition id, or a CSV/XLSX file.")],
    catalog: Annotated[Optional[str], typer.Option("--catalog", "-c", help="drugs, consumables or services.")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Show only these kinds (comma-separated ids).")] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help="Compare only these columns.")] = None,
    ignore_columns: Annotated[Optional[str], typer.Option("--ignore-columns", help="Do not compare these columns.")] = None,
    key: Annotated[Optional[str], typer.Option("--key", help="Match on these columns (COL[,COL]).")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Exit 1 when changes of these kinds exist.")] = None,
    recode: Annotated[Optional[Path], typer.Option("--recode", help="Recode table (转码表): old code, new code.")] = None,
    hide_cosmetic: Annotated[bool, typer.Option("--hide-cosmetic", help="Leave out typographic-only differences.")] = False,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.table,
    output: OutputOption = None,
) -> None:
    """Classify every change between two editions: 调入, 调出, 甲乙类变更, 限定支付范围变更, 支付标准变更,
    谈判转常规, 协议期变更/续约, 更名/剂型变更, 代码变更, 部分调整, cosmetic. Kinds: see `--format json`."""
    from catalog_tool.cli.editions import _kind
    from catalog_tool.diff.classify import KINDS
    from catalog_tool.diff.compare import compare
    from catalog_tool.diff.summary import summarize
    from catalog_tool.render import diff_report

    kinds = parse_kinds(only, set(KINDS), "--only")
    failing = parse_kinds(fail_on, set(KINDS), "--fail-on")
    kind = _kind(catalog)
    if _is_file(old) != _is_file(new):
        from catalog_tool.errors import InputError

        raise InputError(f"compare two files or two edition ids, not a file with an edition ({old}, {new}); "
                         f"import the file first (catalog-tool import)")
    if _is_file(old) and _is_file(new):
        (old_df, new_df), stated = _from_files(old, new, kind), None
    else:
        old_df, new_df, stated = _from_db(ctx, old, new, kind)
    recodes = None
    if recode is not None:
        from catalog_tool.formats.frames import read_recode_table

        recodes = read_recode_table(recode)
    result = compare(old_df, new_df, labels=(old, new), key=_split(key, kind), columns=_split(columns, kind),
                     ignore=_split(ignore_columns, kind), recodes=recodes)
    summary = summarize(result, stated)
    records = diff_report.entries(result, kinds or None, hide_cosmetic)
    if fmt is DiffFormat.json:
        text = diff_report.to_document(summary, records)
    elif fmt is DiffFormat.markdown:
        text = diff_report.render_markdown(summary, records)
    elif fmt is DiffFormat.html:
        from catalog_tool.render.diff_html import render_html

        text = render_html(summary, records)
    elif fmt is DiffFormat.csv:
        text = diff_report.render_entries(records, "csv")
    else:
        text = "\n".join(diff_report.summary_lines(summary)) + "\n\n" + diff_report.render_entries(records, "table")
    emit(text, output)
    if failing and any(r["kind"] in failing for r in records):
        raise typer.Exit(1)


def _from_files(old: str, new: str, kind):
    from catalog_tool.formats.frames import read_frame
    from catalog_tool.formats.layout import LAYOUTS
    from catalog_tool.model import CatalogKind

    layout = LAYOUTS[kind or CatalogKind.drugs]
    return read_frame(old, layout), read_frame(new, layout)


def _from_db(ctx: typer.Context, old: str, new: str, kind):
    from catalog_tool.cli.common import open_catalog
    from catalog_tool.errors import InputError
    from catalog_tool.formats.frames import rows_frame
    from catalog_tool.formats.layout import LAYOUTS
    from catalog_tool.totals import check_totals

    with open_catalog(ctx) as db:
        eo, en = db.edition(old), db.edition(new)
        if eo.kind is not en.kind:
            raise InputError(f"mismatched catalog kinds: {old} is {eo.kind.value}, {new} is {en.kind.value}")
        if kind is not None and eo.kind is not kind:
            raise InputError(f"--catalog {kind.value}: {old} and {new} are {eo.kind.value} editions")
        fields = LAYOUTS[eo.kind].fields
        stated = {old: check_totals(db, eo), new: check_totals(db, en)}
        return rows_frame(fields, db.rows(old)), rows_frame(fields, db.rows(new)), stated
