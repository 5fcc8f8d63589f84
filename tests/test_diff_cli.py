"""`catalog-tool diff` on files and on editions: formats, filters, exit codes, bad input."""

from __future__ import annotations

import json

import xlsxwriter

HEADER = "药品分类代码,药品分类,编号,甲乙类,药品名称,剂型,备注"
OLD = [
    "XA01,口腔科制剂,1,甲,复方硼砂,外用液体剂,",
    "XA02BC,质子泵抑制剂,2,乙,奥美拉唑碳酸氢钠胶囊（Ⅱ）,口服常释剂型,",
    "XA02BC,质子泵抑制剂,3,乙,艾司奥美拉唑镁,口服常释剂型,限 成人",
    "XA03,功能性胃肠病药,4,乙,维生素K4,口服常释剂型,",
]
NEW = [
    "XA01,口腔科制剂,1,乙,复方硼砂,外用液体剂,",
    "XA02BC,质子泵抑制剂,2,乙,奥美拉唑碳酸氢钠胶囊(Ⅱ),口服常释剂型,",
    "XA02BC,质子泵抑制剂,3,乙,艾司奥美拉唑镁,口服常释剂型,限成人",
    "XA03,功能性胃肠病药,4,乙,葡萄糖酸钙氯化钠,注射剂,",
]


def write(path, lines, encoding="utf-8"):
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding=encoding)
    return path


def write_xlsx(path, lines):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("总表")
    for r, line in enumerate([HEADER, *lines]):
        for c, cell in enumerate(line.split(",")):
            ws.write_string(r, c, cell)
    wb.close()
    return path


def test_file_to_file_gbk_csv_against_xlsx(cli, tmp_path):
    old = write(tmp_path / "old.csv", OLD, "gbk")
    new = write_xlsx(tmp_path / "new.xlsx", NEW)
    r = cli("diff", old, new, "-f", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["format_version"] == 1
    kinds = sorted((e["kind"], e["name"]) for e in doc["entries"])
    assert kinds == [("added", "葡萄糖酸钙氯化钠"), ("class_changed", "复方硼砂"),
                     ("cosmetic", "奥美拉唑碳酸氢钠胶囊(Ⅱ)"), ("cosmetic", "艾司奥美拉唑镁"), ("removed", "维生素K4")]
    assert set(doc["entries"][0]) == {"kind", "label", "section_old", "section_new", "key", "name", "dosage_form",
                                      "field", "old", "new", "old_marked", "new_marked", "old_amount", "new_amount",
                                      "pct_change", "matched_by"}


def test_filters_and_fail_on(cli, tmp_path):
    old, new = write(tmp_path / "a.csv", OLD), write(tmp_path / "b.csv", NEW)
    r = cli("diff", old, new, "-f", "csv", "--hide-cosmetic", "--only", "added,removed,cosmetic")
    rows = r.stdout.strip().splitlines()
    assert rows[0].startswith("kind,label,") and len(rows) == 3
    assert cli("diff", old, new, "--fail-on", "class_changed").exit_code == 1
    assert cli("diff", old, new, "--fail-on", "renamed").exit_code == 0
    assert cli("diff", old, new, "--ignore-columns", "drug_class", "--fail-on", "class_changed").exit_code == 0
    assert cli("diff", old, old, "--fail-on", "added,removed").exit_code == 0
    # the file's own headers name columns as well as the canonical field names do
    assert cli("diff", old, new, "--ignore-columns", "甲乙类", "--fail-on", "class_changed").exit_code == 0
    keyed = json.loads(cli("diff", old, new, "--key", "药品名称,剂型", "-f", "json").stdout)
    assert keyed["summary"]["key"] == ["name", "dosage_form"]


def test_html_report_is_written_whole(cli, tmp_path):
    old, new = write(tmp_path / "a.csv", OLD), write(tmp_path / "b.csv", NEW)
    out = tmp_path / "report.html"
    r = cli("diff", old, new, "-f", "html", "-o", out)
    assert r.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "http" not in html
    assert "甲乙类变更（1）" in html and '<span class="ins">' in html


def test_markdown_marks_the_changed_span(cli, tmp_path):
    old = write(tmp_path / "a.csv", ["XA02BC,质子泵抑制剂,3,乙,艾司奥美拉唑镁,口服常释剂型,限前次治疗失败"])
    new = write(tmp_path / "b.csv", ["XA02BC,质子泵抑制剂,3,乙,艾司奥美拉唑镁,口服常释剂型,限既往治疗失败"])
    r = cli("diff", old, new, "-f", "markdown")
    assert "| 限【前次】治疗失败 | 限【既往】治疗失败 |" in r.stdout


def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, shared_data):
    old = write(tmp_path / "a.csv", OLD)
    other = tmp_path / "c.csv"
    other.write_text("药品名称,剂型\n复方硼砂,外用液体剂\n", encoding="utf-8")
    dup = write(tmp_path / "d.csv", OLD + [OLD[0]])
    cli("editions")  # the first command loads the embedded editions and says so on stderr
    for args, message in [
        ((old, other), "different column sets"),
        ((dup, old), "duplicate key"),
        (("nrdl-2099", "nrdl-2098"), "nrdl-2099"),
        ((old, old, "--only", "vanished"), "--only"),
        ((old, old, "--key", "药品编码"), "--key"),
        ((old, "nrdl-2025"), "two files or two edition ids"),
        ((tmp_path / "missing.csv", old), "file not found"),
    ]:
        r = cli("diff", *args)
        assert r.exit_code == 2, (args, r.output)
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and not r.stdout


