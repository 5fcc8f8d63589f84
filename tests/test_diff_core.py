"""The diff core on small frames: normalisation, matching, classification, bad input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_tool.diff.classify import marked_span
from catalog_tool.diff.compare import compare
from catalog_tool.diff.normalize import normalize_name, normalize_text
from catalog_tool.errors import InputError

FIELDS = ["code", "section", "medicine_type", "number", "drug_class", "name", "dosage_form", "remarks",
          "payment_standard", "agreement_start", "agreement_end", "former_codes"]


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame([{f: r.get(f) for f in FIELDS} for r in rows], schema={f: pl.Utf8 for f in FIELDS})


def row(name, form=None, section="西药部分", cls="甲", **kw):
    return {"section": section, "medicine_type": "西药", "name": name, "dosage_form": form, "drug_class": cls, **kw}


def kinds(result) -> dict[str, int]:
    return {k: v for k, v in result.counts().items() if v and k not in ("unchanged_rows",)}


def test_normalisation_folds_typography_but_not_roman_numerals():
    assert normalize_name("奥美拉唑碳酸氢钠胶囊（Ⅱ）") == normalize_name("奥美拉唑碳酸氢钠胶囊(Ⅱ)")
    assert normalize_name("胶囊(Ⅱ)") != normalize_name("胶囊(II)")
    assert normalize_text("限 成人\n患者－儿童") == normalize_text("限成人患者-儿童")
    assert normalize_name("阿莫西林、克拉维酸钾") == normalize_name("阿莫西林克拉维酸钾")
    assert normalize_text("前次治疗") != normalize_text("既往治疗")


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


PLAIN = st.text(alphabet=st.characters(blacklist_characters="【】"), max_size=30)


@given(PLAIN, PLAIN)
def test_marked_span_marks_exactly_the_changed_middle(a, b):
    ma, mb = marked_span(a, b)
    assert ma.replace("【", "").replace("】", "") == a and mb.replace("【", "").replace("】", "") == b
    pre, post = ma.index("【"), len(ma) - ma.index("】") - 1
    assert mb[:pre] == ma[:pre] and ma[len(ma) - post:] == mb[len(mb) - post:]
    if a != b:
        assert ma[pre + 1: ma.index("】")] != mb[pre + 1: mb.index("】")]


def test_same_edition_is_empty():
    df = frame(row("阿莫西林", "口服常释剂型"), row("注射用艾普拉唑钠", section="协议期内谈判药品部分", cls=None,
                                              payment_standard="52.60元(10mg/瓶)"))
    result = compare(df, df)
    assert result.empty
    assert kinds(result) == {}


def test_each_kind_is_found():
    old = frame(
        row("阿莫西林", "口服常释剂型", remarks="限成人"),
        row("布洛芬", "口服常释剂型", cls="乙"),
        row("注射用重组人脑利钠肽", section="协议期内谈判药品部分", cls=None, payment_standard="424.98元(0.5mg/支)",
            agreement_start="2024-01-01", agreement_end="2025-12-31"),
        row("安奈拉唑钠肠溶片", section="协议期内谈判药品部分", cls=None, payment_standard="10.00元(20mg/片)"),
        row("维生素K4", "口服常释剂型"),
        row("奥美拉唑碳酸氢钠胶囊（Ⅱ）", "口服常释剂型", remarks="限 成人"),
        row("聚桂醇", "注射剂"),
    )
    new = frame(
        row("阿莫西林", "口服常释剂型", remarks="限儿童"),
        row("布洛芬", "口服常释剂型", cls="甲"),
        row("注射用重组人脑利钠肽", "注射剂", cls="乙"),
        row("安奈拉唑钠肠溶片", section="协议期内谈判药品部分", cls=None, payment_standard="9.00元(20mg/片)"),
        row("替尔泊肽注射液", section="协议期内谈判药品部分", cls=None),
        row("奥美拉唑碳酸氢钠胶囊(Ⅱ)", "口服常释剂型", remarks="限成人"),
        row("聚桂醇(聚多卡醇)", "注射剂"),
    )
    result = compare(old, new)
    assert kinds(result) == {"added": 1, "removed": 1, "negotiated_to_regular": 1, "class_changed": 1,
                             "restriction_changed": 1, "payment_changed": 1, "renamed": 1, "cosmetic": 1,
                             "changed_rows": 5, "cosmetic_only_rows": 1}
    pay = result.changes.filter(pl.col("kind") == "payment_changed").row(0, named=True)
    assert (pay["old_amount"], pay["new_amount"], pay["pct_change"]) == ("10.00", "9.00", -10.0)
    moved = result.changes.filter(pl.col("field") == "section").row(0, named=True)
    assert (moved["old"], moved["new"]) == ("协议期内谈判药品部分", "西药部分")
    # the price and agreement period a regular row does not print are implied by the move
    assert result.changes.filter(pl.col("kind").is_in(["payment_changed", "agreement_changed"])).height == 1


def test_codes_pair_through_former_codes():
    old = frame({"code": "XA01ABD075A002010100483", "name": "甲药"}, {"code": "XA01ABD075A002010100484", "name": "乙药"})
    new = frame({"code": "XA01ABD075A002010100483", "name": "甲药"},
                {"code": "XA01ABD075A002010109999", "name": "乙药", "former_codes": "XA01ABD075A002010100484"})
    result = compare(old, new)
    assert kinds(result) == {"recoded": 1, "other_changed": 1, "changed_rows": 1}
    assert result.matching.pairs.filter(pl.col("matched_by") == "former_code").height == 1


def test_composite_key_and_ignored_columns():
    old = frame(row("阿莫西林", "口服常释剂型", remarks="限成人"))
    new = frame(row("阿莫西林", "口服常释剂型", remarks="限儿童"))
    assert compare(old, new, key=["name", "dosage_form"], ignore=["remarks"]).empty
    assert compare(old, new, key=["name", "dosage_form"], columns=["remarks"]).counts()["restriction_changed"] == 1


@pytest.mark.parametrize("old,new,message", [
    (frame(row("甲", "片剂")), frame(row("甲", "片剂")).drop("remarks"), "different column sets"),
    (frame(row("甲", "片剂"), row("甲", "片剂")), frame(row("甲", "片剂")), "duplicate key"),
])
def test_bad_input(old, new, message):
    with pytest.raises(InputError, match=message):
        compare(old, new)


def test_unknown_key_column():
    df = frame(row("甲", "片剂"))
    with pytest.raises(InputError, match="--key"):
        compare(df, df, key=["药品编码"])


def test_join_artefacts_and_confidential_notation_are_cosmetic():
    assert normalize_text("13.60元(1ml:12.5mg/支)；、66.82元(5ml:100mg/支)") == \
        normalize_text("13.60元(1ml:12.5mg/支)；66.82元(5ml:100mg/支)")
    assert normalize_text("企业申请价格保密") == normalize_text("*")
    assert normalize_text("每贴(14cm企业申请价格保密10cm)") == normalize_text("每贴(14cm*10cm)")
    assert normalize_text("限：1.甲；2.乙、丙") != normalize_text("限：1.甲；2.乙丙")


@given(st.text(alphabet=st.sampled_from(list("限（）()Ⅱ II－-；;、/ \n\u3000企业申请价格保密*元1.a")), max_size=30))
def test_vectorised_normalisation_equals_the_python_one(text):
    from catalog_tool.diff.normalize import name_expr, text_expr

    df = pl.DataFrame({"t": [text]}).select(text_expr("t").alias("a"), name_expr("t").alias("b"))
    assert (df["a"][0], df["b"][0]) == (normalize_text(text), normalize_name(text))


@pytest.mark.parametrize("old, new, pct", [
    ("6.37元(10mg/片)；10.82元(20mg/片)", "5.70元(10mg/片)；9.69元(20mg/片)", -10.47),  # both specs
    ("120.00", "96.00", -20.0),  # a service price or consumable cap is a plain number
    ("*", "52.60元(10mg/瓶)", None),  # confidential: no percentage
    ("0", "3.00", None),
])
def test_payment_percent_over_the_specs_both_editions_price(old, new, pct):
    from catalog_tool.diff.classify import _percent

    assert _percent(old, new) == pct
