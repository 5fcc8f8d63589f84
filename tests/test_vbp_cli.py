"""`catalog-tool vbp …` on the embedded sample batch (datasets/samples/vbp-batch): outputs, golden
reports, and one-line errors. Regenerate the golden files with GOLDEN_UPDATE=1 after a deliberate change."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from catalog_tool.paths import DATASETS_DIR
from vbp_support import write_batch, write_csv

SAMPLE = DATASETS_DIR / "samples" / "vbp-batch"
PURCHASES = DATASETS_DIR / "samples" / "vbp-purchases.csv"
GOLDEN = Path(__file__).parent / "golden" / "vbp"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOLDEN_UPDATE"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text.splitlines() == path.read_text(encoding="utf-8").splitlines()


def ok(r):
    assert r.exit_code == 0, r.output
    return r.stdout


def test_sample_batch_is_realistic():
    from catalog_tool.formats.vbp_batch import read_batch

    b = read_batch(SAMPLE)
    assert len(b.drugs) >= 40 and len(b.bids) >= 300 and len(set(b.demand.province)) >= 25
    assert any(d.antimicrobial for d in b.drugs) and all(d.pre_price for d in b.drugs)
    assert b.demand.hospital[0].startswith("H") and b.preferences


def test_summary_reads_like_the_announcement(cli):
    out = ok(cli("vbp", "summary", SAMPLE))
    assert "个品种" in out and "拟中选" in out and "平均降价" in out
    golden("summary-batch-9.txt", out)


def test_summary_json(cli):
    data = json.loads(ok(cli("vbp", "summary", SAMPLE, "-f", "json")))
    assert data["drugs"] == 46 and data["winning_bids"] <= data["valid_bids"] <= data["bids"]
    assert 0 < float(data["average_drop_vs_pre"]) < 1


def test_evaluate_bids_csv_golden_under_each_rule_set(cli):
    for rules in ("batch-9", "batch-10"):
        out = ok(cli("vbp", "evaluate", SAMPLE, "--rules", rules, "--bids", "-f", "csv"))
        golden(f"evaluate-bids-{rules}.csv", out)
    nine = list(csv.DictReader(io.StringIO((GOLDEN / "evaluate-bids-batch-9.csv").read_text(encoding="utf-8"))))
    ten = list(csv.DictReader(io.StringIO((GOLDEN / "evaluate-bids-batch-10.csv").read_text(encoding="utf-8"))))
    assert any("below ceiling" in r["reason"] for r in nine) and not any("below ceiling" in r["reason"] for r in ten)
    assert {r["status"] for r in nine} >= {"中选", "未中选", "无效"}
    revived = [r for r in ten if r["status"] == "复活中选"]
    assert revived and all(r["final"] != r["comparable"] and r["reason"].startswith("revived") for r in revived)


def test_evaluate_table_json_and_one_drug(cli):
    table = ok(cli("vbp", "evaluate", SAMPLE))
    assert "max winners" in table and "V046" in table
    data = json.loads(ok(cli("vbp", "evaluate", SAMPLE, "-f", "json", "--drug", "V001")))
    assert data["rules"]["id"] == "batch-9" and [d["drug"] for d in data["drugs"]] == ["V001"]
    assert data["drugs"][0]["steps"] and data["drugs"][0]["results"][0]["rank"] == 1


def test_evaluate_xlsx_has_a_sheet_per_table(cli, tmp_path):
    from python_calamine import CalamineWorkbook

    out = tmp_path / "结果.xlsx"
    ok(cli("vbp", "evaluate", SAMPLE, "-f", "xlsx", "-o", out))
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == ["drugs", "bids"]
    bids = wb.get_sheet_by_name("bids").to_python()
    assert bids[0][:3] == ["drug", "name", "company"] and len(bids) == 421
    r = cli("vbp", "evaluate", SAMPLE, "-f", "xlsx")
    assert r.exit_code == 2 and "--format xlsx needs --output" in r.stderr


def test_explain_one_drug_golden(cli):
    out = ok(cli("vbp", "explain", "V005"))
    assert "qualified bidder(s)" in out and "round 1 主供" in out and "备供" in out
    golden("explain-V005.txt", out)
    assert ok(cli("vbp", "explain", "恩替卡韦片")) == out


def test_explain_a_revival_under_batch_10_golden(cli):
    out = ok(cli("vbp", "explain", "V015", "--rules", "batch-10"))
    assert "revival:" in out and "special antimicrobial shares" in out and "threshold 1元" in out
    golden("explain-V015-batch-10.txt", out)


def test_allocate_regions_and_hospitals(cli, tmp_path):
    regions = ok(cli("vbp", "allocate", SAMPLE, "--drug", "V001"))
    assert "主供" in regions and "备供" in regions
    out = tmp_path / "agreed.csv"
    r = cli("vbp", "allocate", SAMPLE, "--hospitals", "-f", "csv", "-o", out)
    assert r.exit_code == 0 and "hospital quotas" in r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0].keys() >= {"hospital", "province", "drug", "company", "demand", "share", "agreed"}
    for row in rows[:200]:
        assert int(row["agreed"]) == int(int(row["demand"]) * float(row["share"]) + 0.5)
    data = json.loads(ok(cli("vbp", "allocate", SAMPLE, "-f", "json")))
    assert data["regions"][0]["round"] == 1


def test_progress_of_the_sample_purchases(cli):
    out = ok(cli("vbp", "progress", PURCHASES, "--elapsed", "0.5", "-f", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    statuses = {r["status"] for r in rows}
    assert statuses >= {"已完成", "未采购"} and statuses & {"进度滞后", "进度正常"}
    behind = list(csv.DictReader(io.StringIO(ok(cli("vbp", "progress", PURCHASES, "--elapsed", "0.5", "--behind", "-f", "csv")))))
    assert behind and {r["status"] for r in behind} <= {"进度滞后", "未采购"}


def test_rules_list_show_and_a_user_copy(cli, tmp_path):
    listing = ok(cli("vbp", "rules"))
    assert "batch-7" in listing and "batch-10" in listing
    data = json.loads(ok(cli("vbp", "rules", "batch-9")))
    data.update(id="strict", ratio_to_anchor="1.1", unit_price_floor=None, drop_vs_ceiling=None)
    mine = tmp_path / "strict.json"
    mine.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strict = json.loads(ok(cli("vbp", "summary", SAMPLE, "-f", "json", "--rules", mine)))
    nine = json.loads(ok(cli("vbp", "summary", SAMPLE, "-f", "json", "--rules", "batch-9")))
    assert strict["rules"].startswith("strict") and strict["winning_bids"] < nine["winning_bids"]


@pytest.mark.parametrize("args,expected", [
    (("vbp", "evaluate", SAMPLE, "--rules", "batch-99"), "unknown rule set 'batch-99'"),
    (("vbp", "evaluate", "/nonexistent/batch"), "not a batch folder"),
    (("vbp", "explain", "V999"), "no drug 'V999' in the batch"),
    (("vbp", "progress", "/nonexistent/purchases.csv"), "purchases.csv"),
])
def test_user_errors_are_one_line_and_exit_2(cli, args, expected):
    r = cli(*args)
    assert r.exit_code == 2
    assert expected in r.stderr and len(r.stderr.strip().splitlines()) <= 2 and "Traceback" not in r.stderr


def test_a_bad_row_stops_before_any_output_is_written(cli, tmp_path):
    folder = write_batch(tmp_path / "b")
    write_csv(folder / "bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"],
              [["V001", "齐鲁制药有限公司", "10mg", "28", "3.36"], ["V001", "华海药业", "10mg", "28", "3,3元6"]])
    out = tmp_path / "out.csv"
    r = cli("vbp", "evaluate", folder, "-f", "csv", "-o", out)
    assert r.exit_code == 2 and "bids.csv, row 3, field 申报价" in r.stderr and not out.exists()


def test_a_rule_set_named_in_batch_json_is_blamed_on_batch_json(cli, tmp_path):
    folder = write_batch(tmp_path / "b", meta={"id": "batch-x", "rules": "batch-99"})
    r = cli("vbp", "evaluate", folder)
    assert r.exit_code == 2 and "batch.json, field rules: unknown rule set 'batch-99'" in r.stderr
    mine = json.loads(ok(cli("vbp", "rules", "batch-9"))) | {"id": "mine"}
    (folder / "mine.json").write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
    (folder / "batch.json").write_text('{"rules": "mine.json"}', encoding="utf-8")  # relative to the batch folder
    data = json.loads(ok(cli("vbp", "evaluate", folder, "-f", "json")))
    assert data["rules"]["id"] == "mine"


def test_a_representative_spec_without_content_is_blamed_on_drugs_csv(cli, tmp_path):
    folder = write_batch(tmp_path / "b", drugs=[["V001", "注射用青霉素钠", "注射剂", "1瓶", "1.20", "否"]],
                         bids=[["V001", "华北制药股份有限公司", "注射用青霉素钠", "1瓶", "10", "3.00"],
                               ["V001", "石药集团有限公司", "注射用青霉素钠", "0.48g", "10", "2.80"]])
    r = cli("vbp", "evaluate", folder)
    assert r.exit_code == 2 and "drugs.csv, row 2, field 代表品规格: representative spec '1瓶' of V001 states no content" in r.stderr


def test_allocate_one_drug_tallies_that_drugs_demand(cli):
    from catalog_tool.formats.vbp_batch import read_batch

    b = read_batch(SAMPLE)
    one = sum(q for d, q in zip(b.demand.drug, b.demand.quantity) if d == "V001")
    r = cli("vbp", "allocate", SAMPLE, "--drug", "V001")
    assert r.exit_code == 0 and "1 drugs allocated" in r.stderr and f"of demand {one:,}" in r.stderr
    assert one < b.demand.total
