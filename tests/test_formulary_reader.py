"""Reading hospital formularies: GBK CSV, XLSX with codes Excel turned into numbers, configurable
columns, full-width characters and stray spaces reported."""

from __future__ import annotations

from decimal import Decimal

import pytest
from formulary_support import HEADER, write_csv
from hypothesis import given
from hypothesis import strategies as st

from catalog_tool.errors import InputError
from catalog_tool.formats.formulary import parse_columns, read_code_list, read_formulary
from catalog_tool.model.formulary import FindingKind, Severity


def test_gbk_csv_reads_chinese_and_prices(tmp_path):
    path = write_csv(tmp_path / "his.csv", [
        ["YP001", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "0.25g*24粒", "12.50", "是"],
        ["YP002", "", "盐酸二甲双胍片", "片剂", "0.5g*20片", "3.2", "否"],
    ], encoding="gbk")
    sheet = read_formulary(path)
    assert sheet.encoding == "gb18030"
    a, b = sheet.items
    assert (a.row, a.local_code, a.national_code, a.name, a.price, a.stocked) == (
        2, "YP001", "XJ01CAA073A001030100145", "阿莫西林胶囊", Decimal("12.50"), True)
    assert (b.national_code, b.stocked, b.spec) == (None, False, "0.5g*20片")
    assert sheet.findings == []


def test_scientific_notation_code_is_an_error_and_unusable(tmp_path):
    path = write_csv(tmp_path / "his.csv", [["YP001", "8.69E+13", "阿莫西林胶囊", "胶囊剂", "", "", ""]], encoding="gbk")
    sheet = read_formulary(path)
    assert sheet.items[0].national_code is None
    (f,) = sheet.findings
    assert (f.kind, f.severity, f.row) == (FindingKind.excel_quirk, Severity.error, 2)
    assert "8.69E+13" in f.message and "scientific notation" in f.message


def test_full_width_and_spaces_are_cleaned_and_reported(tmp_path):
    path = write_csv(tmp_path / "his.csv", [
        ["ＹＰ００１ ", " ＸＪ０１ＣＡ A073A001030100145", "阿莫西林胶囊（阿莫仙）  ", "胶囊剂", "", "１２.５", "是"],
    ])
    sheet = read_formulary(path)
    item = sheet.items[0]
    assert (item.local_code, item.national_code, item.name, item.price) == (
        "YP001", "XJ01CAA073A001030100145", "阿莫西林胶囊(阿莫仙)", Decimal("12.5"))
    (f,) = sheet.findings
    assert (f.kind, f.severity) == (FindingKind.excel_quirk, Severity.info)
    assert "医保代码" in f.message and "name" in f.message


def test_xlsx_numeric_and_scientific_codes(tmp_path):
    import xlsxwriter

    path = tmp_path / "his.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("药品")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ["YP001", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "0.25g", 12.5, "是"])
    ws.write_number(2, 0, 100234)  # a numeric local code: Excel keeps 100234
    ws.write_number(2, 1, 8.69e13)  # a code Excel turned into a number: the digits are gone
    ws.write_row(2, 2, ["布洛芬片", "片剂", "0.2g", 3, "是"])
    ws.write_row(3, 0, ["YP003", "8.69E+13", "头孢曲松", "注射剂", "1g", 20, "否"])
    wb.close()
    sheet = read_formulary(path)
    assert [i.local_code for i in sheet.items] == ["YP001", "100234", "YP003"]
    assert sheet.items[1].national_code == "86900000000000"  # then reported as malformed by validation
    assert sheet.items[2].national_code is None
    assert [(f.row, f.severity) for f in sheet.findings] == [(4, Severity.error)]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    import xlsxwriter

    row = ["YP001", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "0.25g*24粒", "12.50", "是"]
    csv_path = tmp_path / "his.csv"
    csv_path.write_bytes("某市第一人民医院药品目录（HIS导出）,,,,,,\r\n制表日期：2026-11-30,,,,,,\r\n".encode("gbk")
                         + write_csv(tmp_path / "body.csv", [row], encoding="gbk").read_bytes())
    xlsx_path = tmp_path / "his.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx_path))
    ws = wb.add_worksheet("药品目录")
    ws.merge_range(0, 0, 0, 6, "某市第一人民医院药品目录")
    ws.write_row(2, 0, HEADER)
    ws.write_row(3, 0, row)
    wb.close()
    for path, data_row in ((csv_path, 4), (xlsx_path, 4)):
        [item] = read_formulary(path).items
        assert (item.row, item.local_code, item.name) == (data_row, "YP001", "阿莫西林胶囊")
    no_header = write_csv(tmp_path / "none.csv", [row], header=["编码", "代码", "名称", "剂型", "规格", "价格", "在用"])
    with pytest.raises(InputError, match="none.csv, row 1: no column for local_code"):
        read_formulary(no_header)  # no row names the columns: the first row's error, as before


def test_columns_option_maps_other_headers(tmp_path):
    path = write_csv(tmp_path / "his.csv", [["A1", "XJ01CAA073A001030100145", "阿莫西林胶囊"]],
                     header=["本院码", "贯标码", "品名"])
    with pytest.raises(InputError, match="local_code"):
        read_formulary(path)
    sheet = read_formulary(path, parse_columns("local_code=本院码，national_code=贯标码"))
    assert sheet.items[0].local_code == "A1" and sheet.items[0].name == "阿莫西林胶囊"


def test_columns_option_errors(tmp_path):
    with pytest.raises(InputError, match="unknown field 'code'"):
        parse_columns("code=医保编码")
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_columns("local_code")
    path = write_csv(tmp_path / "his.csv", [["A1", "", "阿莫西林"]])
    with pytest.raises(InputError, match="missing column '医保编码'") as e:
        read_formulary(path, {"national_code": "医保编码"})
    assert e.value.row == 1


def test_bad_price_is_a_finding_not_an_abort(tmp_path):
    path = write_csv(tmp_path / "his.csv", [["A1", "", "阿莫西林胶囊", "", "", "十元", "也许"]])
    sheet = read_formulary(path)
    assert [f.kind for f in sheet.findings] == [FindingKind.bad_value, FindingKind.bad_value]
    assert sheet.items[0].price is None and sheet.items[0].stocked is None


def test_code_list_with_and_without_header(tmp_path):
    (tmp_path / "a.csv").write_text("医保代码\nXC08CAA040A001010102266\n xc10aar033a001010102047 \n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("XC08CAA040A001010102266\nXC10AAR033A001010102047\n", encoding="utf-8")
    want = {"XC08CAA040A001010102266", "XC10AAR033A001010102047"}
    assert read_code_list(tmp_path / "a.csv") == want
    assert read_code_list(tmp_path / "b.csv") == want


@given(st.from_regex(r"[A-Z][A-Z0-9]{22}", fullmatch=True), st.sampled_from(["", " ", "  ", "\u3000"]))
def test_code_repair_property(code, pad):
    from catalog_tool.formats.formulary import _code

    notes: list[str] = []
    errors: list[str] = []
    full = code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert _code(pad + full[:5] + pad + full[5:] + pad, "医保代码", notes, errors) == code
    assert errors == []
    assert notes  # full-width characters are always reported
