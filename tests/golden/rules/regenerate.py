"""Regenerate restrictions-2025.json from the real 2025 rows: `python tests/golden/rules/regenerate.py`.

The file is the parser's output at the time it was READ and accepted line by line; regenerate only
after a deliberate parser change, then read the diff (`git diff`) before committing it."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from catalog_tool.model.rule import Dimension  # noqa: E402
from catalog_tool.rules.parser import parse  # noqa: E402
from catalog_tool.rules.render import render_zh, structure  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "nrdl-2025"
FILES = ("西药部分.csv", "协议期内谈判药品部分-西药.csv", "竞价药品部分.csv")
OUT = Path(__file__).with_name("restrictions-2025.json")
SIZE = 150


def texts() -> list[tuple[str, str, str]]:
    seen: dict[str, tuple[str, str, str]] = {}
    for name in FILES:
        with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                t = row["备注"]
                if t.strip() and t not in seen:
                    seen[t] = (name.removesuffix(".csv"), row["编号"], t)
    return list(seen.values())


def pick(all_texts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Every text with a dimension other than diagnosis, age or prior therapy (the rarer ones),
    every unparsed one, then every third of the rest, up to SIZE, in catalog order."""
    common = {Dimension.diagnosis, Dimension.age, Dimension.prior_therapy}
    rare, rest = [], []
    for entry in all_texts:
        rule = parse(entry[2])
        dims = {c.dimension for c in rule.conditions}
        (rare if (dims - common) or not rule.fully_structured else rest).append(entry)
    chosen = rare + rest[::3]
    keep = {id(e) for e in chosen[:SIZE]}
    return [e for e in all_texts if id(e) in keep]


def main() -> None:
    entries = []
    for part, number, text in pick(texts()):
        rule = parse(text)
        entries.append({"part": part, "number": number, "text": text, "fully_structured": rule.fully_structured,
                        "structure": structure(rule.root), "zh": render_zh(rule)})
    OUT.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(entries)} texts)")


if __name__ == "__main__":
    main()
