"""Codes sold more than once across many scan files (CSV or Parquet), out of core.

The rule (keep the first sale by time, list every later one) is independent of the engine that
runs it: `DuplicateEngine` is the narrow interface, `DuckDBEngine` the single-machine engine. A
distributed engine implements the same `find` and nothing else changes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from catalog_tool.errors import InputError
from catalog_tool.model.trace import RepeatSale


@dataclass(frozen=True)
class ScanColumns:
    """Which columns of the scan files hold the code, the sale time and the settlement id."""

    code: str = "drug_trac_codg"
    time: str = "sel_retn_time"
    settlement: str | None = "setl_id"


class DuplicateEngine(Protocol):
    def find(self, paths: Sequence[Path], columns: ScanColumns) -> Iterator[RepeatSale]:
        """Every repeat sale, ordered by code then time; the first sale of each code is not listed."""
        ...


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class DuckDBEngine:
    """Two passes: 64-bit hashes of codes seen more than once (a small aggregate that spills to disk
    under `memory_limit`), then only the rows with those hashes, grouped by the real code."""

    memory_limit: str = "3GB"
    threads: int | None = None
    temp_directory: str | None = None

    def _source(self, paths: Sequence[Path], columns: ScanColumns, scratch: Path) -> str:
        parquet = [p for p in paths if p.suffix.lower() == ".parquet"]
        csv = [_utf8(p, scratch) for p in paths if p.suffix.lower() != ".parquet"]
        cols = f"trim({_q(columns.code)}::VARCHAR) AS code, {_q(columns.time)}::VARCHAR AS t, " + (
            f"{_q(columns.settlement)}::VARCHAR AS setl" if columns.settlement else "NULL::VARCHAR AS setl")
        parts = []
        if parquet:
            parts.append(f"SELECT {cols}, filename AS file FROM read_parquet([{', '.join(_lit(str(p)) for p in parquet)}], "
                         "union_by_name = true, filename = true)")
        if csv:
            parts.append(f"SELECT {cols}, filename AS file FROM read_csv([{', '.join(_lit(str(p)) for p in csv)}], "
                         "union_by_name = true, filename = true, all_varchar = true, header = true)")
        # `]d2…` and `…` are the same box read by two scanners: drop the symbology prefix.
        return ("SELECT CASE WHEN starts_with(code, ']') THEN substr(code, 4) ELSE code END AS code, t, setl, file "
                f"FROM ({' UNION ALL '.join(parts)})")

    def find(self, paths: Sequence[Path], columns: ScanColumns) -> Iterator[RepeatSale]:
        import duckdb

        for p in paths:
            if not p.is_file():
                raise InputError("file not found", file=p)
        with tempfile.TemporaryDirectory(prefix="catalog-tool-dups-", dir=self.temp_directory) as tmp:
            scratch = Path(tmp)
            con = duckdb.connect(":memory:")
            con.execute(f"SET memory_limit = {_lit(self.memory_limit)}")
            con.execute(f"SET temp_directory = {_lit(str(scratch / 'spill'))}")
            con.execute("SET preserve_insertion_order = false")
            if self.threads:
                con.execute(f"SET threads = {int(self.threads)}")
            source = self._source(paths, columns, scratch)
            _check_columns(con, paths, columns, scratch)
            originals = {str(_utf8_name(p, scratch)): str(p) for p in paths}
            try:
                con.execute(f"CREATE TEMP TABLE seen_twice AS SELECT hash(code) AS h FROM ({source}) "
                            "WHERE code IS NOT NULL AND code <> '' GROUP BY h HAVING count(*) > 1")
                cur = con.execute(f"""
                    WITH c AS (SELECT * FROM ({source}) WHERE hash(code) IN (SELECT h FROM seen_twice)),
                    r AS (SELECT code, t, setl, file, count(*) OVER (PARTITION BY code) AS sales,
                                 row_number() OVER (PARTITION BY code ORDER BY TRY_CAST(t AS TIMESTAMP) NULLS LAST, t, file, setl) AS k
                          FROM c)
                    SELECT b.code, b.sales, f.t, f.setl, f.file, b.t, b.setl, b.file
                    FROM r b JOIN r f ON f.code = b.code AND f.k = 1
                    WHERE b.k > 1 AND b.sales > 1 ORDER BY b.code, b.k""")
            except duckdb.Error as e:
                raise InputError(f"cannot read the scan files: {str(e).splitlines()[0]}") from None
            while batch := cur.fetchmany(10_000):
                for code, sales, ft, fs, ff, t, s, f in batch:
                    yield RepeatSale(code=code, sales=sales, first_time=ft, first_settlement=fs, first_file=originals.get(ff, ff),
                                     time=t, settlement=s, file=originals.get(f, f))
            con.close()


_OPTION = {"code": "--code-column", "time": "--time-column", "settlement": "--settlement-column"}


def _check_columns(con, paths: Sequence[Path], columns: ScanColumns, scratch: Path) -> None:
    """Each file must have the columns asked for: one line naming the file, the column and the option."""
    import duckdb

    for p in paths:
        reader = "read_parquet" if p.suffix.lower() == ".parquet" else "read_csv"
        extra = "" if reader == "read_parquet" else ", all_varchar = true, header = true"
        try:
            have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}({_lit(str(_utf8_name(p, scratch)))}{extra})").fetchall()}
        except duckdb.Error as e:
            raise InputError(f"cannot read: {str(e).splitlines()[0]}", file=p) from None
        for role in ("code", "time", "settlement"):
            name = getattr(columns, role)
            if name and name not in have:
                raise InputError(f"missing column {name!r} (name the {role} column with {_OPTION[role]}; "
                                 f"the file has {', '.join(sorted(have))})", file=p, row=1, field=name)


def _utf8_name(path: Path, scratch: Path) -> Path:
    return scratch / f"{abs(hash(str(path)))}-{path.name}" if _needs_transcoding(path) else path


def _needs_transcoding(path: Path) -> bool:
    if path.suffix.lower() == ".parquet":
        return False
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start < len(head) - 4  # a multi-byte character cut at the end of the block is fine
    return False


def _utf8(path: Path, scratch: Path) -> Path:
    """DuckDB reads UTF-8 only: a GBK/GB18030 export is transcoded into the scratch folder."""
    if not _needs_transcoding(path):
        return path
    target = _utf8_name(path, scratch)
    with open(path, encoding="gb18030", errors="strict", newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        try:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        except UnicodeDecodeError:
            raise InputError("cannot decode as UTF-8 or GB18030", file=path) from None
    return target
