"""A self-contained HTML diff report (inline CSS, no scripts or external files) to open and share."""

from __future__ import annotations

from html import escape

from catalog_tool.diff.classify import KINDS
from catalog_tool.render.diff_report import section_label

CSS = """body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3}.del{background:#fdd}.ins{background:#dfd}.note{color:#555}h2{margin-top:1.5em}"""


def _marked(text: str | None, cls: str) -> str:
    """`【…】` spans (the changed part) as highlighted HTML."""
    if text is None:
        return ""
    out = escape(text)
    return out.replace("【", f'<span class="{cls}">').replace("】", "</span>")


def _table(head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def render_html(summary: dict, records: list[dict]) -> str:
    c = summary["counts"]
    e = escape
    parts = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
             f"<title>目录调整对比 {e(summary['old'])} → {e(summary['new'])}</title><style>{CSS}</style></head><body>",
             f"<h1>目录调整对比：{e(summary['old'])} → {e(summary['new'])}</h1>",
             f"<p>Matched on {e(' + '.join(summary['key']))}; rows {summary['rows']['old']} → {summary['rows']['new']}, "
             f"{summary['rows']['matched']} matched.</p>"]
    parts += [f'<p class="note">Note: {e(n)}.</p>' for n in summary["notes"]]
    parts.append(_table(["变更类型", "kind", "rows"], [[e(v), e(k), str(c.get(k, 0))] for k, v in KINDS.items()]))
    parts.append("<h2>分部分</h2>")
    parts.append(_table(
        ["部分", "行数 前→后", "调入", "调出", "转入", "转出", "净变化", "甲乙类变更", "限定支付范围变更"],
        [[e(s["section"] or "-"), f"{s['before_rows']} → {s['after_rows']}", str(s["added"]), str(s["removed"]),
          str(s["moved_in"]), str(s["moved_out"]), f"{s['net']:+d}", str(s["class_changed"]),
          str(s["restriction_changed"])] for s in summary["sections"]]))
    for label, checks in summary["stated_totals"].items():
        parts.append(f"<h2>凡例所述总数与实际计数：{e(label)}</h2>")
        parts.append(_table(["总数", "名称", "凡例", "计数", "一致"], [
            [e(t["key"]), e(t["label"]), "" if t["stated"] is None else str(t["stated"]), str(t["counted"]),
             "" if t["ok"] is None else ("是" if t["ok"] else "否")] for t in checks]))
    for kind, label in KINDS.items():
        rows = [r for r in records if r["kind"] == kind]
        if not rows:
            continue
        parts.append(f"<h2 id=\"{kind}\">{e(label)}（{len(rows)}）</h2>")
        if kind in ("added", "removed"):
            parts.append(_table(["部分", "药品名称", "剂型"], [
                [e(section_label(r)), e(r["name"] or ""), e(r["dosage_form"] or "")]
                for r in rows]))
            continue
        parts.append(_table(["药品名称", "剂型", "部分", "字段", "原", "新", "变化%"], [
            [e(r["name"] or ""), e(r["dosage_form"] or ""),
             e(section_label(r)),
             e(r["field"] or ""),
             _marked(r["old_marked"], "del") if r["old_marked"] is not None else e(r["old"] or ""),
             _marked(r["new_marked"], "ins") if r["new_marked"] is not None else e(r["new"] or ""),
             "" if r["pct_change"] is None else str(r["pct_change"])] for r in rows]))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
