"""Decide PAY / DENY / REVIEW for many claim lines at once. Lines are grouped by the rule of their
catalog row; each condition is checked once per distinct combination of the facts it reads; AND
is the minimum and OR the maximum of DENY < REVIEW < PAY, kept with the condition that decided."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog_tool.model.claim import Verdict
from catalog_tool.model.rule import Condition, Group, Note, Restriction, Unparsed, walk
from catalog_tool.model.rule import Dimension as D
from catalog_tool.rules.checks import CHECKS, RANK
from catalog_tool.rules.columns import Columns
from catalog_tool.rules.edition import EXCLUDED_SECTION, RuleBook

DENY, REVIEW, PAY = 0, 1, 2
NOT_FOUND, AMBIGUOUS, EXCLUDED, NOT_BOUND = (
    Note(text=t, start=0, end=len(t), source=s, note=k)
    for t, s, k in (
        ("目录内未找到该药品", "目录", "not_found"),
        ("同一编号有多个限定支付范围不同的行，需指明剂型或药品代码", "目录", "ambiguous"),
        ("不得纳入基金支付范围的中药饮片", "目录", "excluded"),
        ("", "凡例", "not_bound"),
    )
)
_ANCHORS = {D.screening, D.procedure}


@dataclass
class Result:
    """Per line: verdict code (0 DENY, 1 REVIEW, 2 PAY), deciding node id (-1: none), row (-1/-2:
    not found / ambiguous), and whether an unparsed part overrode the structured verdict."""

    verdict: np.ndarray
    decider: np.ndarray
    row: np.ndarray
    forced: np.ndarray


class Engine:
    """Evaluates claim columns against one rule book."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.nodes: list = [NOT_FOUND, AMBIGUOUS, EXCLUDED, book.fanli.quote("not_bound")]
        self._ids: dict[int, int] = {id(n): i for i, n in enumerate(self.nodes)}
        self._keys: dict[tuple, int] = {}
        self._trees: list[tuple[list[Restriction], object]] = []
        self.row_key = np.array([self._key(r.restrictions) for r in book.rows] or [0], dtype=np.int32)

    def node_id(self, node) -> int:
        i = self._ids.get(id(node))
        if i is None:
            self.nodes.append(node)
            i = self._ids[id(node)] = len(self.nodes) - 1
        return i

    def _key(self, restrictions: list[Restriction]) -> int:
        live = [r for r in restrictions if r.root is not None]
        key = tuple(id(r) for r in live)
        if key not in self._keys:
            self._keys[key] = len(self._trees)
            self._trees.append((live, _conjunction(live)))
        return self._keys[key]

    # -- locating rows ----------------------------------------------------------------------
    def locate(self, cols: Columns) -> np.ndarray:
        """Row of the rule book each line names: -1 not found, -2 several rows with different rules."""
        fields = ("code", "section", "number", "dosage_form")
        combos, inverse = cols.distinct(fields, np.arange(cols.n))
        found = np.empty(len(combos), dtype=np.int64)
        for j, combo in enumerate(combos):
            hits = self.book.find(*combo)
            keys = {int(self.row_key[h]) for h in hits}
            found[j] = hits[0] if len(keys) == 1 else (-1 if not hits else -2)
        return found[inverse]

    # -- evaluating -------------------------------------------------------------------------
    def run(self, cols: Columns, rows: np.ndarray | None = None) -> Result:
        rows = self.locate(cols) if rows is None else rows
        n = cols.n
        verdict = np.full(n, PAY, dtype=np.int8)
        decider = np.full(n, -1, dtype=np.int32)
        forced = np.zeros(n, dtype=bool)
        verdict[rows == -1], decider[rows == -1] = DENY, 0
        verdict[rows == -2], decider[rows == -2] = REVIEW, 1
        ok = np.nonzero(rows >= 0)[0]
        keys = self.row_key[rows[ok]]
        order = np.argsort(keys, kind="stable")
        ok, keys = ok[order], keys[order]
        bounds = np.flatnonzero(np.diff(keys)) + 1
        for idx in np.split(ok, bounds) if len(ok) else []:
            restrictions, tree = self._trees[int(self.row_key[rows[idx[0]]])]
            if tree is None:
                continue
            v, d = self._eval(tree, cols, idx)
            unparsed = [u for r in restrictions for u in r.unparsed]
            if unparsed:
                change = v != REVIEW
                forced[idx[change]] = True
                v, d = np.where(change, REVIEW, v), np.where(change, self.node_id(unparsed[0]), d)
            verdict[idx], decider[idx] = v, d
        self._fund_and_section(cols, rows, verdict, decider, forced)
        return Result(verdict, decider, rows, forced)

    def _fund_and_section(self, cols, rows, verdict, decider, forced) -> None:
        restricted = (rows >= 0) & (decider >= 0)
        fund_codes = cols.codes["fund"]
        injury = [i for i, v in enumerate(cols.values["fund"]) if v == self.book.fanli.funds["not_bound"]["fund"]]
        mask = restricted & np.isin(fund_codes, injury)
        verdict[mask], decider[mask], forced[mask] = PAY, 3, False
        excluded = [i for i, r in enumerate(self.book.rows) if r.section == EXCLUDED_SECTION]
        if excluded:
            mask = np.isin(rows, excluded)
            verdict[mask], decider[mask] = DENY, 2

    def _eval(self, node, cols: Columns, idx: np.ndarray, anchor: np.ndarray | None = None):
        """(verdicts, deciders) of `node` on lines `idx`. `anchor` marks lines where a coded
        indication of an enclosing conjunction holds: findings there are evidence, not checks."""
        m = len(idx)
        if isinstance(node, Condition):
            fields, fn = CHECKS[node.dimension]
            combos, inverse = cols.distinct(fields, idx)
            table = np.array([RANK[fn(node, *combo)[0]] for combo in combos], dtype=np.int8)
            v = table[inverse]
            if anchor is not None and _is_finding(node):
                v = np.where(anchor, PAY, v)
            return v, np.full(m, self.node_id(node), dtype=np.int32)
        if isinstance(node, Unparsed):
            return np.full(m, REVIEW, dtype=np.int8), np.full(m, self.node_id(node), dtype=np.int32)
        if isinstance(node, Note):
            return np.full(m, PAY, dtype=np.int8), np.full(m, -1, dtype=np.int32)
        children = [c for c in node.children if node.kind == "all" or not isinstance(c, Note)]
        children.sort(key=lambda c: isinstance(c, Note))
        if not children:
            return np.full(m, PAY, dtype=np.int8), np.full(m, -1, dtype=np.int32)
        results: dict[int, tuple] = {}
        if node.kind == "all":
            anchors = [i for i, c in enumerate(children) if not _is_finding(c) and _anchored(c)]
            for i in anchors:
                results[i] = self._eval(children[i], cols, idx, anchor)
            if anchors:
                held = np.stack([results[i][0] for i in anchors]) == PAY
                anchor = held.any(axis=0) if anchor is None else (anchor | held.any(axis=0))
        for i, c in enumerate(children):
            if i not in results:
                results[i] = self._eval(c, cols, idx, anchor)
        vs = np.stack([results[i][0] for i in range(len(children))])
        ds = np.stack([results[i][1] for i in range(len(children))])
        pick = np.argmin(vs, axis=0) if node.kind == "all" else np.argmax(vs, axis=0)
        cols_ = np.arange(m)
        return vs[pick, cols_], ds[pick, cols_]


def _conjunction(restrictions: list[Restriction]):
    roots = [r.root for r in restrictions]
    if not roots:
        return None
    if len(roots) == 1:
        return roots[0]
    return Group(kind="all", children=roots, text="", start=0, end=0, source="备注+凡例")


def _is_finding(n) -> bool:
    return isinstance(n, Condition) and n.dimension is D.diagnosis and not n.terms and not n.negated


def _anchored(n) -> bool:
    """What a finding can lean on: a coded diagnosis, a procedure or a screening (alone or inside
    a group) — clinical wording without a code qualifies the indication beside it."""
    return any(isinstance(x, Condition) and ((x.dimension is D.diagnosis and x.icd10 and not x.negated)
                                             or x.dimension in _ANCHORS) for x in walk(n))


VERDICTS = {DENY: Verdict.deny, REVIEW: Verdict.review, PAY: Verdict.pay}
