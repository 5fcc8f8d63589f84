"""`trace parse|validate|settle|duplicates`: drug traceability codes (药品追溯码) and "无码不付"."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import FormatOption, OutputFormat, OutputOption, emit


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Drug traceability codes (药品追溯码): parse, validate, settle, duplicates.", no_args_is_help=True)
    sub.command("parse")(parse_command)
    sub.command("validate")(validate_command)
    from catalog_tool.cli.trace_settle import duplicates_command, settle_command

    sub.command("settle")(settle_command)
    sub.command("duplicates")(duplicates_command)

    app.add_typer(sub, name="trace")


def _code_record(tc, drug_codes: list[str] | None = None) -> dict:
    return {"code": tc.raw, "family": tc.family.value, "valid": "yes" if tc.valid else "NO",
            "product": tc.product_id, "drug code": "/".join(drug_codes or []), "serial": tc.serial, "lot": tc.lot, "expiry": tc.expiry,
            "GTIN check": {True: "ok", False: "WRONG", None: ""}[tc.gtin_check_ok],
            "level": tc.packaging_level, "reasons": "; ".join(r.message for r in tc.reasons)}


def parse_command(
    codes: Annotated[list[str], typer.Argument(help="Codes as scanned; write GS as <GS> or {FNC1} on a command line.")],
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="product_id (药品标识码/GTIN) → drug_code mapping.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Explain codes: family, product identifier, serial, lot, expiry, GTIN check digit; with
    --mapping the national drug code and packaging level. Exit 1 if any is invalid."""
    from catalog_tool.formats.settlements import read_mapping
    from catalog_tool.render.table import render_records, to_json
    from catalog_tool.trace import parse_code
    from catalog_tool.trace.products import ProductIndex

    products = ProductIndex(read_mapping(mapping) if mapping else ())
    parsed = [parse_code(c) for c in codes]
    drugs = [products.annotate(p) for p in parsed]
    if fmt is OutputFormat.json:
        emit(to_json([p.model_dump(mode="json") | {"drug_codes": d} for p, d in zip(parsed, drugs)]), output)
    elif fmt is OutputFormat.table and len(parsed) <= 3:
        emit("\n\n".join(_vertical(_code_record(p, d), p) for p, d in zip(parsed, drugs)), output)
    else:
        emit(render_records([_code_record(p, d) for p, d in zip(parsed, drugs)], fmt.value, maxwidth=60), output)
    if not all(p.valid for p in parsed):
        raise typer.Exit(1)


def _vertical(record: dict, tc) -> str:
    lines = [f"{k:<11} {v}" for k, v in record.items() if v not in (None, "") and k != "reasons"]
    lines += [f"{'element':<11} ({e.ai}) {e.value}" for e in tc.elements]
    lines += [f"{'reason':<11} {r.code}: {r.message}" for r in tc.reasons]
    return "\n".join(lines)


def validate_command(
    file: Annotated[Path, typer.Argument(help="Text file with one code per line, or a CSV/XLSX (GBK or UTF-8).")],
    column: Annotated[Optional[str], typer.Option("--column", help="Column of a CSV/XLSX holding the codes.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Report every invalid code with its row and reason, and a summary by family. Exit 1 if any is invalid."""
    from catalog_tool.formats.codelist import read_codes
    from catalog_tool.render.table import render_records, to_json
    from catalog_tool.trace.validate import validate_codes

    invalid, summary = validate_codes(read_codes(file, column))
    records = [{"row": row, "code": tc.raw, "family": tc.family.value, "reasons": "; ".join(r.message for r in tc.reasons)}
               for row, tc in invalid]
    if fmt is OutputFormat.json:
        emit(to_json({"file": str(file), "codes": summary.total, "invalid": summary.invalid,
                      "families": summary.records(), "reasons": dict(summary.reasons.most_common()),
                      "invalid_codes": [dict(r, reasons=[x.model_dump() for x in tc.reasons]) for r, (_, tc) in zip(records, invalid)]}), output)
    else:
        parts = [render_records(records, fmt.value, maxwidth=60)] if records else []
        if fmt is OutputFormat.table:
            parts.append(render_records(summary.records(), "table"))
        emit("\n\n".join(parts) if parts else "", output)
    typer.echo(f"{file}: {summary.total} codes, {summary.total - summary.invalid} valid, {summary.invalid} invalid", err=True)
    if summary.invalid:
        raise typer.Exit(1)
