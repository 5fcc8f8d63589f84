"""`trace settle` and `trace duplicates`: settlement lines judged by their codes, codes sold twice."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import (
    EditionOption, FormatOption, OutputFormat, OutputOption, drug_edition, emit, open_catalog,
)


def _catalog_index(ctx: typer.Context, edition: str | None):
    from catalog_tool.trace.settle import CatalogIndex

    with open_catalog(ctx) as db:
        edition = drug_edition(db, edition)
        return CatalogIndex.from_items(edition, db.items(edition))


def _line_record(v) -> dict:
    return {"settlement": v.settlement_id, "line": v.line, "drug_code": v.drug_code, "drug_name": v.drug_name,
            "amount": v.amount, "codes": v.codes, "verdict": v.verdict.value,
            "reasons": "; ".join(f"{r.code}: {r.message}" for r in v.reasons), "notes": "; ".join(v.notes)}


def settle_command(
    ctx: typer.Context,
    settlements: Annotated[Path, typer.Argument(help="Settlement lines: CSV/XLSX (UTF-8 or GBK) or JSON.")],
    edition: EditionOption = None,
    no_code: Annotated[Optional[Path], typer.Option("--no-code", help="无码库: drug_code, purchase_date, quantity of stock bought without codes.")] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="product_id (药品标识码/GTIN) → drug_code mapping.")] = None,
    unpayable_only: Annotated[bool, typer.Option("--unpayable-only", help="List only UNPAYABLE lines.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Judge each settlement line PAYABLE or UNPAYABLE ("无码不付") with reasons; `-o FILE.xlsx` writes a
    workbook. Exit 1 when a line is UNPAYABLE."""
    from catalog_tool.formats.settlements import read_mapping, read_no_code_library, read_settlements
    from catalog_tool.render.table import render_records, to_json
    from catalog_tool.trace.settle import settle

    lines = read_settlements(settlements)
    index = _catalog_index(ctx, edition)
    verdicts, summary = settle(lines, no_code=read_no_code_library(no_code) if no_code else (),
                               mapping=read_mapping(mapping) if mapping else (), catalog=index)
    shown = [v for v in verdicts if not unpayable_only or v.verdict.value == "UNPAYABLE"]
    totals = [{"verdict": "PAYABLE", "lines": summary.payable_lines, "amount": summary.payable_amount},
              {"verdict": "UNPAYABLE", "lines": summary.unpayable_lines, "amount": summary.unpayable_amount}]
    if output is not None and output.suffix.lower() == ".xlsx":
        from catalog_tool.formats.sheets import write_sheets

        write_sheets(output, {"lines": [_line_record(v) for v in shown], "summary": totals,
                              "reasons": [{"reason": k, "lines": n} for k, n in summary.reasons.items()]})
        typer.echo(f"wrote {output}", err=True)
    elif fmt is OutputFormat.json:
        emit(to_json({"edition": index.edition, "summary": summary.model_dump(mode="json"),
                      "lines": [v.model_dump(mode="json") for v in shown]}), output)
    else:
        text = render_records([_line_record(v) for v in shown], fmt.value, maxwidth=70)
        if fmt in (OutputFormat.table, OutputFormat.markdown):
            text += "\n\n" + render_records(totals, fmt.value)
        emit(text, output)
    typer.echo(f"{settlements}: {summary.lines} lines against {index.edition}: {summary.payable_lines} payable "
               f"({summary.payable_amount} 元), {summary.unpayable_lines} unpayable ({summary.unpayable_amount} 元)"
               + "".join(f"; {k} {n}" for k, n in summary.reasons.items()), err=True)
    if summary.unpayable_lines:
        raise typer.Exit(1)


def duplicates_command(
    scans: Annotated[list[Path], typer.Argument(help="Scan files: CSV (UTF-8 or GBK) or Parquet.")],
    code_column: Annotated[str, typer.Option("--code-column", help="Column holding the code.")] = "drug_trac_codg",
    time_column: Annotated[str, typer.Option("--time-column", help="Column holding the sale time.")] = "sel_retn_time",
    settlement_column: Annotated[str, typer.Option("--settlement-column", help="Column holding the settlement id ('' for none).")] = "setl_id",
    memory_limit: Annotated[str, typer.Option("--memory-limit", help="Memory the engine may use before spilling to disk.")] = "3GB",
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Codes sold more than once across the files: the first sale is kept, every later sale listed.
    Exit 1 when a code repeats."""
    from catalog_tool.render.table import render_records
    from catalog_tool.trace.duplicates import DuckDBEngine, ScanColumns

    engine = DuckDBEngine(memory_limit=memory_limit)
    repeats = list(engine.find(scans, ScanColumns(code_column, time_column, settlement_column or None)))
    records = [r.model_dump() for r in repeats]
    if fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        emit(to_json(records), output)
    elif records:
        emit(render_records(records, fmt.value, maxwidth=40), output)
    codes = len({r.code for r in repeats})
    typer.echo(f"{len(scans)} file(s): {codes} code(s) sold more than once, {len(repeats)} repeat sale(s)", err=True)
    if repeats:
        raise typer.Exit(1)
