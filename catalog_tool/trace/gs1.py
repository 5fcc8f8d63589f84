"""GS1 element strings (DataMatrix / GS1-128 scanner output): application identifiers, GTIN check
digits, YYMMDD dates.

A variable-length field ends at a GS (ASCII 29) or after its maximum length, whichever comes
first, as a scanner-side decoder reads it (GS1 General Specifications §7.8); fixed-length fields
need no separator, but a GS after one is accepted.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

GS = "\x1d"
# GS1 AI encodable character set 82 (the `X` type), which excludes GS and space.
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_X = re.compile(r"[!%-?A-Z_a-z\"]+")


@dataclass(frozen=True)
class AI:
    """An application identifier: numeric (N) or CSET82 (X) content, fixed or up to `length`."""

    ai: str
    title: str
    kind: str  # "N", "X" or "date"
    length: int
    fixed: bool


def _table() -> dict[str, AI]:
    spec = [
        ("00", "SSCC", "N", 18, True), ("01", "GTIN", "N", 14, True), ("02", "CONTENT", "N", 14, True),
        ("10", "BATCH/LOT", "X", 20, False), ("11", "PROD DATE", "date", 6, True),
        ("12", "DUE DATE", "date", 6, True), ("13", "PACK DATE", "date", 6, True),
        ("15", "BEST BEFORE", "date", 6, True), ("16", "SELL BY", "date", 6, True),
        ("17", "USE BY or EXPIRY", "date", 6, True), ("20", "VARIANT", "N", 2, True),
        ("21", "SERIAL", "X", 20, False), ("22", "CPV", "X", 20, False),
        ("30", "VAR. COUNT", "N", 8, False), ("37", "COUNT", "N", 8, False),
        ("240", "ADDITIONAL ID", "X", 30, False), ("241", "CUST. PART No.", "X", 30, False),
        ("250", "SECONDARY SERIAL", "X", 30, False), ("251", "REF. TO SOURCE", "X", 30, False),
        ("710", "NHRN PZN", "X", 20, False), ("711", "NHRN CIP", "X", 20, False),
        ("712", "NHRN CN", "X", 20, False), ("713", "NHRN DRN", "X", 20, False),
        ("714", "NHRN AIM", "X", 20, False), ("90", "INTERNAL", "X", 30, False),
    ] + [(str(n), "INTERNAL", "X", 90, False) for n in range(91, 100)]
    return {a: AI(a, t, k, n, f) for a, t, k, n, f in spec}


AIS = _table()
PACKAGING_LEVELS = {"0": "base unit (GTIN-13 inside GTIN-14)", "9": "variable measure"} | {
    str(d): f"packaging level {d} (indicator digit)" for d in range(1, 9)}


def gtin_check_digit(body: str) -> int:
    """Mod-10 check digit of the digits before it: weights 3,1,3,… from the right."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_valid(gtin: str) -> bool:
    return len(gtin) in (8, 12, 13, 14, 18) and gtin.isascii() and gtin.isdigit() and gtin_check_digit(gtin[:-1]) == int(gtin[-1])


def gs1_date(yymmdd: str, today: date | None = None) -> date:
    """YYMMDD as a date. DD=00 is the last day of the month; the century follows the GS1 sliding
    window (−49 … +50 years around this year). Raises ValueError on an impossible date."""
    if len(yymmdd) != 6 or not yymmdd.isascii() or not yymmdd.isdigit():
        raise ValueError(f"{yymmdd!r} is not YYMMDD")
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    this_year = (today or date.today()).year
    century = this_year // 100 * 100
    diff = yy - this_year % 100
    year = century + yy + (-100 if 51 <= diff <= 99 else 100 if -99 <= diff <= -50 else 0)
    if not 1 <= mm <= 12:
        raise ValueError(f"month {mm:02d} in {yymmdd}")
    if dd == 0:
        dd = calendar.monthrange(year, mm)[1]
    return date(year, mm, dd)


@dataclass
class Element:
    ai: str
    value: str


class GS1Error(ValueError):
    """The element string cannot be read; `code` is the stable reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _ai_at(text: str, pos: int) -> AI:
    for n in (2, 3, 4):
        ai = AIS.get(text[pos:pos + n])
        if ai is not None:
            return ai
    raise GS1Error("gs1-unknown-ai", f"no known application identifier at {text[pos:pos + 4]!r} (offset {pos})")


def split_elements(text: str) -> list[Element]:
    """Element strings of an unbracketed GS1 message (separators already turned into GS)."""
    out: list[Element] = []
    pos = 0
    while pos < len(text):
        ai = _ai_at(text, pos)
        start = pos + len(ai.ai)
        field = text[start:].split(GS, 1)[0]
        if ai.fixed:
            value = field[:ai.length]
            if len(value) != ai.length or not value.isascii() or not value.isdigit():
                raise GS1Error("gs1-bad-field", f"({ai.ai}) {ai.title} needs {ai.length} digits, got {value!r}")
        else:
            m = (re.match(r"\d+", field) if ai.kind == "N" else _X.match(field))
            value = m.group(0)[:ai.length] if m else ""
            if not value and ai.kind == "X":
                raise GS1Error("gs1-bad-field", f"({ai.ai}) {ai.title} is empty or has characters outside GS1 set 82")
        out.append(Element(ai.ai, value))
        pos = start + len(value)
        while text.startswith(GS, pos):
            pos += 1
    return out


_HRI = re.compile(r"\((\d{2,4})\)")


def hri_elements(text: str) -> list[Element]:
    """`(01)0695…(17)250500(10)AB`: the brackets delimit each value, which must fit its AI whole."""
    parts = _HRI.split(text)
    if parts[0]:
        raise GS1Error("gs1-bad-field", f"text before the first (AI): {parts[0]!r}")
    out: list[Element] = []
    for i in range(1, len(parts), 2):
        ai, value = parts[i], parts[i + 1]
        if ai not in AIS:
            raise GS1Error("gs1-unknown-ai", f"unknown application identifier ({ai})")
        read = split_elements(ai + value)
        if len(read) != 1 or read[0].value != value:
            raise GS1Error("gs1-bad-field", f"({ai}) {AIS[ai].title}: {value!r} does not fit (too long or bad characters)")
        out.extend(read)
    return out
