"""Pinyin initials of Chinese names (阿莫西林 → amxl), for search as users type it.

Built once from pypinyin's character table into a `str.translate` map, so 270,000 names take a
fraction of a second; polyphonic characters take their most common reading.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[int, str] = {}
    for cp, readings in pinyin_dict.items():
        first = readings.split(",", 1)[0]
        base = unicodedata.normalize("NFKD", first)[:1].lower()
        if base.isascii() and base.isalpha():
            table[cp] = base
    return table


@lru_cache(maxsize=1 << 17)
def initials(text: str | None) -> str:
    """Lower-case initials of the Chinese characters; ASCII letters and digits are kept, the rest dropped."""
    if not text:
        return ""
    out = text.translate(_table()).lower()
    return "".join(ch for ch in out if ch.isascii() and ch.isalnum())
