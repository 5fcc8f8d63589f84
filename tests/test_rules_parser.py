"""The restriction parser on real 备注 wording: dimensions, logical structure, verbatim spans."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_tool.model.rule import Condition, Group, Note, Unparsed, walk
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.parser import parse
from catalog_tool.rules.render import render_zh


def conds(text: str, dim: D | None = None) -> list[Condition]:
    return [c for c in parse(text).conditions if dim is None or c.dimension is dim]


def test_institution_and_duration_from_the_issue_example():
    rule = parse("限二级及以上医疗机构使用，支付不超过14天")
    assert rule.fully_structured
    assert isinstance(rule.root, Group) and rule.root.kind == "all"
    (inst,) = conds(rule.text, D.institution)
    (dur,) = conds(rule.text, D.duration)
    assert inst.min_level == 2 and inst.max_level is None and inst.text == "二级及以上医疗机构使用"
    assert dur.max_days == 14 and dur.text == "支付不超过14天"


def test_numbered_enumeration_is_alternatives():
    rule = parse("限：1.反流性食管炎；2.与适当的抗生素联用以根除幽门螺杆菌。")
    assert rule.root.kind == "any" and len(rule.root.children) == 2
    assert rule.root.children[0].icd10 == ["K21.0"]
    assert rule.root.children[1].terms == ["幽门螺杆菌"]


def test_x_de_y_patient_is_a_conjunction():
    rule = parse("限EGFR基因突变阳性的局部晚期或转移性非小细胞肺癌患者的二线用药。")
    assert rule.root.kind == "all"
    diag = conds(rule.text, D.diagnosis)[0]
    assert diag.icd10 == ["C34"]
    assert "EGFR基因突变阳性" in diag.qualifiers
    assert conds(rule.text, D.line)[0].line_min == 2


def test_two_diseases_joined_by_de_are_both_required():
    rule = parse("限2型糖尿病相关的慢性肾脏病成人患者。")
    codes = [c.icd10 for c in conds(rule.text, D.diagnosis)]
    assert codes == [["E11"], ["N18"]]
    assert conds(rule.text, D.age)[0].age_min.value == 18


def test_enumeration_that_must_all_hold_after_tongshi_fuhe():
    text = ("限糖尿病黄斑水肿(DME)。应同时符合以下条件：1.需三级医院眼科或二级及以上眼科专科医院医师处方；"
            "2.首次处方时病眼基线矫正视力0.05-0.5；3.事前审查后方可用，初次申请需有血管造影或OCT证据；"
            "4.每眼累计最多支付9支，第1年度最多支付5支。")
    rule = parse(text)
    assert rule.fully_structured
    dims = {c.dimension for c in rule.conditions}
    assert {D.institution, D.prescriber, D.pre_approval, D.quantity, D.diagnosis} <= dims
    quantities = sorted(c.max_quantity for c in conds(text, D.quantity))
    assert quantities == [Decimal(5), Decimal(9)]
    # the four numbered conditions hold together, not as alternatives
    assert not any(isinstance(n, Group) and n.kind == "any" and len(n.children) == 4 for n in walk(rule.root))


@pytest.mark.parametrize("text, lo, hi", [
    ("限成人和6岁及以上儿童患者的结节性硬化症相关面部血管纤维瘤。", (6, "岁", True), None),
    ("限3-12岁特发性或先天性肺动脉高压患者。", (3, "岁", True), (12, "岁", True)),
    ("限2岁至<18岁慢性HBV感染代偿性肝病的核苷初治儿童患者。", (2, "岁", True), (18, "岁", False)),
    ("限3月龄及以上的轻度至中度特应性皮炎患者。", (3, "月", True), None),
    ("限治疗16日龄及以上患者的脊髓性肌萎缩症(SMA)。", (16, "日", True), None),
    ("限：1.年龄大于2岁的β-地中海贫血患者。", (2, "岁", False), None),
])
def test_ages(text, lo, hi):
    age = conds(text, D.age)[0]
    got_lo = (int(age.age_min.value), age.age_min.unit, age.age_min.inclusive) if age.age_min else None
    got_hi = (int(age.age_max.value), age.age_max.unit, age.age_max.inclusive) if age.age_max else None
    assert (got_lo, got_hi) == (lo, hi)


def test_two_populations_that_cannot_both_hold_are_alternatives():
    rule = parse("限新诊断的费城染色体阳性的慢性髓性白血病(Ph+CML)慢性期成人患者及2岁以上的儿童患者。")
    ages = [n for n in walk(rule.root) if isinstance(n, Group) and n.kind == "any"]
    assert ages and all(isinstance(c, Condition) and c.dimension is D.age for c in ages[0].children)


def test_fund_types_and_alternative_with_fund():
    assert conds("限工伤保险。", D.fund)[0].funds == ["工伤保险"]
    rule = parse("限子宫肌瘤患者或生育保险。")
    assert rule.root.kind == "any"
    assert {c.dimension for c in rule.root.children} == {D.diagnosis, D.fund}


def test_setting_sex_prior_therapy_and_line():
    rule = parse("限既往接受舒尼替尼或索拉非尼治疗失败的晚期肾细胞癌成人患者。")
    prior = conds(rule.text, D.prior_therapy)[0]
    assert prior.agents == ["舒尼替尼", "索拉非尼"] and prior.outcome == "失败"
    assert conds("限缺血性心脑血管疾病急性期住院患者，支付不超过14天。", D.setting)[0].settings == ["住院"]
    assert conds("限绝经后女性骨质疏松症。", D.sex)[0].sex == "女"
    first = conds("限局部晚期或转移性软组织肉瘤患者的一线治疗。", D.line)[0]
    assert (first.line_min, first.line_max) == (1, 1)
    assert conds("限既往至少接受过2种系统化疗后进展的晚期胃癌患者。", D.prior_therapy)[0].min_prior_lines == 2


def test_treatment_naive_is_a_negated_prior_therapy():
    prior = conds("限未经过间变性淋巴瘤激酶(ALK)抑制剂治疗的ALK阳性的局部晚期或转移性非小细胞肺癌患者。", D.prior_therapy)[0]
    assert prior.negated


def test_exclusions_are_negated_conditions():
    excl = [c for c in conds("限肝功能不全(严重肝功能不全者除外)患者的二线用药。") if c.negated]
    assert excl and excl[0].dimension is D.diagnosis and excl[0].text == "(严重肝功能不全者除外)"
    vap = [c for c in conds("限成人以下感染方予支付：1.医院获得性肺炎(HAP)，但呼吸机相关性肺炎(VAP)除外；2.社区获得性肺炎(CAP)。")
           if c.negated]
    assert vap[0].icd10 == ["J95.8"]


def test_herbal_single_use_screening_onset_and_daily_quantity():
    single = conds("单独使用时不予支付，且全部由这些饮片组成的处方也不予支付。", D.single_use)[0]
    assert single.partners is None
    partners = conds("限与脂肪乳、氨基酸等肠外营养药物配合使用时支付，单独使用不予支付。", D.single_use)[0].partners
    assert partners == ["脂肪乳", "氨基酸", "肠外营养药物"]
    assert conds("需经营养风险筛查，明确具有营养风险的患者方予支付。", D.screening)
    onset = conds("限新发的急性缺血性脑卒中患者在发作48小时内开始使用，支付不超过14天。", D.duration)
    assert {c.onset_hours for c in onset} == {Decimal(48), None}
    qty = conds("限因胰岛素抵抗无法使用葡萄糖的抢救患者，果糖总量每日不超过50g。", D.quantity)[0]
    assert (qty.max_quantity, qty.unit, qty.per) == (Decimal(50), "g", "每日")


def test_unparsed_text_is_kept_verbatim_and_flagged():
    text = "限法布雷病患者的长期酶替代治疗。尚未确定本品在0-6岁儿童中的安全性和有效性。"
    rule = parse(text)
    assert not rule.fully_structured
    (u,) = rule.unparsed
    assert u.text == "尚未确定本品在0-6岁儿童中的安全性和有效性" and text[u.start:u.end] == u.text
    assert u.text in render_zh(rule)


def test_grouped_mark_and_empty_text_restrict_nothing():
    assert parse("◇").grouped and parse("◇").root is None
    assert parse("").root is None and parse(None).root is None


def test_label_notes_do_not_block():
    rule = parse("限对传统治疗无效、有禁忌或不耐受的中重度特应性皮炎患者，需按说明书用药。")
    assert rule.fully_structured
    assert any(isinstance(n, Note) and n.note == "按说明书用药" for n in walk(rule.root))


def test_icd_terms_skip_gene_names_and_bacteria():
    diag = conds("限间变性淋巴瘤激酶(ALK)阳性的局部晚期或转移性非小细胞肺癌患者。", D.diagnosis)
    assert [c.icd10 for c in diag] == [["C34"]]  # 淋巴瘤 inside the gene name is not a lymphoma
    cap = conds("限对奈诺沙星呈现敏感的肺炎链球菌、流感嗜血杆菌所致的成人(≥18岁)社区获得性肺炎。", D.diagnosis)
    assert [c.terms for c in cap] == [["社区获得性肺炎"]]


def test_negated_terms_are_not_required():
    diag = conds("限人体免疫缺陷病毒(HIV)阴性和人疱疹病毒8型(HHV-8)阴性的多中心Castleman病(MCD)成人患者。", D.diagnosis)
    assert diag[0].terms == ["Castleman病"]


def test_every_span_quotes_the_source_exactly():
    text = "限（成人）２型糖尿病患者，支付不超过１４天；限住院。"
    rule = parse(text)
    for n in walk(rule.root):
        if isinstance(n, (Condition, Unparsed, Note)):
            assert text[n.start:n.end] == n.text
    assert conds(text, D.duration)[0].max_days == 14  # full-width digits understood
