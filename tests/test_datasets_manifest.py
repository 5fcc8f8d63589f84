"""`catalog_tool.manifest`: the shipped manifest matches the files; a stale one is caught and rewritten."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_tool.manifest import check_files, main, refresh
from catalog_tool.paths import DATASETS_DIR, PROJECT_DIR


def test_shipped_manifest_matches_every_file():
    checks = check_files()
    assert len(checks) == 6
    assert [c for c in checks if not c.ok] == []


def test_every_data_file_under_datasets_is_listed():
    listed = {c.path for c in check_files()}
    on_disk = {p.relative_to(DATASETS_DIR).as_posix() for p in DATASETS_DIR.glob("*/*.csv")
               if p.parent.name != "samples"}  # samples/ holds inputs for walk-throughs, not editions
    assert on_disk == listed
    assert "releases/nrdl-2024.json" not in listed


@pytest.fixture
def datasets_copy(tmp_path) -> Path:
    """A copy of the manifest and the two service editions (small, enough to edit)."""
    manifest = json.loads((DATASETS_DIR / "manifest.json").read_text(encoding="utf-8"))
    manifest["editions"] = [e for e in manifest["editions"] if e["kind"] == "services"]
    for e in manifest["editions"]:
        for f in e["files"]:
            (tmp_path / f["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(DATASETS_DIR / f["path"], tmp_path / f["path"])
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return tmp_path


def test_edited_file_fails_check_then_refresh_rewrites_only_its_entry(datasets_copy, capsys):
    before = json.loads((datasets_copy / "manifest.json").read_text(encoding="utf-8"))
    edited = datasets_copy / "services-2025" / "services.csv"
    edited.write_text(edited.read_text(encoding="utf-8").replace("血细胞分析", "血细胞分析（五分类）", 1), encoding="utf-8")

    assert main(["--check", "--datasets", str(datasets_copy)]) == 1
    assert "services-2025: services-2025/services.csv: sha256" in capsys.readouterr().out

    changed = refresh(datasets_copy)
    assert [c.path for c in changed] == ["services-2025/services.csv"]
    after = json.loads((datasets_copy / "manifest.json").read_text(encoding="utf-8"))
    assert after["editions"][0] == before["editions"][0]
    assert after["editions"][1]["files"][0]["sha256"] != before["editions"][1]["files"][0]["sha256"]
    assert after["editions"][1]["stated_totals"] == before["editions"][1]["stated_totals"]
    assert main(["--check", "--datasets", str(datasets_copy)]) == 0
    assert refresh(datasets_copy) == []


def test_missing_file_is_one_error_line_exit_2(datasets_copy, capsys):
    (datasets_copy / "services-2023" / "services.csv").unlink()
    assert main(["--check", "--datasets", str(datasets_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "services-2023/services.csv" in err[0] and "missing" in err[0]


def test_module_runs_as_a_command(datasets_copy):
    result = subprocess.run([sys.executable, "-m", "catalog_tool.manifest", "--check", "--datasets", str(datasets_copy)],
                            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
