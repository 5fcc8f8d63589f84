"""Diagnosis conditions: the disease names of an indication mapped to ICD-10, the rest of its
wording kept as qualifiers, and a flag where the codes cannot be the whole story (an unmapped
alternative, a disease named as something to prevent)."""

from __future__ import annotations

import re

from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.context import Ctx
from catalog_tool.rules.text import HOLE, depths

CLINICAL = re.compile(
    r"病|症|炎|癌|瘤|感染|综合|损伤|损害|障碍|痛|出血|溃疡|衰竭|贫血|结石|中毒|缺乏|异常|水肿|休克|硬化|哮喘|失眠|便秘|"
    r"痴呆|骨折|血症|不全|增生|梗死|梗塞|阻塞|闭塞|栓|狭窄|梗阻|排斥|排异|抢救|急救|重症|危重|手术|积液"
)
_MODIFIER = re.compile(
    r"^(?:局部晚期|晚期|中晚期|转移性|复发性?|难治性?|进展期?|早期|新诊断|初治|轻度|中度|重度|中重度|轻中度|急性|慢性|活动性|"
    r"持续性?|不可切除|可切除|不可手术切除|高危|中危|低危|原发性?|继发性?|成人|儿童|单纯性?|野生型|遗传型|炎性|[^\w]|性|的|型|期|\s)*$"
)
_LINK = re.compile(r"伴有|伴|合并|并发|相关的?|引起的?|所致的?|导致的?|继发于|继发的?")
"""Words that join two diseases a patient has at once: `慢性肝病伴血小板减少症`."""
_FILLER_PART = re.compile(
    r"^(?:有|有明确|明确|诊断|临床|确诊|证据|且|并|因|由|如|患者|者|的|引起|导致|所致|相关|有关|伴有?|合并|继发|治疗|"
    r"症|病|型|性|等|[\s,:;、()\[\]/" + HOLE + r"])*$"
)
_ABBREV = re.compile(r"\(\s*[A-Za-z0-9+\-/ ,\ue000]*\s*\)|\((?:如|例如|包括)?\s*:?\s*\)")


def drop_negated(text: str, terms: list) -> list:
    """Terms named only to exclude them: `非肝硬化`, `无肝硬化`, `HIV阴性`."""
    out = []
    for s, e, t in terms:
        if re.search(r"(?:非|无|不伴)$", text[:s]) or re.match(r"\)?\s*阴性", text[e:]):
            continue
        out.append((s, e, t))
    return out


def qualifier_text(text: str, terms: list, offset: int) -> list[str]:
    """The wording of a fragment once its disease names are taken out, as clean phrases."""
    chars = list(text)
    for s, e, _ in terms:
        for i in range(s - offset, e - offset):
            chars[i] = HOLE
    rest = _ABBREV.sub("", "".join(chars).replace(HOLE * 2, HOLE))
    out: list[str] = []
    for part in re.split(HOLE + "+", rest):
        part = _balanced(part).strip(" 、,或和及与的且" + HOLE)
        if part and not _FILLER_PART.match(part) and part not in out:
            out.append(part)
    return out


def _balanced(part: str) -> str:
    """Drop brackets left without their partner once the disease names were cut out."""
    keep, opened = [], []
    for i, ch in enumerate(part):
        if ch == "(":
            opened.append(len(keep))
        elif ch == ")":
            if not opened:
                continue
            opened.pop()
        keep.append(ch)
    for i in reversed(opened):
        del keep[i]
    return "".join(keep)


def partial(text: str, terms: list, offset: int) -> bool:
    """Some alternative of the text (split at 、/或) names no mapped disease and is more than a modifier."""
    bounds = [(s - offset, e - offset) for s, e, _ in terms]
    d = depths(text)
    start = 0
    cuts = [m for m in re.finditer(r"[、或]", text) if d[m.start()] == 0]
    for m in cuts + [None]:
        end = m.start() if m else len(text)
        item = text[start:end]
        has_term = any(s < end and e > start for s, e in bounds)
        if not has_term and item.strip() and not _MODIFIER.match(item) and CLINICAL.search(item):
            return True
        start = m.end() if m else end
    return False


def conjuncts(text: str, terms: list, offset: int) -> list[list]:
    """Terms grouped into diseases the patient has together (`肝病伴血小板减少症` → two groups);
    terms joined by 、/或 stay alternatives of one group."""
    groups: list[list] = []
    for term in terms:
        if groups and not _LINK.search(text[groups[-1][-1][1] - offset:term[0] - offset]):
            groups[-1].append(term)
        else:
            groups.append([term])
    return groups


def condition(ctx: Ctx, a: int, b: int, terms: list, qualifiers: list[str], *, negated: bool = False,
              uncertain: bool = False):
    """One diagnosis condition from mapped terms (alternatives) and qualifier phrases."""
    names = list(dict.fromkeys(t for _, _, t in terms))
    return ctx.cond(D.diagnosis, a, b, negated=negated, terms=names or None,
                    icd10=ctx.vocab.codes(names) or None, qualifiers=qualifiers or None,
                    partial_codes=True if uncertain else None)


def from_fragment(ctx: Ctx, text: str, a: int, b: int, terms: list, quals: list[tuple[int, int]], *,
                  negated: bool = False, uncertain: bool = False) -> list:
    """Diagnosis conditions of a disease fragment t[a:b] with the findings that qualify it."""
    qualifiers = [ctx.src[x:y] for x, y in quals]
    groups = conjuncts(text, terms, a)
    out = []
    for i, group in enumerate(groups):
        ga = a if i == 0 else group[0][0]
        gb = groups[i + 1][0][0] if i + 1 < len(groups) else b
        piece = text[ga - a:gb - a]
        own = qualifier_text(piece, group, ga)
        last = i == len(groups) - 1
        span_a = min([ga] + [x for x, _ in quals]) if last else ga
        span_b = max([gb] + [y for _, y in quals]) if last else gb
        out.append(condition(ctx, span_a, span_b, group, (qualifiers if last else []) + own, negated=negated,
                             uncertain=uncertain or partial(piece, group, ga)))
    return out
