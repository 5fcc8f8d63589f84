"""`vbp evaluate|explain|allocate|progress|summary|rules`: volume-based procurement (集中带量采购)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog_tool.cli.common import OutputOption, emit
from catalog_tool.errors import InputError


class VbpFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


def _sample_batch() -> Path:
    from catalog_tool.paths import DATASETS_DIR

    return DATASETS_DIR / "samples" / "vbp-batch"


FormatOpt = Annotated[VbpFormat, typer.Option("--format", "-f", help="table, json, csv, markdown, or xlsx (needs -o).")]
RulesOpt = Annotated[Optional[str], typer.Option("--rules", "-r", help="Rule set: batch-7, batch-9, batch-10, or a JSON file "
                                                 "(default: the batch's batch.json, else batch-9).")]
BatchArg = Annotated[Path, typer.Argument(help="Batch folder: drugs, bids, demand, reference-prices, preferences (docs/vbp.md).")]
BatchOpt = Annotated[Optional[Path], typer.Option("--batch", "-b", help="Batch folder (default: the embedded sample batch).")]
DrugOpt = Annotated[Optional[str], typer.Option("--drug", "-d", help="Only this drug (品种编号 or name).")]


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Volume-based procurement (集中带量采购): winners, regions, agreed volumes, completion.",
                      no_args_is_help=True)
    for name, fn in (("evaluate", evaluate_command), ("explain", explain_command), ("allocate", allocate_command),
                     ("progress", progress_command), ("summary", summary_command), ("rules", rules_command)):
        sub.command(name)(fn)
    app.add_typer(sub, name="vbp")


def _run(batch_path: Path, rules_name: str | None, drug: str | None = None, with_demand: bool = True):
    """Read the batch, load the rules, evaluate; `drug` narrows to one drug."""
    from catalog_tool.formats.vbp_batch import read_batch
    from catalog_tool.procurement import evaluate, load_rules

    batch = read_batch(batch_path, with_demand=with_demand)
    named_in = None
    if rules_name is None:
        rules_name, named_in = batch.rules or "batch-9", batch.rules_source
        typer.echo(f"rules: {rules_name}" + ("" if batch.rules else " (default; choose with --rules)"), err=True)
    rules = load_rules(rules_name, named_in)
    drugs = [batch.drug(drug)] if drug else batch.drugs
    return batch, rules, evaluate(drugs, batch.bids, rules, source=batch.files["bids"], drug_source=batch.files["drugs"])


def _write(fmt: VbpFormat, output: Path | None, sheets: dict[str, list[dict]], json_data: object, main: str) -> None:
    """Write records in the chosen format; xlsx gets every sheet, the text formats the main one."""
    from catalog_tool.render.table import render_records, to_json

    if fmt is VbpFormat.xlsx:
        if output is None:
            raise InputError("--format xlsx needs --output FILE.xlsx")
        from catalog_tool.formats.sheets import write_sheets

        write_sheets(output, sheets)
        typer.echo(f"wrote {output}", err=True)
    elif fmt is VbpFormat.json:
        emit(to_json(json_data), output)
    else:
        emit(render_records(sheets[main], fmt.value, maxwidth=48), output)


def _drug_record(r) -> dict:
    from catalog_tool.procurement.select import winners

    wins = winners(r)
    return {"drug": r.drug, "name": r.name, "form": r.form, "spec": r.spec, "ceiling": r.ceiling, "bids": r.bids,
            "qualified": r.qualified, "max winners": r.max_winners, "winners": r.winners, "anchor": r.anchor,
            "lowest winner": min((w.final_comparable for w in wins), default=None),
            "share": r.share, "years": r.contract_years,
            "drop vs ceiling": _mean([w.drop_vs_ceiling for w in wins]),
            "drop vs pre": _mean([w.drop_vs_pre for w in wins if w.drop_vs_pre is not None])}


def _mean(values):
    from catalog_tool.procurement.normalise import q4

    return q4(sum(values) / len(values)) if values else None


def _bid_record(b, names: dict[str, str]) -> dict:
    return {"drug": b.drug, "name": names[b.drug], "company": b.company, "spec": b.spec, "pack": b.pack, "price": b.price,
            "unit price": b.unit_price, "K": b.factor.normalize(), "comparable": b.comparable, "rank": b.rank,
            "× anchor": b.ratio_to_anchor, "status": b.status, "final": b.final_comparable,
            "drop vs ceiling": b.drop_vs_ceiling, "drop vs pre": b.drop_vs_pre, "reason": b.reason}


def evaluate_command(
    batch: BatchArg,
    rules: RulesOpt = None,
    drug: DrugOpt = None,
    bids: Annotated[bool, typer.Option("--bids", help="Table/CSV/Markdown: one row per bid instead of one per drug.")] = False,
    fmt: FormatOpt = VbpFormat.table,
    output: OutputOption = None,
) -> None:
    """Judge every bid: unit comparable price (差比价), validity against the ceiling, qualified bidders,
    maximum winners, winners and why each other bid lost, drops, agreed-volume share and term."""
    b, rs, results = _run(batch, rules, drug, with_demand=False)
    names = {d.drug: d.name for d in b.drugs}
    sheets = {"drugs": [_drug_record(r) for r in results],
              "bids": [_bid_record(x, names) for r in results for x in r.results]}
    _write(fmt, output, sheets, {"batch": b.id, "rules": rs.model_dump(mode="json"),
                                 "drugs": [r.model_dump(mode="json") for r in results]}, "bids" if bids else "drugs")


def explain_command(
    drug: Annotated[str, typer.Argument(help="品种编号 or 药品通用名.")],
    batch: BatchOpt = None,
    rules: RulesOpt = None,
) -> None:
    """The full reasoning for one drug: prices, routes, winners, losers, share, term, regions."""
    from catalog_tool.procurement.allocate import allocate

    b, rs, results = _run(batch or _sample_batch(), rules, drug)
    r = results[0]
    lines = [f"{i}. {s}" for i, s in enumerate(r.steps, 1)]
    alloc = allocate(b, results)
    if alloc.assignments:
        lines.append("regions (winners choose in price order, one a round; then one backup region each):")
        lines += [f"   round {a.round} {a.role} {a.province} → {a.company} (demand {a.demand:,}, agreed {a.agreed:,}): {a.why}"
                  for a in alloc.assignments]
    elif r.winners:
        lines.append("regions: no hospital reported demand for this drug")
    emit("\n".join(lines))


def allocate_command(
    batch: BatchArg,
    rules: RulesOpt = None,
    drug: DrugOpt = None,
    hospitals: Annotated[bool, typer.Option("--hospitals", help="One row per hospital and drug: its agreed quantity and supplier.")] = False,
    fmt: FormatOpt = VbpFormat.table,
    output: OutputOption = None,
) -> None:
    """Regions per winner (主供 in price order, one a round; then 备供), and each hospital's agreed quantity."""
    from catalog_tool.procurement.allocate import allocate, hospital_records, quota_frame

    b, rs, results = _run(batch, rules, drug)
    alloc = allocate(b, results)
    if hospitals and fmt is VbpFormat.csv and not drug:  # 50,000 hospitals: stream, no records in between
        _write_frame_csv(output, quota_frame(b, alloc))
        _allocated(b, alloc, results)
        return
    regions = [a.model_dump() for a in alloc.assignments]
    if hospitals or fmt is VbpFormat.xlsx:
        quotas = hospital_records(b, alloc)
        if drug:
            quotas = [q for q in quotas if q["drug"] == results[0].drug]
    else:
        quotas = []
    sheets = {"regions": regions, "hospitals": quotas}
    main = "hospitals" if hospitals else "regions"
    if fmt is VbpFormat.json:
        data = {"batch": b.id, "rules": f"{rs.id} {rs.version}", main: sheets[main]}
    else:
        data = None
    _write(fmt, output, sheets, data, main)
    _allocated(b, alloc, results)


