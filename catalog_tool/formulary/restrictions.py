"""How a restriction (备注, 限定支付范围) is shown in a finding: the published text, then the
conditions the rule parser (`catalog_tool.rules`) structures, as one Chinese sentence by dimension
(机构级别, 疗程, 诊断 …).
Text it cannot structure stays in the sentence as 〔未解析：…〕 (needs review), never dropped; the
finding keeps the verbatim 备注 beside it."""

from __future__ import annotations

from functools import lru_cache


def verbatim(text: str) -> str:
    return text.strip()


@lru_cache(maxsize=4096)
def structured(text: str) -> str:
    """`限二级及以上医疗机构使用，支付不超过14天` → `限二级及以上医疗机构，且支付不超过14天。`"""
    from catalog_tool.rules import parse
    from catalog_tool.rules.render import render_zh

    rule = parse(text)
    sentence = render_zh(rule)
    return sentence + "（需人工审核）" if rule.unparsed else sentence


def describe(text: str) -> str:
    """The restriction as a finding shows it: the 备注 as published, then its conditions
    (`限吞咽困难或不能口服的患者 → 临床情形「吞咽困难或不能口服」。`); the verbatim text alone if the
    parser fails on it."""
    try:
        conditions = structured(text.strip())
    except Exception:  # a parser bug must never hide the restriction
        return verbatim(text)
    return f"{verbatim(text)} → {conditions}" if conditions else verbatim(text)
