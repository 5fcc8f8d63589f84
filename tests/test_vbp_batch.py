"""Reading a procurement batch folder and rule files: encodings, Excel, aliases, and one clear error
naming file, row and column for every defect."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_tool.errors import InputError
from catalog_tool.formats.vbp_batch import read_batch, read_purchases
from catalog_tool.procurement import load_rules
from vbp_support import COMPANIES, write_batch, write_csv


def error(fn, *args) -> str:
    with pytest.raises(InputError) as e:
        fn(*args)
    return str(e.value)


def test_a_batch_with_gbk_demand_reference_prices_preferences_and_meta(tmp_path):
    folder = write_batch(tmp_path / "b", prices=[["V001", "1.05"]], preferences=[["V001", COMPANIES[0], "2", "上海市"],
                                                                                ["V001", COMPANIES[0], "1", "北京市"]],
                         meta={"id": "batch-x", "title": "第十一批（样例）", "rules": "batch-10"})
    b = read_batch(folder)
    assert (b.id, b.title, b.rules) == ("batch-x", "第十一批（样例）", "batch-10")
    assert b.drugs[0].pre_price == Decimal("1.05") and b.drugs[0].antimicrobial is False
    assert b.bids[0].price == Decimal("3.36") and b.bids[0].pack == 28 and b.bids[0].row == 2
    assert b.demand.hospital_name == ["首都医科大学附属北京朝阳医院"] and b.demand.quantity == [12000]
    assert b.preferences == {("V001", COMPANIES[0]): ["北京市", "上海市"]}
    assert b.drug("阿托伐他汀钙片").drug == "V001"


def test_excel_bids_and_english_column_names(tmp_path):
    import xlsxwriter

    folder = write_batch(tmp_path / "b")
    (folder / "bids.csv").unlink()
    wb = xlsxwriter.Workbook(str(folder / "bids.xlsx"))
    ws = wb.add_worksheet("申报")
    ws.write_row(0, 0, ["drug", "company", "spec", "pack", "price"])
    ws.write_row(1, 0, ["V001", COMPANIES[1], "20mg", 14.0, 2.86])  # Excel keeps numbers as floats
    wb.close()
    b = read_batch(folder)
    assert b.bids[0].pack == 14 and b.bids[0].price == Decimal("2.86") and b.files["bids"].suffix == ".xlsx"


@pytest.mark.parametrize("table,header,rows,expected", [
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量"], [["V001", "甲", "10mg", "28"]], "bids.csv, row 1, field 申报价: missing column"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [["V001", "甲", "10mg", "28", "三元"]], "bids.csv, row 2, field 申报价: not a number"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [["V001", "甲", "10mg", "0", "3.00"]], "row 2, field 包装数量: must be at least 1"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [["V001", "甲", "10mg", "28", "-1"]], "row 2, field 申报价: must be positive"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [["V009", "甲", "10mg", "28", "3"]], "row 2, field 品种编号: unknown 品种编号 'V009'"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [["V001", "甲", "10mg", "28", "3"], ["V001", "甲", "20mg", "14", "3"]],
     "row 3, field 企业名称: 甲 bids twice for V001"),
    ("drugs.csv", ["品种编号", "药品通用名", "剂型", "代表品规格", "最高有效申报价"], [["V001", "阿托伐他汀钙片", "片剂", "10mg", ""]],
     "drugs.csv, row 2, field 最高有效申报价: empty value"),
    ("drugs.csv", ["品种编号", "药品通用名", "剂型", "代表品规格", "最高有效申报价", "特殊抗菌药物"],
     [["V001", "阿托伐他汀钙片", "片剂", "10mg", "1.2", "也许"]], "row 2, field 特殊抗菌药物: not a yes/no flag"),
    ("drugs.csv", ["品种编号", "药品通用名", "剂型", "代表品规格", "最高有效申报价"],
     [["V001", "阿托伐他汀钙片", "片剂", "10mg", "1.2"], ["V001", "瑞舒伐他汀钙片", "片剂", "10mg", "1.2"]], "row 3, field 品种编号: duplicate"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [["H1", "北京市", "V001", "12.5"]], "demand.csv, row 2, field 需求量: not a whole"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [["H1", "", "V001", "12"]], "row 2, field 省份: empty value"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [["H1", "北京市", "V001", "1"], ["H1", "北京市", "V001", "2"]],
     "row 3, field 医疗机构编码: H1 reports V001 twice"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [["H1", "北京市", "V001", "1" * 20]],
     "demand.csv, row 2, field 需求量: '11111111111111111111' is more than 10^12 units"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [["H1", "北京市", "V001", "9223372036854775807"]],
     "row 2, field 需求量: '9223372036854775807' is more than 10^12"),
    ("demand.csv", ["医疗机构编码", "省份", "品种编号", "需求量"], [], "demand.csv, row 2: no demand rows"),
    ("bids.csv", ["品种编号", "企业名称", "规格", "包装数量", "申报价"], [], "bids.csv, row 2: no bids"),
    ("reference-prices.csv", ["品种编号", "集采前价格"], [["V001", "1.05"], ["V001", "1.10"]],
     "reference-prices.csv, row 3, field 品种编号: duplicate 品种编号 'V001'"),
])
def test_each_defect_is_one_error_naming_file_row_and_column(tmp_path, table, header, rows, expected):
    folder = write_batch(tmp_path / "b")
    write_csv(folder / table, header, rows)
    assert expected in error(read_batch, folder)


def test_missing_folder_file_and_malformed_meta(tmp_path):
    assert "not a batch folder" in error(read_batch, tmp_path / "nope")
    folder = write_batch(tmp_path / "b")
    (folder / "batch.json").write_text("{\"id\": ", encoding="utf-8")
    assert "batch.json, row 1: malformed JSON" in error(read_batch, folder)
    (folder / "batch.json").write_text('{"id": "batch-x", "rules": 5}', encoding="utf-8")
    assert "batch.json, field rules: must be a string, got 5" in error(read_batch, folder)
    (folder / "batch.json").unlink()
    (folder / "demand.csv").unlink()
    assert "missing demand.csv" in error(read_batch, folder)
    assert read_batch(folder, with_demand=False).bids  # evaluate needs no demand


def test_a_binary_file_in_place_of_a_table(tmp_path):
    folder = write_batch(tmp_path / "b")
    (folder / "bids.csv").write_bytes(b"PK\x03\x04\x00\x00\xff\xfe" * 20)
    message = error(read_batch, folder)
    assert "bids.csv" in message


def test_purchases_sum_per_hospital_drug_and_company(tmp_path):
    path = write_csv(tmp_path / "p.csv", ["医疗机构编码", "品种编号", "企业名称", "采购量"],
                     [["H1", "V001", "甲", "10"], ["H1", "V001", "甲", "5"], ["H1", "V001", "乙", "1"]], encoding="gbk")
    p = read_purchases(path)
    assert p.total == {("H1", "V001"): 16} and p.by_company[("H1", "V001", "甲")] == 15
    bad = write_csv(tmp_path / "q.csv", ["医疗机构编码", "品种编号", "采购量"], [["H1", "V001", "十"]])
    assert "q.csv, row 2, field 采购量" in error(read_purchases, bad)
    assert read_purchases(path, {"V001"}).total == p.total
    assert "p.csv, row 2, field 品种编号: unknown 品种编号 'V001' (not in the batch)" in error(read_purchases, path, {"V002"})


# --- rule files ---------------------------------------------------------------------------------

def rule_file(tmp_path, **changes):
    data = json.loads(load_rules("batch-9").model_dump_json()) | changes
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_copied_rule_file_with_one_number_changed(tmp_path):
    rules = load_rules(rule_file(tmp_path, id="batch-9-strict", ratio_to_anchor="1.5"))
    assert rules.ratio_to_anchor == Decimal("1.5") and rules.max_winners == load_rules("batch-9").max_winners


@pytest.mark.parametrize("changes,expected", [
    ({"ratio_to_anchor": "abc"}, "field ratio_to_anchor"),
    ({"anchor": "median"}, "field anchor: must be lowest"),
    ({"max_winners": [1, 3]}, "field max_winners: cannot allow more winners"),
    ({"volume_share": ["50", "60"]}, "field volume_share: shares are fractions"),
    ({"contract_years": []}, "field contract_years: must list at least one"),
    ({"ratio_to_ancor": "1.8"}, "field ratio_to_ancor: Extra inputs are not permitted"),
    ({"drop_vs_ceiling": "50"}, "field drop_vs_ceiling: must be a fraction in (0, 1]"),
    ({"anchor_mean_fraction": "0"}, "field anchor_mean_fraction: must be a fraction in (0, 1]"),
    ({"unit_price_floor": "-0.1"}, "field unit_price_floor: must be positive"),
    ({"form_thresholds": {"注射": "0"}}, "field form_thresholds.注射: must be positive"),
    ({"content_ratio_base": "0"}, "field content_ratio_base: must be greater than 1"),
    ({"fill_volume_base": "1"}, "field fill_volume_base: must be greater than 1"),
    ({"injection_max_ml": "-5"}, "field injection_max_ml: must not be negative"),
    ({"max_winners": [1, 2, 3, 2]}, "field max_winners: cannot fall as bidders grow"),
])
def test_a_broken_rule_file_is_one_error(tmp_path, changes, expected):
    assert expected in error(load_rules, rule_file(tmp_path, **changes))


def test_unknown_rule_name_and_malformed_json(tmp_path):
    assert "unknown rule set 'batch-99' (built in: batch-7, batch-9, batch-10" in error(load_rules, "batch-99")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert "bad.json, row 1: malformed JSON" in error(load_rules, str(bad))


# --- property: numbers as hospitals' spreadsheets write them -------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["{}", "{}.0", "{:,}", " {} "]))
def test_demand_quantities_in_spreadsheet_shapes(tmp_path_factory, n, shape):
    folder = write_batch(tmp_path_factory.mktemp("b"), demand=[["H1", "北京协和医院", "北京市", "V001", shape.format(n)]])
    assert read_batch(folder).demand.quantity == [n]


def test_shares_finer_than_a_tenth_of_a_percent_are_refused(tmp_path):
    assert "field volume_share: shares are stated to 0.1%" in error(load_rules, rule_file(tmp_path, volume_share=["0.8055"]))
