"""Cosmetic normalisation: text that differs only typographically compares equal.

Folded: full-width ASCII (（）－：；，…) to half-width, dash variants to `-`, every kind of space and
line wrap removed, a `、` left after `；` where a converter joined printed lines (`13.60元(…)；、66.82元`),
the two notations of a confidential price (`企业申请价格保密` as the 2024 query service words it — it even
replaced the `*` of `14cm*10cm` — and `*` as the 2025 list prints it), and for names the joiner of stacked names (`、`, `/`). Not folded: Roman numerals
such as `Ⅱ` (U+2161) stay distinct from the Latin letters `II`, because NFKC would merge them and
`奥美拉唑碳酸氢钠胶囊（Ⅱ）` is a different product from a hypothetical `…(II)`.
"""

from __future__ import annotations

import re

# Full-width ASCII block U+FF01..U+FF5E maps to U+0021..U+007E; dash look-alikes map to "-".
_FULL = [chr(c) for c in range(0xFF01, 0xFF5F)]
_HALF = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)]
_DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\u2014"]
_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_JOINERS = ("、", "/")
_JOIN_ARTEFACT = re.compile(r"(?<=[;；])、")
CONFIDENTIAL = "企业申请价格保密"
_TABLE = str.maketrans({**dict(zip(_FULL, _HALF)), **{d: "-" for d in _DASHES}, "\u3000": " "})

PATTERN_FROM = _FULL + _DASHES
PATTERN_TO = _HALF + ["-"] * len(_DASHES)
SPACE_PATTERN = r"[\s\u3000\u00a0\u200b\ufeff]+"


def normalize_text(text: str | None) -> str:
    """Cosmetic form of free text (备注, 支付标准): widths, dashes and spacing folded."""
    if not text:
        return ""
    return _JOIN_ARTEFACT.sub("", _SPACE_RE.sub("", text.translate(_TABLE))).replace(CONFIDENTIAL, "*")


def normalize_name(text: str | None) -> str:
    """Cosmetic form of a drug name or dosage form: also ignores how stacked names are joined."""
    out = normalize_text(text)
    for j in _JOINERS:
        out = out.replace(j, "")
    return out


def text_expr(col: str):
    """The polars expression computing `normalize_text` over a column, vectorised."""
    import polars as pl

    return (
        pl.col(col).fill_null("").str.replace_many(PATTERN_FROM, PATTERN_TO)
        .str.replace_all(SPACE_PATTERN, "").str.replace_all(";、", ";", literal=True)
        .str.replace_all(CONFIDENTIAL, "*", literal=True)
    )


def name_expr(col: str):
    """The polars expression computing `normalize_name` over a column."""
    return text_expr(col).str.replace_all("[、/]", "")
