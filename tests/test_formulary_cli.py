"""`catalog-tool formulary …`: exit codes, output formats, save / list / recheck, the import hook."""

from __future__ import annotations

import json

from formulary_support import SAMPLES, write_csv

SAMPLE_CSV = SAMPLES / "hospital-formulary.csv"
SAMPLE_XLSX = SAMPLES / "hospital-formulary.xlsx"


def test_no_suggestions_option(cli):
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--on", "2026-03-01", "-f", "json",
            "--no-suggestions")
    assert r.exit_code == 1
    findings = json.loads(r.stdout)["findings"]
    assert findings and not any(f["suggestions"] for f in findings)


def test_clean_formulary_exits_0(cli, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [["YP1", "XM01AEB064A001020201580", "布洛芬片", "片剂", "0.2g*24片", "3.5", "是"]],
                     encoding="gbk")
    r = cli("formulary", "validate", path, "-e", "drugs-2025", "--on", "2026-03-01")
    assert r.exit_code == 0, r.output
    assert "no findings" in r.output and "1 items, 1 matched in drugs-2025 (previous drugs-2024)" in r.output


def test_sample_exits_1_and_json_is_the_library_report(cli, tmp_path):
    from catalog_tool.formats.formulary import read_formulary
    from catalog_tool.formulary import ValidationOptions, validate_formulary
    from catalog_tool.formulary.index import CatalogIndex
    from catalog_tool.paths import default_db_path
    from catalog_tool.store import CatalogDB

    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--on", "2026-03-01", "-f", "json",
            "--vbp-winners", SAMPLES / "vbp-winners.csv")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    with CatalogDB(default_db_path()) as db:
        cur, prev = CatalogIndex.load(db, "drugs-2025"), CatalogIndex.load(db, "drugs-2024")
    from datetime import date

    from catalog_tool.formats.formulary import read_code_list

    sheet = read_formulary(SAMPLE_CSV)
    report = validate_formulary(sheet.items, cur, prev, ValidationOptions(
        on=date(2026, 3, 1), vbp_winners=read_code_list(SAMPLES / "vbp-winners.csv")), sheet.findings)
    assert data == report.model_dump(mode="json")
    assert data["items"] == 324 and report.errors == 19


def test_csv_and_xlsx_reports(cli, tmp_path):
    out = tmp_path / "report.csv"
    r = cli("formulary", "validate", SAMPLE_XLSX, "-e", "drugs-2025", "--on", "2026-03-01", "-f", "csv", "-o", out)
    assert r.exit_code == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,local_code,national_code,name,kind,severity,message,catalog_name,suggestions"
    assert any(",wrong_mapping,error," in line for line in lines)
    xlsx = tmp_path / "report.xlsx"
    r = cli("formulary", "validate", SAMPLE_XLSX, "-e", "drugs-2025", "--on", "2026-03-01", "-f", "xlsx", "-o", xlsx)
    assert r.exit_code == 1
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(xlsx))
    assert wb.sheet_names[0] == "汇总"
    assert {"疑似对码错误", "医保代码不存在", "本版调出", "甲乙类变化", "Excel问题"} <= set(wb.sheet_names)
    summary = wb.get_sheet_by_name("汇总").to_python()
    assert ["错误 errors", 19.0] in [row[:2] for row in summary]  # numeric codes: code_malformed instead
    wrong = wb.get_sheet_by_name("疑似对码错误").to_python()
    assert wrong[0][:3] == ["行号 row", "院内编码", "医保代码"] and "建议1 医保代码" in wrong[0]


def test_xlsx_needs_output_and_bad_input_exits_2(cli, tmp_path):
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "-f", "xlsx")
    assert r.exit_code == 2 and "--format xlsx needs --output" in r.stderr
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "nope")
    assert r.exit_code == 2 and "unknown edition 'nope'" in r.stderr
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--columns", "code=x")
    assert r.exit_code == 2 and "unknown field 'code'" in r.stderr
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--on", "yesterday")
    assert r.exit_code == 2 and "--on" in r.stderr
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "services-2025")
    assert r.exit_code == 2 and "is a services catalog" in r.stderr
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--transition-months", "-1")
    assert r.exit_code == 2 and "--transition-months must not be negative" in r.stderr
    r = cli("formulary", "validate", tmp_path / "missing.csv", "-e", "drugs-2025")
    assert r.exit_code == 2 and "file not found" in r.stderr
    assert "Traceback" not in r.output


