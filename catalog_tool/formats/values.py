"""Parse single cell values: dates, Chinese date ranges, amounts, flags, classes, codes."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

DRUG_CODE_RE = re.compile(r"^[A-Z0-9]{20}$|^[A-Z0-9]{23}$")
CONSUMABLE_CODE_RE = re.compile(r"^C\d{19}(?:[A-Z0-9]{7})?$")
SERVICE_CODE_RE = re.compile(r"^\d{15}$")

_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|–)\s*")


def parse_date(text: str) -> date:
    """`2026-01-01`, `2026/1/1`, `2026年1月1日` → date. ValueError otherwise."""
    m = _CN_DATE.match(text) or _ISO_DATE.match(text)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    y, mo, d = (int(g) for g in m.groups())
    return date(y, mo, d)


def parse_period(text: str) -> tuple[date, date]:
    """`2026年1月1日至2027年12月31日` → (start, end); the end must not precede the start."""
    parts = _RANGE_SPLIT.split(text.strip())
    if len(parts) != 2:
        raise ValueError(f"not a date range 'start至end': {text!r}")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise ValueError(f"period ends before it starts: {text!r}")
    return start, end


def format_period(start: str | date | None, end: str | date | None) -> str:
    """The published form of an agreement period: `2026年1月1日至2027年12月31日`."""
    if not start or not end:
        return ""

    def cn(d: str | date) -> str:
        d = d if isinstance(d, date) else date.fromisoformat(str(d))
        return f"{d.year}年{d.month}月{d.day}日"

    return f"{cn(start)}至{cn(end)}"


def parse_decimal(text: str) -> Decimal:
    """`1,234.50`, `¥12.3`, `12.3元` → Decimal (kept exact, never a float)."""
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").removesuffix("元")
    try:
        value = Decimal(cleaned.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return value


_TRUE = {"1", "是", "y", "yes", "true", "t", "高值"}
_FALSE = {"0", "否", "n", "no", "false", "f", "低值"}


def parse_flag(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"not a yes/no flag: {text!r}")


_CLASS = {"甲": "甲", "甲类": "甲", "A": "甲", "乙": "乙", "乙类": "乙", "B": "乙", "丙": "丙", "丙类": "丙",
          "自费": "自费", "C": "丙"}


def parse_class(text: str, allowed: tuple[str, ...]) -> str:
    value = _CLASS.get(text.strip())
    if value is None or value not in allowed:
        raise ValueError(f"class must be one of {'/'.join(allowed)}, got {text!r}")
    return value
