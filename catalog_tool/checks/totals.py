"""Totals check: each edition's stated totals (凡例 counts in the manifest) against the rows,
counted the way `catalog_tool.totals` counts them in the database (a test keeps the two equal)."""

from __future__ import annotations

from catalog_tool.checks.findings import error, warning
from catalog_tool.formats.datasets import MANIFEST, DatasetFolder, EditionData
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding
from catalog_tool.totals import LABELS

NEGOTIATED = ("协议期内谈判药品部分", "竞价药品部分")


def _base(number: str) -> str:
    return number.strip("★()（） ") if number.startswith("★") else number


def count_rows(ed: EditionData) -> dict[str, int]:
    """Counted totals of an edition's tables, under the keys stated totals use."""
    rows = sum(len(t) for t in ed.tables)
    if ed.kind is not CatalogKind.drugs:
        return {"rows": rows}
    numbers: dict[str, set] = {k: set() for k in ("west_part", "west_class_jia", "tcm_part", "tcm_class_jia")}
    c = dict.fromkeys(("negotiated_west", "negotiated_tcm", "bidding", "herbal_pieces", "herbal_excluded", "rows_with_restriction"), 0)
    for t in ed.tables:
        n = len(t)
        cols = [t.column(f) or [""] * n for f in ("section", "medicine_type", "number", "drug_class", "remarks")]
        for section, mtype, number, cls, remarks in zip(*cols):
            if section in ("西药部分", "中成药部分"):
                part = "west" if section == "西药部分" else "tcm"
                base = _base(number) if number else None
                numbers[f"{part}_part"].add(base)
                if cls == "甲":
                    numbers[f"{part}_class_jia"].add(base)
            elif section in NEGOTIATED:
                c["bidding"] += section == "竞价药品部分"
                c["negotiated_west"] += mtype == "西药"
                c["negotiated_tcm"] += mtype == "中成药"
            elif section == "中药饮片部分":
                c["herbal_pieces"] += 1
            elif section == "不得纳入基金支付范围的中药饮片":
                c["herbal_excluded"] += 1
            if remarks and section != "不得纳入基金支付范围的中药饮片":
                c["rows_with_restriction"] += 1
    totals = {"rows": rows, **{k: len(s - {None}) for k, s in numbers.items()}, **c}
    totals["negotiated_total"] = totals["negotiated_west"] + totals["negotiated_tcm"]
    totals["grand_total"] = totals["west_part"] + totals["tcm_part"] + totals["negotiated_total"]
    return totals


def check_totals(folder: DatasetFolder) -> list[CheckFinding]:
    out = []
    for ed in folder.editions:
        stated = ed.meta.get("stated_totals") or {}
        if ed.kind is None or not isinstance(stated, dict) or not ed.tables:
            continue
        counted = count_rows(ed)
        line = folder.manifest_lines.get(ed.id)
        for key, value in stated.items():
            where = dict(file=MANIFEST, row=line, field=f"stated_totals.{key}")
            if key not in counted:
                out.append(warning("totals.unknown", f"{ed.id}: stated total {key!r} is not one the check can count", **where))
            elif value != counted[key]:
                out.append(error("totals.mismatch", f"{ed.id}: {LABELS.get(key, key)} stated {value}, counted {counted[key]}", **where))
    return out
