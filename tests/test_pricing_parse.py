"""Payment-standard parser: real texts of the 2025 and 2024 lists, nothing lost, bad text reported."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_tool.pricing.parse import parsed_relative_change, parse_payment_standard, relative_change, split_prices

FILES_2025 = ("协议期内谈判药品部分-西药.csv", "竞价药品部分.csv")
FILES_2024 = ("协议期内谈判药品部分-西药.csv", "协议期内谈判药品部分-中成药.csv", "竞价药品部分.csv")


def _rows(folder, names):
    for name in names:
        with open(folder / name, encoding="utf-8-sig", newline="") as fh:
            for n, r in enumerate(csv.DictReader(fh), start=2):
                yield name, n, r


def _covered(text: str, ps) -> bool:
    """The specs' source texts, with only separators between them, are the whole text."""
    for s in ps.specs:
        assert text[s.start:s.start + len(s.text)] == s.text
    pieces = [s.text for s in ps.specs]
    joined = re.sub(r"\s+", "", "".join(pieces))
    rest = re.sub(r"[\s;；、]+", "", text)
    return re.sub(r"[;；、]", "", joined) == rest


def test_every_2025_standard_parses_with_nothing_lost(shared_data):
    totals = {"rows": 0, "confidential": 0, "priced": 0, "multi": 0, "specs": 0, "reference": 0}
    for name, n, r in _rows(shared_data / "nrdl-2025", FILES_2025):
        text = r["医保支付标准"]
        ps = parse_payment_standard(text)
        totals["rows"] += 1
        assert ps.ok, (name, n, text, ps.unparsed)
        if ps.confidential:
            totals["confidential"] += 1
            continue
        totals["priced"] += 1
        if ps.reference:
            totals["reference"] += 1
            continue
        assert ps.specs and all(s.amount > 0 for s in ps.specs), (n, text)
        assert _covered(text, ps), (n, text)
        # one price per spec: as many prices as `元` amounts printed
        assert len(ps.specs) == len(re.findall(r"\d元", text)), (n, text)
        totals["specs"] += len(ps.specs)
        totals["multi"] += len(ps.specs) > 1
    assert totals["rows"] == 411 and totals["confidential"] == 316 and totals["priced"] == 95
    assert totals["reference"] == 1  # 治疗用碘[131I]化钠胶囊: 见备注2
    assert totals["multi"] == 36 and totals["specs"] == 141


def test_every_2024_standard_parses(shared_data):
    count = 0
    for name, n, r in _rows(shared_data / "nrdl-2024", FILES_2024):
        ps = parse_payment_standard(r["医保支付标准"])
        assert ps.ok, (name, n, r["医保支付标准"])
        if ps.specs:
            assert _covered(r["医保支付标准"], ps)
            count += 1
    assert count > 100


@pytest.mark.parametrize(
    ("text", "amounts", "per", "content", "volume"),
    [
        ("8.97元(1mg/片)；15.25元(2mg/片)；25.93元(4mg/片)", ["8.97", "15.25", "25.93"], "片", ("1", "mg"), None),
        ("13.60元(1ml:12.5mg/支)；、66.82元(5ml:100mg/支)", ["13.60", "66.82"], "支", ("12.5", "mg"), ("1", "ml")),
        ("35.90元(0.2ml:2500IU(抗Xa))；46.45元(0.2ml:3500IU(抗Xa))", ["35.90", "46.45"], None, ("2500", "IU"), ("0.2", "ml")),
        ("113.53元(60mg/粒)(协议有效期内,谈判企业负责向购买盐酸可洛派韦胶囊的患者免费提供同疗程的索磷布韦片)", ["113.53"], "粒", ("60", "mg"), None),
        ("479.00元/盒(先诺特韦片0.375g/利托那韦片0.1g,每盒30片)", ["479.00"], "盒", None, None),
        ("31.03元(0.1ml/支 预灌封注射器）", ["31.03"], "支", None, ("0.1", "ml")),
        ("780.00元(100mg(10ml)/瓶)", ["780.00"], "瓶", ("100", "mg"), ("10", "ml")),
        ("22.50元(1%(10g:0.1g)/支)", ["22.50"], "支", ("0.1", "g"), None),
        ("275元(5mg/片)", ["275"], "片", ("5", "mg"), None),
        ("3333.03元(1.0×10E7IU/16mg/支)", ["3333.03"], "支", ("1.0E+7", "IU"), None),
        ("425.00元(1人次(185MBq-1110MBq))", ["425.00"], "人次", None, None),
    ],
)
def test_real_texts(text, amounts, per, content, volume):
    ps = parse_payment_standard(text)
    assert ps.ok and [str(s.amount) for s in ps.specs] == amounts
    s = ps.specs[0]
    assert s.per_unit == per
    assert (None if s.content is None else (str(s.content.value), s.content.unit)) == (
        None if content is None else (str(Decimal(content[0])), content[1]))
    assert (None if s.volume is None else (str(s.volume.value), s.volume.unit)) == volume


