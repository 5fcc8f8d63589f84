"""Negotiated rows of an edition and their agreement periods (协议有效期): which end soon."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from catalog_tool.model import DrugItem
from catalog_tool.model.common import SECTION_NEGOTIATED

_SPAN = re.compile(r"^\s*(\d+)\s*(d|w|m|y|天|周|月|年)?\s*$")


def negotiated(items: Iterable[DrugItem]) -> list[DrugItem]:
    """Rows of the 协议期内谈判药品部分 and 竞价药品部分, and any row carrying a payment standard."""
    return [i for i in items if i.section in SECTION_NEGOTIATED or i.payment_standard]


def parse_span(text: str) -> timedelta:
    """`180d`, `26w`, `6m` (months of 30 days), `1y` (365 days), or a bare number of days."""
    m = _SPAN.match(text)
    if not m:
        raise ValueError(f"not a time span: {text!r} (e.g. 180d, 26w, 6m)")
    n, unit = int(m[1]), m[2] or "d"
    days = {"d": 1, "天": 1, "w": 7, "周": 7, "m": 30, "月": 30, "y": 365, "年": 365}[unit]
    return timedelta(days=n * days)


def expiring(items: Iterable[DrugItem], on: date, within: timedelta) -> list[DrugItem]:
    """Rows whose agreement ends between `on` and `on + within` (inclusive), soonest first."""
    until = on + within
    hits = [i for i in items if i.agreement_end is not None and on <= i.agreement_end <= until]
    return sorted(hits, key=lambda i: (i.agreement_end, i.name))
