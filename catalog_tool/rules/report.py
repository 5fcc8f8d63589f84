"""Verdicts as models: one `LineVerdict` per claim line with the deciding condition quoted from
its source, and a `CheckSummary` with line counts and amounts per verdict."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np

from catalog_tool.model.claim import CheckSummary, LineVerdict, Verdict, VerdictTotal
from catalog_tool.model.rule import Condition, Note, Unparsed
from catalog_tool.rules.checks import check
from catalog_tool.rules.columns import Columns
from catalog_tool.rules.engine import VERDICTS, Engine, Result

_REASONS = {
    "not_found": "目录内未找到该药品，按目录外药品不予支付",
    "ambiguous": "该编号对应多行且限定支付范围不同，需指明剂型或药品代码",
    "excluded": "属不得纳入基金支付范围的中药饮片",
    "not_bound": "工伤保险支付药品费用时不受限定支付范围限制",
}


def _drug(engine: Engine, cols: Columns, result: Result, i: int) -> str:
    r = int(result.row[i])
    if r >= 0:
        row = engine.book.rows[r]
        return " ".join(x for x in (row.section, row.number, row.name) if x)
    ident = cols.value("code", i) or " ".join(x for x in (cols.value("section", i) or "西药部分",
                                                          cols.value("number", i)) if x)
    return ident or "（未标明药品）"


def explain(engine: Engine, cols: Columns, result: Result, i: int) -> LineVerdict:
    """Line `i` with the condition that decided it and why."""
    verdict = VERDICTS[int(result.verdict[i])]
    d = int(result.decider[i])
    node = engine.nodes[d] if d >= 0 else None
    claim = cols.claim(i)
    base = {"row": claim.row, "claim_id": claim.claim_id, "drug": _drug(engine, cols, result, i),
            "verdict": verdict, "amount": claim.amount}
    if node is None:
        return LineVerdict(**base, reason="无限定支付范围")
    quote = {"quote": node.text or None, "source": node.source}
    if isinstance(node, Condition):
        _, why = check(node, claim)
        return LineVerdict(**base, dimension=node.dimension.value, reason=why, **quote)
    if isinstance(node, Unparsed):
        why = "限定支付范围中有未能结构化的文字，需人工审核"
        if result.forced[i]:
            why += "（结构化部分单独判定不为待审）"
        return LineVerdict(**base, dimension="未解析", reason=why, **quote)
    assert isinstance(node, Note)
    if node.note == "not_bound":
        return LineVerdict(**base, dimension="险种", reason=_REASONS["not_bound"], **quote)
    return LineVerdict(**base, reason=_REASONS.get(node.note, node.note), **quote)


def lines(engine: Engine, cols: Columns, result: Result) -> Iterator[LineVerdict]:
    for i in range(cols.n):
        yield explain(engine, cols, result, i)


def summary(edition: str, cols: Columns, result: Result) -> CheckSummary:
    """Line counts per verdict, and amounts where the lines carry them."""
    amounts = cols.values["amount"]
    codes = cols.codes["amount"]
    totals = []
    for code, verdict in ((2, Verdict.pay), (0, Verdict.deny), (1, Verdict.review)):
        mask = result.verdict == code
        counts = np.bincount(codes[mask], minlength=len(amounts))
        amount = sum((Decimal(int(k)) * a for k, a in zip(counts, amounts) if a is not None and k), Decimal(0))
        has_amount = any(a is not None for a in amounts)
        totals.append(VerdictTotal(verdict=verdict, lines=int(mask.sum()), amount=amount if has_amount else None))
    return CheckSummary(edition=edition, lines=cols.n, totals=totals)
