"""Unit normalisation and 差比价 on real payment-standard texts; spec-check; tiered prices."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

import pytest

from catalog_tool.errors import InputError
from catalog_tool.model import DrugItem
from catalog_tool.pricing.normalise import DATA, comparable, expected_price, load_rules, ratio
from catalog_tool.pricing.parse import parse_payment_standard
from catalog_tool.pricing.speccheck import spec_check
from catalog_tool.pricing.tiers import tiered_price, tiers_from_edition

RULES = load_rules()


def specs(text):
    return parse_payment_standard(text).specs


@pytest.mark.parametrize(("text", "unit", "per_unit"), [
    ("52.60元(10mg/瓶)", "mg", "5.26"),
    ("1475.00元(250µg/瓶)", "mg", "5900"),
    ("13.60元(1ml:12.5mg/支)", "mg", "1.088"),
    ("35.90元(0.2ml:2500IU(抗Xa))", "IU", "0.01436"),
    ("29.81元(250ml/瓶)", "ml", "0.11924"),
    ("6.33元(5g/25粒)", "mg", "0.001266"),
    ("1.58元(每片含苯磺酸氨氯地平5mg(以氨氯地平计)与叶酸0.8mg)", "片", "1.58"),
    ("479.00元/盒(先诺特韦片0.375g/利托那韦片0.1g,每盒30片)", "盒", "479"),
    ("21.50元(粉体室：按头孢西丁(C16H17N3O7S2)计1.0g；液体室：氯化钠注射液100ml：0.9g/袋)", "mg", "0.0215"),
])
def test_comparable_unit(text, unit, per_unit):
    c = comparable(specs(text)[0], RULES)
    assert c.unit == unit and c.price_per_unit == Decimal(per_unit)


def test_content_ratio_on_real_text():
    a, b, c = specs("8.97元(1mg/片)；15.25元(2mg/片)；25.93元(4mg/片)")
    assert expected_price(a, b, RULES)[0] == Decimal("15.249")
    assert expected_price(a, c, RULES)[0].quantize(Decimal("0.01")) == Decimal("25.92")
    assert ratio(Decimal(1), Decimal(2), Decimal("1.7")) == Decimal("1.7")


def test_fill_volume_ratio_when_only_volume_differs():
    a, b = specs("10.00元(20ml:10mg/瓶)；19.00元(40ml:10mg/瓶)")
    price, rule = expected_price(a, b, RULES)
    assert price == Decimal("19") and "fill volume 1.9" in rule


def test_small_injections_not_differentiated():
    a, b = specs("10.00元(2ml:10mg/支)；10.00元(5ml:10mg/支)")
    assert expected_price(a, b, RULES, injection=True) == (Decimal("10"), "injections ≤ 10 ml are not differentiated, X = 2.5, K = 1")


def test_rules_override(tmp_path):
    data = json.loads((DATA / "normalisation.json").read_text(encoding="utf-8"))
    data["content_ratio_base"] = "2"
    f = tmp_path / "linear.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    a, b = specs("8.97元(1mg/片)；15.25元(2mg/片)")
    assert expected_price(a, b, load_rules(f))[0] == Decimal("17.94")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="malformed JSON"):
        load_rules(bad)


def test_spec_check_on_real_2025(shared_data, tmp_path):
    items = []
    for name in ("协议期内谈判药品部分-西药.csv", "竞价药品部分.csv"):
        with open(shared_data / "nrdl-2025" / name, encoding="utf-8-sig") as fh:
            items += [DrugItem(name=r["药品名称"], number=r["编号"], payment_standard=r["医保支付标准"]) for r in csv.DictReader(fh)]
    checks = spec_check(items, RULES, parse_payment_standard)
    status = {s: [c for c in checks if c.status == s] for s in ("ok", "deviation", "not comparable")}
    assert (len(status["ok"]), len(status["deviation"]), len(status["not comparable"])) == (45, 1, 0)
    # the real list follows 1.7 per doubling; two-chamber bags add a 15.00元 solvent chamber; the
    # prefilled 0.1 ml syringe of the tuberculin does not follow the vials
    assert [(c.name, c.deviation) for c in status["deviation"]] == [("重组结核杆菌融合蛋白(EC)", Decimal("0.1069"))]
    mero = [c for c in checks if c.name == "注射用美罗培南/氯化钠注射液"][0]
    assert mero.status == "ok" and mero.expected == Decimal("38.22") and "solvent chamber 15.00元" in mero.reason
    # without the solvent rule, K on the whole price: the bags deviate and the reason shows the split
    data = json.loads((DATA / "normalisation.json").read_text(encoding="utf-8"))
    data["two_chamber_solvent_price"] = None
    f = tmp_path / "no-solvent.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    plain = [c for c in spec_check(items, load_rules(f), parse_payment_standard) if c.status == "deviation"]
    assert len(plain) == 7
    assert "fits drug 13.66元 × K + solvent chamber 15.00元" in [c for c in plain if c.name == mero.name][0].reason
    # a compound whose actives scale alike (5 mg + 2.5 mg → 40 mg + 20 mg) follows 1.7 too
    oxy = [c for c in checks if c.name == "羟考酮纳洛酮缓释片"]
    assert [(c.status, c.expected) for c in oxy] == [("ok", Decimal("22.01"))]
    enna = [c for c in checks if c.name == "恩那度司他片"]
    assert [c.status for c in enna] == ["ok", "ok"]


def test_tiered_iodine_price(shared_data):
    meta = json.loads((shared_data / "nrdl-2025" / "edition.json").read_text(encoding="utf-8"))
    tiers = tiers_from_edition(meta)["治疗用碘[131I]化钠胶囊"]
    assert [(t.low, t.high, t.unit_price) for t in tiers] == [
        (1, 10, Decimal("59.00")), (11, 50, Decimal("47.20")), (51, 100, Decimal("38.35"))]
    # the worked examples printed in 备注2
    for q, price in [(1, "59.00"), (11, "637.20"), (51, "2516.35"), (100, "4395.50")]:
        assert tiered_price(tiers, Decimal(q)) == Decimal(price)
    ps = parse_payment_standard("见备注2(每粒胶囊含碘[131I]的放射性活度为37-3700MBq)", tiers)
    assert ps.ok and ps.reference == "备注2" and len(ps.tiers) == 3
    with pytest.raises(ValueError):
        tiered_price(tiers, Decimal(101))


@pytest.mark.parametrize("tiered,expected", [
    ("备注2", "must map a drug to {text, table}"),
    ({"398 碘": 5}, "398 碘: needs a table of a header row and at least one tier"),
    ({"398 碘": {"table": []}}, "needs a table of a header row and at least one tier"),
    ({"398 碘": {"table": [["规格(毫居)", "阶梯内单价(元/毫居)"]]}}, "needs a table of a header row and at least one tier"),
    ({"398 碘": {"table": [[1, 2], None]}}, "row 2: tier row not understood: None"),
    ({"398 碘": {"table": [["规格", "单价"], ["1-10", "五十九"]]}}, "row 2: tier row not understood"),
])
def test_a_malformed_tier_table_is_one_error(tiered, expected):
    from catalog_tool.errors import InputError

    with pytest.raises(InputError, match=re.escape(expected)):
        tiers_from_edition({"tiered_payment_standards": tiered}, "edition.json")
