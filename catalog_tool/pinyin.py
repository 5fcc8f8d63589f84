"""Pinyin initials of Chinese names (阿莫西林 → amxl), for search as users type it.

Built once from pypinyin's character table into a `str.translate` map, so 270,000 names take a
fraction of a second; polyphonic characters take their most common reading.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path


def pinyin_dict() -> dict[int, str]:
    """pypinyin's character table. Read from its own module file when pypinyin is not loaded yet:
    `import pypinyin` first builds a phrase segmenter (~0.12 s of every import) that initials never
    use. Falls back to the ordinary import if the file is not where it was."""
    if "pypinyin" not in sys.modules:
        try:
            package = importlib.util.find_spec("pypinyin")
            spec = importlib.util.spec_from_file_location(
                "_catalog_tool_pinyin_dict", Path(package.origin).parent / "pinyin_dict.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.pinyin_dict
        except (ImportError, OSError, AttributeError):
            pass
    from pypinyin.pinyin_dict import pinyin_dict as table

    return table


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp, readings in pinyin_dict().items():
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
