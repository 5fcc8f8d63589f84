"""Normalise drug names and dosage forms so a hospital's wording meets the catalog's:
full-width → half-width, brackets unified, salts and dosage-form words stripped to a base name,
free dosage forms mapped to the NRDL form groups of 凡例（八） (剂型归类)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Keyword → NRDL form group (剂型归类 of the 2025 edition). Longest keyword wins, so 缓释片 beats 片.
FORM_KEYWORDS: dict[str, str] = {
    "口服常释剂型": "口服常释剂型", "缓释控释剂型": "缓释控释剂型",
    "缓释": "缓释控释剂型", "控释": "缓释控释剂型",
    "注射": "注射剂", "粉针": "注射剂", "针剂": "注射剂", "冻干粉": "注射剂", "输液": "注射剂",
    "滴眼": "滴眼剂", "眼膏": "眼膏剂", "眼用凝胶": "眼用凝胶剂", "滴耳": "滴耳剂", "滴鼻": "滴鼻剂",
    "吸入": "吸入剂", "气雾": "吸入剂", "粉雾": "吸入剂", "雾化": "吸入剂", "喷雾": "吸入剂",
    "阴道": "阴道用", "栓": "栓剂", "凝胶": "凝胶剂", "软膏": "软膏剂", "乳膏": "软膏剂", "霜": "软膏剂",
    "贴": "贴剂", "颗粒": "颗粒剂", "丸": "丸剂",
    "口服液": "口服液体剂", "口服溶液": "口服液体剂", "混悬": "口服液体剂", "糖浆": "口服液体剂",
    "合剂": "口服液体剂", "口服乳": "口服液体剂", "口服液体": "口服液体剂",
    "外用液体": "外用液体剂", "洗剂": "外用液体剂", "搽剂": "外用液体剂", "含漱": "外用液体剂",
    "散": "口服散剂", "片": "口服常释剂型", "胶囊": "口服常释剂型", "胶丸": "口服常释剂型",
}
_FORM_KEYS = sorted(FORM_KEYWORDS, key=len, reverse=True)

# Dosage-form words at the end of a name (阿莫西林胶囊 → 阿莫西林), longest first.
_FORM_SUFFIXES = sorted([
    "肠溶缓释片", "缓释片", "控释片", "肠溶片", "分散片", "咀嚼片", "泡腾片", "口腔崩解片", "薄膜衣片", "含片", "片",
    "肠溶胶囊", "缓释胶囊", "软胶囊", "硬胶囊", "胶囊", "胶丸", "滴丸", "丸",
    "注射液", "注射剂", "输液", "颗粒", "干混悬剂", "混悬液", "口服溶液", "口服液", "糖浆", "滴眼液", "眼膏",
    "滴耳液", "滴鼻液", "软膏", "乳膏", "凝胶", "栓", "吸入气雾剂", "吸入粉雾剂", "粉雾剂", "气雾剂", "吸入剂", "喷雾剂", "贴剂", "散", "溶液",
], key=len, reverse=True)
_SUFFIXES_BY_LENGTH = [(n, {s for s in _FORM_SUFFIXES if len(s) == n})
                       for n in sorted({len(s) for s in _FORM_SUFFIXES}, reverse=True)]
_FORM_PREFIXES = ("注射用",)
_SALTS = ("盐酸", "硫酸", "磷酸", "马来酸", "甲磺酸", "苯磺酸", "枸橼酸", "富马酸", "琥珀酸", "酒石酸",
          "醋酸", "氢溴酸", "乳酸", "门冬氨酸", "精氨酸", "赖氨酸", "葡萄糖酸")
_SPACES = re.compile(r"\s+")
_TRADE_NAME = re.compile(r"\((?![ⅠⅡⅢⅣⅤⅥ]|[IVX]+\))[^()]*\)$")
_LEADING_AMOUNT = re.compile(r"^\s*[¥￥]?\s*(\d+(?:\.\d+)?)")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]"})


class _CharMap(dict):
    """ord(char) → the char after NFKC (char by char, keeping Roman numerals) and bracket unification,
    filled on first sight: `str.translate` then does the whole string in C."""

    _KEPT = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"}

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = self[code] = (ch if ch in self._KEPT else unicodedata.normalize("NFKC", ch)).translate(_BRACKETS)
        return out


_CHARS = _CharMap()


@lru_cache(maxsize=262_144)
def clean_text(text: str | None) -> str:
    """NFKC (full-width letters, digits and brackets to half-width), spaces removed, brackets unified.
    Roman numerals such as Ⅱ are kept: NFKC would turn them into `II`."""
    if not text:
        return ""
    return _SPACES.sub("", text.translate(_CHARS))


@lru_cache(maxsize=200_000)
def form_group(text: str | None) -> str | None:
    """The NRDL form group a dosage form (or a name ending in one) belongs to; None when unknown."""
    t = clean_text(text)
    if not t:
        return None
    for key in _FORM_KEYS:
        if key in t:
            return FORM_KEYWORDS[key]
    return None


@lru_cache(maxsize=200_000)
def base_name(name: str | None) -> str:
    """The generic part of a name: trade name in brackets at the end, dosage-form words and a leading
    salt removed (注射用盐酸头孢吡肟 → 头孢吡肟, 阿莫西林胶囊(阿莫仙) → 阿莫西林)."""
    n = _TRADE_NAME.sub("", clean_text(name))
    for p in _FORM_PREFIXES:
        if n.startswith(p) and len(n) > len(p) + 1:
            n = n[len(p):]
    # The longest form suffix that leaves two characters: suffixes of one length differ, so at most
    # one of them can end the name; try each length, longest first.
    for length, suffixes in _SUFFIXES_BY_LENGTH:
        if len(n) > length + 1 and n[-length:] in suffixes:
            n = n[:-length]
            break
    if n.startswith(_SALTS):
        for salt in _SALTS:
            if n.startswith(salt) and len(n) > len(salt) + 1:
                n = n[len(salt):]
                break
    return n


@lru_cache(maxsize=200_000)
def name_variants(name: str | None) -> tuple[str, ...]:
    """A catalog name may stack several (二甲双胍、二甲双胍Ⅱ): the base of each."""
    return tuple(dict.fromkeys(base_name(p) for p in re.split(r"[、/]", name or "") if p.strip()))


def leading_amount(payment_standard: str | None) -> Decimal | None:
    """The amount a 医保支付标准 starts with (`52.60元(10mg/瓶)` → 52.60); None for `*` or text."""
    m = _LEADING_AMOUNT.match(payment_standard or "")
    if not m:
        return None
    try:
        return Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None


_STANDARD_PART = re.compile(r"(\d+(?:\.\d+)?)\s*元\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)")


def standard_for(payment_standard: str | None, spec: str | None) -> Decimal | None:
    """The payment standard that applies to a spec: `45.90元(40mg/片)；68.85元(80mg/片)` holds one per
    spec, so the part whose strength (before the first `/`) the item's spec contains; else the first."""
    text = clean_text(payment_standard)
    parts = _STANDARD_PART.findall(text)
    mine = clean_text(spec).lower()
    if mine:
        for amount, unit in parts:
            strength = unit.split("/")[0].lower()
            if strength and strength in mine:
                return Decimal(amount)
    return leading_amount(text)