def test_save_list_recheck_and_import_hook(cli, tmp_path):
    ok = write_csv(tmp_path / "ok.csv", [["YP1", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "", "", "是"]])
    assert cli("formulary", "save", "市一院", ok).exit_code == 0
    assert cli("formulary", "save", "县医院", SAMPLE_CSV).exit_code == 0
    r = cli("formulary", "recheck", "市一院", "-e", "drugs-2025")
    assert r.exit_code == 0 and "formulary 市一院: ok with drugs-2025 (previous drugs-2024): compatible" in r.output
    r = cli("formulary", "recheck", "--on", "2026-03-01")
    assert r.exit_code == 1 and "formulary 县医院: INCOMPATIBLE with drugs-2025" in r.output
    listing = cli("formulary", "list").output
    assert "市一院" in listing and "县医院" in listing and "drugs-2025" in listing
    # a new edition without 阿莫西林: importing it reports the saved formulary that broke
    lines = (SAMPLES.parent / "drugs-2025" / "drugs.csv").read_text(encoding="utf-8").splitlines()
    new = tmp_path / "drugs-2026.csv"
    new.write_text("\n".join(l for l in lines if ",阿莫西林," not in l) + "\n", encoding="utf-8")
    r = cli("import", new, "-c", "drugs", "-e", "drugs-2026")
    assert r.exit_code == 0
    assert "formulary 市一院: INCOMPATIBLE with drugs-2026 (previous drugs-2025): removed 1" in r.stderr
    assert "formulary 县医院: INCOMPATIBLE with drugs-2026" in r.stderr


def test_recheck_without_saved_formularies(cli):
    r = cli("formulary", "recheck")
    assert r.exit_code == 0 and "no saved formularies" in r.output


def test_sample_report_matches_the_golden_file(cli, tmp_path):
    """The README walk-through: every deliberate error of datasets/samples/hospital-formulary.md found."""
    from pathlib import Path

    out = tmp_path / "report.csv"
    r = cli("formulary", "validate", SAMPLE_CSV, "-e", "drugs-2025", "--on", "2026-03-01",
            "--vbp-winners", SAMPLES / "vbp-winners.csv", "-f", "csv", "-o", out)
    assert r.exit_code == 1
    golden = Path(__file__).parent / "golden" / "formulary" / "sample-report.csv"
    assert out.read_text(encoding="utf-8").splitlines() == golden.read_text(encoding="utf-8").splitlines()


def test_import_hook_in_a_fresh_process(tmp_path):
    """`catalog-tool --help` must not import catalog_tool.importing, so the hook is appended when that
    module is first imported (a meta-path finder): check it in a real process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "CATALOG_TOOL_DB": str(tmp_path / "c.sqlite")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "catalog_tool", *map(str, args)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)

    ok = write_csv(tmp_path / "ok.csv", [["YP1", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "", "", "是"]])
    assert run("formulary", "save", "市一院", ok).returncode == 0
    lines = (SAMPLES.parent / "drugs-2025" / "drugs.csv").read_text(encoding="utf-8").splitlines()
    new = tmp_path / "drugs-2026.csv"
    new.write_text("\n".join(l for l in lines if ",阿莫西林," not in l) + "\n", encoding="utf-8")
    r = run("import", new, "-c", "drugs", "-e", "drugs-2026", "--effective", "2027-01-01")
    assert r.returncode == 0, r.stderr
    # removed, but within the 6-month transition from 2027-01-01: a warning, not yet incompatible
    assert "formulary 市一院: ok with drugs-2026 (previous drugs-2025): compatible; warnings: removed 1" in r.stderr
    probe = subprocess.run([sys.executable, "-c", "import sys, catalog_tool.cli.app; "
                            "print('catalog_tool.importing' in sys.modules)"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "False"  # start-up does not pay for the import machinery


def test_recheck_compares_with_the_edition_last_checked_not_a_same_day_twin(cli, tmp_path):
    """With an official list and the sample both effective 2026-01-01, a new edition's import
    compares a formulary with the edition it was last checked against; `--replaces` overrides."""
    lines = (SAMPLES.parent / "drugs-2025" / "drugs.csv").read_text(encoding="utf-8").splitlines()
    twin = tmp_path / "zz.csv"
    twin.write_text("\n".join(l for l in lines if ",阿莫西林," not in l) + "\n", encoding="utf-8")
    assert cli("import", twin, "-c", "drugs", "-e", "zz-2025", "--effective", "2026-01-01").exit_code == 0
    ok = write_csv(tmp_path / "ok.csv", [["YP1", "XJ01CAA073A001030100145", "阿莫西林胶囊", "胶囊剂", "", "", "是"]])
    assert cli("formulary", "save", "市一院", ok).exit_code == 0
    assert cli("formulary", "recheck", "市一院", "-e", "drugs-2025").exit_code == 0
    new = tmp_path / "drugs-2026.csv"
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("import", new, "-c", "drugs", "-e", "drugs-2026", "--effective", "2027-01-01")
    assert r.exit_code == 0 and "formulary 市一院: ok with drugs-2026 (previous drugs-2025)" in r.stderr
    r = cli("import", new, "-c", "drugs", "-e", "drugs-2027", "--effective", "2028-01-01", "--replaces", "zz-2025")
    assert "formulary 市一院: ok with drugs-2027 (previous zz-2025)" in r.stderr
