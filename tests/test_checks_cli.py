"""`catalog-tool check` on the command line: exit codes, the JSON report equal to the library's,
GitHub annotations and step summary, JUnit XML; and the rows counted for stated totals agree with
the database's count (`catalog_tool.totals`)."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from catalog_tool.checks.totals import count_rows
from catalog_tool.embedded import ensure_embedded
from catalog_tool.formats.datasets import load_folder
from catalog_tool.paths import DATASETS_DIR
from catalog_tool.schemas import SCHEMAS_DIR
from catalog_tool.store import CatalogDB
from catalog_tool.totals import count_totals
from checks_support import check, copy_datasets, edit_cell, edit_manifest, edition

DRUGS = "drugs-2025/drugs.csv"


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = copy_datasets(tmp_path)
    monkeypatch.chdir(tmp_path)
    return root


def test_counted_like_the_database(tmp_path):
    folder = load_folder(DATASETS_DIR, SCHEMAS_DIR)
    with CatalogDB(tmp_path / "c.sqlite") as db:
        ensure_embedded(db)
        for ed in folder.editions:
            assert count_rows(ed) == count_totals(db, db.edition(ed.id)), ed.id


def test_clean_exit_0_and_json_is_the_library_report(cli, root):
    r = cli("check", "datasets", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    library = check(root).model_dump(mode="json")
    assert data["valid"] is True and data["stats"] == library["stats"]
    assert [f["file"] for f in data["findings"]] == ["datasets/" + f["file"] for f in library["findings"]]
    assert [{k: v for k, v in f.items() if k != "file"} for f in data["findings"]] == \
           [{k: v for k, v in f.items() if k != "file"} for f in library["findings"]]


def test_error_exit_1_table_names_file_line_field(cli, root):
    edit_cell(root / DRUGS, 3, "drug_class", "丙")
    r = cli("check", "datasets")
    assert r.exit_code == 1
    line = next(x for x in r.stdout.splitlines() if "schema.cell" in x)
    assert "datasets/drugs-2025/drugs.csv" in line and " 3 " in line and "drug_class" in line
    assert r.stdout.splitlines()[-1].startswith("INVALID: 1 errors")


def test_warnings_fail_only_when_asked(cli, root):
    assert cli("check", "datasets").exit_code == 0
    assert cli("check", "datasets", "--fail-on-warning").exit_code == 1  # the shipped data has warnings
    assert cli("check", "datasets", "--only", "totals,keys", "--fail-on-warning").exit_code == 0


def test_path_inside_limits_findings_to_it(cli, root):
    edit_cell(root / DRUGS, 3, "drug_class", "丙")
    assert cli("check", "datasets/services-2025").exit_code == 0
    assert cli("check", "datasets/drugs-2025/drugs.csv").exit_code == 1


def test_github_annotations_and_step_summary(cli, root, tmp_path, monkeypatch):
    edit_cell(root / DRUGS, 3, "drug_class", "丙")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = cli("check", "datasets", "--format", "github")
    assert r.exit_code == 1
    ann = [x for x in r.stdout.splitlines() if x.startswith("::error")]
    assert len(ann) == 1 and ann[0].startswith("::error file=datasets/drugs-2025/drugs.csv,line=3,title=schema.cell::DrugItem.drug_class: '丙' is not one of")
    assert ann[0].endswith(" [drug_class]")
    assert any(x.startswith("::warning file=datasets/") for x in r.stdout.splitlines())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## catalog-tool check: ❌ invalid")
    assert "| `schema.cell` | error | 1 |" in text


def test_junit_report(cli, root, tmp_path):
    edit_manifest(root, lambda m: edition(m, "drugs-2025")["stated_totals"].update(rows=1))
    out = tmp_path / "junit.xml"
    r = cli("check", "datasets", "--junit", out)
    assert r.exit_code == 1
    tree = etree.parse(str(out))
    assert tree.getroot().get("failures") == "1"
    failure = tree.find(".//testsuite[@name='totals']/testcase/failure")
    assert failure.get("type") == "totals.mismatch" and "stated 1, counted 340" in failure.get("message")
    assert tree.find(".//testsuite[@name='keys']/testcase") is not None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".junit")] == []


def test_usage_and_io_errors_exit_2(cli, root, tmp_path):
    r = cli("check", "no-such-folder")
    assert r.exit_code == 2 and "no such file or folder" in r.stderr
    (tmp_path / "loose").mkdir()
    r = cli("check", tmp_path / "loose")
    assert r.exit_code == 2 and "no manifest.json" in r.stderr
    r = cli("check", "datasets", "--only", "spelling")
    assert r.exit_code == 2 and "unknown spelling" in r.stderr
    r = cli("check", "datasets", "--junit", tmp_path / "missing-dir" / "j.xml")
    assert r.exit_code == 2 and "output folder does not exist" in r.stderr


def test_unreadable_table_is_a_finding(cli, root):
    (root / "drugs-2025" / "drugs.csv").write_bytes(b"code,name\n\xff\xfe\x00\x01")
    r = cli("check", "datasets", "-f", "json")
    found = {(f["code"], f["file"]) for f in json.loads(r.stdout)["findings"]}
    assert {("manifest.sha256", "datasets/drugs-2025/drugs.csv"), ("io.read", "datasets/drugs-2025/drugs.csv")} <= found
    assert r.exit_code == 1


def test_manifest_with_sources_still_loads_and_checks(root, tmp_path, capsys):
    from catalog_tool.manifest import main

    edit_manifest(root, lambda m: m.update(sources={"nrdl-2025": {
        "url": "https://example.org/nrdl-2025.pdf", "sha256": "82b249771d25f42b372093ab6be76192754ceb67a0b7309f5da0d5e284842dc3"}}))
    assert main(["--check", "--datasets", str(root)]) == 0
    with CatalogDB(tmp_path / "s.sqlite") as db:
        assert len(ensure_embedded(db, root)) == 6
    assert check(root, {"schema", "manifest"}).valid
