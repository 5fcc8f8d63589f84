"""Write a formulary report: flat records (for the terminal table and CSV) and the XLSX workbook
hospital staff open, with a summary sheet and one sheet per finding kind."""

from __future__ import annotations

from pathlib import Path

from catalog_tool.model.formulary import Finding, FindingKind, FormularyReport

COLUMNS = ("row", "local_code", "national_code", "name", "kind", "severity", "message", "catalog_name",
           "suggestions")
SHEET_TITLES = {
    "excel_quirk": "Excel问题", "bad_value": "无法读取的值", "duplicate_local_code": "院内编码重复",
    "unmapped": "未对码", "code_malformed": "医保代码格式错误", "code_unknown": "医保代码不存在",
    "code_former": "医保代码为曾用码", "wrong_mapping": "疑似对码错误", "self_pay": "目录外自费", "removed": "本版调出", "class_changed": "甲乙类变化",
    "restricted": "限定支付范围", "price_above_standard": "价格高于支付标准", "agreement_expired": "协议已到期",
    "agreement_expiring": "协议即将到期", "vbp_not_stocked": "集采中选未配备",
}


def suggestion_text(f: Finding, limit: int = 3) -> str:
    return "; ".join(f"{s.code or '-'} {s.name} {s.dosage_form or ''} ({s.score:g})".replace("  ", " ")
                     for s in f.suggestions[:limit])


def records(report: FormularyReport) -> list[dict]:
    """One flat record per finding, in COLUMNS order."""
    return [{"row": f.row, "local_code": f.local_code, "national_code": f.national_code, "name": f.name,
             "kind": f.kind.value, "severity": f.severity.value, "message": f.message,
             "catalog_name": f.catalog_name, "suggestions": suggestion_text(f)} for f in report.findings]


def summary_rows(report: FormularyReport) -> list[tuple[str, str, int, int, int]]:
    """(kind, 中文, errors, warnings, infos) per kind that has findings."""
    return [(k, SHEET_TITLES[k], c.get("error", 0), c.get("warning", 0), c.get("info", 0))
            for k, c in report.counts().items()]


def write_xlsx(path: Path, report: FormularyReport, source: str | None = None) -> None:
    import xlsxwriter

    from catalog_tool.formats.canonical import atomic_output

    with atomic_output(path, "wb") as fh:
        wb = xlsxwriter.Workbook(fh, {"strings_to_numbers": False, "strings_to_formulas": False,
                                      "strings_to_urls": False})
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        red = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
        ws = wb.add_worksheet("汇总")
        head = [("目录版本 edition", report.edition), ("上一版本 previous", report.previous or ""),
                ("核查日期 checked on", report.on.isoformat()), ("药品条目 items", report.items),
                ("已匹配 matched", report.matched), ("错误 errors", report.errors)]
        if source:
            head.insert(0, ("文件 file", source))
        for i, (k, x) in enumerate(head):
            ws.write_row(i, 0, [k, x])
        start = len(head) + 1
        ws.write_row(start, 0, ["问题类型 kind", "说明", "error", "warning", "info"], bold)
        for i, r in enumerate(summary_rows(report), start=start + 1):
            ws.write_row(i, 0, list(r), red if r[2] else None)
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 20)
        for kind in FindingKind:
            hits = [f for f in report.findings if f.kind is kind]
            if not hits:
                continue
            sheet = wb.add_worksheet(SHEET_TITLES[kind.value][:31])
            cols = ["行号 row", "院内编码", "医保代码", "药品名称", "级别 severity", "说明 message", "目录名称"]
            cols += ["限定支付范围"] if kind is FindingKind.restricted else []
            wide = max((len(f.suggestions) for f in hits), default=0)
            for n in range(1, wide + 1):
                cols += [f"建议{n} 医保代码", f"建议{n} 名称", f"建议{n} 剂型", f"建议{n} 得分"]
            sheet.write_row(0, 0, cols, bold)
            for i, f in enumerate(hits, start=1):
                row = [f.row, f.local_code, f.national_code or "", f.name or "", f.severity.value, f.message,
                       f.catalog_name or ""]
                row += [f.restriction or ""] if kind is FindingKind.restricted else []
                for s in f.suggestions:
                    row += [s.code or "", s.name, s.dosage_form or "", s.score]
                sheet.write_row(i, 0, row)
            sheet.autofilter(0, 0, len(hits), len(cols) - 1)
            sheet.freeze_panes(1, 0)
            sheet.set_column(1, 3, 18)
            sheet.set_column(5, 5, 60)
        wb.close()
