"""CLI: negotiated list / expiring / spec-check, price-drops, renewal simulate; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "samples"


@pytest.fixture
def nrdl(cli, shared_data):
    r = cli("import", shared_data / "nrdl-2025", "-c", "drugs", "-e", "nrdl-2025")
    assert r.exit_code == 0, r.output
    return shared_data


def test_list_with_tiers(cli, nrdl):
    r = cli("negotiated", "list", "-e", "nrdl-2025", "--meta", nrdl / "nrdl-2025" / "edition.json", "-f", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert len(rows) == 411 and not any(x["problem"] for x in rows)
    by = {x["药品名称"]: x for x in rows}
    assert by["注射用艾普拉唑钠"]["per comparable unit"] == "5.26元/mg"
    assert by["治疗用碘[131I]化钠胶囊"]["per comparable unit"].startswith("备注2: 1–10毫居 59.00元/毫居")
    assert by["安奈拉唑钠肠溶片"]["per comparable unit"] == "* (confidential)"


def test_tiers_are_imported_with_the_edition_and_survive_export(cli, nrdl, tmp_path):
    """The folder's edition.json carries the 碘[131I] tiers: stored with the edition, shown without
    --meta, and carried through a JSON and an XML export and re-import."""
    expected = "备注2: 1–10毫居 59.00元/毫居; 11–50毫居 47.20元/毫居; 51–100毫居 38.35元/毫居"
    for fmt in ("json", "xml"):
        out = tmp_path / f"nrdl-2025.{fmt}"
        assert cli("export", "nrdl-2025", "--format", fmt, "-o", out).exit_code == 0
        assert cli("import", out, "-c", "drugs", "-e", f"copy-{fmt}").exit_code == 0
    for edition in ("nrdl-2025", "copy-json", "copy-xml"):
        rows = json.loads(cli("negotiated", "list", "-e", edition, "-f", "json").stdout)
        assert {x["药品名称"]: x for x in rows}["治疗用碘[131I]化钠胶囊"]["per comparable unit"] == expected


def test_a_schema_1_database_gains_the_tiers_column(tmp_path):
    import sqlite3

    from catalog_tool.store import CatalogDB

    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind
    from catalog_tool.paths import DATASETS_DIR

    path = tmp_path / "old.sqlite"
    with CatalogDB(path) as db:
        import_files(db, CatalogKind.drugs, [DATASETS_DIR / "drugs-2025"], "drugs-2025")
        db.conn.execute("ALTER TABLE edition DROP COLUMN tiered_payment_standards")  # as schema 1 had it
        db.conn.execute("PRAGMA user_version=1")
    with CatalogDB(path) as db:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        ed = db.edition("drugs-2025")
        assert ed.tiered_payment_standards == {} and ed.item_count == 340
    assert sqlite3.connect(path).execute("SELECT tiered_payment_standards FROM edition").fetchall() == [("{}",)]


def test_list_reports_unparseable_per_row(cli, tmp_path):
    f = tmp_path / "谈判.csv"
    f.write_text("药品分类代码,药品分类,编号,药品名称,医保支付标准,协议有效期,备注\n"
                 "XA02BC,质子泵抑制剂,1,注射用艾普拉唑钠,面议,2026年1月1日至2027年12月31日,\n"
                 "XA02BC,质子泵抑制剂,2,安奈拉唑钠肠溶片,8.80元(20mg/片),2026年1月1日至2026年6月30日,限十二指肠溃疡。\n",
                 encoding="gbk")
    assert cli("import", f, "-c", "drugs", "-e", "t-1").exit_code == 0
    r = cli("negotiated", "list", "-e", "t-1", "-f", "csv")
    assert r.exit_code == 0
    assert "payment standard of 1 注射用艾普拉唑钠: not understood: 面议" in r.stderr
    assert "0.44元/mg" in r.stdout
    r = cli("negotiated", "spec-check", "-e", "t-1", "-f", "csv")
    assert r.exit_code == 1 and "1 not understood" in r.stderr and "面议" in r.stdout
    r = cli("negotiated", "expiring", "-e", "t-1", "--on", "2026-01-01", "--within", "6m")
    assert r.exit_code == 0 and "安奈拉唑钠肠溶片" in r.stdout and "注射用艾普拉唑钠" not in r.stdout
    r = cli("negotiated", "expiring", "--on", "2026-01-01", "--within", "soon")
    assert r.exit_code == 2 and "not a time span" in r.stderr


def test_expiring_real(cli, nrdl):
    r = cli("negotiated", "expiring", "--on", "2026-12-01", "--within", "30d", "-e", "nrdl-2025", "-f", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert rows and all(x["协议到期"] == "2026-12-31" for x in rows)
    assert any(x["药品名称"] == "丁苯酞软胶囊" for x in rows)


def test_spec_check_exits_1_on_deviations(cli, nrdl):
    r = cli("negotiated", "spec-check", "-e", "nrdl-2025", "-f", "json")
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert [(x["name"], x["status"]) for x in rows] == [("重组结核杆菌融合蛋白(EC)", "deviation")]
    assert "46 specs checked: 45 agree, 1 deviate, 0 not comparable, 0 not understood" in r.stderr


def test_price_drops_sample(cli, nrdl, tmp_path):
    png = tmp_path / "drops.png"
    r = cli("price-drops", "-e", "nrdl-2025", "--before", SAMPLES / "pre-negotiation-prices.csv", "--by", "section", "--chart", png)
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "not compared (2)" in r.stdout and "confidential" in r.stdout and "distribution of drops" in r.stdout
    r = cli("price-drops", "-e", "nrdl-2025", "--before", SAMPLES / "pre-negotiation-prices.csv", "-f", "json")
    data = json.loads(r.stdout)
    overall = [g for g in data["groups"] if g["group"] == "all"][0]
    assert overall["drugs"] == 18 and overall["median"] == "0.5586" and overall["mean"] == "0.5568"
    drop = {d["name"]: d for d in data["drops"]}
    assert drop["恩那度司他片"]["drop"] == "0.5013"
    assert drop["羟考酮纳洛酮缓释片"]["drop"] == "0.3650"  # 差比价 of a compound whose actives scale alike
    assert drop["安奈拉唑钠肠溶片"]["drop"] is None


def test_price_drops_bad_input(cli, nrdl, tmp_path):
    f = tmp_path / "before.csv"
    f.write_text("药品名称,谈判前价格,年销量\n恩那度司他片,52.00元(4mg/片),很多\n", encoding="utf-8")
    r = cli("price-drops", "-e", "nrdl-2025", "--before", f)
    assert r.exit_code == 2 and "row 2, field 年销量: not a number" in r.stderr
    r = cli("price-drops", "-e", "nrdl-2025", "--before", f, "--by", "colour")
    assert r.exit_code == 2 and "--by must be category or section" in r.stderr
    assert not (tmp_path / "x.png").exists()


def test_renewal_simulate_sample(cli):
    r = cli("renewal", "simulate", SAMPLES / "renewal-cases.csv", "--rules", "2023", "-f", "json")
    assert r.exit_code == 0, r.output
    d = {x["name"]: x for x in json.loads(r.stdout)["decisions"]}
    assert d["海博麦布片"]["cut"] == "0.1816" and d["海博麦布片"]["new_payment_standard"] == "7.93"
    assert d["普瑞巴林缓释片"]["halved"] is True and d["普瑞巴林缓释片"]["cut"] == "0.1348"
    assert d["司替戊醇干混悬剂"]["path"] == "renegotiate"
    assert d["阿兹夫定片"]["path"] == "regular"
    r = cli("renewal", "simulate", SAMPLES / "renewal-cases.csv")
    assert r.exit_code == 0 and "转常规" in r.stdout and "重新谈判" in r.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("药品名称,年度基金实际支出,基金支出预算,纳入谈判年数\n甲药,3亿,两亿,2\n", "row 2, field 基金支出预算: not an amount of money"),
    ("药品名称,年度基金实际支出,基金支出预算,纳入谈判年数\n甲药,3亿,2亿,两年\n", "row 2, field 纳入谈判年数: not a whole number"),
    ("药品名称,年度基金实际支出,纳入谈判年数\n甲药,3亿,2\n", "row 1: missing column 基金支出预算"),
    ("药品名称,年度基金实际支出,基金支出预算,纳入谈判年数,独家\n甲药,3亿,2亿,2,也许\n", "row 2, field 独家: not a yes/no flag"),
    ("药品名称,年度基金实际支出,基金支出预算,纳入谈判年数\n", "no cases"),
])
def test_renewal_bad_rows(cli, tmp_path, content, message):
    f = tmp_path / "cases.csv"
    f.write_text(content, encoding="gbk")
    r = cli("renewal", "simulate", f)
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.output


def test_renewal_unknown_rules(cli):
    r = cli("renewal", "simulate", SAMPLES / "renewal-cases.csv", "--rules", "2019")
    assert r.exit_code == 2 and "unknown renewal rules '2019'" in r.stderr


def test_spec_check_golden(cli, nrdl, tmp_path):
    """Every multi-spec standard of the real 2025 list against 差比价, as read line by line."""
    out = tmp_path / "spec-check.csv"
    r = cli("negotiated", "spec-check", "-e", "nrdl-2025", "--all", "-f", "csv", "-o", out)
    assert r.exit_code == 1
    golden = Path(__file__).parent / "golden" / "pricing" / "spec-check-nrdl-2025.csv"
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def test_errors_are_one_line(cli, tmp_path):
    r = cli("negotiated", "list", "-e", "nrdl-1999")
    assert r.exit_code == 2 and "unknown edition 'nrdl-1999'" in r.stderr
    r = cli("negotiated", "list", "-e", "services-2025")
    assert r.exit_code == 2 and "is not a drug catalog" in r.stderr
    bad = tmp_path / "rules.json"
    bad.write_text("[1, 2", encoding="utf-8")
    r = cli("renewal", "simulate", SAMPLES / "renewal-cases.csv", "--rules", bad)
    assert r.exit_code == 2 and "malformed JSON" in r.stderr and "Traceback" not in r.output


def test_renewal_cases_from_excel(cli, tmp_path):
    """Excel stores amounts as numbers (350000000.0) and percentages as fractions (0.25)."""
    import xlsxwriter

    f = tmp_path / "cases.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet("续约")
    ws.write_row(0, 0, ["药品名称", "年度基金实际支出", "基金支出预算", "适应症扩展预算增幅", "纳入谈判年数", "独家", "医保支付标准"])
    ws.write_row(1, 0, ["海博麦布片", 360000000.0, 240000000.0, 0.25, 2, "是", 9.69])
    wb.close()
    r = cli("renewal", "simulate", f, "-f", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)["decisions"][0]
    assert (d["cut_a"], d["cut_b"], d["new_payment_standard"]) == ("0.12", "0.07", "7.93")
