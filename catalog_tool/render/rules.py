"""Text output of the rules commands: a rule as an outline of its conditions, a coverage report,
claim verdicts with their summary."""

from __future__ import annotations

import csv

from catalog_tool.model.claim import CheckSummary
from catalog_tool.model.coverage import CoverageReport
from catalog_tool.model.rule import Condition, Group, Note, Restriction, Unparsed
from catalog_tool.render.table import render_records
from catalog_tool.rules.render import phrase

_KIND = {"all": "全部满足", "any": "满足其一"}


def outline(rule: Restriction) -> list[dict]:
    """One record per node, depth first: path (1.2.1), logic, dimension, the condition in words,
    and the source text it came from."""
    out: list[dict] = []

    def visit(node, path: str) -> None:
        if isinstance(node, Group):
            out.append({"#": path, "逻辑": _KIND[node.kind], "维度": "", "条件": "", "原文": ""})
            for i, child in enumerate(node.children, 1):
                visit(child, f"{path}.{i}")
            return
        dim = node.dimension.value if isinstance(node, Condition) else ("说明" if isinstance(node, Note) else "未解析")
        out.append({"#": path, "逻辑": "", "维度": dim, "条件": "" if isinstance(node, Unparsed) else phrase(node),
                    "原文": node.text})

    if rule.root is not None:
        visit(rule.root, "1")
    return out


def coverage_text(r: CoverageReport, fmt: str) -> str:
    head = [
        {"measure": "restricted rows (备注 not empty)", "value": r.restricted_rows},
        {"measure": "fully structured rows", "value": f"{r.structured_rows} ({r.share:.1%})"},
        {"measure": "… of which every diagnosis has ICD-10 codes", "value": r.coded_rows},
        {"measure": "distinct restriction texts / structured", "value": f"{r.distinct_texts} / {r.structured_texts}"},
        {"measure": "◇ grouped rows (no restriction)", "value": r.grouped_rows},
        {"measure": "rows with 凡例-only rules", "value": r.fanli_rows},
        {"measure": "diagnosis conditions with ICD-10 codes", "value": f"{r.icd10_mapped} / {r.diagnosis_conditions}"},
    ]
    parts = [f"edition {r.edition}: {r.rows} rows", render_records(head, fmt, maxwidth=None),
             render_records([d.model_dump() for d in r.dimensions], fmt, maxwidth=None)]
    if r.unparsed:
        parts.append(render_records([u.model_dump() for u in r.unparsed], fmt, maxwidth=None if fmt != "table" else 60))
    else:
        parts.append("no unparsed fragments")
    return "\n\n".join(parts)


CHECK_COLUMNS = {"row": "row", "claim": "claim_id", "drug": "drug", "verdict": "verdict", "dimension": "dimension",
                 "decided by": "quote", "source": "source", "reason": "reason", "amount": "amount"}


def write_check_csv(fh, data: dict[str, list], totals: CheckSummary) -> None:
    """`check_text(…, "csv")` written straight from the columns of `rules.report.columns`, row by
    row into `fh`: the same bytes without a dict per line or the whole text in memory."""
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(CHECK_COLUMNS)
    w.writerows(zip(*(data[f] for f in CHECK_COLUMNS.values())))
    sums = [{"verdict": t.verdict.value, "lines": t.lines, "amount": t.amount} for t in totals.totals]
    fh.write("\n" + render_records(sums, "csv", maxwidth=None) + "\n")


def check_text(verdicts: list[dict], totals: CheckSummary, fmt: str) -> str:
    """`verdicts` are `LineVerdict` JSON records (`rules.report.records`)."""
    records = [{"row": v["row"], "claim": v["claim_id"], "drug": v["drug"], "verdict": v["verdict"],
                "dimension": v["dimension"], "decided by": v["quote"], "source": v["source"], "reason": v["reason"],
                "amount": v["amount"]} for v in verdicts]
    columns = ["row", "claim", "drug", "verdict", "dimension", "decided by", "source", "reason", "amount"]
    body = render_records(records, fmt, columns, maxwidth=None if fmt != "table" else 40) if records else "no claim lines"
    sums = [{"verdict": t.verdict.value, "lines": t.lines, "amount": t.amount} for t in totals.totals]
    return f"{body}\n\n{render_records(sums, fmt, maxwidth=None)}"
