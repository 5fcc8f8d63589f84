"""`trace settle` on the sample settlement file: every rule fires once; JSON, CSV, XLSX, GBK, errors."""

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "samples"
ARGS = ("--no-code", SAMPLES / "trace-no-code-library.csv", "--mapping", SAMPLES / "trace-product-mapping.csv", "-e", "drugs-2025")


def test_sample_settlements_json(cli):
    r = cli("trace", "settle", SAMPLES / "trace-settlements.csv", *ARGS, "-f", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    s = data["summary"]
    assert (s["lines"], s["payable_lines"], s["unpayable_lines"]) == (14, 5, 9)
    assert (s["payable_amount"], s["unpayable_amount"]) == ("117.76", "326.40")
    assert set(s["reasons"]) == {"missing-code", "code-count", "duplicate-code", "split-exceeds-box", "malformed-code",
                                 "product-mismatch", "expired", "not-whole-boxes", "not-in-catalog"}
    notes = [n for ln in data["lines"] for n in ln["notes"]]
    assert notes == ["无码库 stock bought before 2025-07-01: 432 left"]


def test_settle_xlsx_and_gbk_csv(cli, tmp_path):
    src = tmp_path / "结算明细.csv"
    src.write_bytes((SAMPLES / "trace-settlements.csv").read_text(encoding="utf-8").encode("gbk"))
    out = tmp_path / "settle.xlsx"
    r = cli("trace", "settle", src, *ARGS, "-o", out)
    assert r.exit_code == 1 and out.is_file()
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(out))
    lines = wb.get_sheet_by_name("lines").to_python()
    assert lines[0][:3] == ["settlement", "line", "drug_code"] and len(lines) == 15
    summary = wb.get_sheet_by_name("summary").to_python()
    assert summary[2][:3] == ["UNPAYABLE", 9.0, 326.4]


def test_settle_json_input_all_payable_exits_0(cli, tmp_path):
    src = tmp_path / "s.json"
    src.write_text(json.dumps({"settlements": [
        {"setl_id": "S9", "med_list_codg": "XJ01CAA073A001030100145", "drug_name": "阿莫西林胶囊", "cnt": 24,
         "package_content": 24, "trdn_flag": 0, "sel_retn_time": "2026-02-01", "det_item_fee_sumamt": "16.80",
         "drug_trac_codg": ["81002310417795361847"]}]}, ensure_ascii=False), encoding="utf-8")
    r = cli("trace", "settle", src, "-e", "drugs-2025", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "S9,1,XJ01CAA073A001030100145,阿莫西林胶囊,16.80,1,PAYABLE" in r.stdout


def test_settle_bad_file_is_one_line_error(cli, tmp_path):
    src = tmp_path / "s.csv"
    src.write_text("setl_id,med_list_codg,cnt\nS1,X,1\n", encoding="utf-8")
    r = cli("trace", "settle", src)
    assert r.exit_code == 2 and "missing column" in r.stderr
    src.write_text("setl_id,med_list_codg,cnt,package_content,sel_retn_time,det_item_fee_sumamt\nS1,X,一,1,2026-01-01,1\n", encoding="utf-8")
    r = cli("trace", "settle", src)
    assert r.exit_code == 2 and "row 2" in r.stderr and "not a number" in r.stderr


def test_sample_settlements_csv_matches_golden(cli, tmp_path):
    out = tmp_path / "settle.csv"
    r = cli("trace", "settle", SAMPLES / "trace-settlements.csv", *ARGS, "-f", "csv", "-o", out)
    assert r.exit_code == 1
    golden = Path(__file__).parent / "golden" / "trace" / "settle-sample.csv"
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")
