"""Count an edition the way its release states its totals (凡例), and compare the two.

Counting rules of the NRDL: a `★(n)` row repeats number n (another dosage form), so a part's size
is its distinct numbers; a number counts as 甲类 when any of its rows is 甲; negotiated and 竞价
parts count rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog_tool.model import CatalogKind, Edition
from catalog_tool.store import CatalogDB

BASE_NUMBER_SQL = "CASE WHEN number LIKE '★%' THEN trim(number, '★()（） ') ELSE number END"

# Human labels of the total keys, as an announcement words them.
LABELS = {
    "rows": "行数",
    "west_part": "西药部分（品种）",
    "west_class_jia": "西药甲类（品种）",
    "tcm_part": "中成药部分（品种）",
    "tcm_class_jia": "中成药甲类（品种）",
    "negotiated_west": "协议期内谈判药品（西药，含竞价）",
    "negotiated_tcm": "协议期内谈判药品（中成药）",
    "negotiated_total": "协议期内谈判药品部分",
    "bidding": "其中竞价药品",
    "grand_total": "合计（西药+中成药+谈判）",
    "herbal_pieces": "中药饮片部分",
    "herbal_excluded": "不得纳入基金支付范围的中药饮片",
    "rows_with_restriction": "备注有限定支付范围的行",
}


@dataclass
class TotalCheck:
    key: str
    label: str
    stated: int | None
    counted: int

    @property
    def ok(self) -> bool | None:
        return None if self.stated is None else self.stated == self.counted


def count_totals(db: CatalogDB, edition: Edition) -> dict[str, int]:
    """Counted totals of an edition, under the keys its stated totals use."""
    from catalog_tool.store.db import item_table

    table = item_table(edition.kind)
    if edition.kind is not CatalogKind.drugs:
        (n,) = db.query(f"SELECT count(*) FROM {table} WHERE edition_id=?", (edition.id,))[0]
        return {"rows": n}
    q = f"""
    SELECT
      count(*),
      count(DISTINCT CASE WHEN section='西药部分' THEN {BASE_NUMBER_SQL} END),
      count(DISTINCT CASE WHEN section='西药部分' AND drug_class='甲' THEN {BASE_NUMBER_SQL} END),
      count(DISTINCT CASE WHEN section='中成药部分' THEN {BASE_NUMBER_SQL} END),
      count(DISTINCT CASE WHEN section='中成药部分' AND drug_class='甲' THEN {BASE_NUMBER_SQL} END),
      sum(section IN ('协议期内谈判药品部分','竞价药品部分') AND medicine_type='西药'),
      sum(section IN ('协议期内谈判药品部分','竞价药品部分') AND medicine_type='中成药'),
      sum(section='竞价药品部分'),
      sum(section='中药饮片部分'),
      sum(section='不得纳入基金支付范围的中药饮片'),
      sum(remarks IS NOT NULL AND remarks <> '' AND section <> '不得纳入基金支付范围的中药饮片')
    FROM {table} WHERE edition_id=?"""
    r = [x or 0 for x in db.query(q, (edition.id,))[0]]
    totals = {
        "rows": r[0], "west_part": r[1], "west_class_jia": r[2], "tcm_part": r[3], "tcm_class_jia": r[4],
        "negotiated_west": r[5], "negotiated_tcm": r[6], "bidding": r[7],
        "herbal_pieces": r[8], "herbal_excluded": r[9], "rows_with_restriction": r[10],
    }
    totals["negotiated_total"] = totals["negotiated_west"] + totals["negotiated_tcm"]
    totals["grand_total"] = totals["west_part"] + totals["tcm_part"] + totals["negotiated_total"]
    return totals


def check_totals(db: CatalogDB, edition: Edition) -> list[TotalCheck]:
    """Every counted total beside the stated one, stated keys first."""
    counted = count_totals(db, edition)
    keys = list(edition.stated_totals) + [k for k in counted if k not in edition.stated_totals]
    return [
        TotalCheck(k, LABELS.get(k, k), edition.stated_totals.get(k), counted.get(k, 0))
        for k in keys
        if k in counted or k in edition.stated_totals
    ]
