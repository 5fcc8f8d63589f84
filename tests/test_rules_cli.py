"""`catalog-tool rules …` in-process: output, exit codes, one-line errors."""

from __future__ import annotations

import json


def test_parse_table(cli):
    result = cli("rules", "parse", "限二级及以上医疗机构使用，支付不超过14天")
    assert result.exit_code == 0
    assert "机构级别" in result.output and "支付不超过14天" in result.output
    assert "中文：限二级及以上医疗机构，且支付不超过14天。" in result.output
    assert "fully structured: yes" in result.output


def test_parse_json_is_the_model(cli):
    result = cli("rules", "parse", "限：1.反流性食管炎；2.十二指肠溃疡。", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["root"]["kind"] == "any"
    assert [c["icd10"] for c in data["root"]["children"]] == [["K21.0"], ["K26"]]
    assert data["fully_structured"] is True and data["render_zh"].startswith("以下之一")


def test_parse_unparsed_exits_1_and_shows_the_fragment(cli):
    result = cli("rules", "parse", "限法布雷病。尚未确定本品在0-6岁儿童中的安全性和有效性。")
    assert result.exit_code == 1
    assert "未解析" in result.output and "尚未确定本品在0-6岁儿童中的安全性和有效性" in result.output


def test_parse_with_own_term_table(cli, tmp_path):
    terms = tmp_path / "terms.csv"
    terms.write_text("term,icd10\n眼睑结膜巨大乳头增殖,H10.4\n", encoding="utf-8")
    result = cli("rules", "parse", "限有眼睑结膜巨大乳头增殖的患者。", "--terms", terms, "-f", "json")
    assert json.loads(result.output)["root"]["icd10"] == ["H10.4"]
    bad = tmp_path / "bad.csv"
    bad.write_text("term,icd10\n某病,not-a-code\n", encoding="utf-8")
    result = cli("rules", "parse", "限某病。", "--terms", bad)
    assert result.exit_code == 2 and "row 2" in result.stderr and "field icd10" in result.stderr


def test_check_reports_bad_claim_file_in_one_line(cli, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("编号,年龄\n368,四十\n", encoding="utf-8")
    result = cli("rules", "check", claims, "--edition", "nrdl-2024")
    assert result.exit_code == 2
    assert "row 2" in result.stderr and "field 年龄" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_check_unknown_edition(cli, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("编号\n368\n", encoding="utf-8")
    result = cli("rules", "check", claims, "--edition", "nope")
    assert result.exit_code == 2 and "unknown edition" in result.stderr


SAMPLE = ("药品分类代码,药品分类,编号,甲乙类,药品名称,剂型,备注\n"
          "XA02BC,质子泵抑制剂,17,乙,艾普拉唑,口服常释剂型,限有十二指肠溃疡、反流性食管炎诊断患者的二线用药。\n"
          "XD11AX,其他皮科制剂,558,乙,氢醌,软膏剂,限工伤保险。\n"
          "XA10BA,双胍类,90,甲,二甲双胍,口服常释剂型,\n")


def _sample_edition(cli, tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "西药部分.csv").write_bytes(SAMPLE.encode("gb18030"))  # hospitals' GBK exports
    assert cli("import", folder, "-c", "drugs", "-e", "sample-2025").exit_code == 0


def test_check_table_json_and_fail_on(cli, tmp_path):
    _sample_edition(cli, tmp_path)
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([
        {"编号": "17", "诊断": "K26.9", "线数": 2, "金额": "10"},
        {"编号": "558", "险种": "职工医保", "金额": "5"},
        {"编号": "90"},
        {"编号": "9999"},
    ], ensure_ascii=False), encoding="utf-8")
    table = cli("rules", "check", claims, "--edition", "sample-2025")
    assert table.exit_code == 1  # DENY lines
    assert "限工伤保险" in table.output and "目录内未找到该药品" in table.output
    data = json.loads(cli("rules", "check", claims, "-e", "sample-2025", "-f", "json", "--fail-on", "never").output)
    assert [line["verdict"] for line in data["lines"]] == ["PAY", "DENY", "PAY", "DENY"]
    assert data["lines"][0]["quote"] == "有十二指肠溃疡、反流性食管炎诊断"
    assert {t["verdict"]: t["lines"] for t in data["summary"]["totals"]} == {"PAY": 2, "DENY": 2, "REVIEW": 0}
    out = tmp_path / "verdicts.csv"
    assert cli("rules", "check", claims, "-e", "sample-2025", "-f", "csv", "-o", out).exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("row,claim,drug,verdict")


def test_coverage_min_threshold(cli, tmp_path):
    _sample_edition(cli, tmp_path)
    ok = cli("rules", "coverage", "sample-2025", "--min", "0.9")
    assert ok.exit_code == 0 and "2 (100.0%)" in ok.output
    assert cli("rules", "coverage", "sample-2025", "--section", "月球部分").exit_code == 2
