"""What is left of a clause once directives, people and places are taken: cut at `的` into
fragments and classify each — disease (ICD-10 mapped), prior therapy, procedure, clinical finding
(kept as a qualifier of the disease it describes) — or keep it verbatim as unparsed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog_tool.model.rule import Dimension as D
from catalog_tool.model.rule import Unparsed
from catalog_tool.rules import diagnosis
from catalog_tool.rules.context import Ctx, Work
from catalog_tool.rules.text import HOLE, depths
from catalog_tool.rules.therapy import OUTCOME, PRIOR_MID, PRIOR_START, THERAPY, is_prior, prior_condition

_DE = re.compile(r"的(?!化疗|治疗|含|方案|药物|系统|标准|抗|药)")
_FILLER = re.compile(
    r"^(?:限|且|并且|或|以及|及|和|与|的|患者|者|人群|群体|受者|使用|用药|用于|适用于|应为|以下|下列|情况|包括|时|中|"
    r"明确|诊断|有|临床|确诊|证据|上述|同时|其他|[\s,:;()\[\]、.。" + HOLE + r"])*$"
)
_LEAD = re.compile(r"(?:限|且|并且|或者|或|以及|及|和|与|的|应为|用于|适用于|作为|并|患者|治疗(?=[^,;]*[病症癌瘤])|[\s,;:、" + HOLE + r"])+")
_TAIL = re.compile(r"(?:的|和|及|或|患者|者|时|使用|[\s,;:、" + HOLE + r"])+$")
PROCEDURE = re.compile(
    r"检查|手术|术中|术后|术前|切除术|操作|麻醉|镇静|透析|移植|介入|溶栓|冲洗|示踪|成像|插管|机械通气|放疗|放化疗"
    r"|抗凝处理|CRRT|肾脏替代治疗|导管术|体外循环|辅助生殖技术|镜"
)
_DIRECTIVE = re.compile(
    r"支付|不予|方可|方予|(?<!不)需(?!要|阿片)|应(?=在|同时|接受|为|按|经|由|于|当)|不超过(?!\s*\d+\s*[种线个])|最多|累计|"
    r"审批|审查|合并计算|处方|开具|医师|医生|不推荐|说明书|除外|不包括|停药|安全性|有效性|本方案|本联合方案"
)
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_NOT_DONE = re.compile(r"无法|不可|不能|不宜|不适合|不适于|不需|未|^非")
_DISEASE_END = re.compile(r"(?:感染|炎症?|症|病|痛|出血|损伤|反应)$")
_PREVENT = re.compile(r"预防|降低[^,;。]*?风险|接触者")
_ANCHOR_END = re.compile(r"(?:至少|既往|曾经?|已经?|未|尚未|治疗已)\s*$")
"""`至少接受过…`, `未经…治疗`: the words before the verb belong to the history, not before it."""
_SPLIT_PRIOR = re.compile(r"但(?=未|既往|接受)|且(?=既往|未接受|未经|[^,;]{0,30}?(?:癌|瘤|病)$)")


@dataclass
class Frag:
    a: int
    b: int
    kind: str
    terms: list = field(default_factory=list)


def directive_words(text: str) -> list[str]:
    """Payment words outside brackets that no directive pattern explained."""
    d = depths(text)
    return [m.group() for m in _DIRECTIVE.finditer(text) if d[m.start()] == 0]


def _cut(work: Work, a: int, b: int) -> list[tuple[int, int]]:
    """Split at `的` outside brackets, then trim connector words at both ends."""
    d = depths(work.s)
    cuts, start = [], a
    for m in _DE.finditer(work.s, a, b):
        if d[m.start()] == 0:
            cuts.append((start, m.start()))
            start = m.end()
    cuts.append((start, b))
    out = []
    for x, y in cuts:
        m = _LEAD.match(work.s, x, y)
        x = m.end() if m else x
        m = _TAIL.search(work.s, x, y)
        y = m.start() if m else y
        if y > x and not _FILLER.match(work.s[x:y]):
            out.append((x, y))
    return out


def _head_at_end(text: str, terms: list) -> bool:
    """Chinese is head-final: a disease fragment ends on (or just after) its disease name."""
    if not terms:
        return False
    tail = re.sub(r"\([^()]*\)|[\s" + HOLE + "]", "", text[terms[-1][1]:])
    return len(tail) <= 6


def classify(ctx: Ctx, work: Work) -> list[Frag]:
    """Fragments of the untaken text, in order, with their kind."""
    out: list[Frag] = []
    for a, b in work.rest():
        for x, y in _cut(work, a, b):
            kinds = _kinds(ctx, work, x, y)
            prev, first = (out[-1] if out else None), kinds[0]
            if prev and first.kind == "prior" and (
                (prev.kind != "prior" and work.s.startswith("既往", prev.a))  # 既往传统的…药疗效不佳
                or (prev.kind == "prior" and not OUTCOME.search(work.s, prev.a, prev.b))  # 接受最大剂量的他汀…
            ):
                kinds[0] = Frag(out.pop().a, first.b, "prior")
            out.extend(kinds)
    return out


def _kinds(ctx: Ctx, work: Work, a: int, b: int) -> list[Frag]:
    text = work.s[a:b]
    terms = ctx.vocab.find_terms(text)
    mid = PRIOR_MID.search(text, 1)
    left = text[:mid.start()] if mid else ""
    if (mid and is_prior(text[mid.start():], False) and not is_prior(left, False)
            and not _ANCHOR_END.search(left) and not left.startswith("既往")):
        p = a + mid.start()  # 卵巢癌患者在含铂化疗达到缓解后: the disease, then its history
        return _kinds(ctx, work, a, p) + _kinds(ctx, work, p, b)
    if PRIOR_START.search(text) and PROCEDURE.search(text) and not THERAPY.search(re.sub("治疗", "", text)):
        return [Frag(a, b, "procedure")]  # 接受血液透析, 计划接受手术
    if is_prior(text, _head_at_end(text, terms)):
        return _prior_parts(ctx, work, a, b)
    terms = diagnosis.drop_negated(text, terms)
    if terms:
        return [Frag(a, b, "disease", [(s + a, e + a, t) for s, e, t in terms])]
    if PROCEDURE.search(text) and not _NOT_DONE.search(text) and not _DISEASE_END.search(text):
        return [Frag(a, b, "procedure")]
    if _WORDS.search(text):
        return [Frag(a, b, "finding")]  # indication wording: kept verbatim as a qualifier
    return [Frag(a, b, "unknown")]  # digits and signs only


def _prior_parts(ctx: Ctx, work: Work, a: int, b: int) -> list[Frag]:
    """A history phrase ends where a second history (`但未接受过…`) or the disease (`、无肝硬化…`,
    `且HER2过表达…尿路上皮癌`) begins."""
    text = work.s[a:b]
    d = depths(text)
    m = next((m for m in _SPLIT_PRIOR.finditer(text) if d[m.start()] == 0), None)
    if m:
        return _prior_parts(ctx, work, a, a + m.start()) + _kinds(ctx, work, a + m.end(), b)
    last = max((m.end() for m in list(THERAPY.finditer(text)) + list(OUTCOME.finditer(text))), default=0)
    for m in re.finditer("、", text):
        if m.start() >= last and d[m.start()] == 0 and ctx.vocab.find_terms(text[m.end():]):
            return [Frag(a, a + m.start(), "prior")] + _kinds(ctx, work, a + m.end(), b)
    return [Frag(a, b, "prior")]


def procedure(ctx: Ctx, frag: Frag):
    text = ctx.t[frag.a:frag.b]
    names = [p.strip(" 的") for p in re.split(r"或者|以及|[、和及或]", text) if PROCEDURE.search(p)]
    return ctx.cond(D.procedure, frag.a, frag.b, procedures=names or [text])


def build(ctx: Ctx, work: Work, negated: bool = False) -> list:
    """Conditions from the fragments of `work`; findings qualify the disease that follows them
    (or the last one); with no disease they form a condition of their own."""
    frags = classify(ctx, work)
    prevent = _PREVENT.search(work.s, work.a, work.b)
    nodes, diseases, pending = [], [], []
    for f in frags:
        if f.kind == "prior":
            nodes.append(prior_condition(ctx, f.a, f.b, ctx.t[f.a:f.b], negated))
        elif f.kind == "procedure":
            nodes.append(procedure(ctx, f))
        elif f.kind == "disease":
            diseases.append([f, pending])
            pending = []
        elif f.kind == "finding":
            pending.append(f)
        else:
            nodes.append(ctx.unparsed(f.a, f.b, "no clinical term, therapy or procedure recognised"))
    if pending and diseases:
        diseases[-1][1] = diseases[-1][1] + pending
    elif pending:
        nodes.append(ctx.cond(D.diagnosis, pending[0].a, pending[-1].b, negated=negated))
    for i, (f, quals) in enumerate(diseases):
        text = work.s[f.a:f.b]
        later_or = any("或" in work.s[g.a:g.b] and len({t for *_, t in g.terms}) > 1 for g, _ in diseases[i + 1:])
        uncertain = bool(prevent) or later_or  # 预防…感染 (the disease may not be there yet); A所致的B或C
        if negated and not _head_at_end(text, [(s - f.a, e - f.a, t) for s, e, t in f.terms]):
            nodes.append(ctx.cond(D.diagnosis, f.a, f.b, negated=True))  # 不包括流感相关并发症: not influenza
            continue
        nodes += diagnosis.from_fragment(ctx, text, f.a, f.b, f.terms, [(q.a, q.b) for q in quals],
                                         negated=negated, uncertain=uncertain)
    return sorted(nodes, key=lambda n: n.start)


def exclusion(ctx: Ctx, xa: int, xb: int, a: int, b: int):
    """`(严重肝功能不全者除外)`, `不包括…的患者`: one negated condition quoting the whole phrase."""
    work = Work(ctx, xa, xb)
    nodes = build(ctx, work, negated=True)
    if len(nodes) == 1 and not isinstance(nodes[0], Unparsed):
        return nodes[0].model_copy(update={"text": ctx.src[a:b], "start": a, "end": b})
    return ctx.unparsed(a, b, "exclusion not understood")
