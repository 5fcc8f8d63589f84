"""Validate many codes: per-code results plus a summary by family."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog_tool.model.trace import CodeFamily, TraceCode
from catalog_tool.trace.parse import DEFAULT_RULES, TraceRules, parse_code


@dataclass
class FamilyCount:
    total: int = 0
    invalid: int = 0


@dataclass
class Summary:
    """Counts by family and by first reason."""

    total: int = 0
    invalid: int = 0
    families: dict[str, FamilyCount] = field(default_factory=dict)
    reasons: Counter = field(default_factory=Counter)

    def add(self, family: str, reason: str | None) -> None:
        self.total += 1
        fc = self.families.setdefault(family, FamilyCount())
        fc.total += 1
        if reason is not None:
            self.invalid += 1
            fc.invalid += 1
            self.reasons[reason] += 1

    def records(self) -> list[dict]:
        order = [f.value for f in CodeFamily]
        return [{"family": f, "codes": c.total, "valid": c.total - c.invalid, "invalid": c.invalid}
                for f, c in sorted(self.families.items(), key=lambda kv: order.index(kv[0]))]


def validate_codes(rows: Iterable[tuple[int, str]], rules: TraceRules = DEFAULT_RULES) -> tuple[list[tuple[int, TraceCode]], Summary]:
    """The invalid codes with their row numbers, and the summary over all rows."""
    summary, invalid = Summary(), []
    for row, raw in rows:
        tc = parse_code(raw, rules)
        summary.add(tc.family.value, tc.reasons[0].code if tc.reasons else None)
        if not tc.valid:
            invalid.append((row, tc))
    return invalid, summary
