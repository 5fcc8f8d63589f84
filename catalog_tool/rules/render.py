"""`render_zh(rule)`: a structured rule written back as readable Chinese, one phrase per
condition, so a reviewer can compare the structure with the source text."""

from __future__ import annotations

import re

from catalog_tool.model.rule import AgeBound, Condition, Group, Note, Restriction, Unparsed
from catalog_tool.model.rule import Dimension as D

_CN = {1: "一", 2: "二", 3: "三", 4: "四"}


def _age(b: AgeBound, low: bool) -> str:
    v = f"{b.value.normalize():f}{b.unit}"
    if low:
        return f"{v}及以上" if b.inclusive else f"大于{v}"
    return f"不超过{v}" if b.inclusive else f"未满{v}"


def _or(items: list[str] | None) -> str:
    return "或".join(items or [])


def _diagnosis(c: Condition) -> str:
    if c.terms:
        text = f"诊断为{_or(c.terms)}"
        if c.icd10:
            text += f"（ICD-10 {'/'.join(c.icd10)}{'，另有未编码情形' if c.partial_codes else ''}）"
        if c.qualifiers:
            text += "，且" + "，".join(c.qualifiers)
    else:
        text = f"临床情形「{c.text}」"
        if c.negated and re.search("不包括|除外|不宜|不适合", c.text):
            return f"排除情形「{c.text}」"
    return ("不包括" if c.negated else "") + text


def _prior(c: Condition) -> str:
    verb = "未接受过" if c.negated else "接受过"
    what = _or(c.agents) or "相关"
    text = f"既往{verb}{'至少' + str(c.min_prior_lines) + '种（线）' if c.min_prior_lines else ''}{what}治疗"
    return text + (f"（{c.outcome}）" if c.outcome else "")


def _duration(c: Condition) -> str:
    parts = []
    if c.max_days is not None:
        parts.append(f"{c.scope or ''}支付不超过{c.max_days}天")
    if c.review_after_days is not None:
        parts.append(f"连续使用{c.review_after_days}天无效时停药")
    if c.onset_hours is not None:
        parts.append(f"发病{c.onset_hours.normalize():f}小时内开始使用")
    return "，".join(parts)


def _institution(c: Condition) -> str:
    level = f"{_CN.get(c.min_level, c.min_level)}级{'及以上' if c.max_level is None else ''}"
    text = f"{level}{c.institution_type or '医疗机构'}"
    return ("首次处方时在" if c.first_prescription else "限") + text


def _quantity(c: Condition) -> str:
    if c.max_quantity is None:
        return f"与{'、'.join(c.pooled_with or [])}的用量合并计算"
    return f"{c.per or ''}不超过{c.max_quantity.normalize():f}{c.unit or ''}"


def _age_text(c: Condition) -> str:
    parts = [_age(c.age_min, True)] if c.age_min else []
    parts += [_age(c.age_max, False)] if c.age_max else []
    text = "年龄" + "、".join(parts) if parts else "不限年龄"
    return text + (f"（{'，'.join(c.qualifiers)}）" if c.qualifiers else "")


_PHRASE = {
    D.fund: lambda c: f"限{_or(c.funds)}基金支付",
    D.institution: _institution,
    D.setting: lambda c: f"限{_or(c.settings)}",
    D.prescriber: lambda c: ("首次处方时" if c.first_prescription else "") + f"由{c.specialty or c.title}处方",
    D.sex: lambda c: f"限{c.sex}性",
    D.age: _age_text,
    D.diagnosis: _diagnosis,
    D.procedure: lambda c: ("非" if c.negated else "用于") + "、".join(c.procedures or [c.text]),
    D.quantity: _quantity,
    D.duration: _duration,
    D.line: lambda c: "一线治疗" if c.line_max == 1 else f"{_CN.get(c.line_min, c.line_min)}线及以后治疗",
    D.prior_therapy: _prior,
    D.single_use: lambda c: (f"须与{'、'.join(c.partners)}配合使用，" if c.partners else "") + "单独使用不予支付",
    D.pre_approval: lambda c: "经事前审批" + (f"（需{'；'.join(c.qualifiers)}证据）" if c.qualifiers else ""),
    D.screening: lambda c: "经营养风险筛查明确具有营养风险",
}


def phrase(node) -> str:
    """One node as Chinese."""
    if isinstance(node, Condition):
        return _PHRASE[node.dimension](node)
    if isinstance(node, Note):
        return f"（{node.note}）"
    if isinstance(node, Unparsed):
        return f"〔未解析：{node.text}〕"
    if isinstance(node, Group):
        parts = [phrase(c) for c in node.children]
        if node.kind == "all":
            return "，且".join(f"（{p}）" if isinstance(c, Group) and c.kind == "any" else p
                              for p, c in zip(parts, node.children))
        return "以下之一：" + "；".join(f"{i}）{p}" for i, p in enumerate(parts, 1))
    raise TypeError(f"not a rule node: {type(node).__name__}")


def render_zh(rule: Restriction | None) -> str:
    """The rule as one Chinese sentence; `不限` when it restricts nothing."""
    if rule is None or rule.root is None:
        return "◇ 归类品种（非限定支付范围）" if rule is not None and rule.grouped else "不限"
    return phrase(rule.root) + "。"


_SKIP = {"text", "start", "end", "source", "kind", "dimension", "negated"}


def _bound(b: AgeBound, low: bool) -> str:
    op = (">=" if b.inclusive else ">") if low else ("<=" if b.inclusive else "<")
    return f"age{op}{b.value.normalize():f}{b.unit}"


def _param(key: str, value) -> str:
    if isinstance(value, AgeBound):
        return _bound(value, key == "age_min")
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    if hasattr(value, "normalize"):
        return f"{value.normalize():f}"
    return str(value)


def structure(node):
    """A compact, readable form of a rule tree (used by the golden files): groups as {"全部": […]}
    or {"任一": […]}, each condition as `维度「原文」 key=value …`."""
    if node is None:
        return None
    if isinstance(node, Group):
        return {"全部" if node.kind == "all" else "任一": [structure(c) for c in node.children]}
    if isinstance(node, Note):
        return f"说明「{node.text}」 {node.note}"
    if isinstance(node, Unparsed):
        return f"未解析「{node.text}」 {node.reason}"
    params = [_param(k, v) if isinstance(v, AgeBound) else f"{k}={_param(k, v)}"
              for k, v in node if k not in _SKIP and v is not None]
    head = ("非" if node.negated else "") + node.dimension.value
    return " ".join([f"{head}「{node.text}」"] + params)
