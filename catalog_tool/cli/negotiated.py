"""`negotiated list|expiring|spec-check`, `price-drops` and `renewal simulate`: negotiated drugs,
their payment standards (医保支付标准), agreement periods, price drops and renewal (续约)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import (
    EditionOption, FormatOption, OutputFormat, OutputOption, drug_edition, emit, open_catalog,
)

RulesFile = Annotated[Optional[Path], typer.Option("--rules", help="Normalisation rules JSON (default: built-in).")]


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Negotiated drugs (谈判药品): payment standards and agreement periods.", no_args_is_help=True)
    sub.command("list")(list_command)
    sub.command("expiring")(expiring_command)
    sub.command("spec-check")(spec_check_command)
    app.add_typer(sub, name="negotiated")
    app.command("price-drops")(price_drops_command)
    renewal = typer.Typer(help="Renewal (续约) of negotiated drugs under versioned rule tables.", no_args_is_help=True)
    renewal.command("simulate")(simulate_command)
    app.add_typer(renewal, name="renewal")


def _negotiated_items(ctx: typer.Context, edition: str | None):
    from catalog_tool.pricing.agreements import negotiated

    with open_catalog(ctx) as db:
        edition = drug_edition(db, edition)
        return edition, negotiated(db.items(edition))


def _tiers(ctx: typer.Context, edition: str, meta: Path | None) -> dict:
    """Tiered prices by drug: from `--meta edition.json` when given, else as stored with the edition."""
    from catalog_tool.pricing.tiers import tiers_from_edition

    if meta is None:
        with open_catalog(ctx) as db:
            return tiers_from_edition(db.edition(edition).model_dump(), edition)
    from catalog_tool.formats.items import read_edition_meta

    return tiers_from_edition(read_edition_meta(meta), str(meta))


def _price_record(item, tiers: dict, rules) -> dict:
    from catalog_tool.pricing.normalise import comparable
    from catalog_tool.pricing.parse import parse_payment_standard

    ps = parse_payment_standard(item.payment_standard, tiers.get(item.name))
    if ps.confidential:
        prices = "* (confidential)"
    elif ps.reference:
        prices = f"{ps.reference}: " + ("; ".join(f"{t.low}–{t.high}{t.unit} {t.unit_price}元/{t.unit}" for t in ps.tiers)
                                       or "tiers not imported with the edition (give --meta edition.json)")
    else:
        prices = "; ".join(f"{c.price_per_unit.normalize():f}元/{c.unit}" for c in (comparable(s, rules) for s in ps.specs))
    return {"部分": item.section.value if item.section else None, "编号": item.number, "药品名称": item.name, "医保支付标准": item.payment_standard, "specs": len(ps.specs),
            "per comparable unit": prices, "协议到期": item.agreement_end, "备注": item.remarks,
            "problem": ("not understood: " + " | ".join(ps.unparsed)) if ps.unparsed else ""}


def _report_problems(records: list[dict]) -> None:
    bad = [r for r in records if r["problem"]]
    for r in bad:
        typer.echo(f"catalog-tool: payment standard of {r['编号']} {r['药品名称']}: {r['problem']}", err=True)


def list_command(
    ctx: typer.Context,
    edition: EditionOption = None,
    meta: Annotated[Optional[Path], typer.Option("--meta", help="edition.json carrying tiered_payment_standards "
                                                 "(default: the tiers imported with the edition).")] = None,
    rules: RulesFile = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Negotiated and 竞价 drugs with their payment standard, price per comparable unit and restriction."""
    from catalog_tool.pricing.normalise import load_rules
    from catalog_tool.render.table import render_records

    edition, items = _negotiated_items(ctx, edition)
    tiers, norm = _tiers(ctx, edition, meta), load_rules(rules)
    records = [_price_record(i, tiers, norm) for i in items]
    _report_problems(records)
    emit(render_records(records, fmt.value, maxwidth=30) if records else f"no negotiated drugs in {edition}", output)


