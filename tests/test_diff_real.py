"""The real 2024 → 2025 Western-medicine diff (../shared/data) and known edits of the 2025 edition."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from catalog_tool.diff.compare import compare
from catalog_tool.formats.frames import read_frame, rows_frame
from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import CatalogKind

GOLDEN = Path(__file__).parent / "golden" / "diff" / "nrdl-2024-2025.md"
DRUGS = LAYOUTS[CatalogKind.drugs]


@pytest.fixture
def both(cli, shared_data):
    assert cli("import", shared_data / "nrdl-2025", "-c", "drugs", "-e", "nrdl-2025").exit_code == 0
    meta = Path(__file__).parent.parent / "datasets" / "releases" / "nrdl-2024.json"
    assert cli("import", shared_data / "nrdl-2024", "-c", "drugs", "-e", "nrdl-2024", "--meta", meta).exit_code == 0
    return cli


def test_real_2024_2025_report_matches_golden(both):
    r = both("diff", "nrdl-2024", "nrdl-2025", "--format", "markdown")
    assert r.exit_code == 0
    assert r.stdout == GOLDEN.read_text(encoding="utf-8")


def test_real_2024_2025_known_facts(both):
    import json

    doc = json.loads(both("diff", "nrdl-2024", "nrdl-2025", "-f", "json").stdout)
    c = doc["summary"]["counts"]
    assert c["negotiated_to_regular"] == 55  # 39 谈判 + 16 竞价 → 西药部分
    assert "compared on 西药 only" in doc["summary"]["notes"][0]
    moved = {e["name"] for e in doc["entries"] if e["kind"] == "negotiated_to_regular"}
    assert {"注射用重组人脑利钠肽", "波生坦片"} <= moved
    neg = next(s for s in doc["summary"]["sections"] if s["section"] == "协议期内谈判药品部分")
    assert (neg["before_rows"], neg["added"], neg["removed"], neg["moved_out"], neg["after_rows"]) == (348, 98, 8, 39, 399)
    cosmetic = [e for e in doc["entries"] if e["kind"] == "cosmetic" and e["field"] == "name"]
    assert [(e["old"], e["new"]) for e in cosmetic] == [("奥美拉唑碳酸氢钠胶囊（Ⅱ）", "奥美拉唑碳酸氢钠胶囊(Ⅱ)")]
    names = {e["name"] for e in doc["entries"] if e["kind"] in ("added", "removed")}
    assert "奥美拉唑碳酸氢钠胶囊(Ⅱ)" not in names


def test_edition_with_itself_is_empty(both):
    r = both("diff", "nrdl-2025", "nrdl-2025", "-f", "csv")
    assert r.exit_code == 0 and r.stdout.strip() == "no differences"


def test_known_edits_of_the_real_edition_come_back_by_kind(shared_data):
    west = read_frame(shared_data / "nrdl-2025" / "西药部分.csv", DRUGS)
    i = pl.int_range(pl.len())
    other_class = pl.when(pl.col("drug_class") == "乙").then(pl.lit("甲")).otherwise(pl.lit("乙"))
    full_width = pl.col("name").str.replace_all(r"\(", "（").str.replace_all(r"\)", "）") + " "
    edited = west.with_columns(
        pl.when(i == 20).then(other_class).otherwise(pl.col("drug_class")).alias("drug_class"),
        pl.when(i == 30).then(pl.col("remarks").fill_null("") + "限儿童").otherwise(pl.col("remarks")).alias("remarks"),
        pl.when(i == 40).then(full_width).otherwise(pl.col("name")).alias("name"),
    ).filter(i != 10)  # removed
    added = pl.DataFrame({"name": ["虚构新药片"], "dosage_form": ["口服常释剂型"], "drug_class": ["乙"]})
    edited = pl.concat([edited, added], how="diagonal_relaxed").select(west.columns)
    result = compare(west, edited)
    c = {k: v for k, v in result.counts().items() if v and k != "unchanged_rows"}
    assert c == {"added": 1, "removed": 1, "class_changed": 1, "restriction_changed": 1, "cosmetic": 1,
                 "changed_rows": 2, "cosmetic_only_rows": 1}
    got = result.changes.select("kind", "field").rows()
    assert sorted(got) == [("class_changed", "drug_class"), ("cosmetic", "name"), ("restriction_changed", "remarks")]


def test_db_rows_and_files_give_the_same_counts(both, shared_data, db_path):
    from catalog_tool.store import CatalogDB

    with CatalogDB(db_path) as db:
        frame = rows_frame(DRUGS.fields, db.rows("nrdl-2025"))
    assert compare(frame, frame).empty
