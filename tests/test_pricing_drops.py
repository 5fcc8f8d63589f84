"""Price drops: per comparable unit, 差比价 across specs, not-comparable listed; summaries."""

from __future__ import annotations

from decimal import Decimal

from catalog_tool.model import DrugItem, Section
from catalog_tool.pricing.drops import price_drops, summarise
from catalog_tool.pricing.normalise import load_rules

RULES = load_rules()
ITEMS = [
    DrugItem(name="恩那度司他片", section=Section.negotiated, category_name="其他抗贫血制剂",
             payment_standard="8.97元(1mg/片)；15.25元(2mg/片)；25.93元(4mg/片)"),
    DrugItem(name="奥美拉唑碳酸氢钠干混悬剂（Ⅱ）", section=Section.negotiated, category_name="质子泵抑制剂",
             payment_standard="4.15元(奥美拉唑40mg和碳酸氢钠1680mg/袋)"),
    DrugItem(name="安奈拉唑钠肠溶片", section=Section.negotiated, category_name="质子泵抑制剂", payment_standard="*"),
    DrugItem(name="熊去氧胆酸口服混悬液", section=Section.bidding, category_name="胆治疗药",
             payment_standard="169.80元(250ml:12.5g/瓶)"),
]


def test_drops_per_comparable_unit():
    rows = [
        (2, "恩那度司他片", "52.00元(4mg/片)", Decimal(100)),               # same spec
        (3, "恩那度司他片", "100.00元(8mg/片)", Decimal(300)),              # 差比价 from 4 mg to 8 mg
        (4, "奥美拉唑碳酸氢钠干混悬剂(Ⅱ)", "8.30元(奥美拉唑40mg和碳酸氢钠1680mg/袋)", None),  # bracket width differs
        (5, "奥美拉唑碳酸氢钠干混悬剂(Ⅱ)", "9.00元(奥美拉唑20mg和碳酸氢钠1100mg/袋)", None),  # compound, other spec
        (6, "安奈拉唑钠肠溶片", "8.80元(20mg/片)", None),
        (7, "熊去氧胆酸口服混悬液", "300.00元(250ml:12.5g/瓶)", Decimal(100)),
        (8, "熊去氧胆酸口服混悬液", "面议", None),
    ]
    drops = price_drops(ITEMS, rows, RULES)
    got = [(d.name, d.drop) for d in drops]
    assert got[0] == ("恩那度司他片", Decimal("0.5013"))
    assert drops[1].drop == Decimal("0.5592") and "差比价" in drops[1].reason  # 1 − 25.93×1.7/100
    assert got[2][1] == Decimal("0.5000")
    assert drops[3].drop is None and "cannot be compared" in drops[3].reason
    assert drops[4].drop is None and "confidential" in drops[4].reason
    assert drops[5].drop == Decimal("0.4340")
    assert drops[6].drop is None and "row 8" in drops[6].reason


def test_summary_mean_median_weighted():
    rows = [(2, "恩那度司他片", "52.00元(4mg/片)", Decimal(100)), (3, "恩那度司他片", "100.00元(8mg/片)", Decimal(300)),
            (4, "熊去氧胆酸口服混悬液", "300.00元(250ml:12.5g/瓶)", Decimal(100))]
    groups = {g.group: g for g in summarise(price_drops(ITEMS, rows, RULES), by="category")}
    allg = groups["all"]
    assert allg.drugs == 3 and allg.median == Decimal("0.5013")
    assert allg.mean == Decimal("0.4982")  # (0.5013 + 0.5592 + 0.4340) / 3
    assert allg.weighted_mean == Decimal("0.5226")  # (0.5013×100 + 0.5592×300 + 0.4340×100) / 500
    assert groups["其他抗贫血制剂"].drugs == 2 and groups["胆治疗药"].mean == Decimal("0.4340")


def test_box_prices_compare_per_piece():
    """Hospital price lists quote boxes (`4mg×7片/盒`): compared per piece, then × pieces."""
    rows = [(2, "恩那度司他片", "350.00元/盒(4mg×7片)", Decimal(10)),
            (3, "恩那度司他片", "200.00元/盒(2mg*14片)", None),
            (4, "恩那度司他片", "500.00元/盒(8mg×10片)", None)]
    d = price_drops(ITEMS, rows, RULES)
    assert d[0].drop == Decimal("0.4814") and "× 7 pieces" in d[0].reason  # 1 − 25.93×7/350
    assert d[1].drop == Decimal("-0.0675")  # 15.25 × 14 = 213.50 against 200.00: a rise
    assert d[2].drop == Decimal("0.1184") and "差比价 from 4mg/片" in d[2].reason  # 1 − 25.93×1.7×10/500