def test_mismatched_catalog_kinds(cli, tmp_path, shared_data):
    cons = tmp_path / "c.csv"
    cons.write_text("耗材代码,医保通用名\nC0101010010100000001,一次性使用无菌注射器\n", encoding="utf-8")
    assert cli("import", cons, "-c", "consumables", "-e", "c-2025").exit_code == 0
    assert cli("import", shared_data / "nrdl-2025", "-c", "drugs", "-e", "nrdl-2025").exit_code == 0
    r = cli("diff", "c-2025", "nrdl-2025")
    assert r.exit_code == 2 and "mismatched catalog kinds" in r.stderr
    r = cli("diff", "nrdl-2025", "nrdl-2025", "--catalog", "services")
    assert r.exit_code == 2 and "--catalog services" in r.stderr


def test_recode_table_pairs_codes(cli, tmp_path):
    old, new = tmp_path / "a.csv", tmp_path / "b.csv"
    old.write_text("耗材代码,医保通用名\nC0101010010100000001,一次性使用无菌注射器\nC0101010010100000002,输液器\n",
                   encoding="utf-8")
    new.write_text("耗材代码,医保通用名\nC0101010010100000001,一次性使用无菌注射器\nC0101010010100000009,输液器\n",
                   encoding="utf-8")
    table = tmp_path / "转码表.csv"
    table.write_text("原耗材代码,新耗材代码\nC0101010010100000002,C0101010010100000009\n", encoding="gbk")
    plain = json.loads(cli("diff", old, new, "-c", "consumables", "-f", "json").stdout)["summary"]["counts"]
    assert (plain["added"], plain["removed"], plain["recoded"]) == (1, 1, 0)
    r = cli("diff", old, new, "-c", "consumables", "--recode", table, "-f", "json")
    doc = json.loads(r.stdout)
    c = doc["summary"]["counts"]
    assert (c["added"], c["removed"], c["recoded"]) == (0, 0, 1)
    (entry,) = doc["entries"]
    assert (entry["old"], entry["new"], entry["matched_by"]) == ("C0101010010100000002", "C0101010010100000009",
                                                                 "recode_table")


def test_json_document_validates_against_its_schema(cli, tmp_path):
    import jsonschema

    from catalog_tool.paths import PROJECT_DIR

    old = write(tmp_path / "a.csv", OLD)
    new = write(tmp_path / "b.csv", NEW)
    doc = json.loads(cli("diff", old, new, "-f", "json").stdout)
    schema = json.loads((PROJECT_DIR / "schemas" / "DiffDocument.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    broken = dict(doc, format_version=2)
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("format_version 2 should not validate")


def test_embedded_editions_with_codes_on_some_rows(cli):
    """The sample NRDL editions carry national codes on some rows only: those match on the code
    (曾用码 pairing recodes), the rest on (name, dosage form). Counts as datasets/CHANGES-drugs-2025.md."""
    import json

    r = cli("diff", "drugs-2024", "drugs-2025", "-f", "json")
    assert r.exit_code == 0, r.stderr
    c = json.loads(r.stdout)["summary"]["counts"]
    assert (c["added"], c["removed"], c["class_changed"], c["recoded"], c["negotiated_to_regular"],
            c["renamed"], c["cosmetic"]) == (11, 5, 3, 2, 4, 2, 2)


def test_binary_file_is_named(cli, tmp_path):
    junk = tmp_path / "西药部分.csv"
    junk.write_bytes(b"\xff\xfe\x00\x01junk")
    r = cli("diff", junk, junk)
    assert r.exit_code == 2 and "binary file" in r.stderr and "西药部分.csv" in r.stderr
