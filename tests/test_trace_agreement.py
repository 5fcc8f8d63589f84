"""GS1 parsing agrees with biip, GTIN check digits with python-stdnum, on 100,000 generated codes."""

from collections import Counter

import pytest
from biip import ParseError
from biip.gs1_messages import GS1Message
from stdnum import ean

from catalog_tool.model.trace import CodeFamily
from catalog_tool.trace import parse_code
from catalog_tool.trace.corpus import generate
from catalog_tool.trace.gs1 import GS
from catalog_tool.trace.parse import GS1_SYMBOLOGIES, SEPARATOR_SPELLINGS

N = 100_000
TRACE_ONLY = {"gs1-no-serial", "gs1-no-gtin", "gs1-repeated-ai"}  # trace rules, not GS1 syntax


@pytest.fixture(scope="module")
def corpus():
    codes = generate(N, seed=2025)
    return codes, [parse_code(c) for c in codes]


def _message(raw: str) -> str:
    text = raw.strip()
    for spelling in SEPARATOR_SPELLINGS:
        text = text.replace(spelling, GS)
    if text[:3] in GS1_SYMBOLOGIES:
        text = text[3:]
    return text.lstrip(GS)


def _biip(raw: str):
    text = _message(raw)
    try:
        msg = GS1Message.parse_hri(text) if text.startswith("(") else GS1Message.parse(text)
    except ParseError:
        return None
    return msg


def test_corpus_covers_every_family_and_flaw(corpus):
    _, parsed = corpus
    seen = Counter(r.code for tc in parsed for r in tc.reasons[:1])
    assert {f for f in CodeFamily} == {tc.family for tc in parsed}
    for code in ("gtin-check-digit", "bad-date", "gs1-unknown-ai", "gs1-bad-field", "msfx-prefix", "msfx-length",
                 "full-width", "whitespace", "non-ascii", "empty", "lowercase", "bare-gtin"):
        assert seen[code] > 50, code


def test_gs1_agrees_with_biip(corpus):
    codes, parsed = corpus
    compared = disagreements = 0
    for raw, tc in zip(codes, parsed):
        if tc.family is not CodeFamily.gs1 or any(r.code in ("non-ascii", "whitespace", "full-width", "control-char") for r in tc.reasons):
            continue
        compared += 1
        msg = _biip(raw)
        ok = not [r for r in tc.reasons if r.code not in TRACE_ONLY]
        biip_ok = msg is not None and not any(e.gtin_error or e.sscc_error for e in msg.element_strings)
        if ok != biip_ok:
            disagreements += 1
            continue
        if msg is not None:
            assert [(e.ai, e.value) for e in tc.elements] == [(e.ai.ai, e.value) for e in msg.element_strings], raw
            exp = [e.date for e in msg.element_strings if e.ai.ai == "17"]
            assert tc.expiry == (exp[0] if exp and ok else tc.expiry)
    assert compared > 55_000
    assert disagreements == 0


def test_gtin_check_digits_agree_with_stdnum(corpus):
    _, parsed = corpus
    gtins = [tc for tc in parsed if tc.gtin_check_ok is not None]
    assert len(gtins) > 50_000
    assert sum(not tc.gtin_check_ok for tc in gtins) > 2_000
    for tc in gtins:
        assert tc.gtin_check_ok == ean.is_valid(tc.product_id), tc.raw


def test_every_code_has_a_verdict_and_reasons_when_invalid(corpus):
    _, parsed = corpus
    assert all(tc.valid == (not tc.reasons) for tc in parsed)
