"""Coverage of an edition's rule book: the share of restricted rows fully structured, conditions
per dimension, and every fragment left unparsed (with how many rows carry it)."""

from __future__ import annotations

from collections import Counter

from catalog_tool.model.coverage import CoverageReport, DimensionCount, UnparsedFragment
from catalog_tool.model.rule import Dimension
from catalog_tool.rules.edition import RuleBook


def coverage(book: RuleBook, sections: set[str] | None = None) -> CoverageReport:
    """Coverage over the rows of `book` (only `sections` when given)."""
    rows = [r for r in book.rows if not sections or r.section in sections]
    restricted = [r for r in rows if r.remarks is not None]
    structured = [r for r in restricted if r.remarks.fully_structured]
    texts = {r.remarks.text: r.remarks for r in restricted}
    dim_rows: Counter = Counter()
    dim_conds: Counter = Counter()
    diagnosis = mapped = 0
    fragments: dict[tuple[str, str], list] = {}
    for r in restricted:
        conds = r.remarks.conditions
        dim_rows.update({c.dimension for c in conds})
        dim_conds.update(c.dimension for c in conds)
        for c in conds:
            if c.dimension is Dimension.diagnosis and not c.negated:
                diagnosis += 1
                mapped += bool(c.icd10)
        for u in r.remarks.unparsed:
            fragments.setdefault((u.text, u.reason), []).append(r)
    share = len(structured) / len(restricted) if restricted else 1.0
    return CoverageReport(
        edition=book.edition, rows=len(rows), restricted_rows=len(restricted), structured_rows=len(structured),
        share=round(share, 4), distinct_texts=len(texts),
        structured_texts=sum(1 for t in texts.values() if t.fully_structured),
        coded_rows=sum(1 for r in structured if all(c.icd10 for c in r.remarks.conditions
                                                     if c.dimension is Dimension.diagnosis and not c.negated)),
        grouped_rows=sum(1 for r in restricted if r.remarks.grouped),
        fanli_rows=sum(1 for r in rows if r.fanli),
        diagnosis_conditions=diagnosis, icd10_mapped=mapped,
        dimensions=[DimensionCount(dimension=d.value, rows=dim_rows[d], conditions=dim_conds[d]) for d in Dimension],
        unparsed=[
            UnparsedFragment(text=text, reason=reason, rows=len(rs),
                             example=" ".join(x for x in (rs[0].section, rs[0].number, rs[0].name) if x))
            for (text, reason), rs in sorted(fragments.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))
        ],
    )
