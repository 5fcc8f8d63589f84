"""The state one parse carries: the source text, its normal form, and builders of rule nodes that
quote their exact span of the source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog_tool.model.rule import Condition, Dimension, Group, Note, Unparsed
from catalog_tool.rules.text import HOLE, blank, normal, pieces
from catalog_tool.rules.vocab import Vocabulary


@dataclass
class Ctx:
    """One text being parsed: `src` verbatim, `t` its normal form (same offsets)."""

    src: str
    source: str
    vocab: Vocabulary
    t: str = field(init=False)

    def __post_init__(self) -> None:
        self.t = normal(self.src)

    def _span(self, a: int, b: int) -> dict:
        return {"text": self.src[a:b], "start": a, "end": b, "source": self.source}

    def cond(self, dim: Dimension, a: int, b: int, **params) -> Condition:
        return Condition(dimension=dim, **self._span(a, b), **{k: v for k, v in params.items() if v is not None})

    def note(self, a: int, b: int, note: str) -> Note:
        return Note(note=note, **self._span(a, b))

    def unparsed(self, a: int, b: int, reason: str) -> Unparsed:
        return Unparsed(reason=reason, **self._span(a, b))

    def group(self, kind: str, children: list, a: int | None = None, b: int | None = None):
        """AND/OR of `children`, flattened; a single child stands for itself; None when empty."""
        flat: list = []
        for c in children:
            if c is None:
                continue
            if isinstance(c, Group) and c.kind == kind:
                flat.extend(c.children)
            else:
                flat.append(c)
        if not flat:
            return None
        if len(flat) == 1:
            return flat[0]
        a = min(c.start for c in flat) if a is None else a
        b = max(c.end for c in flat) if b is None else b
        return Group(kind=kind, children=flat, **self._span(a, b))


class Work:
    """A span [a, b) of the normal text in which matched parts are blanked out as they are taken."""

    def __init__(self, ctx: Ctx, a: int, b: int) -> None:
        self.ctx, self.a, self.b = ctx, a, b
        self.s = HOLE * a + ctx.t[a:b] + HOLE * (len(ctx.t) - b)
        self.nodes: list = []

    def sub(self, a: int, b: int) -> Work:
        """The part [a, b) of this work, with what is already taken still blank."""
        part = Work(self.ctx, a, b)
        part.s = HOLE * a + self.s[a:b] + HOLE * (len(self.s) - b)
        return part

    def take(self, a: int, b: int) -> None:
        self.s = blank(self.s, a, b)

    def finditer(self, pattern: re.Pattern[str]):
        return pattern.finditer(self.s, self.a, self.b)

    def search(self, pattern: re.Pattern[str], start: int | None = None):
        return pattern.search(self.s, self.a if start is None else start, self.b)

    def rest(self) -> list[tuple[int, int]]:
        """The untaken pieces, trimmed."""
        return [(a, b) for a, b in pieces(self.s[: self.b]) if a >= self.a]

    def text(self, a: int, b: int) -> str:
        return self.s[a:b]