def test_two_chamber_bag_keeps_inner_semicolon():
    text = ("21.50元(粉体室：按头孢西丁(C16H17N3O7S2)计1.0g；液体室：氯化钠注射液100ml：0.9g/袋)；"
            "26.05元(粉体室：按头孢西丁(C16H17N3O7S2)计2.0g；液体室：氯化钠注射液100ml：0.9g/袋)")
    ps = parse_payment_standard(text)
    assert len(ps.specs) == 2 and all(s.two_chamber for s in ps.specs)
    assert [s.content.value for s in ps.specs] == [Decimal("1.0"), Decimal("2.0")]
    assert ps.specs[1].start == text.index("26.05")


def test_compound_is_marked_not_guessed():
    s = parse_payment_standard("1.58元(每片含苯磺酸氨氯地平5mg(以氨氯地平计)与叶酸0.8mg)").specs[0]
    assert s.compound and s.content is None and s.per_unit == "片"


def test_half_width_separator_of_2025_bidding_row():
    text = "23.98元(粉体室:1.0g(按C19H24N6O5S2计)；液体室:100ml:0.9g/袋);30.27元(粉体室:2.0g(按C19H24N6O5S2计)；液体室:100ml:0.9g/袋)"
    assert [str(s.amount) for s in parse_payment_standard(text).specs] == ["23.98", "30.27"]


@pytest.mark.parametrize("text", ["*", " * ", "企业申请价格保密"])
def test_confidential(text):
    ps = parse_payment_standard(text)
    assert ps.confidential and ps.ok and not ps.specs


@pytest.mark.parametrize("text", ["面议", "12.5(10mg/片)", "元(10mg/片)", "12.50元(10mg/片) 另加", ""])
def test_unparseable_is_reported_never_zero(text):
    ps = parse_payment_standard(text)
    assert not ps.ok and not ps.specs and not ps.confidential


def test_partly_unparseable_keeps_the_good_part():
    ps = parse_payment_standard("8.97元(1mg/片)；15.25元(2mg/片) 待定")
    assert [str(s.amount) for s in ps.specs] == ["8.97"] and ps.unparsed == ["15.25元(2mg/片) 待定"]


def test_relative_change_for_the_diff():
    assert relative_change("63.00元(10mg/支)", "52.60元(10mg/瓶)") == Decimal("-0.1651")
    assert relative_change("6.37元(10mg/片)；、10.82元(20mg/片)", "5.70元(10mg/片)；9.69元(20mg/片)") == Decimal("-0.1047")  # (5.70+9.69)/(6.37+10.82) − 1
    assert relative_change("*", "52.60元(10mg/瓶)") is None
    # a spec added: the change is taken over the specs both editions price
    assert relative_change("168.00元(50mg/支)", "168.00元(50mg/支)；389.55元(150mg/支)") == Decimal("0.0000")
    assert relative_change("1.23元(25mg/片)；2.09元(50mg/片)", "1.00元(10mg/片)；2.00元(20mg/片)") is None


_single = st.builds(lambda amount, spec, pad: f"{pad}{amount}元({spec}){pad}",
                    st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2) | st.integers(0, 999).map(str),
                    st.text(alphabet="0123456789.mgl片支瓶袋:：/ 每含与和ABC【】[];；元（）()", max_size=16),
                    st.sampled_from(["", " ", "\u3000"]))


@given(_single | st.text(alphabet="0123456789.元()（）;；*mg片 ", max_size=24), _single)
def test_the_single_price_shortcut_equals_the_full_parse(old, new):
    assert relative_change(old, new) == parsed_relative_change(old, new)
    assert relative_change(new, old) == parsed_relative_change(new, old)


_price = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
_spec = st.text(alphabet="0123456789.mgl片支瓶袋:：/ 每含与和ABC（）()", max_size=20).filter(
    lambda t: t.count("(") + t.count("（") == 0 and t.count(")") + t.count("）") == 0)


@given(st.lists(st.tuples(_price, _spec), min_size=1, max_size=5), st.sampled_from(["；", "；、", ";"]))
def test_property_render_back(items, sep):
    text = sep.join(f"{p}元({s})" for p, s in items)
    ps = parse_payment_standard(text)
    assert ps.ok
    assert [s.amount for s in ps.specs] == [p for p, _ in items]
    assert [s.spec for s in ps.specs] == [s for _, s in items]
    assert split_prices(text)[0][0] == 0 and split_prices(text)[-1][1] == len(text)


@given(st.text(alphabet="0123456789.元*；;、()（）[]/:：mgl片支瓶袋每含与和见备注粉体室液体室 ", max_size=60))
def test_property_never_crashes_never_silent(text):
    ps = parse_payment_standard(text)
    assert ps.confidential or ps.specs or ps.reference or ps.unparsed
    assert all(s.amount >= 0 and s.text in text for s in ps.specs)


@pytest.mark.parametrize(("text", "per", "count", "content"), [
    ("350.00元/盒(4mg×7片)", "片", 7, Decimal(28)),
    ("200.00元/盒(2mg*14片)", "片", 14, Decimal(28)),
    ("6.33元(5g/25粒)", "粒", 25, Decimal(5)),
])
def test_pack_counts(text, per, count, content):
    s = parse_payment_standard(text).specs[0]
    assert (s.per_unit, s.per_count, s.content.value) == (per, count, content)
