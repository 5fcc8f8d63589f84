"""One clause (no `;`, no enumeration): its directives, then its parts (cut at commas, and before
`或` after `患者`), each giving conditions by dimension. A `或`-led part is an alternative to the
part before it; everything else is a conjunction."""

from __future__ import annotations

import re

from catalog_tool.model.rule import Condition
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules import directives, fragments, population, therapy
from catalog_tool.rules.context import Ctx, Work
from catalog_tool.rules.population import in_days
from catalog_tool.rules.text import depths, split_top, trim

_FUND = re.compile(r"(?:限)?(?P<f>生育保险|工伤保险)(?:基金)?(?:支付)?")
_OR_FUND = re.compile(r"或(?:限)?(?P<f>生育保险|工伤保险)\s*$")
_LEAD = re.compile(r"(?:限\s*:?|且应为|应为|并且|且|以及|同时|或者|或|和|另)\s*")
_ALT = re.compile(r"(?<=患者)\s*或(?!者)|(?<=治疗)和(?!/)(?=[^,;。]*的[^,;。]*治疗)")
"""Where an alternative starts inside a part: `…成人患者或2岁至<18岁…患者`, `…的一线治疗和…的治疗`."""


def parse_clause(ctx: Ctx, a: int, b: int):
    """The rule node of the clause t[a:b] (None when it holds nothing)."""
    a, b = trim(ctx.t, a, b)
    if a >= b:
        return None
    text = ctx.t[a:b]
    m = _OR_FUND.search(text)
    if m:  # 限子宫肌瘤患者或生育保险
        fund = ctx.cond(D.fund, a + m.start("f"), b, funds=[m["f"]])
        return ctx.group("any", [parse_clause(ctx, a, a + m.start()), fund])
    m = _FUND.fullmatch(text)
    if m:
        return ctx.cond(D.fund, a, b, funds=[m["f"]])
    work = Work(ctx, a, b)
    found = directives.apply(ctx, work)
    body: list[list] = []
    for sa, sb, alternative in _parts(work, a, b):
        nodes = parse_part(ctx, work.sub(sa, sb))
        if alternative and body:
            body = _or_with_previous(ctx, body, nodes)
        elif nodes:
            body.append(nodes)
    flat = [n for part in body for n in part]
    nodes = sorted(merge_findings(ctx, found + flat), key=lambda n: n.start)
    return ctx.group("all", _disjoint_ages(ctx, nodes))


def _parts(work: Work, a: int, b: int) -> list[tuple[int, int, bool]]:
    """(start, end, is an alternative to the part before) of each part."""
    out = []
    d = depths(work.s)
    for sa, sb in split_top(work.s, ",", a, b):
        cuts = [m.start() for m in _ALT.finditer(work.s, sa, sb) if d[m.start()] == 0 and m.start() > sa]
        bounds = [sa] + cuts + [sb]
        for i, (x, y) in enumerate(zip(bounds, bounds[1:])):
            alternative = i > 0 or work.s[x:y].lstrip().startswith("或")
            x, y = trim(work.s, x, y)
            if x < y:
                out.append((x, y, alternative))
    return out


def _or_with_previous(ctx: Ctx, body: list[list], nodes: list) -> list[list]:
    """`A，或B`: B is an alternative to A alone. When A is only a treatment history and B adds the
    disease (`…后进展，或不耐受含铂化疗的…肺癌患者`), the disease holds for both."""
    prev = body.pop()
    rest: list = []
    priors = [n for n in nodes if _is_prior(n)]
    if priors and all(_is_prior(n) for n in prev):
        rest = [n for n in nodes if not _is_prior(n)]
        nodes = priors
    alt = ctx.group("any", [ctx.group("all", prev), ctx.group("all", nodes)])
    return body + [[alt] if alt is not None else []] + ([rest] if rest else [])


def _is_prior(n) -> bool:
    return isinstance(n, Condition) and n.dimension is D.prior_therapy


def parse_part(ctx: Ctx, work: Work) -> list:
    """Conditions of one part; unexplained payment wording keeps it unparsed."""
    m = _LEAD.match(work.s, work.a, work.b)
    if m and m.end() > m.start():
        work.take(m.start(), m.end())
    rest = work.rest()
    if not rest:
        return []
    words = fragments.directive_words(work.s[rest[0][0]:rest[-1][1]])
    if words:
        return [ctx.unparsed(rest[0][0], rest[-1][1], "payment wording not understood: " + "、".join(dict.fromkeys(words)))]
    nodes = []
    for take in (population.take_institution, population.take_setting, population.take_sex,
                 population.take_age, therapy.take_line):
        nodes += take(ctx, work)
    nodes += fragments.build(ctx, work)
    return sorted(nodes, key=lambda n: n.start)


def _is_finding(n) -> bool:
    return isinstance(n, Condition) and n.dimension is D.diagnosis and not n.terms and not n.negated


def merge_findings(ctx: Ctx, nodes: list) -> list:
    """A finding with no disease name (`且白蛋白低于30g/L`) qualifies the disease of its clause."""
    heads = [i for i, n in enumerate(nodes) if isinstance(n, Condition) and n.dimension is D.diagnosis
             and n.terms and not n.negated]
    if not heads:
        return nodes
    out = list(nodes)
    for i, n in enumerate(nodes):
        if not _is_finding(n):
            continue
        h = max((j for j in heads if j < i), default=heads[0])
        head = out[h]
        a, b = min(head.start, n.start), max(head.end, n.end)
        out[h] = head.model_copy(update={
            "qualifiers": (head.qualifiers or []) + [n.text], "text": ctx.src[a:b], "start": a, "end": b,
        })
        out[i] = None
    return [n for n in out if n is not None]


def _range(n: Condition) -> tuple:
    lo = in_days(n.age_min) if n.age_min else -1
    hi = in_days(n.age_max) if n.age_max else 10**9
    return lo, hi


def _disjoint_ages(ctx: Ctx, nodes: list) -> list:
    """Two age ranges in one conjunction that cannot both hold (`成人患者以及…2岁以上的儿童患者`)
    are alternatives: the text lists two populations."""
    ages = [n for n in nodes if isinstance(n, Condition) and n.dimension is D.age]
    if len(ages) < 2:
        return nodes
    ranges = [_range(n) for n in ages]
    disjoint = any(r1[1] <= r2[0] or r2[1] <= r1[0] for i, r1 in enumerate(ranges) for r2 in ranges[i + 1:])
    if not disjoint:
        return nodes
    rest = [n for n in nodes if n not in ages]
    return rest + [ctx.group("any", ages)]

