"""`trace parse` and `trace validate` on the command line: GBK files, junk lines, exit codes."""

import json


def test_parse_explains_a_gs1_code(cli):
    r = cli("trace", "parse", "]d2010695123456789717260500" "10B2401<GS>" "21SN77")
    assert r.exit_code == 0
    assert "GS1" in r.output and "06951234567897" in r.output and "2026-05-31" in r.output


def test_parse_json_and_exit_1_on_invalid(cli):
    r = cli("trace", "parse", "81234560123456789012", "71234560123456789012", "-f", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [d["valid"] for d in data] == [True, False]
    assert data[1]["reasons"][0]["code"] == "msfx-prefix"


def test_validate_text_file_with_junk_lines(cli, tmp_path):
    f = tmp_path / "scans.txt"
    f.write_bytes(b"81234560123456789012\r\n\r\n8123456 0123456789012\r\n\xff\xfe\x00\x01\r\n"
                  b"010695123456789717260500" b"10B2401\x1d" b"21SN77\r\n")
    r = cli("trace", "validate", f, "-f", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert (data["codes"], data["invalid"]) == (5, 3)
    assert [(c["row"], c["reasons"][0]["code"]) for c in data["invalid_codes"]] == [(2, "empty"), (3, "whitespace"), (4, "non-ascii")]
    assert {f["family"]: f["codes"] for f in data["families"]} == {"码上放心": 2, "GS1": 1, "unknown": 2}


def test_validate_gbk_csv_column(cli, tmp_path):
    f = tmp_path / "出库.csv"
    f.write_bytes("药品名称,追溯码\n阿莫西林胶囊,81234560123456789012\n头孢克肟片,81234560123456789O12\n".encode("gbk"))
    r = cli("trace", "validate", f)
    assert r.exit_code == 1
    assert r.output.split("\n")[2].split()[:2] == ["3", "81234560123456789O12"] and "not a known code family" in r.output


def test_validate_all_valid_exits_0(cli, tmp_path):
    f = tmp_path / "ok.txt"
    f.write_text("81234560123456789012\n(01)06951234567897(21)A1\n", encoding="utf-8")
    r = cli("trace", "validate", f)
    assert r.exit_code == 0 and "2 codes, 2 valid, 0 invalid" in r.stderr


def test_validate_missing_column_is_an_input_error(cli, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    r = cli("trace", "validate", f)
    assert r.exit_code == 2 and "give --column" in r.stderr


def test_validate_xlsx_column_with_excel_mangled_codes(cli, tmp_path):
    import xlsxwriter

    f = tmp_path / "扫码记录.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, ["药品名称", "drug_trac_codg"])
    ws.write_row(1, 0, ["阿莫西林胶囊", "81002310417795361847"])
    ws.write_row(2, 0, ["奥美拉唑肠溶胶囊"])
    ws.write_number(2, 1, 86004150093318276612)  # typed into Excel as a number
    wb.close()
    r = cli("trace", "validate", f, "-f", "json")
    assert r.exit_code == 1
    bad = json.loads(r.stdout)["invalid_codes"]
    assert [(b["row"], b["reasons"][0]["code"]) for b in bad] == [(3, "scientific-notation")]


def test_parse_with_mapping_names_the_drug_and_level(cli):
    from pathlib import Path

    mapping = Path(__file__).resolve().parent.parent / "datasets" / "samples" / "trace-product-mapping.csv"
    r = cli("trace", "parse", "--mapping", mapping, "81002310417795361847", "(01)16944461200016(21)A1", "-f", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [(d["drug_codes"], d["packaging_level"]) for d in data] == [
        (["XJ01CAA073A001030100145"], "盒"), (["XC10AAA021A001010100519"], "中包")]
