"""Claim evaluation: PAY / DENY / REVIEW per line, the deciding condition quoted, fund-type
semantics of the 凡例, unparsed text forcing REVIEW, batch and one-by-one agreeing."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from catalog_tool.model import DrugItem
from catalog_tool.model.claim import Claim, Verdict
from catalog_tool.model.common import Section
from catalog_tool.rules.columns import Columns
from catalog_tool.rules.edition import build
from catalog_tool.rules.engine import Engine
from catalog_tool.rules.report import explain, records, summary

W, N = Section.west, Section.negotiated
ROWS = [
    (W, "17", "艾普拉唑", "限有十二指肠溃疡、反流性食管炎诊断患者的二线用药。"),
    (W, "292", "复方氨基酸(18AA)", None),  # 凡例（十四）: nutritional-risk screening
    (W, "368", "注射用重组人脑利钠肽", "限二级及以上医疗机构用于规范治疗效果不佳的急性失代偿性心力衰竭短期治疗。住院方可支付，单次支付不超过3天。"),
    (W, "558", "氢醌", "限工伤保险。"),
    (W, "570", "地诺前列酮", "限生育保险。"),
    (W, "605", "米非司酮", "限子宫肌瘤患者或生育保险。"),
    (W, "900", "阿卡波糖", None),
    (W, "1232", "吡拉西坦", "限脑外伤所致的脑功能障碍患者，支付不超过14天。"),
    (N, "37", "阿加糖酶α注射用浓溶液", "限法布雷病(α-半乳糖苷酶A缺乏症)患者的长期酶替代治疗，适用于成人、儿童和青少年。尚未确定本品在0-6岁儿童中的安全性和有效性。"),
    (N, "160", "盐酸埃克替尼片", "限：1.表皮生长因子受体(EGFR)基因具有敏感突变的局部晚期或转移性非小细胞肺癌(NSCLC)患者的一线治疗；2.既往接受过至少一个化疗方案失败后的局部晚期或转移性非小细胞肺癌(NSCLC)。"),
    (N, "384", "布西珠单抗注射液", "限糖尿病黄斑水肿(DME)。应同时符合以下条件：1.需三级医院眼科或二级及以上眼科专科医院医师处方；2.首次处方时病眼基线矫正视力0.05-0.5；3.事前审查后方可用；4.每眼累计最多支付9支，第1年度最多支付5支。"),
    (W, "★(376)", "银杏叶提取物", "限缺血性心脑血管疾病急性期住院患者；限耳部血流及神经障碍患者。支付不超过14天。"),
    (W, "★(376)", "银杏叶提取物", None),
]


@pytest.fixture(scope="module")
def engine():
    items = [DrugItem(section=s, number=n, name=name, remarks=r, dosage_form=f"剂型{i}")
             for i, (s, n, name, r) in enumerate(ROWS)]
    return Engine(build(items, "nrdl-2025", "医保发〔2025〕33号"))


def run(engine, *claims: Claim):
    cols = Columns.from_claims(list(claims))
    result = engine.run(cols)
    return [explain(engine, cols, result, i) for i in range(cols.n)], cols, result


def one(engine, **facts):
    return run(engine, Claim(**facts))[0][0]


ADULT = 45 * 365.25


def test_diagnosis_decides_pay_and_deny(engine):
    ok = one(engine, number="17", diagnosis_codes=["K26.9"], line_of_therapy=2)
    assert ok.verdict is Verdict.pay and ok.dimension == "疾病/诊断"
    no = one(engine, number="17", diagnosis_codes=["K29.7"], line_of_therapy=2)
    assert no.verdict is Verdict.deny and no.quote == "有十二指肠溃疡、反流性食管炎诊断" and no.source == "备注"
    first_line = one(engine, number="17", diagnosis_codes=["K26.9"], line_of_therapy=1)
    assert first_line.verdict is Verdict.deny and first_line.dimension == "线数"


def test_missing_fact_gives_review_never_pay(engine):
    v = one(engine, number="17", diagnosis_codes=["K26.9"])
    assert v.verdict is Verdict.review and "线数未填" in v.reason


def test_conjunction_reports_the_failing_condition(engine):
    base = dict(number="368", institution_level=3, setting="住院", diagnosis_codes=["I50.1"], days=3,
                prior_therapy="利尿剂", age_days=ADULT)
    assert one(engine, **base).verdict is Verdict.pay
    low = one(engine, **{**base, "institution_level": 1})
    assert (low.verdict, low.dimension, low.quote) == (Verdict.deny, "机构级别", "二级及以上医疗机构")
    long = one(engine, **{**base, "days": 5})
    assert (long.verdict, long.quote) == (Verdict.deny, "单次支付不超过3天")
    out = one(engine, **{**base, "setting": "门诊"})
    assert (out.verdict, out.dimension) == (Verdict.deny, "就医方式")


def test_fanli_screening_applies_to_rows_with_empty_remarks(engine):
    yes = one(engine, number="292", screening=True, setting="住院")
    assert yes.verdict is Verdict.pay and yes.source == "凡例（十四）"
    no = one(engine, number="292", screening=False, setting="住院")
    assert no.verdict is Verdict.deny and no.dimension == "营养风险筛查"
    assert one(engine, number="900").verdict is Verdict.pay  # no restriction at all


def test_work_injury_insurance_is_not_bound(engine):
    v = one(engine, number="368", fund="工伤保险", institution_level=1, setting="门诊", days=30)
    assert v.verdict is Verdict.pay and v.source == "凡例（十一）" and v.quote.startswith("工伤保险支付药品费用时")


def test_fund_only_drugs(engine):
    assert one(engine, number="558", fund="工伤保险").verdict is Verdict.pay
    assert one(engine, number="558", fund="职工医保").verdict is Verdict.deny
    assert one(engine, number="570", fund="生育保险").verdict is Verdict.pay
    resident = one(engine, number="570", fund="居民医保")
    assert resident.verdict is Verdict.review and "生育" in resident.reason
    delivery = one(engine, number="570", fund="居民医保", diagnosis_codes=["J18.9", "O80.0"])
    assert delivery.verdict is Verdict.pay and "O80.0" in delivery.reason
    unrelated = one(engine, number="570", fund="居民医保", diagnosis_codes=["J18.9"])
    assert unrelated.verdict is Verdict.review
    assert one(engine, number="570", fund="职工医保").verdict is Verdict.deny
    either = one(engine, number="605", fund="职工医保", diagnosis_codes=["D25.9"])
    assert either.verdict is Verdict.pay


def test_unparsed_fragment_forces_review(engine):
    v = one(engine, number="37", section="谈判", diagnosis_codes=["E75.2"], age_days=ADULT)
    assert v.verdict is Verdict.review and v.dimension == "未解析"
    assert v.quote == "尚未确定本品在0-6岁儿童中的安全性和有效性"


def test_alternatives_and_line_of_therapy(engine):
    first = one(engine, section="协议期内谈判药品部分", number="160", diagnosis_codes=["C34.1"], line_of_therapy=1)
    assert first.verdict is Verdict.pay
    second = one(engine, section="谈判", number="160", diagnosis_codes=["C34.1"], line_of_therapy=2, prior_therapy="含铂化疗")
    assert second.verdict is Verdict.pay
    other = one(engine, section="谈判", number="160", diagnosis_codes=["C50.9"], line_of_therapy=1)
    assert other.verdict is Verdict.deny


def test_cumulative_quantity_and_pre_approval(engine):
    facts = dict(section="谈判", number="384", diagnosis_codes=["H36.0"], institution_level=3,
                 prescriber="眼科 主任医师", quantity=Decimal(1), unit="支")
    assert one(engine, **facts, pre_approved=False).verdict is Verdict.deny
    v = one(engine, **facts, pre_approved=True)
    assert v.verdict is Verdict.review and "累计" in v.reason
    assert one(engine, **{**facts, "quantity": Decimal(12)}, pre_approved=True).verdict is Verdict.deny


def test_not_found_and_ambiguous_rows(engine):
    assert one(engine, number="9999").verdict is Verdict.deny
    amb = one(engine, number="★(376)")
    assert amb.verdict is Verdict.review and "剂型" in amb.reason
    picked = one(engine, number="★(376)", dosage_form="剂型12")
    assert picked.verdict is Verdict.pay


def test_summary_counts_and_amounts(engine):
    verdicts, cols, result = run(
        engine,
        Claim(number="900", amount=Decimal("10.50")),
        Claim(number="558", fund="职工医保", amount=Decimal("3")),
        Claim(number="17", amount=Decimal("7.25")),
        Claim(number="17"),
    )
    totals = {t.verdict: (t.lines, t.amount) for t in summary("nrdl-2025", cols, result).totals}
    assert totals == {Verdict.pay: (1, Decimal("10.50")), Verdict.deny: (1, Decimal("3")),
                      Verdict.review: (2, Decimal("7.25"))}


def _random_claims(seed: int, n: int) -> list[Claim]:
    rng = random.Random(seed)
    numbers = ["17", "292", "368", "558", "570", "605", "900", "1232", "★(376)", "4242"]
    return [Claim(number=rng.choice(numbers), age_days=rng.choice([None, 3 * 365.25, ADULT]),
                  fund=rng.choice([None, "职工医保", "居民医保", "生育保险", "工伤保险"]),
                  institution_level=rng.choice([None, 1, 2, 3]), setting=rng.choice([None, "门诊", "住院"]),
                  diagnosis_codes=rng.choice([[], ["K26.1"], ["I50.9"], ["S06.0"], ["D25.0"], ["O80.0"]]),
                  line_of_therapy=rng.choice([None, 1, 2]), days=rng.choice([None, 2, 10, 20]),
                  screening=rng.choice([None, True, False]), prior_therapy=rng.choice([None, "无", "利尿剂"]))
            for _ in range(n)]


def test_batch_equals_one_by_one(engine):
    claims = _random_claims(4, 300)
    batch, _, _ = run(engine, *claims)
    for claim, got in zip(claims, batch):
        alone = run(engine, claim)[0][0]
        assert (alone.verdict, alone.quote, alone.reason) == (got.verdict, got.quote, got.reason)


def test_records_equal_each_line_explained(engine):
    """`records` explains each distinct case once and shares it; every line must read as if
    explained alone, in `LineVerdict` JSON form and field order."""
    claims = _random_claims(5, 400)
    for i, c in enumerate(claims):
        c.claim_id, c.amount = f"C{i % 7}", Decimal(i % 5) if i % 3 else None
    verdicts, cols, result = run(engine, *claims)
    got = list(records(engine, cols, result))
    want = [v.model_dump(mode="json") for v in verdicts]
    assert got == want and all(list(g) == list(w) for g, w in zip(got, want))


def test_herbs_marked_alone_are_not_paid_together():
    """凡例（十六）: 单独使用不予支付, and a prescription made only of such herbs is not paid either."""
    alone = "单独使用时不予支付，且全部由这些饮片组成的处方也不予支付。"
    items = [DrugItem(section=Section.herbal, number=n, name=name, remarks=r)
             for n, name, r in (("1", "一枝黄花", None), ("2", "小茴香", alone), ("5", "丁香", alone),
                                ("699", "黄芪", alone))]
    herbal = Engine(build(items, "nrdl-2024", "医保发〔2024〕33号"))

    def verdict(partners):
        return one(herbal, section="中药饮片部分", number="2", concomitant=partners)

    assert verdict("无").verdict is Verdict.deny
    assert verdict("丁香；黄芪").verdict is Verdict.deny and "同属" in verdict("丁香；黄芪").reason
    assert verdict("丁香、一枝黄花").verdict is Verdict.pay
    assert verdict(None).verdict is Verdict.review
    # the parser's cached restriction is not changed by the edition's herb list
    from catalog_tool.rules.parser import parse

    assert parse(alone).root.not_with is None
