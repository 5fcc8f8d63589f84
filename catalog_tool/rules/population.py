"""Who and where: age (成人, 6岁及以上儿童, 2岁至<18岁 …), sex, institution level (二级及以上医疗机构)
and setting (门诊/住院) found inside a clause. Each finding is taken out of the clause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from catalog_tool.model.rule import AgeBound
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.context import Ctx, Work

_NUM = r"\d+(?:\.\d+)?"
_UNIT = r"(?:周岁|岁|月龄|个月|日龄)"
_RUNIT = r"(?:周岁|岁|月龄|日龄)"
_ATOMS = re.compile(
    rf"(?:年龄)?(?P<op>≥|>|≤|<|大于|小于|超过|不满|未满)\s*(?P<n>{_NUM})\s*(?P<u>{_UNIT})(?P<dir>及以上|以上|以下)?"
    rf"|(?P<r1>{_NUM})\s*(?P<ru1>{_RUNIT})?\s*(?:至|-|~|到)\s*(?P<rop><|≤)?\s*(?P<r2>{_NUM})\s*(?P<ru2>{_RUNIT})(?P<below>以下)?"
    rf"|(?P<d>{_NUM})\s*(?P<du>{_UNIT})(?:及|或)?(?:\s*(?P=d)\s*(?P=du))?(?P<ddir>及以上|以上|以下|以内)"
    rf"|(?P<b>{_NUM})\s*(?P<bu>周岁|岁|月龄|日龄)"
)
_UNITS = {"周岁": "岁", "岁": "岁", "月龄": "月", "个月": "月", "日龄": "日"}
_PER_DAY = {"岁": Decimal("365.25"), "月": Decimal("30.4375"), "日": Decimal(1)}
_JOIN = re.compile(r"^[\s和及、或与()\[\]]*$")
_SEX = re.compile(r"女性|妇女|男性")
_LEVEL = re.compile(r"(?:限)?(?:在)?(?P<lv>[一二三123])级(?P<up>及以上|以上)?(?P<type>定点医疗机构|医疗机构|专科医院|医院)(?:使用)?")
_SETTING = re.compile(r"(?:限)?(?P<s>门诊|住院|急诊)(?:或(?P<s2>门诊|住院|急诊))?(?!医)(?:患者)?(?:使用)?")
_LEVELS = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}


def in_days(bound: AgeBound) -> Decimal:
    return bound.value * _PER_DAY[bound.unit]


@dataclass
class _Atom:
    a: int
    b: int
    lo: AgeBound | None
    hi: AgeBound | None
    word: bool


def _bound(n: str, unit: str, inclusive: bool) -> AgeBound:
    return AgeBound(value=Decimal(n), unit=_UNITS[unit], inclusive=inclusive)


def _numeric(m: re.Match) -> tuple[AgeBound | None, AgeBound | None]:
    if m["op"]:
        op, bound = m["op"], (m["n"], m["u"])
        if op in ("≥", ">", "大于", "超过") or (m["dir"] or "").endswith("以上"):
            return _bound(*bound, op == "≥" or bool(m["dir"] and "及" in m["dir"])), None
        return None, _bound(*bound, op == "≤")
    if m["r1"]:
        unit = m["ru2"]
        return _bound(m["r1"], m["ru1"] or unit, True), _bound(m["r2"], unit, not (m["rop"] == "<" or m["below"]))
    if m["d"]:
        if m["ddir"].endswith("以上"):
            return _bound(m["d"], m["du"], True), None
        return None, _bound(m["d"], m["du"], m["ddir"] == "以内")
    return _bound(m["b"], m["bu"], True), _bound(m["b"], m["bu"], True)


def _atoms(ctx: Ctx, work: Work) -> list[_Atom]:
    taken = [(a, b) for a, b, _ in ctx.vocab.find_terms(work.s[: work.b]) if a >= work.a]
    out = [_Atom(m.start(), m.end(), *_numeric(m), word=False) for m in work.finditer(_ATOMS)]
    for m in work.finditer(ctx.vocab.population_pattern):
        if any(a <= m.start() < b for a, b in taken):
            continue  # 婴儿痉挛症, 新生儿败血症: part of a disease name
        lo, hi = ctx.vocab.populations[m.group()]
        out.append(_Atom(m.start(), m.end(), lo, hi, word=True))
    return sorted(out, key=lambda x: x.a)


def _intersect(num: _Atom, word: _Atom) -> tuple[AgeBound | None, AgeBound | None]:
    lo = max((x for x in (num.lo, word.lo) if x), key=in_days, default=None)
    hi = min((x for x in (num.hi, word.hi) if x), key=in_days, default=None)
    return lo, hi


def _terms(ctx: Ctx, work: Work, atoms: list[_Atom]) -> tuple[list, list[str]]:
    """Numbers that qualify the next population word (`6岁及以上儿童`) or the one before
    (`青少年(12岁以上)`) intersect with it; the rest stand alone."""
    terms, qualifiers, used = [], [], set()
    for i, x in enumerate(atoms):
        if i in used:
            continue
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if not x.word and nxt is not None and nxt.word:
            gap = work.text(x.b, nxt.a)
            if re.fullmatch(r"[^,;和及或、]{0,12}", gap) and not ctx.vocab.find_terms(gap):
                extra = gap.strip(" 的且")
                if extra:
                    qualifiers.append(extra)
                terms.append(_intersect(x, nxt))
                used.add(i + 1)
                continue
        if x.word and nxt is not None and not nxt.word and re.fullmatch(r"\s*[(\[]\s*", work.text(x.b, nxt.a)):
            terms.append(_intersect(nxt, x))
            used.add(i + 1)
            continue
        terms.append((x.lo, x.hi))
    return terms, qualifiers


def _union(terms: list) -> tuple[AgeBound | None, AgeBound | None]:
    los, his = [t[0] for t in terms], [t[1] for t in terms]
    lo = None if any(x is None for x in los) else min(los, key=in_days)
    hi = None if any(x is None for x in his) else max(his, key=in_days)
    return lo, hi


def take_age(ctx: Ctx, work: Work) -> list:
    """Age conditions: adjacent population atoms joined by 和/及/、 form one union."""
    atoms = _atoms(ctx, work)
    groups: list[list[_Atom]] = []
    for x in atoms:
        if groups:
            prev = groups[-1][-1]
            gap = work.text(prev.b, x.a)
            if _JOIN.match(gap) or (not prev.word and x.word and re.fullmatch(r"[^,;和及或、]{0,12}", gap)
                                    and not ctx.vocab.find_terms(gap)):
                groups[-1].append(x)
                continue
        groups.append([x])
    out = []
    for g in groups:
        a, b = g[0].a, g[-1].b
        while b < work.b and work.s[b] in ")]" and "(" in work.s[a:b] and work.s[a:b].count("(") > work.s[a:b].count(")"):
            b += 1
        terms, qualifiers = _terms(ctx, work, g)
        lo, hi = _union(terms)
        out.append(ctx.cond(D.age, a, b, age_min=lo, age_max=hi, qualifiers=qualifiers or None))
        work.take(a, b)
    return out


def take_sex(ctx: Ctx, work: Work) -> list:
    out = []
    for m in list(work.finditer(_SEX)):
        out.append(ctx.cond(D.sex, m.start(), m.end(), sex="男" if m.group() == "男性" else "女"))
        work.take(m.start(), m.end())
    return out


def take_institution(ctx: Ctx, work: Work) -> list:
    out = []
    for m in list(work.finditer(_LEVEL)):
        lv = _LEVELS[m["lv"]]
        out.append(ctx.cond(D.institution, m.start(), m.end(), min_level=lv, max_level=None if m["up"] else lv,
                            institution_type="专科医院" if m["type"] == "专科医院" else None))
        work.take(m.start(), m.end())
    return out


def take_setting(ctx: Ctx, work: Work) -> list:
    out = []
    for m in list(work.finditer(_SETTING)):
        settings = [s for s in (m["s"], m["s2"]) if s]
        out.append(ctx.cond(D.setting, m.start(), m.end(), settings=settings))
        work.take(m.start(), m.end())
    return out
