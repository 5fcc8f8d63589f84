"""Golden file: 150 real restriction texts of the 2025 list with the structure a reviewer accepted.
The texts live in the golden file, so this runs without ../shared/data; regenerate with
tests/golden/rules/regenerate.py and read the diff before committing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_tool.rules.parser import parse
from catalog_tool.rules.render import render_zh, structure

GOLDEN = Path(__file__).parent / "golden" / "rules" / "restrictions-2025.json"
ENTRIES = json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_golden_file_is_large_and_real():
    assert len(ENTRIES) >= 100
    assert len({e["text"] for e in ENTRIES}) == len(ENTRIES)
    parts = {e["part"] for e in ENTRIES}
    assert {"西药部分", "协议期内谈判药品部分-西药", "竞价药品部分"} <= parts


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e['part']}-{e['number']}" for e in ENTRIES])
def test_structure_matches_golden(entry):
    rule = parse(entry["text"])
    assert structure(rule.root) == entry["structure"]
    assert rule.fully_structured == entry["fully_structured"]
    assert render_zh(rule) == entry["zh"]
