"""Suggestions for unmapped items: ranked by name (characters and pinyin initials), dosage form
and spec, with a score."""

from __future__ import annotations

from datetime import date

from catalog_tool.formulary.index import CatalogIndex
from catalog_tool.formulary.normalise import base_name, form_group, standard_for
from catalog_tool.formulary.suggest import Suggester
from catalog_tool.formulary.index import Entry
from catalog_tool.model import CatalogKind, Edition
from catalog_tool.model.formulary import FormularyItem


def row(**kw) -> tuple:
    return tuple(kw.get(f) for f in Entry._fields)


def index() -> CatalogIndex:
    rows = [
        row(code="XJ01CAA073A001030100145", name="阿莫西林", dosage_form="口服常释剂型", spec="0.25g", drug_class="甲"),
        row(code="XJ01CAA073A001030100146", name="阿莫西林", dosage_form="口服常释剂型", spec="0.5g", drug_class="甲"),
        row(code="XJ01CAA073B002010100145", name="阿莫西林", dosage_form="注射剂", spec="0.5g", drug_class="乙"),
        row(code="XJ01CRA074A001010100777", name="阿莫西林克拉维酸", dosage_form="口服常释剂型", spec="0.375g", drug_class="乙"),
        row(code="XB01ACA112A001010200715", name="阿司匹林", dosage_form="口服常释剂型", spec="100mg", drug_class="甲"),
        row(code="XA10BAE007A001020101133", name="二甲双胍", dosage_form="口服常释剂型", spec="0.5g", drug_class="甲"),
    ]
    return CatalogIndex(Edition(kind=CatalogKind.drugs, id="t", effective=date(2026, 1, 1)), rows)


def items(*specs) -> list[FormularyItem]:
    return [FormularyItem(row=i + 2, local_code=str(i), name=n, dosage_form=f, spec=s) for i, (n, f, s) in enumerate(specs)]


def test_rank_by_name_then_form_then_spec():
    (ranked,) = Suggester(index()).suggest(items(("阿莫西林胶囊", "胶囊剂", "0.5g*24粒"))).values()
    # same name and form: the matching spec first; the injection of the same name is not offered
    # for capsules while entries of the capsule's form group exist
    assert [s.code for s in ranked[:3]] == ["XJ01CAA073A001030100146", "XJ01CAA073A001030100145",
                                           "XJ01CRA074A001010100777"]
    assert ranked[0].score > ranked[1].score > ranked[2].score
    assert "XJ01CAA073B002010100145" not in [s.code for s in ranked]
    assert all(0 <= s.score <= 100 for s in ranked)


def test_typo_and_salt_still_find_the_drug():
    got = Suggester(index()).suggest(items(("阿莫西休胶囊", "胶囊剂", None), ("盐酸二甲双胍缓释片", None, None)))
    assert got[2][0].name == "阿莫西林"
    assert got[3][0].name == "二甲双胍"


def test_pinyin_initials_match_latin_abbreviations():
    got = Suggester(index()).suggest(items(("ASPL片", "片剂", "100mg")))
    assert got[2][0].name == "阿司匹林"


def test_unrelated_names_get_no_suggestions():
    got = Suggester(index()).suggest(items(("维生素E软胶囊", "胶囊剂", None)))
    assert got[2] == []


def test_normalising_names_and_forms():
    assert base_name("注射用盐酸头孢吡肟") == "头孢吡肟"
    assert base_name("阿莫西林胶囊（阿莫仙）") == "阿莫西林"
    assert base_name("奥美拉唑碳酸氢钠胶囊（Ⅱ）") == "奥美拉唑碳酸氢钠胶囊(Ⅱ)"
    assert form_group("缓释片") == "缓释控释剂型" and form_group("注射用无菌粉末") == "注射剂"
    assert form_group("吸入气雾剂") == "吸入剂" and form_group("煎膏剂") is None
    assert str(standard_for("45.90元(40mg/片)；68.85元(80mg/片)", "80mg*30片")) == "68.85"
    assert standard_for("*", "80mg") is None
