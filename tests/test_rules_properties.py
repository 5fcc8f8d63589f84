"""Properties of the restriction parser on arbitrary text: it never raises, it is deterministic,
every part quotes its source span, and the structure renders back to readable Chinese."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_tool.model.rule import Condition, Group, Note, Unparsed, walk
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.parser import _parse, parse
from catalog_tool.rules.render import render_zh, structure
from catalog_tool.rules.vocab import vocabulary

# Words of real restrictions, so generated texts exercise the patterns, not only the fallbacks.
WORDS = ["限", "：", "1.", "2.", "；", "，", "。", "(", ")", "或", "且", "的", "患者", "成人", "儿童", "6岁及以上",
         "3-12岁", "支付不超过14天", "二级及以上医疗机构", "住院", "门诊", "一线治疗", "二线用药", "既往接受过",
         "治疗失败", "2型糖尿病", "非小细胞肺癌", "除外", "不包括", "联合", "与", "生育保险", "工伤保险",
         "需经营养风险筛查", "事前审查后方可用", "每眼累计最多支付9支", "单独使用不予支付", "女性", "◇",
         "应同时符合以下条件", "尚未确定本品", "EGFR", "≥", "<", "～", "（", "）", "、"]
texts = st.one_of(st.text(max_size=120), st.lists(st.sampled_from(WORDS), max_size=30).map("".join))
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_never_raises_and_quotes_its_source(text):
    rule = parse(text)
    for n in walk(rule.root):
        if isinstance(n, (Condition, Note, Unparsed)):
            assert 0 <= n.start <= n.end <= len(text)
            assert text[n.start:n.end] == n.text


@FAST
@given(texts)
def test_deterministic(text):
    first = parse(text).model_dump()
    _parse.cache_clear()
    assert parse(text).model_dump() == first
    assert structure(parse(text).root) == structure(parse(text).root)


def _numbers(c: Condition) -> list[str]:
    values = [c.max_days, c.max_quantity, c.onset_hours]
    values += [b.value for b in (c.age_min, c.age_max) if b is not None]
    return [f"{v.normalize():f}" if hasattr(v, "normalize") else str(v) for v in values if v is not None]


@FAST
@given(texts)
def test_renders_back_to_readable_chinese(text):
    rule = parse(text)
    zh = render_zh(rule)
    assert zh and zh.strip() == zh
    if rule.root is None:
        assert zh in ("不限", "◇ 归类品种（非限定支付范围）")
        return
    assert zh.endswith("。") and re.search(r"[\u4e00-\u9fff]", zh)
    for u in rule.unparsed:
        assert u.text in zh  # nothing unparsed is hidden
    for c in rule.conditions:
        for number in _numbers(c):
            assert number in zh  # every limit is stated
        for n in (c.line_min, c.min_level):
            if n is not None:
                assert "一二三四"[n - 1] in zh or str(n) in zh
    if any(isinstance(n, Group) and n.kind == "any" for n in walk(rule.root)):
        assert "以下之一" in zh


@FAST
@given(st.lists(st.sampled_from(sorted(vocabulary().terms)), min_size=1, max_size=3))
def test_every_mapped_term_carries_its_codes(names):
    text = "限" + "、".join(names) + "患者。"
    codes = [code for c in parse(text).conditions if c.dimension is D.diagnosis for code in (c.icd10 or [])]
    for name in names:
        if vocabulary().terms[name]:
            assert any(code in codes for code in vocabulary().terms[name])
