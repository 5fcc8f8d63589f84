"""2023 renewal rules: every tier boundary, the renegotiation triggers, the halving rule, regular part."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_tool.errors import InputError
from catalog_tool.model.pricing import RenewalCase
from catalog_tool.pricing.renewal import load_renewal_rules, simulate

YI = Decimal(100_000_000)
RULES = load_renewal_rules("2023")


def case(spend_yi, ratio, *, expansion="0", years=2, exclusive=True, unchanged=0, next_ratio=None, standard="100.00"):
    spend = Decimal(str(spend_yi)) * YI
    budget = spend / Decimal(str(ratio))
    return RenewalCase(
        name="测试药品", actual_spend=spend, budget=budget,
        next_budget=None if next_ratio is None else budget * Decimal(str(next_ratio)),
        expansion_increase=Decimal(expansion), years_negotiated=years, exclusive=exclusive,
        unchanged_periods=unchanged, payment_standard=Decimal(standard) if standard else None,
    )


# (spend in 亿, expected cuts per ratio column ≤110 / 110–140 / 140–170 / 170–200)
TABLE = [
    (1, ["0", "0.05", "0.10", "0.15"]), (2, ["0", "0.05", "0.10", "0.15"]),          # ≤2亿, incl. exactly 2亿
    (Decimal("2.0001"), ["0", "0.07", "0.12", "0.17"]), (10, ["0", "0.07", "0.12", "0.17"]),
    (Decimal("10.01"), ["0", "0.09", "0.14", "0.19"]), (20, ["0", "0.09", "0.14", "0.19"]),
    (Decimal("20.5"), ["0", "0.11", "0.16", "0.21"]), (40, ["0", "0.11", "0.16", "0.21"]),
    (Decimal("40.0001"), ["0", "0.15", "0.20", "0.25"]), (120, ["0", "0.15", "0.20", "0.25"]),
]
# ratios at and just past each column boundary: exactly 110% is ≤110%, exactly 140% is 110–140% …
RATIOS = [("1.00", 0), ("1.10", 0), ("1.1001", 1), ("1.40", 1), ("1.4001", 2), ("1.70", 2), ("1.7001", 3), ("2.00", 3)]


@pytest.mark.parametrize(("spend", "cuts"), TABLE)
@pytest.mark.parametrize(("ratio", "column"), RATIOS)
def test_cut_a_every_boundary(spend, cuts, ratio, column):
    d = simulate(case(spend, ratio), RULES)
    assert d.path == "renew"
    assert d.cut_a == Decimal(cuts[column])
    assert d.cut_b == 0 and d.cut == d.cut_a


@pytest.mark.parametrize(("expansion", "column"), [("0", 0), ("0.10", 0), ("0.1001", 1), ("0.40", 1), ("0.4001", 2),
                                                   ("0.70", 2), ("0.7001", 3), ("1.00", 3)])
def test_cut_b_boundaries(expansion, column):
    d = simulate(case(5, "1.0", expansion=expansion), RULES)  # 2–10亿 row
    assert d.cut_b == Decimal(["0", "0.07", "0.12", "0.17"][column])


def test_combined_cut_and_new_standard():
    d = simulate(case(5, "1.5", expansion="0.25", standard="9.69"), RULES)
    assert (d.cut_a, d.cut_b) == (Decimal("0.12"), Decimal("0.07"))
    assert d.combined == Decimal("0.1816")  # 1 − 0.88 × 0.93
    assert d.new_payment_standard == Decimal("7.93")
    assert any("1−(1−a)(1−b)" in r for r in d.reasons)


@pytest.mark.parametrize(("years", "halved"), [(3, False), (4, True), (7, True)])
def test_halving_after_four_years(years, halved):
    d = simulate(case(9.5, "1.9", expansion="0.6", years=years), RULES)
    assert d.combined == Decimal("0.2696") and d.halved is halved
    assert d.cut == (Decimal("0.1348") if halved else Decimal("0.2696"))


@pytest.mark.parametrize(("kwargs", "trigger"), [
    ({"ratio": "2.0001"}, "of budget"),
    ({"ratio": "3"}, "of budget"),
    ({"ratio": "1", "next_ratio": "2.0001"}, "budget grows"),
    ({"ratio": "1", "expansion": "1.0001"}, "indication expansion"),
])
def test_renegotiation_triggers(kwargs, trigger):
    ratio = kwargs.pop("ratio")
    d = simulate(case(5, ratio, **kwargs), RULES)
    assert d.path == "renegotiate" and trigger in d.reasons[0]
    assert d.cut is None and d.new_payment_standard is None


def test_no_renegotiation_at_exact_limits():
    assert simulate(case(5, "2.00", next_ratio="2.00", expansion="1.00"), RULES).path == "renew"


@pytest.mark.parametrize(("kwargs", "why"), [
    ({"exclusive": False}, "non-exclusive"),
    ({"unchanged": 2}, "2 agreement periods"),
    ({"years": 8}, "8 years"),
])
def test_regular_part(kwargs, why):
    d = simulate(case(1, "3", **kwargs), RULES)  # regular part wins over a renegotiation trigger
    assert d.path == "regular" and why in d.reasons[0]


def test_not_regular_just_below_limits():
    assert simulate(case(1, "1", years=7, unchanged=1), RULES).path == "renew"


def test_confidential_price_keeps_the_cut():
    d = simulate(case(1, "1.2", standard=None), RULES)
    assert d.cut == Decimal("0.05") and d.new_payment_standard is None


def test_rules_are_data(tmp_path):
    data = json.loads((__import__("catalog_tool.pricing.renewal", fromlist=["DATA"]).DATA / "renewal-2023.json").read_text())
    data["id"] = "custom"
    data["spend_rows"][0]["cuts"] = ["0", "0.5", "0.6", "0.7"]
    f = tmp_path / "mine.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    assert simulate(case(1, "1.2"), load_renewal_rules(str(f))).cut_a == Decimal("0.5")


def test_unknown_and_broken_rules(tmp_path):
    with pytest.raises(InputError, match="unknown renewal rules '2019'"):
        load_renewal_rules("2019")
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a renewal rules file"):
        load_renewal_rules(str(bad))
