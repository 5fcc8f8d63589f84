"""Render a diff: entry records, terminal table, Markdown report, CSV, and the stable JSON document.

JSON document (`format_version` 1): `catalog_tool.model.diff.DiffDocument`, schema in
`schemas/DiffDocument.json`: {"format_version", "summary", "entries": [...]}; each entry has kind, label
(Chinese kind name), section_old, section_new, key, name, dosage_form, field, old, new, old_marked,
new_marked (changed spans in 【】), old_amount, new_amount (decimal strings), pct_change (支付标准),
matched_by (key / former_code / recode_table / name / similar_name). Absent values are null.
"""

from __future__ import annotations

from catalog_tool.diff.classify import KINDS, marked_span
from catalog_tool.diff.compare import DiffResult
from catalog_tool.render.table import render_records, to_json

ENTRY_FIELDS = ("kind", "label", "section_old", "section_new", "key", "name", "dosage_form", "field",
                "old", "new", "old_marked", "new_marked", "old_amount", "new_amount", "pct_change", "matched_by")


def _col(df, c):
    return df[c] if c in df.columns else None


def entries(result: DiffResult, kinds: set[str] | None = None, hide_cosmetic: bool = False) -> list[dict]:
    """Every change as a flat record, in kind order then the new edition's row order."""
    import polars as pl

    def side(df, prefix):
        cols = [c for c in ("section", "name", "dosage_form") if c in df.columns]
        keyexpr = pl.concat_str([pl.col(c).fill_null("") for c in result.key_columns], separator=" | ") \
            .str.replace(r"( \| )+$", "")
        return df.select([pl.col("_row").alias(f"_row_{prefix}"), keyexpr.alias(f"key_{prefix}")]
                         + [pl.col(c).alias(f"{c}_{prefix}") for c in cols])

    so, sn = side(result.old, "old"), side(result.new, "new")
    m = result.matching
    added = m.added.rename({"_row": "_row_new"}).with_columns(pl.lit("added").alias("kind"))
    removed = m.removed.rename({"_row": "_row_old"}).with_columns(pl.lit("removed").alias("kind"))
    frame = pl.concat([added, removed, result.changes], how="diagonal_relaxed")
    want = set(kinds) if kinds else set(KINDS)
    if hide_cosmetic:
        want.discard("cosmetic")
    frame = frame.filter(pl.col("kind").is_in(sorted(want)))
    frame = frame.join(so, on="_row_old", how="left").join(sn, on="_row_new", how="left")
    order = {k: i for i, k in enumerate(KINDS)}
    frame = frame.with_columns(pl.col("kind").replace_strict(order, return_dtype=pl.Int32).alias("_order")) \
        .sort(["_order", "_row_new", "_row_old"], nulls_last=True)
    out = []
    for r in frame.iter_rows(named=True):
        def pick(c):
            return r.get(f"{c}_new") if r.get("_row_new") is not None else r.get(f"{c}_old")
        rec = {
            "kind": r["kind"], "label": KINDS[r["kind"]],
            "section_old": r.get("section_old"), "section_new": r.get("section_new"),
            "key": pick("key"), "name": pick("name"), "dosage_form": pick("dosage_form"),
            "field": r.get("field"), "old": r.get("old"), "new": r.get("new"),
            "old_marked": None, "new_marked": None,
            "old_amount": r.get("old_amount"), "new_amount": r.get("new_amount"), "pct_change": r.get("pct_change"),
            "matched_by": r.get("matched_by"),
        }
        if r["kind"] in ("restriction_changed", "renamed", "cosmetic") and r.get("field"):
            rec["old_marked"], rec["new_marked"] = marked_span(r.get("old"), r.get("new"))
        out.append(rec)
    return out


def to_document(summary: dict, records: list[dict]) -> str:
    """The stable JSON document, validated by `model.diff.DiffDocument` (schema: schemas/DiffDocument.json)."""
    from catalog_tool.model.diff import DiffDocument

    doc = DiffDocument.model_validate({"format_version": 1, "summary": summary, "entries": records})
    return to_json(doc.model_dump(mode="json"))


TABLE_COLUMNS = ("label", "section_old", "section_new", "name", "dosage_form", "field", "old", "new", "pct_change")


