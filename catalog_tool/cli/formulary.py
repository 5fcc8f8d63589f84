"""`formulary validate | save | list | recheck`: check a hospital formulary (对码) against an edition.
Also hooks into `import`: a new drug edition re-validates every saved formulary."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import OutputOption, drug_edition, emit, open_catalog


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


ColumnsOption = Annotated[Optional[str], typer.Option(
    "--columns", help="Column names where the defaults do not fit: local_code=院内编码,national_code=医保编码,…")]
SheetOption = Annotated[Optional[str], typer.Option(help="Excel sheet (default: the first).")]
OnOption = Annotated[Optional[str], typer.Option("--on", help="Judge agreement periods and transitions on this day (default today).")]
TransitionOption = Annotated[int, typer.Option("--transition-months", help="Transition period (过渡期) of removed drugs.")]


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Hospital formulary (院内目录) checks: 对码, removed, class, price, agreements.",
                      no_args_is_help=True)
    sub.command("validate")(validate)
    sub.command("save")(save)
    sub.command("list")(list_command)
    sub.command("recheck")(recheck)
    app.add_typer(sub, name="formulary")
    _hook_after_import()


def _options(on: str | None, transition_months: int, vbp_winners: Path | None = None, suggestions: bool = True):
    from catalog_tool.errors import InputError
    from catalog_tool.formats.formulary import read_code_list
    from catalog_tool.formats.values import parse_date
    from catalog_tool.formulary import ValidationOptions

    try:
        day = parse_date(on) if on else date.today()
    except ValueError as e:
        raise InputError(f"--on: {e}") from None
    if transition_months < 0:
        raise InputError("--transition-months must not be negative")
    winners = read_code_list(vbp_winners) if vbp_winners else frozenset()
    return ValidationOptions(on=day, transition_months=transition_months, vbp_winners=winners, suggestions=suggestions)


def validate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Hospital formulary: XLSX, or CSV in UTF-8 or GBK.")],
    edition: Annotated[str, typer.Option("--edition", "-e", help="Edition to check against.")],
    previous: Annotated[Optional[str], typer.Option(help="Previous edition (removed drugs, class changes); default: the one this edition replaces, if imported.")] = None,
    columns: ColumnsOption = None,
    sheet: SheetOption = None,
    on: OnOption = None,
    transition_months: TransitionOption = 6,
    vbp_winners: Annotated[Optional[Path], typer.Option("--vbp-winners", help="CSV/XLSX of national codes of VBP winners (集采中选).")] = None,
    suggestions: Annotated[bool, typer.Option("--suggestions/--no-suggestions", help="Rank national codes for unmapped items.")] = True,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json, csv, or xlsx (needs -o).")] = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Check every item; exit 1 when error findings exist."""
    from catalog_tool.formats.formulary import parse_columns, read_formulary
    from catalog_tool.formulary import validate_formulary
    from catalog_tool.formulary.index import CatalogIndex, wanted_by
    from catalog_tool.formulary.recheck import previous_edition
    from catalog_tool.gcpause import gc_paused

    opts = _options(on, transition_months, vbp_winners, suggestions)
    with gc_paused():  # one pause for the whole check: no collection between its steps either
        sheet_data = read_formulary(file, parse_columns(columns), sheet)
        with open_catalog(ctx) as db:
            index = CatalogIndex.load(db, edition)
            prev_id = previous or previous_edition(db, edition)
            prev = CatalogIndex.load(db, prev_id, only=wanted_by(sheet_data.items, index)) if prev_id else None
        report = validate_formulary(sheet_data.items, index, prev, opts, sheet_data.findings)
        _emit_report(report, fmt, output, str(file))
    if report.errors:
        raise typer.Exit(1)


