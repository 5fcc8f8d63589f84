"""One condition against the facts of one claim line: PAY, DENY or REVIEW with the reason.
A fact the line does not state gives REVIEW; only a stated fact can DENY."""

from __future__ import annotations

import re
from decimal import Decimal

from catalog_tool.model.claim import Verdict
from catalog_tool.model.rule import AgeBound, Condition
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.population import in_days

PAY, REVIEW, DENY = Verdict.pay, Verdict.review, Verdict.deny
NONE_WORDS = {"无", "否", "没有", "none", "no", "n"}


def _stated_none(text: str | None) -> bool:
    return text is not None and text.strip().lower() in NONE_WORDS


def _age_ok(age_days: float, b: AgeBound, low: bool) -> bool:
    limit = float(in_days(b))
    if low:
        return age_days >= limit if b.inclusive else age_days > limit
    if b.inclusive:  # `不超过12岁`: any age whose whole years are at most 12
        return age_days < float(in_days(AgeBound(value=b.value + 1, unit=b.unit)))
    return age_days < limit


def age(c: Condition, age_days):
    if age_days is None:
        return REVIEW, "年龄未填"
    for b, low in ((c.age_min, True), (c.age_max, False)):
        if b is not None and not _age_ok(age_days, b, low):
            return DENY, f"年龄{_years(age_days)}不在限定范围"
    return PAY, f"年龄{_years(age_days)}符合"


def _years(days: float) -> str:
    return f"{days / 365.25:.0f}岁" if days >= 365.25 else f"{days / 30.4375:.0f}月"


def sex(c: Condition, value):
    if value is None:
        return REVIEW, "性别未填"
    return (PAY, f"性别{value}符合") if value == c.sex else (DENY, f"性别{value}，限{c.sex}性")


# ICD-10 chapter O (pregnancy, childbirth, puerperium) and Z30–Z39 (contraception, procreation,
# pregnancy supervision, delivery outcome, postpartum care): a diagnosis that makes a cost
# 与生育有关 in the sense of 凡例（十一）3.
_MATERNITY = re.compile(r"^(O\d|Z3\d)")


def fund(c: Condition, value, codes: tuple = ()):
    funds = c.funds or []
    if value is None:
        return REVIEW, "险种未填"
    if value in funds:
        return PAY, f"险种{value}"
    if "生育保险" in funds and value == "居民医保":
        related = next((k for k in codes if _MATERNITY.match(k)), None)
        if related:
            return PAY, f"城乡居民与生育有关的费用也可支付（诊断{related}）"
        return REVIEW, "城乡居民与生育有关的费用也可支付，需核实是否与生育有关"
    return DENY, f"险种{value}，限{'、'.join(funds)}"


def institution(c: Condition, level):
    if level is None:
        return REVIEW, "机构级别未填"
    if level < (c.min_level or 1) or (c.max_level is not None and level > c.max_level):
        return DENY, f"{level}级机构不符合"
    if c.institution_type:
        return REVIEW, f"需为{c.institution_type}（{level}级）"
    return PAY, f"{level}级机构符合"


def setting(c: Condition, value):
    if value is None:
        return REVIEW, "就医方式未填"
    return (PAY, f"{value}符合") if value in (c.settings or []) else (DENY, f"{value}，限{'或'.join(c.settings or [])}")


def prescriber(c: Condition, value):
    if value is None or not value.strip():
        return REVIEW, "处方医师未填"
    want = c.specialty or c.title or ""
    if c.title:
        ok = bool(re.search(r"主任医师|副主任|高级", value))
    elif "专科" in want:
        ok = None if "专科" not in value else True
    else:
        ok = want in value
    if ok:
        return PAY, f"处方医师{value}"
    if ok is None or c.first_prescription:
        return REVIEW, f"需{want}处方（{'首次处方时' if c.first_prescription else ''}核实）"
    return DENY, f"处方医师{value}，需{want}"


def _phrases(text: str) -> list[str]:
    return [p for p in re.split(r"[、,，;；:：的或和及与()（）\s]+", text) if len(p) >= 2]


def diagnosis(c: Condition, codes: tuple, texts: tuple, setting_value):
    matched = None
    if c.icd10 and codes:
        matched = next((k for k in codes for p in c.icd10 if k.startswith(p)), None)
    if matched is None and texts:
        keys = c.terms or _phrases(c.text)
        matched = next((t for t in texts for k in keys if k in t), None)
    if matched is None and setting_value == "抢救" and re.search("抢救|急救", c.text):
        matched = "抢救"
    stated = bool(codes or texts)
    if c.negated:
        if matched is None:
            return PAY, "未见排除情形"
        return (REVIEW if c.qualifiers else DENY), f"诊断{matched}属排除情形"
    if matched is not None:
        keep = f"；需留存证据：{'；'.join(c.qualifiers)}" if c.qualifiers else ""
        return PAY, f"诊断{matched}符合{keep}"
    if not stated:
        return REVIEW, "诊断未填"
    if not c.icd10:
        return REVIEW, "诊断需人工核对（无ICD-10对应）"
    if c.partial_codes:
        return REVIEW, f"诊断不在ICD-10 {'/'.join(c.icd10)}，但限定另有未编码情形"
    return DENY, f"诊断不在ICD-10 {'/'.join(c.icd10)}"


def procedure(c: Condition, value, texts: tuple):
    if value is None or not value.strip():
        return REVIEW, "手术/操作未填"
    if _stated_none(value):
        return DENY, "未行相关手术/操作"
    names = c.procedures or [c.text]
    if any(n in value or value in n for n in names):
        return PAY, f"操作{value}符合"
    return REVIEW, f"操作{value}需核对"


