"""Reading claim files: Chinese or English headers, GBK CSV, XLSX, JSON; each bad value reported
at its row and field."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_tool.errors import InputError
from catalog_tool.formats.claims import read_claims

HEADER = "单据号,编号,部分,年龄,性别,险种,机构级别,就医方式,诊断,线数,用药天数,金额\n"
LINES = ("A1,368,西药,70,男,职工医保,三级,住院,I50.1;心力衰竭,2,3,300.50\n"
         "A2,★（376）,西药部分,8月,女,居民,2,门诊,,一线,7,88\n"
         "A3,17,,16天,F,工伤,1,急诊,k26.9,,,\n")


def test_chinese_headers_and_values(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(HEADER + LINES, encoding="utf-8")
    cols = read_claims(path)
    assert cols.n == 3 and list(cols.rows) == [2, 3, 4]
    a1, a2, a3 = (cols.claim(i) for i in range(3))
    assert (a1.number, a1.section, a1.fund, a1.institution_level, a1.setting) == ("368", "西药部分", "职工医保", 3, "住院")
    assert a1.diagnosis_codes == ["I50.1"] and a1.diagnosis_text == ["心力衰竭"] and a1.amount == Decimal("300.50")
    assert round(a2.age_days) == 244 and a2.sex == "女" and a2.fund == "居民医保" and a2.line_of_therapy == 1
    assert a3.age_days == 16 and a3.diagnosis_codes == ["K26.9"] and a3.section is None and a3.amount is None


def test_gbk_csv_reads_the_same(tmp_path):
    utf, gbk = tmp_path / "u.csv", tmp_path / "g.csv"
    utf.write_text(HEADER + LINES, encoding="utf-8")
    gbk.write_bytes((HEADER + LINES).encode("gb18030"))
    assert [read_claims(gbk).claim(i) for i in range(3)] == [read_claims(utf).claim(i) for i in range(3)]


def test_xlsx_and_json(tmp_path):
    import xlsxwriter

    xlsx = tmp_path / "claims.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet("明细")
    for r, line in enumerate((HEADER + LINES).splitlines()):
        for c, cell in enumerate(line.split(",")):
            ws.write(r, c, float(cell) if cell.replace(".", "").isdigit() and c in (3, 10, 11) else cell)
    wb.close()
    js = tmp_path / "claims.json"
    js.write_text(json.dumps([{"number": "368", "age": 70, "fund": "职工医保", "diagnoses": ["I50.1", "心力衰竭"],
                               "screening": True, "amount": "12.3"}], ensure_ascii=False), encoding="utf-8")
    x = read_claims(xlsx)
    assert x.n == 3 and x.claim(0).amount == Decimal("300.5") and x.claim(0).age_days == 70 * 365.25
    j = read_claims(js).claim(0)
    assert j.diagnosis_codes == ["I50.1"] and j.diagnosis_text == ["心力衰竭"] and j.screening is True and j.row == 1


@pytest.mark.parametrize("column, value, field", [
    ("年龄", "七十", "年龄"), ("险种", "商业保险", "险种"), ("机构级别", "四级", "机构级别"),
    ("金额", "12元5角", "金额"), ("部分", "西要部分", "部分"), ("线数", "2.5", "线数"),
])
def test_bad_value_names_row_and_field(tmp_path, column, value, field):
    path = tmp_path / "bad.csv"
    path.write_text(f"编号,{column}\n368,\n17,{value}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_claims(path)
    assert (e.value.row, e.value.field) == (3, field)


def test_a_drug_column_is_required(tmp_path):
    path = tmp_path / "nodrug.csv"
    path.write_text("年龄,性别\n40,男\n", encoding="utf-8")
    with pytest.raises(InputError, match="drug column"):
        read_claims(path)


def test_malformed_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"number": "368"}', encoding="utf-8")
    with pytest.raises(InputError, match="JSON list"):
        read_claims(path)


def test_a_ragged_row_is_named(tmp_path):
    path = tmp_path / "结算明细.csv"
    path.write_text("编号,诊断,金额\n17,K26.9,10\n558,K21.0,5,多出的一格\n90,,3\n", encoding="gbk")
    with pytest.raises(InputError, match=r"结算明细.csv, row 3: has 4 cells, the header has 3"):
        read_claims(path)