def _emit_report(report, fmt: ReportFormat, output: Path | None, source: str) -> None:
    from catalog_tool.errors import InputError
    from catalog_tool.formats import formulary_report as fr
    from catalog_tool.render.table import render_records, to_json

    if fmt is ReportFormat.xlsx:
        if output is None:
            raise InputError("--format xlsx needs --output FILE.xlsx")
        fr.write_xlsx(output, report, source)
        typer.echo(f"wrote {output}", err=True)
    elif fmt is ReportFormat.json:
        emit(to_json(report.model_dump(mode="json")), output)
    elif fmt is ReportFormat.csv:
        emit(render_records(fr.records(report), "csv", fr.COLUMNS), output)
    else:
        table = render_records(fr.records(report), "table", fr.COLUMNS) if report.findings else "no findings"
        summary = render_records([dict(zip(("kind", "说明", "error", "warning", "info"), r))
                                  for r in fr.summary_rows(report)], "table", maxwidth=None)
        emit(f"{table}\n\n{report.items} items, {report.matched} matched in {report.edition}"
             + (f" (previous {report.previous})" if report.previous else "")
             + f", checked on {report.on.isoformat()}: {report.errors} errors\n\n{summary}", output)


def save(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name to keep it under, e.g. 市一院.")],
    file: Annotated[Path, typer.Argument(help="Hospital formulary: XLSX, or CSV in UTF-8 or GBK.")],
    columns: ColumnsOption = None,
    sheet: SheetOption = None,
) -> None:
    """Keep a formulary in the database; every new drug edition imported re-validates it."""
    from catalog_tool.formats.formulary import parse_columns, read_formulary
    from catalog_tool.store.formulary import FormularyStore

    data = read_formulary(file, parse_columns(columns), sheet)
    with open_catalog(ctx) as db:
        FormularyStore(db).save(name, str(file), data.items, data.findings)
    typer.echo(f"saved formulary {name}: {len(data.items)} items from {file}")


def list_command(ctx: typer.Context) -> None:
    """Saved formularies and their last check."""
    from catalog_tool.render.table import render_records
    from catalog_tool.store.formulary import FormularyStore

    with open_catalog(ctx) as db:
        rows = FormularyStore(db).listing()
    emit(render_records(rows, "table", maxwidth=50) if rows else "no saved formularies")


def recheck(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(help="Formulary name (default: all saved).")] = None,
    edition: Annotated[Optional[str], typer.Option("--edition", "-e", help="Edition (default: the newest drug edition).")] = None,
    previous: Annotated[Optional[str], typer.Option(help="Previous edition (default: the one this edition replaces, or the latest earlier one).")] = None,
    on: OnOption = None,
    transition_months: TransitionOption = 6,
) -> None:
    """Re-validate saved formularies; exit 1 when one is incompatible."""
    from catalog_tool.formulary.recheck import recheck as run

    opts = _options(on, transition_months, suggestions=False)
    with open_catalog(ctx) as db:
        edition = drug_edition(db, edition)
        outcomes = run(db, edition, [name] if name else None, previous, opts)
    for o in outcomes:
        typer.echo(o.line())
    if not outcomes:
        typer.echo("no saved formularies")
    if any(o.incompatible for o in outcomes):
        raise typer.Exit(1)


# -- the import hook -----------------------------------------------------------------------
def _recheck_after_import(db, result) -> None:
    """Runs inside `import`: re-validate saved formularies and say which became incompatible.
    The validator (numpy, rapidfuzz: ~0.2 s to load) is loaded only when a formulary is saved."""
    from catalog_tool.model import CatalogKind
    from catalog_tool.store.formulary import FormularyStore

    if result.edition.kind is not CatalogKind.drugs or not FormularyStore(db).names():
        return
    from catalog_tool.formulary.recheck import after_import

    for outcome in after_import(db, result):
        typer.echo(outcome.line(), err=True)


def _hook_after_import() -> None:
    from catalog_tool import hooks

    if _recheck_after_import not in hooks.AFTER_IMPORT:
        hooks.AFTER_IMPORT.append(_recheck_after_import)
