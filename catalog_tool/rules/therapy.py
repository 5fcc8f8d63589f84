"""Treatment history: the line of therapy (一线治疗, 二线用药) and prior therapy (既往接受过…治疗失败,
对…应答不佳, 未经…治疗) — what a fragment says was tried before and how it ended."""

from __future__ import annotations

import re

from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.context import Ctx, Work
from catalog_tool.rules.text import number

_LINE = re.compile(
    r"(?<![至少经过接受既往含以过])(?P<n>[一二三四1234])线(?P<what>用药|治疗|化疗)(?P<more>及以后)?(?!后|失败|达到|期间)"
)
THERAPY = re.compile(
    r"治疗|化疗|疗法|方案|(?<!耐)药(?!品监督)|剂|激素(?!受体)|胰岛素|抑制剂|单抗|DMARDs|NSAID|华法林|他汀|二甲双胍|磺脲|光疗|放疗|PUVA|TKI"
    r"|细胞因子|免疫球蛋白|铁|ESA|促红|红细胞生成|替尼|非尼|铂|紫杉|蒽环|阿比特龙|来那度胺|硼替佐米|曲妥珠"
    r"|吉西他滨|氟嘧啶|氟尿嘧啶|奥沙利铂|伊立替康|环孢素|甲氨蝶呤|甲氨喋呤|糖皮质|生物制剂|TNF|拮抗剂|抗组胺|止痛"
)
OUTCOME = re.compile(
    r"失败|进展|复发|耐药|不耐受|无法耐受|不能耐受|无效|难治|应答不足|应答不佳|应答不充分|不应答|失应答|反应不佳"
    r"|疗效欠佳|疗效不佳|疗效不充分|疗效不理想|效果欠佳|效果不佳|控制效果不佳|控制不佳|控制不良|难以控制|无法达标"
    r"|无法达到|仍不能|仍有症状|缓解不充分|不理想|下降低于|有禁忌|禁忌使用|达到完全缓解|无法控制|无法充分控制"
)
PRIOR_START = re.compile(
    r"^(?:以及|且|并且|并)?\s*(?:在|对|因|正在)?\s*(?:既往|曾经?|已经?)?\s*(?:至少)?\s*(?:未|尚未)?\s*"
    r"(?:接受过?|接受了|经过|经(?!国家|检测|检验|充分)|使用过?|用过|曾用过)|^(?:以及|且|并且)?\s*既往|^(?:以及|且)?\s*对"
)
PRIOR_MID = re.compile(
    r"(?:在|对)(?=[^的]{0,30}?(?:化疗|治疗)[^的]{0,30}?后)|既往|接受过|曾用过"
    r"|经(?!国家|检测|检验|充分|静脉)(?=[^的]{0,20}?(?:治疗|化疗))"
)
_ANY = re.compile(r"既往|已接受|曾接受|接受过|曾用过|经过")
_NEGATED = re.compile(r"未接受|未经|既往未|尚未接受|未使用")
_COUNT = re.compile(
    r"至少(?:接受过?|经过?)?\s*(?P<a>[一二两三四\d])\s*(?:种|个(?!月)|线|次)"
    r"|(?P<b>[一二两三四\d])\s*(?:线|种|个)(?:及|或)(?:以上|多|一种以上)"
    r"|接受过?(?P<c>[一二两三四\d])\s*(?:种|个|线)"
)
_GENERIC = re.compile(r"^(?:至少|一种|一线|二线|系统性?|标准|全身|传统|常规|规范|其他|既往|现有|相应的|合成|生物|单药|不能使用|无法使用|"
                      r"[一二两三四\d]+(?:种|个|线)|或多种|及以上|以上|[的和或及、]|\s)*$")
_PREFIX = re.compile(r"^(?:至少|[一二两三四\d]+\s*(?:种|个|线)(?:或多种|及以上|以上|或以上)?|系统性?|全身|标准|一线|二线|"
                     r"中等剂量|中等|以上剂量|剂量以上|以上|最大耐受剂量的?|多种|因|曾|"
                     r"接受过?|经过?|使用过?|用过|对|在|既往|含|的|\s)+")


def take_line(ctx: Ctx, work: Work) -> list:
    """`二线用药` → line ≥ 2; `一线治疗` → line 1; `一线化疗及以后` → line ≥ 1."""
    out = []
    for m in list(work.finditer(_LINE)):
        n = number(m["n"])
        exact = n == 1 and not m["more"]
        out.append(ctx.cond(D.line, m.start(), m.end(), line_min=n, line_max=n if exact else None))
        work.take(m.start(), m.end())
    return out


def is_prior(text: str, has_disease_head: bool) -> bool:
    """A fragment about earlier treatment: it starts like one, or pairs a therapy with an outcome
    and does not end on a disease name."""
    if not THERAPY.search(text) and not _NEGATED.search(text):
        return False
    if PRIOR_START.search(text) or _ANY.search(text):
        return True
    return bool(OUTCOME.search(text)) and not has_disease_head


def agents(text: str) -> list[str]:
    """Named therapies in a prior-therapy phrase (generic words such as 系统治疗 dropped)."""
    body = PRIOR_START.sub("", text, count=1)
    cut = OUTCOME.search(body)
    if cut:
        body = body[: cut.start()]
    after = re.search(r"后(?:应用|使用|接受)(.+)$", body)
    body = after.group(1) if after else re.sub(r"(?:治疗)?(?:时|期间|之后|后).*$", "", body)
    body = re.sub(r"\((?!例如|如|包括|含)[^()]*\)", "", body)
    body = re.sub(r"(?:至少\d+\s*个月|曾?发生|仍).*$", "", body)
    body = re.sub(r"\(例如|\(如|\(包括|\(含|包括|例如|应包含|包含|\)|\(", "、", body)
    out: list[str] = []
    for token in re.split(r"和/或|[、,和或及与/]|(?<!中)等|为基础的?|联合|以及", body):
        token = re.sub(r"(?:单药)?治疗.*$", "", token.strip(" 的()[]"))
        token = re.sub(r"(?:的)?(?:化疗方案|方案|药物|类药物|类)+$", "", token)
        token = _PREFIX.sub("", token).strip(" 的等")
        token = re.sub(r"(?:单药|类)$", "", token)
        if len(token) > 1 and not _GENERIC.match(token) and token not in out:
            out.append(token)
    return out


def prior_condition(ctx: Ctx, a: int, b: int, text: str, negated: bool = False):
    m = _COUNT.search(text)
    count = number(next(g for g in m.groups() if g)) if m else None
    outcome = OUTCOME.search(text)
    return ctx.cond(
        D.prior_therapy, a, b, negated=negated or bool(_NEGATED.search(text)),
        agents=agents(text) or None, min_prior_lines=count, outcome=outcome.group() if outcome else None,
    )
