"""Helpers for the check tests: a copy of datasets/ to break, cell edits by line and field, and
running the checks over the copy."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from catalog_tool.checks import run_checks
from catalog_tool.formats.datasets import load_folder
from catalog_tool.manifest import refresh
from catalog_tool.paths import DATASETS_DIR
from catalog_tool.schemas import SCHEMAS_DIR


def copy_datasets(tmp_path: Path) -> Path:
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS_DIR, target)
    return target


def edit_cell(path: Path, line: int, field: str, value: str, *, resum: bool = True) -> None:
    """Set `field` of the row on `line` (header = line 1) and, unless told not to, rewrite the sha256."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line - 1][rows[0].index(field)] = value
    write_rows(path, rows, resum=resum)


def write_rows(path: Path, rows: list[list[str]], *, resum: bool = True) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    if resum:
        refresh(path.parent.parent if (path.parent.parent / "manifest.json").is_file() else path.parent)


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def edit_manifest(root: Path, change) -> None:
    path = root / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def edition(data: dict, eid: str) -> dict:
    return next(e for e in data["editions"] if e["id"] == eid)


def check(root: Path, only: set[str] | None = None):
    return run_checks(load_folder(root, SCHEMAS_DIR), only)


def codes(report) -> list[tuple]:
    """(code, file, row, field) of every finding."""
    return [(f.code, f.file, f.row, f.field) for f in report.findings]
