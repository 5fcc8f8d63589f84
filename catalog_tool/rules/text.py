"""Text helpers for restriction parsing: a normal form with the same offsets as the source, and
parenthesis-aware splitting, so every structured part can quote its exact source span."""

from __future__ import annotations

import re
from collections.abc import Iterator

# One character for one character: offsets in the normal form are offsets in the source.
_SAME_LENGTH = str.maketrans(
    {
        "（": "(", "）": ")", "：": ":", "；": ";", "，": ",", "＜": "<", "＞": ">", "～": "~",
        "－": "-", "【": "[", "】": "]", "\u3000": " ", "\u00a0": " ", "⼉": "儿", "﹔": ";",
        "﹕": ":", "〜": "~", "＝": "=", "％": "%", "／": "/", "＋": "+", "．": ".",
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    }
)

HOLE = "\ue000"
"""Stands in for characters already taken by a condition, so later patterns see a boundary."""

OPEN, CLOSE = "([", ")]"


def normal(text: str) -> str:
    """The source with full-width punctuation, digits and letters made ASCII; same length."""
    return text.translate(_SAME_LENGTH)


def depths(text: str) -> list[int]:
    """Bracket depth of each character. Never below zero; a full stop closes every bracket, so
    one unbalanced bracket (as printed in some 备注) cannot swallow the rest of the text."""
    out, d = [], 0
    for ch in text:
        if ch == "。":
            d = 0
            out.append(0)
        elif ch in OPEN:
            d += 1
            out.append(d)
        elif ch in CLOSE:
            out.append(d)
            d = max(0, d - 1)
        else:
            out.append(d)
    return out


def split_top(text: str, seps: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of text[start:end] cut at separator characters outside brackets (separators dropped)."""
    end = len(text) if end is None else end
    depth = 0
    spans, a = [], start
    for i in range(start, end):
        ch = text[i]
        if ch == "。":
            depth = 0
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            spans.append((a, i))
            a = i + 1
    spans.append((a, end))
    return spans


_TRIM = set(" \t\r\n,;:.。、" + HOLE)


def trim(text: str, a: int, b: int, chars: set[str] = _TRIM) -> tuple[int, int]:
    """Narrow [a, b) past separators and blanks at both ends."""
    while a < b and text[a] in chars:
        a += 1
    while b > a and text[b - 1] in chars:
        b -= 1
    return a, b


def blank(text: str, a: int, b: int) -> str:
    """`text` with [a, b) replaced by holes (same length)."""
    return text[:a] + HOLE * (b - a) + text[b:]


def pieces(text: str) -> Iterator[tuple[int, int]]:
    """Maximal runs of characters that are not holes, trimmed, non-empty."""
    for m in re.finditer(f"[^{HOLE}]+", text):
        a, b = trim(text, m.start(), m.end())
        if a < b:
            yield a, b


CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def number(token: str) -> int | None:
    """`3`, `三`, `两` → int; None for anything else."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    return CN_NUM.get(token)
