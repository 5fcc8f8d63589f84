"""`rules parse` a restriction text, `rules coverage` of an edition, `rules check` claim lines."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import FormatOption, OutputFormat, OutputOption, emit, emit_with, open_catalog

TermsOption = Annotated[Optional[Path], typer.Option("--terms", help="Disease-term → ICD-10 table (CSV: term,icd10).")]
PopulationsOption = Annotated[Optional[Path], typer.Option("--populations", help="Population-word → age table (CSV).")]
FanliOption = Annotated[Optional[Path], typer.Option("--fanli", help="凡例 rules file (JSON) instead of the packaged one.")]


class FailOn(str, Enum):
    deny = "deny"
    review = "review"
    never = "never"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Restricted-payment rules (限定支付范围): structure them, check claims.", no_args_is_help=True)
    sub.command("parse")(parse_command)
    sub.command("coverage")(coverage_command)
    sub.command("check")(check_command)
    app.add_typer(sub, name="rules")


def _vocab(terms: Path | None, populations: Path | None):
    from catalog_tool.rules.vocab import POPULATIONS_FILE, TERMS_FILE, vocabulary

    return vocabulary(terms or TERMS_FILE, populations or POPULATIONS_FILE)


def parse_command(
    text: Annotated[str, typer.Argument(help="A restriction text (备注), e.g. 限二级及以上医疗机构使用，支付不超过14天")],
    fmt: FormatOption = OutputFormat.table,
    terms: TermsOption = None,
    populations: PopulationsOption = None,
) -> None:
    """Show the conditions a restriction text structures into; exit 1 when part stays unparsed."""
    from catalog_tool.render.rules import outline
    from catalog_tool.rules.parser import parse
    from catalog_tool.rules.render import render_zh

    rule = parse(text, vocab=_vocab(terms, populations))
    if fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        data = rule.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        emit(to_json({**data, "fully_structured": rule.fully_structured, "render_zh": render_zh(rule)}))
    else:
        from catalog_tool.render.table import render_records

        records = outline(rule)
        body = render_records(records, fmt.value, maxwidth=None if fmt is not OutputFormat.table else 48) if records else "（无条件）"
        status = "yes" if rule.fully_structured else f"no ({len(rule.unparsed)} unparsed)"
        emit(f"{body}\n\n中文：{render_zh(rule)}\nfully structured: {status}")
    if not rule.fully_structured:
        raise typer.Exit(1)


def _book(db, edition: str, fanli: Path | None, vocab):
    from catalog_tool.rules.edition import build

    ed = db.edition(edition)
    if ed.kind.value != "drugs":
        from catalog_tool.errors import InputError

        raise InputError(f"edition {edition!r} is a {ed.kind.value} catalog; restrictions are on drugs")
    return build(db.items(edition), ed.id, ed.document_no, fanli_path=fanli, vocab=vocab)


def coverage_command(
    ctx: typer.Context,
    edition: Annotated[str, typer.Argument(help="Edition id, e.g. nrdl-2025.")],
    section: Annotated[Optional[list[str]], typer.Option("--section", "-s", help="Only these parts (repeatable).")] = None,
    minimum: Annotated[Optional[float], typer.Option("--min", help="Exit 1 when the structured share is below this (0–1).")] = None,
    fmt: FormatOption = OutputFormat.table,
    fanli: FanliOption = None,
    terms: TermsOption = None,
    populations: PopulationsOption = None,
) -> None:
    """Share of restricted rows fully structured, conditions per dimension, every unparsed fragment."""
    from catalog_tool.errors import InputError
    from catalog_tool.rules.coverage import coverage
    from catalog_tool.rules.edition import section_name

    parts = set()
    for s in section or []:
        name = section_name(s)
        if name is None:
            raise InputError(f"--section: unknown part {s!r}")
        parts.add(name)
    with open_catalog(ctx) as db:
        report = coverage(_book(db, edition, fanli, _vocab(terms, populations)), parts or None)
    if fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        emit(to_json(report.model_dump(mode="json")))
    else:
        from catalog_tool.render.rules import coverage_text

        emit(coverage_text(report, fmt.value))
    if minimum is not None and report.share < minimum:
        raise typer.Exit(1)


def check_command(
    ctx: typer.Context,
    claims: Annotated[Path, typer.Argument(help="Claim lines: CSV (UTF-8/GBK), XLSX or JSON.")],
    edition: Annotated[str, typer.Option("--edition", "-e", help="Edition id, e.g. nrdl-2025.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a line is DENY (default) or not PAY.")] = FailOn.deny,
    fanli: FanliOption = None,
    terms: TermsOption = None,
    populations: PopulationsOption = None,
) -> None:
    """PAY / DENY / REVIEW per claim line with the deciding condition quoted, and a summary."""
    from catalog_tool.formats.claims import read_claims
    from catalog_tool.rules.engine import Engine
    from catalog_tool.render.rules import check_text, write_check_csv
    from catalog_tool.rules.report import columns, records, summary

    cols = read_claims(claims)
    with open_catalog(ctx) as db:
        book = _book(db, edition, fanli, _vocab(terms, populations))
    engine = Engine(book)
    result = engine.run(cols)
    totals = summary(edition, cols, result)
    if fmt is OutputFormat.csv:  # a million lines: streamed from columns, no dict per line
        emit_with(output, lambda fh: write_check_csv(fh, columns(engine, cols, result), totals))
    elif fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        emit(to_json({"summary": totals.model_dump(mode="json"),
                      "lines": list(records(engine, cols, result))}), output)
    else:
        emit(check_text(list(records(engine, cols, result)), totals, fmt.value), output)
    counts = {t.verdict.value: t.lines for t in totals.totals}
    if (fail_on is FailOn.deny and counts["DENY"]) or (fail_on is FailOn.review and counts["DENY"] + counts["REVIEW"]):
        raise typer.Exit(1)
