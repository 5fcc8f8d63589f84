"""One scanned code → `TraceCode`: clean the scanner/spreadsheet noise, tell the family, read the
identifiers, and give every reason the code is not acceptable. Never raises on bad input."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from catalog_tool.model.trace import CodeFamily, GS1Element, Reason, TraceCode
from catalog_tool.trace import gs1
from catalog_tool.trace.ma import parse_ma

# Symbology identifiers whose content is a GS1 message (ISO/IEC 15424): DataMatrix, GS1-128, QR, DataBar.
GS1_SYMBOLOGIES = {"]d2", "]C1", "]Q3", "]e0", "]J1"}
PLAIN_SYMBOLOGIES = {"]d1", "]C0", "]Q1", "]E0", "]A0", "]I0"}
# Ways people and scanners write the FNC1 / group separator in text.
SEPARATOR_SPELLINGS = ("<GS>", "{GS}", "[GS]", "<FNC1>", "{FNC1}", "[FNC1]", "\u241d")
BARE_GTIN_LENGTHS = {8, 12, 13, 14}


@dataclass(frozen=True)
class TraceRules:
    """Checks that are policy rather than format [check]: kept as data a caller can override."""

    msfx_prefixes: tuple[str, ...] = ("8",)
    manufacturer_min: int = 16
    manufacturer_max: int = 40


DEFAULT_RULES = TraceRules()


def show(raw: str) -> str:
    """The input with control characters escaped, so junk stays visible in a report."""
    if raw.isprintable():
        return raw
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in raw)


def _char_reasons(text: str) -> list[Reason]:
    if text.isascii() and text.replace(gs1.GS, "").isprintable() and " " not in text:
        return []
    out = []
    if any("\uff10" <= c <= "\uff5a" for c in text):
        out.append(Reason(code="full-width", message="full-width characters (e.g. ８): typed or converted, not scanned"))
    elif not text.isascii():
        out.append(Reason(code="non-ascii", message="characters outside ASCII (binary junk or a wrong encoding)"))
    if any(c.isspace() and c != gs1.GS for c in text):
        out.append(Reason(code="whitespace", message="spaces inside the code"))
    if any(not c.isprintable() and c != gs1.GS and not c.isspace() for c in text):
        out.append(Reason(code="control-char", message="control characters other than GS"))
    return out


def _is_gs1(text: str, forced: bool) -> bool:
    if forced or text.startswith("(") or gs1.GS in text:
        return True
    if len(text) == 20 and text.isdigit() and text[0] == "8":
        return False
    return len(text) >= 16 and text[:2] in ("00", "01", "02")


def parse_code(raw: str, rules: TraceRules = DEFAULT_RULES, today: date | None = None) -> TraceCode:
    """Explain one code. `today` fixes the GS1 century window (default: today)."""
    text = raw.strip(" \t\r\n")
    for spelling in SEPARATOR_SPELLINGS:
        text = text.replace(spelling, gs1.GS)
    if not text:
        return TraceCode(raw=show(raw), family=CodeFamily.unknown, valid=False,
                         reasons=[Reason(code="empty", message="empty code")])
    symbology, forced = None, False
    if text[0] == "]" and text[:3] in GS1_SYMBOLOGIES | PLAIN_SYMBOLOGIES:
        symbology, text, forced = text[:3], text[3:], text[:3] in GS1_SYMBOLOGIES
    while text.startswith(gs1.GS):  # FNC1 in first position, sent as GS by some scanners
        text, forced = text[1:], True
    reasons = _char_reasons(text)
    clean = text if not reasons else "".join(unicodedata.normalize("NFKC", c) for c in text if c == gs1.GS or not c.isspace())
    result = TraceCode(raw=show(raw), code=show(text), family=CodeFamily.unknown, valid=False,
                       reasons=reasons, symbology=symbology)
    if _is_gs1(clean, forced):
        _read_gs1(result, clean, today)
    elif clean[:3].upper() == "MA.":
        result.family = CodeFamily.ma_udi
        if not clean.startswith("MA."):
            result.reasons.append(Reason(code="lowercase", message="MA codes start with upper-case 'MA.'"))
        parse_ma(result, clean, today)
    elif clean.isascii() and clean.isdigit() and len(clean) == 20:
        _read_msfx(result, clean, rules)
    elif clean.isascii() and clean.isdigit() and 17 <= len(clean) <= 23 and clean.startswith(rules.msfx_prefixes):
        result.family = CodeFamily.msfx
        result.reasons.append(Reason(code="msfx-length", message=f"{len(clean)} digits: 码上放心 codes have 20"))
    elif clean.isascii() and clean.isdigit() and len(clean) in BARE_GTIN_LENGTHS:
        result.product_id, result.gtin_check_ok = clean, gs1.gtin_valid(clean)
        result.reasons.append(Reason(code="bare-gtin", message=f"{len(clean)} digits: a product number (GTIN/EAN), not a code of one box"))
    elif clean.isascii() and clean.isdigit() and rules.manufacturer_min <= len(clean) <= rules.manufacturer_max:
        result.family = CodeFamily.manufacturer
    else:
        result.reasons.append(_unknown_reason(clean))
    result.valid = not result.reasons
    return result


_SCIENTIFIC = re.compile(r"^[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+$")


def _unknown_reason(clean: str) -> Reason:
    if _SCIENTIFIC.match(clean):
        return Reason(code="scientific-notation", message=f"{clean}: Excel turned the code into a number and lost digits; "
                      "export the column as text")
    return Reason(code="unknown-family", message=_unknown_message(clean))


def _unknown_message(clean: str) -> str:
    if clean.isascii() and clean.isdigit():
        return f"{len(clean)} digits: no code family has this length"
    if clean.isascii() and clean.isalnum() and clean.upper() != clean:
        return "lower-case letters: not a known code family"
    return "not a known code family (码上放心 20 digits, GS1, MA, numeric manufacturer code)"


def _read_msfx(result: TraceCode, code: str, rules: TraceRules) -> None:
    result.family = CodeFamily.msfx
    result.product_id, result.serial = code[:7], code[7:16]
    if not code.startswith(rules.msfx_prefixes):
        result.reasons.append(Reason(code="msfx-prefix", message=f"码上放心 codes start with {'/'.join(rules.msfx_prefixes)}, this one with {code[0]}"))


def _read_gs1(result: TraceCode, text: str, today: date | None) -> None:
    result.family = CodeFamily.gs1
    try:
        elements = gs1.hri_elements(text) if text.startswith("(") else gs1.split_elements(text)
    except gs1.GS1Error as e:
        result.reasons.append(Reason(code=e.code, message=str(e)))
        return
    result.elements = [GS1Element(ai=e.ai, value=e.value) for e in elements]
    seen: set[str] = set()
    for e in elements:
        if e.ai in seen:
            result.reasons.append(Reason(code="gs1-repeated-ai", message=f"({e.ai}) appears twice"))
        seen.add(e.ai)
        if e.ai in ("01", "02") and result.product_id is None:
            result.product_id, result.gtin_check_ok = e.value, gs1.gtin_valid(e.value)
            result.packaging_level = gs1.PACKAGING_LEVELS[e.value[0]]
            if not result.gtin_check_ok:
                want = gs1.gtin_check_digit(e.value[:-1])
                result.reasons.append(Reason(code="gtin-check-digit", message=f"GTIN {e.value}: check digit should be {want}"))
        elif e.ai == "00" and not gs1.gtin_valid(e.value):
            result.reasons.append(Reason(code="gtin-check-digit", message=f"SSCC {e.value}: wrong check digit"))
        elif gs1.AIS[e.ai].kind == "date":
            try:
                day = gs1.gs1_date(e.value, today)
            except ValueError as err:
                result.reasons.append(Reason(code="bad-date", message=f"({e.ai}) {e.value}: not a date ({err})"))
                continue
            if e.ai == "17":
                result.expiry = day
            elif e.ai == "11":
                result.production_date = day
        elif e.ai == "10":
            result.lot = e.value
        elif e.ai == "21":
            result.serial = e.value
    if "01" not in seen:
        result.reasons.append(Reason(code="gs1-no-gtin", message="no (01) GTIN: the code does not name the product"))
    if "21" not in seen:
        result.reasons.append(Reason(code="gs1-no-serial", message="no (21) serial: the code names a product, not one box"))
