"""`trace duplicates`: codes sold more than once across CSV (UTF-8, GBK) and Parquet scan files."""

import json
from pathlib import Path

import duckdb

from catalog_tool.trace.duplicates import DuckDBEngine, DuplicateEngine, ScanColumns

HEADER = "setl_id,drug_trac_codg,sel_retn_time,药品名称\n"


def scans(tmp_path: Path) -> list[Path]:
    a, b, c = tmp_path / "门诊-01.csv", tmp_path / "药房-gbk.csv", tmp_path / "住院.parquet"
    a.write_text(HEADER + "S1,81234560123456789012,2026-01-05 10:00:00,阿莫西林胶囊\n"
                          "S2,81234560123456789013,2026-01-05 11:00:00,阿莫西林胶囊\n"
                          "S3,86004150093318276612,2026-01-05 11:30:00,奥美拉唑肠溶胶囊\n", encoding="utf-8")
    b.write_bytes((HEADER + "S9,81234560123456789012,2026-01-04 09:00:00,阿莫西林胶囊\n"
                            "S10,81234560123456789012,2026-01-07 09:00:00,阿莫西林胶囊\n").encode("gbk"))
    duckdb.sql(f"COPY (SELECT 'S20' AS setl_id, '81234560123456789013' AS drug_trac_codg, '2026-02-01 08:00:00' AS sel_retn_time) TO '{c}'")
    return [a, b, c]


def test_engine_keeps_first_sale_and_lists_repeats(tmp_path):
    engine: DuplicateEngine = DuckDBEngine(memory_limit="500MB")
    got = [(r.code, r.sales, r.first_settlement, r.settlement, Path(r.file).name) for r in engine.find(scans(tmp_path), ScanColumns())]
    assert got == [("81234560123456789012", 3, "S9", "S1", "门诊-01.csv"),
                   ("81234560123456789012", 3, "S9", "S10", "药房-gbk.csv"),
                   ("81234560123456789013", 2, "S2", "S20", "住院.parquet")]


def test_no_repeats_gives_nothing(tmp_path):
    f = tmp_path / "one.csv"
    f.write_text(HEADER + "S1,81234560123456789012,2026-01-05,x\nS2,81234560123456789013,2026-01-05,x\n", encoding="utf-8")
    assert list(DuckDBEngine().find([f], ScanColumns())) == []


def test_cli_json_and_exit_codes(cli, tmp_path):
    files = scans(tmp_path)
    r = cli("trace", "duplicates", *files, "-f", "json")
    assert r.exit_code == 1
    assert [d["settlement"] for d in json.loads(r.stdout)] == ["S1", "S10", "S20"]
    assert "2 code(s) sold more than once, 3 repeat sale(s)" in r.stderr
    r = cli("trace", "duplicates", files[0])
    assert r.exit_code == 0


def test_cli_missing_column_is_an_input_error(cli, tmp_path):
    files = scans(tmp_path)
    r = cli("trace", "duplicates", files[0], "--code-column", "追溯码")
    assert r.exit_code == 2 and f"{files[0]}, row 1, field 追溯码: missing column '追溯码'" in r.stderr
    assert "--code-column" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("trace", "duplicates", tmp_path / "missing.csv")
    assert r.exit_code == 2 and "file not found" in r.stderr


def test_symbology_prefix_and_spaces_do_not_hide_a_repeat(tmp_path):
    f = tmp_path / "gs1.csv"
    f.write_text(HEADER + "S1,]d2010694446120001921K7Q2M9X5,2026-01-05 10:00,x\n"
                          "S2, 010694446120001921K7Q2M9X5 ,2026-01-06 10:00,x\n", encoding="utf-8")
    (r,) = DuckDBEngine().find([f], ScanColumns())
    assert (r.code, r.first_settlement, r.settlement) == ("010694446120001921K7Q2M9X5", "S1", "S2")