def render_entries(records: list[dict], fmt: str) -> str:
    """Entries as a terminal table or CSV."""
    cols = TABLE_COLUMNS if fmt == "table" else ENTRY_FIELDS
    return render_records(records, fmt, columns=cols) if records else "no differences"


def summary_lines(summary: dict) -> list[str]:
    """The summary as Markdown lines (also the head of the terminal output)."""
    c = summary["counts"]
    lines = [f"# 目录调整对比：{summary['old']} → {summary['new']}", ""]
    lines.append(f"Matched on {' + '.join(summary['key'])}; rows {summary['rows']['old']} → "
                 f"{summary['rows']['new']}, {summary['rows']['matched']} matched.")
    for note in summary["notes"]:
        lines.append(f"Note: {note}.")
    lines += ["", "| 变更类型 | kind | rows |", "|---|---|---|"]
    for k, label in KINDS.items():
        lines.append(f"| {label} | {k} | {c.get(k, 0)} |")
    lines.append(f"| 实质变更的行 | changed_rows | {c['changed_rows']} |")
    lines.append(f"| 仅格式差异的行 | cosmetic_only_rows | {c['cosmetic_only_rows']} |")
    lines.append(f"| 未变的行 | unchanged_rows | {c['unchanged_rows']} |")
    lines += ["", "## 分部分", "",
              "| 部分 | 行数 前→后 | 编号 前→后 | 调入 | 调出 | 转入 | 转出 | 净变化 | 甲乙类变更 | 限定支付范围变更 |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in summary["sections"]:
        nums = "" if s["before_numbers"] is None and s["after_numbers"] is None else \
            f"{s['before_numbers'] or 0} → {s['after_numbers'] or 0}"
        lines.append(f"| {s['section'] or '-'} | {s['before_rows']} → {s['after_rows']} | {nums} | {s['added']} | "
                     f"{s['removed']} | {s['moved_in']} | {s['moved_out']} | {s['net']:+d} | "
                     f"{s['class_changed']} | {s['restriction_changed']} |")
    for label, checks in summary["stated_totals"].items():
        lines += ["", f"## 凡例所述总数与实际计数：{label}", "", "| 总数 | 名称 | 凡例 | 计数 | 一致 |", "|---|---|---|---|---|"]
        for t in checks:
            ok = "" if t["ok"] is None else ("是" if t["ok"] else "否")
            lines.append(f"| {t['key']} | {t['label']} | {'' if t['stated'] is None else t['stated']} | "
                         f"{t['counted']} | {ok} |")
    return lines


def section_label(r: dict) -> str:
    """The section of an entry, `old → new` when it moved, empty when the files carry none."""
    if r["section_old"] == r["section_new"] or not (r["section_old"] and r["section_new"]):
        return r["section_new"] or r["section_old"] or ""
    return f"{r['section_old']} → {r['section_new']}"


def _cell(x) -> str:
    return "" if x is None else str(x).replace("|", "\\|").replace("\n", " ")


def render_markdown(summary: dict, records: list[dict]) -> str:
    """The whole report: summary, then one table per kind."""
    lines = summary_lines(summary)
    for kind, label in KINDS.items():
        rows = [r for r in records if r["kind"] == kind]
        if not rows:
            continue
        lines += ["", f"## {label}（{kind}，{len(rows)}）", ""]
        if kind in ("added", "removed"):
            lines += ["| 部分 | 药品名称 | 剂型 |", "|---|---|---|"]
            lines += [f"| {_cell(section_label(r))} | {_cell(r['name'])} | {_cell(r['dosage_form'])} |"
                      for r in rows]
            continue
        lines += ["| 药品名称 | 剂型 | 部分 | 字段 | 原 | 新 | 变化% |", "|---|---|---|---|---|---|---|"]
        for r in rows:
            sect = section_label(r)
            old, new = (r["old_marked"], r["new_marked"]) if r["old_marked"] is not None else (r["old"], r["new"])
            lines.append(f"| {_cell(r['name'])} | {_cell(r['dosage_form'])} | {_cell(sect)} | {_cell(r['field'])} | "
                         f"{_cell(old)} | {_cell(new)} | {_cell(r['pct_change'])} |")
    return "\n".join(lines) + "\n"