def _allocated(b, alloc, results) -> None:
    """The stderr tally: agreed quantities against the demand of the drugs evaluated (all, or --drug's)."""
    typer.echo(f"{b.id}: {len({a.drug for a in alloc.assignments})} drugs allocated, {alloc.quota_count:,} hospital "
               f"quotas, agreed {alloc.agreed_total:,} of demand {b.demand.total_of({r.drug for r in results}):,}",
               err=True)


def _write_frame_csv(output: Path | None, frame) -> None:
    if output is None:
        typer.echo(frame.write_csv(), nl=False)
        return
    from catalog_tool.formats.canonical import atomic_output

    with atomic_output(output, "wb") as fh:
        frame.write_csv(fh)
    typer.echo(f"wrote {output}", err=True)


def progress_command(
    purchases: Annotated[Path, typer.Argument(help="Purchases: 医疗机构编码, 品种编号, 采购量 [, 企业名称, 采购日期].")],
    batch: BatchOpt = None,
    rules: RulesOpt = None,
    elapsed: Annotated[float, typer.Option("--elapsed", min=0.0, max=1.0,
                                           help="Share of the contract year elapsed: below it a hospital is 进度滞后.")] = 1.0,
    behind: Annotated[bool, typer.Option("--behind", help="Only hospitals not done and not on pace.")] = False,
    fmt: FormatOpt = VbpFormat.table,
    output: OutputOption = None,
) -> None:
    """Each hospital's completion of its agreed volume: purchased from its supplier ÷ agreed."""
    from catalog_tool.formats.vbp_batch import read_purchases
    from catalog_tool.procurement.allocate import allocate
    from catalog_tool.procurement.progress import DONE, ON_PACE, progress_records, unmatched

    b, rs, results = _run(batch or _sample_batch(), rules)
    bought = read_purchases(purchases, {d.drug for d in b.drugs})
    records = progress_records(b, allocate(b, results), bought, Decimal(str(elapsed)))
    shown = [r for r in records if r["status"] not in (DONE, ON_PACE)] if behind else records
    _write(fmt, output, {"progress": shown}, shown, "progress")
    counts: dict[str, int] = {}
    for r in records:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    extra = unmatched(b, bought)
    typer.echo(f"{purchases}: {len(records):,} agreed quantities; " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
               + (f"; {extra:,} purchase line(s) for a hospital and drug without demand in the batch" if extra else ""), err=True)


