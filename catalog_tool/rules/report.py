"""Verdicts as models: one `LineVerdict` per claim line with the deciding condition quoted from
its source, and a `CheckSummary` with line counts and amounts per verdict."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np

from catalog_tool.model.claim import CheckSummary, LineVerdict, Verdict, VerdictTotal
from catalog_tool.model.rule import Condition, Note, Unparsed
from catalog_tool.rules.checks import CHECKS, check
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
    claim = cols.line(i)
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


WHY_FIELDS = ("verdict", "dimension", "quote", "source", "reason")
FIELDS = ("row", "claim_id", "drug", *WHY_FIELDS, "amount")


def columns(engine: Engine, cols: Columns, result: Result) -> dict[str, list]:
    """Every line explained, column by column in `FIELDS` (the `LineVerdict` JSON fields). The drug
    label depends only on the line's catalog row, and the explanation only on its verdict, deciding
    node and the facts that node reads: each distinct one is made once, and a column is its
    distinct values gathered by each line's index (no object per line: 1,000,000 lines stream)."""
    labels, label_of = _labels(engine, cols, result)
    whys, why_of = _whys(engine, cols, result)

    def gather(values: list, index) -> list:
        table = np.empty(len(values), dtype=object)
        table[:] = values
        return table[index].tolist()

    out = {"row": cols.rows.tolist(), "claim_id": gather(list(cols.values["claim_id"]), cols.codes["claim_id"]),
           "drug": gather(labels, label_of)}
    for k in WHY_FIELDS:
        out[k] = gather([w[k] for w in whys], why_of)
    out["amount"] = gather([None if a is None else str(a) for a in cols.values["amount"]], cols.codes["amount"])
    return out


def records(engine: Engine, cols: Columns, result: Result) -> Iterator[dict]:
    """Every line explained, as `LineVerdict` JSON records (`model_dump(mode="json")`)."""
    data = columns(engine, cols, result)
    for values in zip(*(data[f] for f in FIELDS)):
        yield dict(zip(FIELDS, values))


def _labels(engine: Engine, cols: Columns, result: Result) -> tuple[list[str], np.ndarray]:
    """Drug label per line: the catalog row's, or the identifier of a line not found."""
    label_of = np.zeros(cols.n, dtype=np.int64)
    labels: list[str] = []
    found, missing = np.flatnonzero(result.row >= 0), np.flatnonzero(result.row < 0)
    for idx, inverse in ((found, np.unique(result.row[found], return_inverse=True)[1]),
                         (missing, cols.distinct(("code", "section", "number"), missing)[1])):
        if not len(idx):
            continue
        inverse = inverse.reshape(-1)
        label_of[idx] = len(labels) + inverse
        labels.extend(_drug(engine, cols, result, int(idx[j])) for j in np.unique(inverse, return_index=True)[1])
    return labels, label_of


def _whys(engine: Engine, cols: Columns, result: Result) -> tuple[list[dict], np.ndarray]:
    """Verdict, dimension, quote, source and reason per line, one explanation per distinct case."""
    why_of = np.zeros(cols.n, dtype=np.int64)
    whys: list[dict] = []
    if not cols.n:
        return whys, why_of
    outcome = np.stack([result.verdict, result.decider, result.forced]).T.astype(np.int64)
    _, group = np.unique(outcome, axis=0, return_inverse=True)
    group = group.reshape(-1)
    order = np.argsort(group, kind="stable")
    keep = ("verdict", "dimension", "quote", "source", "reason")
    for idx in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        first = int(idx[0])
        node = engine.nodes[int(result.decider[first])] if result.decider[first] >= 0 else None
        if isinstance(node, Condition):
            fields, fn = CHECKS[node.dimension]
            combos, inverse = cols.distinct(fields, idx)
        else:
            inverse = np.zeros(len(idx), dtype=np.int64)
        why_of[idx] = len(whys) + inverse.reshape(-1)
        if isinstance(node, Condition):  # the common case, without building a model per case
            verdict = VERDICTS[int(result.verdict[first])].value
            head = {"verdict": verdict, "dimension": node.dimension.value, "quote": node.text or None,
                    "source": node.source}
            whys.extend({**head, "reason": fn(node, *combo)[1]} for combo in combos)  # as `check` would
            continue
        full = explain(engine, cols, result, first).model_dump(mode="json")
        whys.append({k: full[k] for k in keep})
    return whys, why_of


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
