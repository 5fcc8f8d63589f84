"""`parse(text)`: a restriction text (备注) as a structured `Restriction`. Deterministic and cached:
an edition repeats the same texts, and each distinct text is parsed once."""

from __future__ import annotations

from functools import lru_cache

from catalog_tool.model.rule import Restriction
from catalog_tool.rules.context import Ctx
from catalog_tool.rules.segment import parse_block
from catalog_tool.rules.text import trim
from catalog_tool.rules.vocab import Vocabulary, vocabulary

GROUPED_MARK = "◇"


def parse(text: str | None, source: str = "备注", vocab: Vocabulary | None = None) -> Restriction:
    """The structure of `text`; never raises. Empty text restricts nothing; `◇` marks a grouped
    entry (凡例（十）), not a restriction."""
    return _parse(text or "", source, vocab or vocabulary())


@lru_cache(maxsize=16384)
def _parse(text: str, source: str, vocab: Vocabulary) -> Restriction:
    stripped = text.strip()
    if not stripped:
        return Restriction(text=text, source=source)
    if stripped == GROUPED_MARK:
        return Restriction(text=text, source=source, grouped=True)
    ctx = Ctx(text, source, vocab)
    a, b = trim(ctx.t, 0, len(ctx.t))
    root = parse_block(ctx, a, b)
    if root is None:  # only punctuation and connector words
        root = ctx.unparsed(a, b, "no condition found") if a < b else None
    return Restriction(text=text, source=source, root=root)


def cache_clear() -> None:
    _parse.cache_clear()