def summary_command(
    batch: BatchArg,
    rules: RulesOpt = None,
    fmt: FormatOpt = VbpFormat.table,
    output: OutputOption = None,
) -> None:
    """Drugs, bids, winners and the average drop, worded like the official results announcement."""
    from catalog_tool.procurement.allocate import allocate
    from catalog_tool.procurement.summary import announcement, summarise

    b, rs, results = _run(batch, rules)
    s = summarise(b, results, f"{rs.id} {rs.version}", allocate(b, results))
    if fmt is VbpFormat.table:
        emit(announcement(s, b.title))
    else:
        _write(fmt, output, {"summary": [s.model_dump()], "drugs": [_drug_record(r) for r in results]},
               s.model_dump(mode="json"), "summary")


def rules_command(
    name: Annotated[Optional[str], typer.Argument(help="Show this rule set as JSON (copy it, change a number, pass the file to --rules).")] = None,
) -> None:
    """List the built-in rule sets, or print one."""
    from catalog_tool.procurement.ruleset import load_rules, rule_names, rule_path
    from catalog_tool.render.table import render_records

    if name:
        load_rules(name)  # refuse a broken file before printing it
        from catalog_tool.formats.encoding import read_text

        emit(read_text(rule_path(name))[0].rstrip("\n"))
        return
    records = []
    for n in rule_names():
        r = load_rules(n)
        records.append({"rules": r.id, "version": r.version, "title": r.title, "× anchor": r.ratio_to_anchor,
                        "≤ unit price": r.unit_price_floor, "≥ drop": r.drop_vs_ceiling,
                        "form thresholds": "yes" if r.form_thresholds else "", "revival": "yes" if r.revival else "",
                        "max winners": "/".join(map(str, r.max_winners))})
    emit(render_records(records, "table", maxwidth=60))
