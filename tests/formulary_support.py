"""Helpers shared by the formulary tests: a database with the embedded sample editions, formulary
files written the way hospitals export them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from catalog_tool.embedded import ensure_embedded
from catalog_tool.formulary.index import CatalogIndex
from catalog_tool.store import CatalogDB

HEADER = ["院内编码", "医保代码", "药品名称", "剂型", "规格", "单价", "是否在用"]
SAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "samples"


def sample_db(directory: Path) -> Path:
    path = directory / "catalog.sqlite"
    with CatalogDB(path) as db:
        ensure_embedded(db)
    return path


def copy_db(source: Path, directory: Path) -> Path:
    target = directory / "catalog.sqlite"
    shutil.copy(source, target)
    return target


def indexes(path: Path) -> tuple[CatalogIndex, CatalogIndex]:
    with CatalogDB(path) as db:
        return CatalogIndex.load(db, "drugs-2025"), CatalogIndex.load(db, "drugs-2024")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([header, *rows])
    return path