def expiring_command(
    ctx: typer.Context,
    on: Annotated[str, typer.Option("--on", help="Reference date, e.g. 2027-07-01.")],
    within: Annotated[str, typer.Option("--within", help="Window after --on: 180d, 26w, 6m.")] = "180d",
    edition: EditionOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Drugs whose agreement (协议有效期) ends within the window, with payment standard and restriction."""
    from catalog_tool.errors import InputError
    from catalog_tool.formats.values import parse_date
    from catalog_tool.pricing.agreements import expiring, parse_span
    from catalog_tool.render.table import render_records

    try:
        day, span = parse_date(on), parse_span(within)
    except ValueError as e:
        raise InputError(str(e), field="--on/--within") from None
    edition, items = _negotiated_items(ctx, edition)
    records = [{"协议到期": i.agreement_end, "days left": (i.agreement_end - day).days, "编号": i.number,
                "药品名称": i.name, "医保支付标准": i.payment_standard, "备注": i.remarks}
               for i in expiring(items, day, span)]
    emit(render_records(records, fmt.value, maxwidth=40) if records
         else f"no agreement in {edition} ends between {day} and {day + span}", output)


def spec_check_command(
    ctx: typer.Context,
    edition: EditionOption = None,
    rules: RulesFile = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show specs that agree too.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Multi-spec payment standards against 差比价 (1.7 per doubling of content); exit 1 on deviations
    or on standards that cannot be read."""
    from catalog_tool.pricing.normalise import load_rules
    from catalog_tool.pricing.parse import parse_payment_standard
    from catalog_tool.pricing.speccheck import spec_check
    from catalog_tool.render.table import render_records

    edition, items = _negotiated_items(ctx, edition)
    checks = spec_check(items, load_rules(rules), parse_payment_standard)
    shown = [c for c in checks if show_all or c.status != "ok"]
    records = [{"部分": c.section, "编号": c.number, "药品名称": c.name, "spec": c.spec, "price": c.amount, "expected": c.expected,
                "deviation": f"{c.deviation * 100:+.2f}%" if c.deviation is not None else "", "status": c.status,
                "reason": c.reason} for c in shown]
    if fmt is OutputFormat.json:
        from catalog_tool.render.table import to_json

        emit(to_json([c.model_dump(mode="json") for c in shown]), output)
    else:
        emit(render_records(records, fmt.value, maxwidth=36) if records else "every spec agrees with 差比价", output)
    n = {s: sum(c.status == s for c in checks) for s in ("ok", "deviation", "not comparable", "not understood")}
    typer.echo(f"{edition}: {len(checks)} specs checked: {n['ok']} agree, {n['deviation']} deviate, "
               f"{n['not comparable']} not comparable, {n['not understood']} not understood", err=True)
    if n["deviation"] or n["not understood"]:
        raise typer.Exit(1)


def price_drops_command(
    ctx: typer.Context,
    before: Annotated[Path, typer.Option("--before", help="CSV/XLSX: 药品名称, 谈判前价格 (e.g. 120.00元(10mg/片)), 年销量.")],
    edition: EditionOption = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Group by category or section.")] = None,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Write a PNG histogram of the drops.")] = None,
    rules: RulesFile = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Price drop per drug (1 − negotiated / pre-negotiation per comparable unit) with mean, median and
    volume-weighted mean; drugs whose units cannot be compared are listed, not guessed."""
    from catalog_tool.errors import InputError
    from catalog_tool.formats.pricing import read_before_prices
    from catalog_tool.pricing.drops import price_drops, summarise
    from catalog_tool.pricing.normalise import load_rules
    from catalog_tool.render.chart import histogram_png, terminal_histogram
    from catalog_tool.render.table import render_records, to_json

    if by not in (None, "category", "section"):
        raise InputError(f"--by must be category or section, not {by!r}")
    rows = read_before_prices(before)
    edition, items = _negotiated_items(ctx, edition)
    drops = price_drops(items, rows, load_rules(rules))
    groups = summarise(drops, by)
    values = [d.drop for d in drops if d.drop is not None]
    if chart is not None:
        histogram_png(values, chart, f"Price drops, {edition} ({len(values)} drugs)")
        typer.echo(f"wrote {chart}", err=True)
    if fmt is OutputFormat.json:
        emit(to_json({"edition": edition, "drops": [d.model_dump(mode="json") for d in drops],
                      "groups": [g.model_dump(mode="json") for g in groups]}), output)
        return
    pct = lambda d: "" if d is None else f"{d * 100:.2f}%"  # noqa: E731
    per_drug = [{"药品名称": d.name, "before": d.before, "after": d.after, "drop": pct(d.drop), "reason": d.reason}
                for d in drops if d.drop is not None]
    skipped = [{"药品名称": d.name, "before": d.before, "after": d.after, "why not compared": d.reason}
               for d in drops if d.drop is None]
    summary = [{"group": g.group, "drugs": g.drugs, "mean": pct(g.mean), "median": pct(g.median),
                "volume-weighted": pct(g.weighted_mean), "with volume": g.weighted_drugs} for g in groups]
    parts = [render_records(per_drug, fmt.value, maxwidth=36) if per_drug else "no comparable drug",
             render_records(summary, fmt.value, maxwidth=None)]
    if skipped:
        parts.append(f"not compared ({len(skipped)}):\n" + render_records(skipped, fmt.value, maxwidth=40))
    if fmt is OutputFormat.table and values:
        parts.append("distribution of drops:\n" + terminal_histogram(values))
    emit("\n\n".join(parts), output)


def simulate_command(
    cases: Annotated[Path, typer.Argument(help="CSV/XLSX of renewal cases (药品名称, 年度基金实际支出, 基金支出预算 …).")],
    rules: Annotated[str, typer.Option("--rules", help="Rule table: 2023 (built in) or a JSON file.")] = "2023",
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Each case's path (转常规 / 重新谈判 / 简易续约), cuts a and b, the combined cut and the new standard."""
    from catalog_tool.formats.pricing import read_renewal_cases
    from catalog_tool.pricing.renewal import load_renewal_rules, simulate
    from catalog_tool.render.table import render_records, to_json

    table = load_renewal_rules(rules)
    decisions = [(n, simulate(case, table)) for n, case in read_renewal_cases(cases)]
    if fmt is OutputFormat.json:
        emit(to_json({"rules": table.id, "decisions": [d.model_dump(mode="json") for _, d in decisions]}), output)
        return
    pct = lambda d: "" if d is None else f"{d * 100:.2f}%"  # noqa: E731
    records = [{"row": n, "药品名称": d.name, "path": d.path, "cut a": pct(d.cut_a), "cut b": pct(d.cut_b),
                "combined": pct(d.combined), "halved": "yes" if d.halved else "", "cut": pct(d.cut),
                "new standard": d.new_payment_standard, "reasons": " / ".join(d.reasons)} for n, d in decisions]
    emit(render_records(records, fmt.value, maxwidth=None if fmt is not OutputFormat.table else 60), output)
