"""Who wins (拟中选): validity against the ceiling, the maximum number of winners by qualified
bidders, the winning routes of the rule set (1.8× the anchor, ≤ ¥0.10, ≥ 50% below the ceiling,
per-form thresholds), revival at the highest winning price; every other bid's reason to lose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from catalog_tool.errors import InputError
from catalog_tool.model.procurement import BidResult, BidStatus, DrugResult, VbpBid, VbpDrug, VbpRuleSet
from catalog_tool.procurement.normalise import q4, spec_factor, states_amount
from catalog_tool.procurement.ruleset import pick


def _pct(d: Decimal) -> str:
    return f"{float(d) * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _yuan(d: Decimal) -> str:
    return f"{d.normalize():f}元" if d == d.to_integral() else f"{d}元"


def form_threshold(form: str, rules: VbpRuleSet) -> Decimal | None:
    """The low-price threshold of a dosage form: the first key found in the 剂型 text, else '*'."""
    for key, value in rules.form_thresholds.items():
        if key != "*" and key in form:
            return value
    return rules.form_thresholds.get("*")


class Priced(NamedTuple):
    """A bid with its price per minimal unit, 差比价 K and unit comparable price (单位可比价)."""

    bid: VbpBid
    unit: Decimal
    k: Decimal
    k_reason: str
    comparable: Decimal
    valid: bool  # not above the ceiling


def _priced(drug: VbpDrug, bid: VbpBid, rules: VbpRuleSet, source, drug_source) -> Priced:
    factor = spec_factor(drug.spec, bid.spec, drug.form, rules)
    if factor is None and not states_amount(drug.spec):
        raise InputError(f"representative spec {drug.spec!r} of {drug.drug} states no content or fill volume, "
                         f"so a bid in spec {bid.spec!r} cannot be compared with it", file=drug_source, row=drug.row,
                         field="代表品规格")
    if factor is None:
        raise InputError(f"spec {bid.spec!r} cannot be compared with the representative spec {drug.spec!r} of {drug.drug}",
                         file=source, row=bid.row, field="规格")
    unit = bid.price / bid.pack
    comparable = q4(unit / factor[0])
    return Priced(bid, unit, factor[0], factor[1], comparable, comparable <= drug.ceiling)


def _routes(comparable: Decimal, anchor: Decimal, drug: VbpDrug, rules: VbpRuleSet, threshold: Decimal | None) -> list[str]:
    routes = []
    if comparable <= rules.ratio_to_anchor * anchor:
        routes.append(f"≤ {rules.ratio_to_anchor}× anchor")
    if rules.unit_price_floor is not None and comparable <= rules.unit_price_floor:
        routes.append(f"≤ {_yuan(rules.unit_price_floor)}")
    if rules.drop_vs_ceiling is not None and drug.ceiling - comparable >= rules.drop_vs_ceiling * drug.ceiling:
        routes.append(f"≥ {_pct(rules.drop_vs_ceiling)} below ceiling")
    if threshold is not None and comparable <= threshold:
        routes.append(f"≤ {_yuan(threshold)} ({drug.form} threshold)")
    return routes


def _failed(comparable: Decimal, anchor: Decimal, drug: VbpDrug, rules: VbpRuleSet, threshold: Decimal | None) -> str:
    parts = [f"{float(comparable / anchor):.4g}× the anchor {anchor} > {rules.ratio_to_anchor}×"]
    if rules.unit_price_floor is not None:
        parts.append(f"{comparable} > {_yuan(rules.unit_price_floor)}")
    if rules.drop_vs_ceiling is not None:
        parts.append(f"drop {_pct(1 - comparable / drug.ceiling)} < {_pct(rules.drop_vs_ceiling)}")
    if threshold is not None:
        parts.append(f"{comparable} > {drug.form} threshold {_yuan(threshold)}")
    return "no winning route: " + "; ".join(parts)


def _anchor(valid: Sequence[Decimal], rules: VbpRuleSet) -> tuple[Decimal, str]:
    lowest = min(valid)
    if rules.anchor == "lowest":
        return lowest, f"anchor = lowest unit comparable price {lowest}"
    mean_part = q4(sum(valid) / len(valid) * rules.anchor_mean_fraction)
    anchor = max(lowest, mean_part)
    return anchor, f"anchor = max(lowest {lowest}, mean × {rules.anchor_mean_fraction} = {mean_part}) = {anchor}"


def _drop(final: Decimal, reference: Decimal | None) -> Decimal | None:
    return q4(1 - final / reference) if reference else None


def evaluate_drug(drug: VbpDrug, bids: Iterable[VbpBid], rules: VbpRuleSet, source=None, drug_source=None) -> DrugResult:
    """Judge every bid of one drug under `rules`; the result carries the reasoning step by step."""
    bids = list(bids)
    threshold = form_threshold(drug.form, rules) if rules.form_thresholds else None
    rows = [_priced(drug, bid, rules, source, drug_source) for bid in bids]
    valid = sorted((r for r in rows if r.valid), key=lambda r: (r.comparable, r.unit, r.bid.company))
    steps = [f"{drug.drug} {drug.name} {drug.form} {drug.spec}: ceiling {drug.ceiling}元 per unit, {len(bids)} bids, "
             f"rules {rules.id} ({rules.version})"]
    invalid = [r for r in rows if not r.valid]
    if invalid:
        steps.append(f"{len(invalid)} bid(s) above the ceiling are invalid: "
                     + ", ".join(f"{r.bid.company} {r.comparable}" for r in invalid))
    results: dict[int, BidResult] = {}

    def result(r: Priced, status: BidStatus, reason: str, rank=None, routes=(), anchor=None, final=None) -> BidResult:
        bid, unit, k, k_reason, comparable, ok = r
        return BidResult(
            drug=drug.drug, company=bid.company, product=bid.product, spec=bid.spec, pack=bid.pack, price=bid.price,
            unit_price=q4(unit), factor=k, factor_reason=k_reason, comparable=comparable, valid=ok, rank=rank,
            ratio_to_anchor=q4(comparable / anchor) if anchor else None, routes=list(routes), status=status, reason=reason,
            final_comparable=final, drop_vs_ceiling=_drop(final, drug.ceiling) if final is not None else None,
            drop_vs_pre=_drop(final, drug.pre_price) if final is not None else None)

    for r in invalid:
        results[id(r)] = result(r, BidStatus.invalid, f"unit comparable price {r.comparable} above the ceiling {drug.ceiling}")
    max_w = pick(rules.max_winners, len(valid)) if valid else 0
    anchor, anchor_reason, winners = None, "", 0
    if not valid:
        steps.append("no valid bid: the drug is not awarded (流标)")
    else:
        anchor, anchor_reason = _anchor([r.comparable for r in valid], rules)
        steps.append(f"{len(valid)} qualified bidder(s) → at most {max_w} winner(s) ({rules.id} table)")
        steps.append(anchor_reason)
        if threshold is not None:
            steps.append(f"low-price threshold for {drug.form}: {threshold}元")
        losers_on_price = []
        for rank, r in enumerate(valid, 1):
            routes = _routes(r.comparable, anchor, drug, rules, threshold)
            if routes and winners < max_w:
                winners += 1
                results[id(r)] = result(r, BidStatus.won, "wins: " + ", ".join(routes), rank, routes, anchor, r.comparable)
            elif routes:
                results[id(r)] = result(r, BidStatus.lost, f"meets {', '.join(routes)} but ranks {rank}: the "
                                        f"{max_w} winner place(s) are taken by lower prices", rank, routes, anchor)
            else:
                losers_on_price.append((rank, r))
                results[id(r)] = result(r, BidStatus.lost, _failed(r.comparable, anchor, drug, rules, threshold), rank, (), anchor)
        steps += [f"#{res.rank} {res.company} {res.spec}×{res.pack} {res.price}元 → {res.comparable} "
                  f"({res.factor_reason}): {res.status.value}, {res.reason}"
                  for res in sorted((results[id(r)] for r in valid), key=lambda x: x.rank)]
        if rules.revival and winners:
            top = max(res.final_comparable for res in results.values() if res.status is BidStatus.won)
            for rank, r in losers_on_price:
                if not r.bid.revival:
                    continue
                if winners >= max_w:
                    steps.append(f"revival: {r.bid.company} accepts {top} but the {max_w} winner place(s) are taken")
                    continue
                winners += 1
                results[id(r)] = result(r, BidStatus.revived, f"revived: accepts the highest winning price {top}",
                                        rank, ["revival"], anchor, top)
                steps.append(f"revival: {r.bid.company} accepts the highest winning price {top} and wins")
    share = years = None
    if winners:
        table = rules.antimicrobial_share if drug.antimicrobial else rules.volume_share
        share, years = pick(table, winners), pick(rules.contract_years, winners)
        kind = "special antimicrobial shares" if drug.antimicrobial else "shares"
        steps.append(f"{winners} winner(s) → agreed volume {_pct(share)} of reported demand ({kind}), contract {years} year(s)")
    ordered = [results[id(r)] for r in rows]
    ordered.sort(key=lambda x: (x.rank is None, x.rank or 0, x.comparable))
    return DrugResult(drug=drug.drug, name=drug.name, form=drug.form, spec=drug.spec, ceiling=drug.ceiling,
                      pre_price=drug.pre_price, antimicrobial=drug.antimicrobial, rules=f"{rules.id} {rules.version}",
                      bids=len(bids), qualified=len(valid), max_winners=max_w, anchor=anchor, anchor_reason=anchor_reason,
                      threshold=threshold, winners=winners, share=share, contract_years=years, results=ordered, steps=steps)


def evaluate(drugs: Sequence[VbpDrug], bids: Iterable[VbpBid], rules: VbpRuleSet, source=None,
             drug_source=None) -> list[DrugResult]:
    """Every drug of a batch, in the batch's order; a drug without bids is reported with none.
    `source` and `drug_source` name the bids and drugs files in errors."""
    by_drug: dict[str, list[VbpBid]] = {d.drug: [] for d in drugs}
    for bid in bids:
        if bid.drug in by_drug:
            by_drug[bid.drug].append(bid)
    return [evaluate_drug(d, by_drug[d.drug], rules, source, drug_source) for d in drugs]


def winners(result: DrugResult) -> list[BidResult]:
    """The winning bids of a drug in price order (revived ones after the others)."""
    return [r for r in result.results if r.status in (BidStatus.won, BidStatus.revived)]