def quantity(c: Condition, qty, unit, days):
    if c.max_quantity is None:
        return PAY, "用量合并计算（记录）"
    if qty is None:
        return REVIEW, "数量未填"
    if unit and c.unit and unit != c.unit:
        return REVIEW, f"单位{unit}与限定{c.unit}不同"
    per = c.per or ""
    if "每日" in per:
        if not days:
            return REVIEW, "用药天数未填，无法核算每日用量"
        daily = qty / Decimal(days)
        return (PAY, f"每日{daily:.4g}{c.unit}") if daily <= c.max_quantity else (DENY, f"每日{daily:.4g}{c.unit}超限")
    if qty > c.max_quantity:
        return DENY, f"数量{qty}超过{c.max_quantity}{c.unit or ''}"
    return REVIEW, f"累计用量需核对既往记录（本次{qty}）"


def duration(c: Condition, days, onset):
    out = (PAY, "疗程符合")
    if c.onset_hours is not None:
        if onset is None:
            out = min(out, (REVIEW, "发病至用药时间未填"), key=_rank)
        elif onset > c.onset_hours:
            return DENY, f"发病{onset}小时后用药"
    if c.max_days is not None:
        if days is None:
            out = min(out, (REVIEW, "用药天数未填"), key=_rank)
        elif days > c.max_days:
            return DENY, f"{days}天超过{c.max_days}天"
    if c.review_after_days is not None and days is not None and days > c.review_after_days:
        out = min(out, (REVIEW, f"连续使用超过{c.review_after_days}天需有效性评估"), key=_rank)
    return out


def _rank(x) -> int:
    return RANK[x[0]]


RANK = {DENY: 0, REVIEW: 1, PAY: 2}


def line(c: Condition, value):
    if value is None:
        return REVIEW, "线数未填"
    if value < (c.line_min or 1) or (c.line_max is not None and value > c.line_max):
        return DENY, f"第{value}线治疗不符合"
    return PAY, f"第{value}线治疗符合"


def _mentions(agents: list[str], text: str) -> bool:
    return any(a in text or (len(text) > 1 and text in a) for a in agents)


def prior(c: Condition, text, line_value):
    agents = c.agents or []
    if text is not None and text.strip():
        none = _stated_none(text)
        if c.negated:
            if none or (agents and not _mentions(agents, text)):
                return PAY, f"既往治疗：{text}"
            return DENY, f"既往已用{text}"
        if none:
            return DENY, "既往无相关治疗"
        if not agents or _mentions(agents, text):
            if c.min_prior_lines and line_value is not None and line_value - 1 < c.min_prior_lines:
                return DENY, f"既往治疗线数不足{c.min_prior_lines}"
            return PAY, f"既往治疗：{text}"
        return REVIEW, f"既往治疗{text}需核对"
    if line_value is None:
        return REVIEW, "既往治疗未填"
    if c.negated:
        return (PAY, "初治") if line_value == 1 else ((REVIEW, "需核实既往用药") if agents else (DENY, "非初治"))
    if line_value - 1 < max(c.min_prior_lines or 1, 1):
        return DENY, f"第{line_value}线，既往治疗不足"
    return (REVIEW, "需核实既往用药") if agents and not c.min_prior_lines else (PAY, f"第{line_value}线")


def single_use(c: Condition, value):
    if value is None:
        return REVIEW, "合并用药未填"
    if not value.strip() or _stated_none(value):
        return DENY, "单独使用不予支付"
    others = [p for p in re.split(r"[;；,，、\s]+", value) if p]
    if c.not_with and all(p in c.not_with for p in others):
        return DENY, f"合并的{value}同属单独使用不予支付的饮片，全部由这些饮片组成的处方也不予支付"
    if not c.partners or any(p in value or p[:2] in value for p in c.partners):
        return PAY, f"合并使用{value}"
    return REVIEW, f"合并用药{value}需核对"


def flag(c: Condition, value, what: str):
    if value is None:
        return REVIEW, f"{what}未填"
    return (PAY, f"已{what}") if value else (DENY, f"未{what}")


CHECKS = {
    D.age: (("age_days",), age),
    D.sex: (("sex",), sex),
    D.fund: (("fund", "diagnosis_codes"), fund),
    D.institution: (("institution_level",), institution),
    D.setting: (("setting",), setting),
    D.prescriber: (("prescriber",), prescriber),
    D.diagnosis: (("diagnosis_codes", "diagnosis_text", "setting"), diagnosis),
    D.procedure: (("procedure", "diagnosis_text"), procedure),
    D.quantity: (("quantity", "unit", "days"), quantity),
    D.duration: (("days", "onset_hours"), duration),
    D.line: (("line_of_therapy",), line),
    D.prior_therapy: (("prior_therapy", "line_of_therapy"), prior),
    D.single_use: (("concomitant",), single_use),
    D.pre_approval: (("pre_approved",), lambda c, v: flag(c, v, "事前审批")),
    D.screening: (("screening",), lambda c, v: flag(c, v, "营养风险筛查")),
}
"""Dimension → (the claim fields it reads, the check)."""


def check(c: Condition, claim) -> tuple[Verdict, str]:
    """The verdict of one condition on one claim (any object with the Claim field names)."""
    fields, fn = CHECKS[c.dimension]
    return fn(c, *(_value(claim, f) for f in fields))


def _value(claim, name: str):
    v = getattr(claim, name)
    return tuple(v) if isinstance(v, list) else v

