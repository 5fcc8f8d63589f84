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

    def add(self, family: str, reason: str | None, n: int = 1) -> None:
        self.total += n
        fc = self.families.setdefault(family, FamilyCount())
        fc.total += n
        if reason is not None:
            self.invalid += n
            fc.invalid += n
            self.reasons[reason] += n

    def records(self) -> list[dict]:
        order = [f.value for f in CodeFamily]
        return [{"family": f, "codes": c.total, "valid": c.total - c.invalid, "invalid": c.invalid}
                for f, c in sorted(self.families.items(), key=lambda kv: order.index(kv[0]))]


def validate_codes(rows: Iterable[tuple[int, str]], rules: TraceRules = DEFAULT_RULES) -> tuple[list[tuple[int, TraceCode]], Summary]:
    """The invalid codes (fully explained) with their row numbers, and the summary over all rows.
    Codes are checked column-wise (`validate_bulk`); only the invalid ones are parsed one by one."""
    from catalog_tool.trace.bulk import validate_bulk

    rows = list(rows)
    df = validate_bulk([code for _, code in rows], rules)
    summary = Summary()
    for family, reason, n in df.group_by("family", "reason").len().iter_rows():
        summary.add(family, reason, n)
    bad = df.with_row_index("k").filter(~df["valid"])["k"].to_list()
    return [(rows[k][0], parse_code(rows[k][1], rules)) for k in bad], summary
