"""The rules on the real 2025 Western-medicine rows (../shared/data): coverage target, 凡例 rows,
parse speed, and the CLI end to end."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from catalog_tool.importing import import_files
from catalog_tool.model import CatalogKind
from catalog_tool.rules import fanli
from catalog_tool.rules.coverage import coverage
from catalog_tool.rules.edition import build
from catalog_tool.rules.parser import _parse, parse
from catalog_tool.store import CatalogDB


@pytest.fixture(scope="module")
def real_db(shared_data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "catalog.sqlite"
    with CatalogDB(path) as db:
        import_files(db, CatalogKind.drugs, [shared_data / "nrdl-2025"], "nrdl-2025",
                     meta_file=shared_data / "nrdl-2025" / "edition.json")
    return path


@pytest.fixture(scope="module")
def book(real_db):
    with CatalogDB(real_db) as db:
        ed = db.edition("nrdl-2025")
        return build(db.items("nrdl-2025"), ed.id, ed.document_no)


def test_coverage_target_on_631_restricted_rows(book):
    report = coverage(book)
    assert report.rows == 2411 and report.restricted_rows == 631
    assert report.share >= 0.90
    assert report.structured_rows == sum(1 for r in book.rows if r.remarks and r.remarks.fully_structured)
    assert report.grouped_rows == 4  # the ◇ rows 207, 806, 1244, 1303
    for u in report.unparsed:  # every fragment listed is verbatim in some row's 备注
        assert any(u.text in (r.remarks.text if r.remarks else "") for r in book.rows)
    assert {d.dimension for d in report.dimensions if d.rows} >= {"疾病/诊断", "年龄", "险种", "疗程", "线数", "既往治疗"}


def test_fanli_rows_292_309_and_1367_1381(book):
    reached = [r for r in book.rows if r.fanli]
    numbers = {int(r.number.strip("★()")) for r in reached}
    assert numbers == set(range(292, 310)) | set(range(1367, 1382))
    assert all(r.section == "西药部分" for r in reached)
    assert {f.source for r in reached for f in r.fanli} == {"凡例（十四）", "凡例（十五）"}
    parenteral = next(r for r in reached if r.number == "292")
    assert parenteral.remarks is None  # the rule comes from the 凡例 only
    dims = {c.dimension.value for c in parenteral.fanli[0].conditions}
    assert {"营养风险筛查", "就医方式"} <= dims


def test_fanli_quotes_are_verbatim_in_the_edition(shared_data):
    edition = json.loads((shared_data / "nrdl-2025" / "edition.json").read_text(encoding="utf-8"))
    data = fanli.load()
    for clause, text in json.loads(data.path.read_text(encoding="utf-8"))["clauses"].items():
        assert edition["fanli"][clause] == text


def test_parse_all_restriction_texts_under_a_second(book):
    texts = [r.remarks.text for r in book.rows if r.remarks]
    _parse.cache_clear()
    start = time.perf_counter()
    for t in texts:
        parse(t)
    assert time.perf_counter() - start < 1.0


def test_cli_coverage_and_check(real_db, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("CATALOG_TOOL_DB", str(real_db))
    result = cli("rules", "coverage", "nrdl-2025", "--format", "json", "--min", "0.9")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["restricted_rows"] == 631
    west = cli("rules", "coverage", "nrdl-2025", "--section", "西药")
    assert west.exit_code == 0 and "restricted rows" in west.output
    claims = tmp_path / "claims.csv"
    claims.write_text("编号,部分,年龄,险种,机构级别,就医方式,诊断,用药天数,既往治疗,金额\n"
                      "368,西药,70,职工医保,3,住院,I50.1,3,利尿剂,300\n"
                      "368,西药,70,职工医保,1,住院,I50.1,3,利尿剂,200\n"
                      "292,西药,70,职工医保,3,住院,,5,,50\n", encoding="utf-8")
    result = cli("rules", "check", claims, "--edition", "nrdl-2025", "--format", "json")
    assert result.exit_code == 1  # one line is DENY
    data = json.loads(result.output)
    assert [line["verdict"] for line in data["lines"]] == ["PAY", "DENY", "REVIEW"]
    assert data["lines"][1]["quote"] == "二级及以上医疗机构"
    assert data["lines"][2]["source"] == "凡例（十四）"
    totals = {t["verdict"]: t for t in data["summary"]["totals"]}
    assert totals["DENY"]["amount"] == "200" and totals["PAY"]["lines"] == 1


SAMPLE = Path(__file__).resolve().parent.parent / "datasets" / "samples" / "claims-2025.csv"


def test_sample_claims_walk_through(real_db, cli, monkeypatch):
    """The README walk-through: datasets/samples/claims-2025.csv (GBK, CRLF) against the real list."""
    monkeypatch.setenv("CATALOG_TOOL_DB", str(real_db))
    result = cli("rules", "check", SAMPLE, "-e", "nrdl-2025", "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.output[result.output.index("{"):])  # after a possible embedded-editions note
    got = {line["claim_id"]: (line["verdict"], line["source"]) for line in data["lines"]}
    assert got == {
        "A01": ("REVIEW", "备注"), "A02": ("DENY", "备注"), "A03": ("DENY", "备注"), "A04": ("PAY", "凡例（十一）"),
        "A05": ("PAY", "备注"), "A06": ("DENY", "备注"), "A07": ("PAY", "备注"), "A08": ("PAY", "凡例（十四）"),
        "A09": ("DENY", "凡例（十四）"), "A10": ("DENY", "凡例（十四）"), "A11": ("REVIEW", "凡例（十五）"),
        "A12": ("PAY", "备注"), "A13": ("DENY", "备注"), "A14": ("DENY", "备注"), "A15": ("PAY", "凡例（十一）"),
        "A16": ("PAY", "备注"), "A17": ("DENY", "备注"), "A18": ("PAY", "备注"), "A19": ("REVIEW", "备注"),
        "A20": ("DENY", "目录"),
    }
    totals = {t["verdict"]: (t["lines"], t["amount"]) for t in data["summary"]["totals"]}
    assert totals == {"PAY": (8, "3062.00"), "DENY": (9, "4152.00"), "REVIEW": (3, "11370.00")}


def test_streamed_csv_is_the_rendered_csv(real_db, cli, monkeypatch, tmp_path):
    """`rules check -f csv` streams from columns; its bytes equal the record-by-record rendering."""
    import io

    from catalog_tool.formats.claims import read_claims
    from catalog_tool.render.rules import check_text
    from catalog_tool.rules.engine import Engine
    from catalog_tool.rules.report import records, summary

    with CatalogDB(real_db) as db:
        ed = db.edition("nrdl-2025")
        book = build(db.items("nrdl-2025"), ed.id, ed.document_no)
    cols = read_claims(SAMPLE)
    engine = Engine(book)
    result = engine.run(cols)
    expected = check_text(list(records(engine, cols, result)), summary("nrdl-2025", cols, result), "csv") + "\n"
    monkeypatch.setenv("CATALOG_TOOL_DB", str(real_db))
    out = tmp_path / "verdicts.csv"
    assert cli("rules", "check", SAMPLE, "-e", "nrdl-2025", "-f", "csv", "-o", out).exit_code == 1
    assert out.read_text(encoding="utf-8") == expected
    printed = cli("rules", "check", SAMPLE, "-e", "nrdl-2025", "-f", "csv").stdout
    assert printed.endswith(expected) and expected.count("\n") == 20 + 1 + 1 + 4
    assert io.StringIO(expected).readline().startswith("row,claim,drug,verdict")
