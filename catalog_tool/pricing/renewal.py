"""Renewal (续约) of negotiated drugs under a versioned rule table (`data/renewal-<id>.json`).

Order of decision: regular part (非独家 / two unchanged periods / ≥ 8 years) → renegotiation
(spend > 200% of budget, budget growth > 100%) → simple renewal with cut a (spend row × actual/budget
column), cut b (the same spend row × indication-expansion column), 1 − (1−a)(1−b), halved after ≥ 4 years.
Tier bounds are inclusive at the top: exactly 140% falls in 110–140%, exactly 2亿 in ≤2亿.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.model.pricing import RenewalCase, RenewalDecision

DATA = Path(__file__).parent / "data"
RATIO_Q = Decimal("0.000001")  # ratios are compared to 0.0001 %, so 140% computed from amounts stays 140%


@dataclass(frozen=True)
class RenewalRules:
    id: str
    title: str
    ratio_columns: list[tuple[str, Decimal]]
    expansion_columns: list[tuple[str, Decimal]]
    spend_rows: list[tuple[str, Decimal | None, list[Decimal]]]
    renegotiate_ratio: Decimal
    renegotiate_growth: Decimal
    halve_after: int
    regular_after_years: int
    regular_after_unchanged: int
    regular_if_non_exclusive: bool


def load_renewal_rules(name: str) -> RenewalRules:
    """`2023` → the built-in `renewal-2023.json`; a path → that file."""
    path = Path(name)
    if not path.suffix:
        path = DATA / f"renewal-{name}.json"
        if not path.is_file():
            known = ", ".join(sorted(p.stem.removeprefix("renewal-") for p in DATA.glob("renewal-*.json")))
            raise InputError(f"unknown renewal rules {name!r} (built in: {known}; or give a JSON file)")
    from catalog_tool.formats.encoding import read_text

    try:
        d = json.loads(read_text(path)[0])
        cols = lambda key: [(c["label"], Decimal(c["max"])) for c in d[key]]  # noqa: E731
        rows = [(r["label"], None if r["max"] is None else Decimal(r["max"]), [Decimal(c) for c in r["cuts"]])
                for r in d["spend_rows"]]
        rules = RenewalRules(
            str(d["id"]), d.get("title", ""), cols("ratio_columns"), cols("expansion_columns"), rows,
            Decimal(d["renegotiate_spend_ratio_above"]), Decimal(d["renegotiate_budget_growth_above"]),
            int(d["halve_after_years"]), int(d["regular_after_years"]), int(d["regular_after_unchanged_periods"]),
            bool(d["regular_if_non_exclusive"]),
        )
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    except (OSError, KeyError, TypeError, ArithmeticError) as e:
        raise InputError(f"not a renewal rules file ({e!r})", file=path) from None
    if any(len(cuts) != len(rules.ratio_columns) for _, _, cuts in rules.spend_rows):
        raise InputError("every spend row needs one cut per ratio column", file=path)
    return rules


def _column(value: Decimal, columns: list[tuple[str, Decimal]]) -> int | None:
    for i, (_, top) in enumerate(columns):
        if value <= top:
            return i
    return None


def _row(spend: Decimal, rules: RenewalRules) -> int:
    for i, (_, top, _) in enumerate(rules.spend_rows):
        if top is None or spend <= top:
            return i
    return len(rules.spend_rows) - 1


def _pct(d: Decimal) -> str:
    return f"{(d * 100).quantize(Decimal('0.01')).normalize():f}%"


def simulate(case: RenewalCase, rules: RenewalRules) -> RenewalDecision:
    """The path of one case with every step's reason."""
    reasons: list[str] = []
    regular = []
    if rules.regular_if_non_exclusive and not case.exclusive:
        regular.append("non-exclusive (非独家)")
    if case.unchanged_periods >= rules.regular_after_unchanged:
        regular.append(f"{case.unchanged_periods} agreement periods without change (≥ {rules.regular_after_unchanged})")
    if case.years_negotiated >= rules.regular_after_years:
        regular.append(f"{case.years_negotiated} years in the negotiated part (≥ {rules.regular_after_years})")
    if regular:
        return RenewalDecision(name=case.name, path="regular", reasons=["moves to the regular part (转常规): " + "; ".join(regular)])
    if case.budget <= 0:
        return RenewalDecision(name=case.name, path="renegotiate", reasons=["no positive budget: the ratio cannot be taken"])
    spend_ratio = (case.actual_spend / case.budget).quantize(RATIO_Q)
    growth = (case.next_budget / case.budget - 1).quantize(RATIO_Q) if case.next_budget is not None else Decimal(0)
    reneg = []
    if spend_ratio > rules.renegotiate_ratio:
        reneg.append(f"actual spend {_pct(spend_ratio)} of budget (> {_pct(rules.renegotiate_ratio)})")
    if growth > rules.renegotiate_growth:
        reneg.append(f"next two years' budget grows {_pct(growth)} (> {_pct(rules.renegotiate_growth)})")
    if case.expansion_increase > rules.renegotiate_growth:
        reneg.append(f"indication expansion raises the budget {_pct(case.expansion_increase)} (> {_pct(rules.renegotiate_growth)})")
    if reneg:
        return RenewalDecision(name=case.name, path="renegotiate", reasons=["renegotiate (重新谈判): " + "; ".join(reneg)])
    row = _row(case.actual_spend, rules)
    row_label, _, cuts = rules.spend_rows[row]
    ca = _column(spend_ratio, rules.ratio_columns)
    cb = _column(max(case.expansion_increase, Decimal(0)), rules.expansion_columns)
    a, b = cuts[ca], cuts[cb]
    reasons.append(f"cut a {_pct(a)}: spend {case.actual_spend / 100000000:.4g}亿 ({row_label}), actual/budget {_pct(spend_ratio)} ({rules.ratio_columns[ca][0]})")
    reasons.append(f"cut b {_pct(b)}: indication-expansion budget increase {_pct(case.expansion_increase)} ({rules.expansion_columns[cb][0]})")
    combined = 1 - (1 - a) * (1 - b)
    reasons.append(f"combined 1−(1−a)(1−b) = {_pct(combined)}")
    halved = case.years_negotiated >= rules.halve_after
    cut = combined / 2 if halved else combined
    if halved:
        reasons.append(f"halved to {_pct(cut)}: {case.years_negotiated} consecutive years in the negotiated part (≥ {rules.halve_after})")
    new = None
    if case.payment_standard is not None:
        new = (case.payment_standard * (1 - cut)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        reasons.append(f"payment standard {case.payment_standard} → {new}")
    else:
        reasons.append("no public payment standard given: the cut applies to the confidential price")
    return RenewalDecision(name=case.name, path="renew", cut_a=a, cut_b=b, combined=combined, halved=halved,
                           cut=cut, new_payment_standard=new, reasons=reasons)
