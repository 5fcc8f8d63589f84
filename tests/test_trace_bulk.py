"""The column-wise validator gives exactly what `parse_code` gives, code by code."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_tool.trace import TraceRules, parse_code
from catalog_tool.trace.bulk import validate_bulk
from catalog_tool.trace.corpus import generate

EDGES = [
    "81234560123456789012", "71234560123456789012", "01234560123456789012", "0123456012345678901",
    "]d2010695123456789717240200" "10A\x1d21B", "010695123456789717250229" "21X",  # 2024-02-29 ok, 2025-02-29 not
    "0106951234567897" "17250500" "11991231" "10L\x1d21S", "0106951234567897" "17250500" "17250600" "21S",
    "0106951234567897" "10A\x1d10B", "0106951234567897" "10A<GS>21B", "0106951234567897" "21" + "S" * 20,
    "0106951234567897" "21" + "S" * 21, "0106951234567897" "10A\x1d21B\x1d", "]d1010695123456789721S",
    "0106951234567893" "171313002" "1S", "0106951234567897" "10 A\x1d21B", "", "８１２３", "\x00\xff",
]


def triples(codes, rules=TraceRules(), today=date(2026, 1, 15)):
    return [(p.family.value, p.valid, p.reasons[0].code if p.reasons else None) for p in (parse_code(c, rules, today) for c in codes)]


@pytest.mark.parametrize("codes", [EDGES, generate(30_000, seed=77)], ids=["edges", "corpus"])
def test_bulk_equals_per_code(codes):
    got = validate_bulk(codes, today=date(2026, 1, 15)).select("family", "valid", "reason").rows()
    assert got == triples(codes)


def test_bulk_keeps_input_order_and_rules():
    rules = TraceRules(msfx_prefixes=("7",))
    codes = ["71234560123456789012", "81234560123456789012"]
    df = validate_bulk(codes, rules)
    assert df["code"].to_list() == codes and df["valid"].to_list() == [True, False]
    assert df.select("family", "valid", "reason").rows() == triples(codes, rules, None)


def test_regex_class_is_gs1_character_set_82():
    import re

    from catalog_tool.trace.bulk import _X
    from catalog_tool.trace.gs1 import CSET82

    assert {chr(c) for c in range(128) if re.fullmatch(_X, chr(c))} == set(CSET82)


PIECES = ["01", "0695123456789", "7", "3", "17", "11", "10", "21", "250500", "251301", "240229", "\x1d", "]d2", "8",
          "1234567890", "AB", "x%", "(01)", "<GS>", " ", "MA.156.M0.100761.21234561.S1", "９", "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), min_size=1, max_size=20))
def test_bulk_equals_per_code_on_random_fragments(codes):
    got = validate_bulk(codes, today=date(2026, 1, 15)).select("family", "valid", "reason").rows()
    assert got == triples(codes)
