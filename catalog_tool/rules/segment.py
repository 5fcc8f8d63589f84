"""The logical outline of a restriction text: enumerations `1.…；2.…` (alternatives, or all of
them after `应同时符合以下条件`), sentences (all hold), `:` headers (header and body both hold) and
`;`-separated indications (alternatives)."""

from __future__ import annotations

import re

from catalog_tool.model.rule import Condition, Group
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.clause import parse_clause
from catalog_tool.rules.context import Ctx
from catalog_tool.rules.text import depths, split_top, trim

_DOT = re.compile(r"(\d{1,2})\s*\.")
_PAREN = re.compile(r"\((\d{1,2})\)")
_AFTER = set(":;。,.限")
_ALL = re.compile(r"同时符合|均需|均应|全部符合")
_INDICATION = {D.diagnosis, D.procedure, D.prior_therapy, D.line, D.age, D.sex, D.fund}


def _markers(t: str, a: int, b: int, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    d = depths(t)
    out = []
    for m in pattern.finditer(t, a, b):
        if pattern is _DOT and d[m.start()] != 0:
            continue
        i = m.start() - 1
        while i >= a and t[i].isspace():
            i -= 1
        if i < a or t[i] in _AFTER:
            out.append((m.start(), m.end(), int(m.group(1))))
    return out


def _runs(markers: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Numbered items 1, 2, 3 … in order; a new `1` starts a new list; strays are text."""
    runs, cur = [], []
    for mk in markers:
        if mk[2] == 1:
            if len(cur) >= 2:
                runs.append(cur)
            cur = [mk]
        elif cur and mk[2] == cur[-1][2] + 1:
            cur.append(mk)
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _end_of_last(t: str, a: int, b: int) -> int:
    """The last item of a list ends at the first full stop outside brackets."""
    d = depths(t)
    for i in range(a, b):
        if t[i] == "。" and d[i] == 0:
            return i
    return b


def parse_block(ctx: Ctx, a: int, b: int):
    """Rule node of t[a:b]: its enumerations, or else its sentences."""
    t = ctx.t
    runs = _runs(_markers(t, a, b, _DOT)) or _runs(_markers(t, a, b, _PAREN))
    if not runs:
        return parse_sentences(ctx, a, b)
    parts, pos = [], a
    for run in runs:
        preamble = (pos, run[0][0])
        items = []
        for i, (_, start, _) in enumerate(run):
            end = run[i + 1][0] if i + 1 < len(run) else _end_of_last(t, start, b)
            items.append(parse_block(ctx, *trim(t, start, end)))
        kind = "all" if _ALL.search(t[preamble[0]:preamble[1]]) else "any"
        parts.append(parse_sentences(ctx, *preamble))
        parts.append(ctx.group(kind, items))
        pos = _end_of_last(t, run[-1][1], b)
    parts.append(parse_sentences(ctx, pos, b))
    return ctx.group("all", parts)


def parse_sentences(ctx: Ctx, a: int, b: int):
    """Sentences (`。`) all hold; within one, `:` joins a header to its body."""
    nodes = []
    for sa, sb in split_top(ctx.t, "。", a, b):
        pieces = [parse_alternatives(ctx, x, y) for x, y in split_top(ctx.t, ":", sa, sb)]
        nodes.append(ctx.group("all", pieces))
    return ctx.group("all", nodes)


def _indication(node) -> bool:
    if isinstance(node, Condition):
        return node.dimension in _INDICATION
    if isinstance(node, Group):
        return any(_indication(c) for c in node.children)
    return False


def parse_alternatives(ctx: Ctx, a: int, b: int):
    """`;`-separated parts: indications are alternatives; payment limits hold for all of them."""
    nodes = [n for n in (parse_clause(ctx, x, y) for x, y in split_top(ctx.t, ";", a, b)) if n is not None]
    indications = [n for n in nodes if _indication(n)]
    limits = [n for n in nodes if not _indication(n)]
    return ctx.group("all", limits + [ctx.group("any", indications)])
