"""Payment directives of a clause: duration (支付不超过N天), quantity, pre-approval, nutritional
screening, prescriber, single use, onset window, exclusions, label notes, and the connector words
that carry no condition. Each pattern takes its span out of the clause and yields rule nodes."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.context import Ctx
from catalog_tool.rules.text import HOLE

_DAYS = {"天": 1, "日": 1, "周": 7, "个月": 365 / 12, "月": 365 / 12, "年": 365}
_LEVEL = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}


def days(n: int, unit: str) -> int:
    """N units as days, rounded up (12个月 = 365 days)."""
    return math.ceil(n * _DAYS[unit] - 1e-9)


def _split_names(text: str) -> list[str]:
    """`脂肪乳、氨基酸等肠外营养药物` → [脂肪乳, 氨基酸, 肠外营养药物]."""
    out = []
    for part in re.split(r"[、,和及与或/]|等", text):
        part = part.strip(" 的")
        if part and part not in out:
            out.append(part)
    return out


Builder = Callable[[Ctx, re.Match], Iterator]


def _duration(ctx: Ctx, m: re.Match):
    n, unit = int(m["n"]), m["u"]
    scope = m.groupdict().get("scope") or ("连续使用" if "连续" in m.group() else None)
    yield ctx.cond(D.duration, m.start(), m.end(), max_days=days(n, unit), scope=scope)


def _stop_rule(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.duration, m.start(), m.end(), review_after_days=days(int(m["n"]), m["u"]), scope="连续使用")


def _inpatient(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.setting, m.start(), m.end(), settings=["住院"])


def _screening(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.screening, m.start(), m.end())


def _approval(ctx: Ctx, m: re.Match):
    ev = m.groupdict().get("ev")
    yield ctx.cond(D.pre_approval, m.start(), m.end(), qualifiers=[ev.strip()] if ev else None)


def _quantity(ctx: Ctx, m: re.Match):
    g = m.groupdict()
    per = g.get("per") or ("每日" if "每日" in m.group() else "每眼累计" if "每眼" in m.group() else None)
    yield ctx.cond(D.quantity, m.start(), m.end(), max_quantity=Decimal(m["n"]), unit=m["u"], per=per)


def _pooled(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.quantity, m.start(), m.end(), per="合并计算", pooled_with=_split_names(m["list"]))


def _eye_prescriber(ctx: Ctx, m: re.Match):
    a, b = m.start(), m.end()
    first = ctx.group("all", [ctx.cond(D.institution, a, b, min_level=_LEVEL[m["l1"]]),
                              ctx.cond(D.prescriber, a, b, specialty=m["s1"])])
    second = ctx.group("all", [ctx.cond(D.institution, a, b, min_level=_LEVEL[m["l2"]],
                                        institution_type=f"{m['s2']}专科医院"),
                               ctx.cond(D.prescriber, a, b, specialty=m["s2"])])
    yield ctx.group("any", [first, second], a, b)


def _first_prescription(ctx: Ctx, m: re.Match):
    a, b = m.start(), m.end()
    if m["lv"]:
        yield ctx.cond(D.institution, a, b, min_level=_LEVEL[m["lv"]], first_prescription=True)
    yield ctx.cond(D.prescriber, a, b, specialty=m["spec"], first_prescription=True)


def _specialist(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.prescriber, m.start(), m.end(), specialty=m["spec"])


def _title(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.prescriber, m.start(), m.end(), title=m["title"])


def _single_use(ctx: Ctx, m: re.Match):
    partners = _split_names(m["p"]) if m.groupdict().get("p") else None
    yield ctx.cond(D.single_use, m.start(), m.end(), partners=partners)


def _onset(ctx: Ctx, m: re.Match):
    yield ctx.cond(D.duration, m.start(), m.end(), onset_hours=Decimal(m["h"]))


def _label_note(ctx: Ctx, m: re.Match):
    text = m.group()
    note = ("按说明书用药" if "说明书" in text else "举例说明，不另设条件" if text.startswith("尤其")
            else "由医生决定，不另设条件" if "医生决定" in text else "范围说明：含药材及炮制后的饮片" if "饮片" in text
            else "可单药或联合使用")
    yield ctx.note(m.start(), m.end(), note)


def _exclusion(ctx: Ctx, m: re.Match):
    from catalog_tool.rules.fragments import exclusion

    yield exclusion(ctx, m.start("x"), m.end("x"), m.start(), m.end())


def _finding(ctx: Ctx, m: re.Match):
    """Evidence, baseline or regimen wording: a clinical condition of the indication, kept as text."""
    yield ctx.cond(D.diagnosis, m.start(), m.end())


def _nothing(ctx: Ctx, m: re.Match):
    return iter(())


_N = r"(?P<n>\d+)\s*"
DIRECTIVES: list[tuple[re.Pattern[str], Builder]] = [
    (re.compile(r"需?经营养风险筛查(?:\s*,\s*明确具有营养风险)?"), _screening),
    (re.compile(r"(?:需)?(?:经)?事前(?:审查|审批|备案)(?:后)?(?:方可(?:使)?用)?(?:\s*,\s*初次申请需有(?P<ev>[^;。]+?)证据)?"), _approval),
    (re.compile(r"(?:且)?(?P<scope>单次住院|单次|每次住院)?(?:最多支付|支付不超过|支付最多)" + _N + r"(?P<u>天|日|周|个月|年)"), _duration),
    (re.compile(r"连续使用不超过" + _N + r"(?P<u>天|日|周|个月|年)"), _duration),
    (re.compile(r"连续使用" + _N + r"(?P<u>天|周|个月)无效(?:时)?停药"), _stop_rule),
    (re.compile(r"(?:限)?住院(?:期间)?方(?:可|予)支付"), _inpatient),
    (re.compile(r"(?:且)?[^,;:。]{0,12}?总量每日不超过(?P<n>\d+(?:\.\d+)?)\s*(?P<u>g|mg|ml|mL|μg|支|片|粒|袋|瓶)"), _quantity),
    (re.compile(r"每眼累计最多支付" + _N + r"(?P<u>支)"), _quantity),
    (re.compile(r"(?P<per>第\d+年度|每个?年度|每年)最多支付" + _N + r"(?P<u>支)"), _quantity),
    (re.compile(r"(?P<list>[^,;:。]+?)的药品支数合并计算"), _pooled),
    (re.compile(r"需(?P<l1>[一二三])级(?:综合)?(?:医院|医疗机构)(?P<s1>[^或,;]{1,6}?科)或(?P<l2>[一二三])级及以上"
                r"(?P<s2>[^,;]{1,6}?科)专科医院医师处方"), _eye_prescriber),
    (re.compile(r"首次处方时需?由(?:(?P<lv>[一二三])级(?:及以上)?(?:医疗机构|医院))?"
                r"(?P<spec>[^,;]{0,8}?医[师生])开具处方"), _first_prescription),
    (re.compile(r"由(?P<spec>专科医[生师])"), _specialist),
    (re.compile(r"(?:需|由)?(?P<title>高级职称|副主任医师及以上|主任医师)(?:医师)?(?:处方|开具)?"), _title),
    (re.compile(r"(?:限)?(?:与|配合)(?P<p>[^,;]+?)(?:配合使用时支付|配合使用|配合用)(?:\s*,\s*单独使用(?:时)?不予支付)?"), _single_use),
    (re.compile(r"(?:限)?配合(?P<p>[^,;]+?)使?用(?=$|[,;。])"), _single_use),
    (re.compile(r"单独使用(?:时)?(?:统筹基金)?不予支付(?:\s*,\s*且全部由这些饮片组成的处方(?:统筹基金)?也不予支付)?"), _single_use),
    (re.compile(r"(?:应)?在?(?:发作|发病)(?P<h>\d+(?:\.\d+)?)小时内(?:开始)?使用"), _onset),
    (re.compile(r"\((?P<x>[^()]+?)除外\)"), _exclusion),
    (re.compile(r"但(?P<x>[^,;。]+?)除外"), _exclusion),
    (re.compile(r"不包括(?P<x>[^;。,的]+)(?:的患者)?"), _exclusion),
    (re.compile(r"本方案不适合也不推荐用于(?:患有)?(?P<x>[^;。]+)"), _exclusion),
    (re.compile(r"(?P<x>[^,;。]+?)的患者不宜接受本联合方案治疗"), _exclusion),
    (re.compile(r"(?:并)?需[^,;。]+?证据"), _finding),
    (re.compile(r"首次处方时(?!需?由)[^,;。]+"), _finding),
    (re.compile(r"(?<![^,:;限\s.])(?:可)?(?:单药或)?(?:联合[^,;:。]+?(?:联合或不联合[^,;:。]+?)?|与[^,;:。]+?(?:联合|合用)"
                r"(?:用药|使用|应用)?)(?=\s*(?:,|用于|适用于|作为|治疗(?!\()|$))"), _finding),
    (re.compile(r"(?:需)?按说明书用药"), _label_note),
    (re.compile(r"(?:作为一线化疗\s*,\s*)?也可与[^,;。]+?联合应用"), _label_note),
    (re.compile(r"尤其是[^,;。]+"), _label_note),
    (re.compile(r"说明书标明(?:的)?"), _label_note),
    (re.compile(r"(?:并)?由医生决定接受或不接受[^,;。]+"), _label_note),
    (re.compile(r"“?不得纳入基金支付范围的中药饮片”?包括药材及炮制后的饮片"), _label_note),
    (re.compile(r"可单药使用或与[^,;。]+?联合用药"), _label_note),
    # Connectors: words that join conditions and restrict nothing themselves.
    (re.compile(r"应同时符合以下条件|(?:以下|下列)情况方(?:可|予)支付|方(?:可|予)支付"), _nothing),
]
DIRECTIVES = [(re.compile(p.pattern.replace("[^", "[^" + HOLE)), build) for p, build in DIRECTIVES]
"""Negated classes never cross a part another pattern already took."""

def apply(ctx: Ctx, work) -> list:
    """Take every directive out of `work`; the nodes they yield, in text order."""
    found: list = []
    for pattern, build in DIRECTIVES:
        for m in list(work.finditer(pattern)):
            if m.end() <= m.start():
                continue
            found.extend(build(ctx, m))
            work.take(m.start(), m.end())
    return sorted(found, key=lambda n: n.start)
