"""Read a datasets folder for `catalog-tool check`: the manifest, every edition's tables (cells as
text, columns mapped to model fields), the other tables and JSON files beside them, the checksums
of every file, and the JSON Schemas in `schemas/`. Files that cannot be read become read errors
the checks report; nothing here judges the content."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from catalog_tool.errors import CatalogError, InputError
from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import CatalogKind

TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".xlsm"}
MANIFEST = "manifest.json"
FAST_BYTES = 1 << 20  # CSV files this large are read with polars
_ID_LINE = re.compile(r'"id"\s*:\s*"([^"]+)"')


@dataclass
class TableFile:
    """One table, by column: its header, each column's model field (None when unknown), the cells
    of each column, and the line of each row in the file (the header is line 1)."""

    rel: str
    header: list[str]
    fields: list[str | None]
    columns: list[Sequence[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)

    def index(self, name: str) -> int | None:
        """The column mapped to field `name`, else the column headed `name`."""
        if name in self.fields:
            return self.fields.index(name)
        return self.header.index(name) if name in self.header else None

    def column(self, name: str) -> Sequence[str] | None:
        i = self.index(name)
        return None if i is None else self.columns[i]

    def header_of(self, name: str) -> str:
        i = self.index(name)
        return name if i is None else self.header[i]


@dataclass
class EditionData:
    """A manifest edition with its tables (files that could not be read are left out)."""

    id: str
    kind: CatalogKind | None
    meta: dict
    tables: list[TableFile]


@dataclass
class DatasetFolder:
    """Everything `check` looks at in one datasets folder."""

    root: Path
    manifest: dict | None
    manifest_error: CatalogError | None
    editions: list[EditionData]
    side_tables: list[TableFile]
    json_files: dict[str, object]
    digests: dict[str, str]  # sha256 of every file under root, by relative path
    read_errors: list[CatalogError]
    schemas: dict[str, dict]
    manifest_lines: dict[str, int] = field(default_factory=dict)  # line of each edition's "id" in the manifest


def find_root(path: Path) -> Path | None:
    """The datasets folder holding `path`: the nearest folder at or above it with a manifest."""
    p = path.resolve()
    for d in [p, *p.parents] if p.is_dir() else list(p.parents):
        if (d / MANIFEST).is_file():
            return d
    return None


def _rel(root: Path, p: Path) -> str:
    return p.relative_to(root).as_posix()


def _exact(path: Path) -> tuple[list[str], list[Sequence[str]], list[int]]:
    """Through `read_table`: every encoding and quirk handled, exact line numbers."""
    from catalog_tool.formats.tables import read_table

    table = read_table(path)
    lines, cells = [], []
    for n, row in table.rows:
        lines.append(n)
        cells.append(row)
    columns = list(zip(*cells)) if cells else [() for _ in table.header]
    return table.header, columns, lines


def _fast_csv(path: Path, data: bytes) -> tuple[list[str], list[Sequence[str]], list[int]] | None:
    """Large CSV files through polars (cells stripped, as `read_table` does). None when the file has
    anything that would make its rows differ from `read_table`'s (blank lines, line breaks inside
    cells, short rows): then the exact reader is used."""
    import polars as pl

    from catalog_tool.formats.encoding import decode
    from catalog_tool.formats.tables import _clean_header

    text, _ = decode(data, path)
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    header = _clean_header(next(csv.reader([first], delimiter=sep)), path)
    physical = text.rstrip("\n").split("\n")
    width = len(header)
    for line in physical:  # polars pads short rows silently; the exact reader rejects them
        n = len(next(csv.reader([line], delimiter=sep))) if '"' in line else line.count(sep) + 1
        if n != width:
            return None
    try:
        df = pl.read_csv(text.encode("utf-8"), separator=sep, infer_schema_length=0, has_header=True,
                         empty_string_is_null=False)
    except Exception:  # polars' own parse errors: the exact reader names the row
        return None
    if df.width != width or df.height + 1 != len(physical) or sum(df.null_count().row(0)):
        return None
    columns = [s.str.strip_chars().to_list() for s in df.iter_columns()]
    return header, columns, list(range(2, df.height + 2))


def read_table_file(root: Path, path: Path, kind: CatalogKind | None, data: bytes | None = None) -> TableFile:
    """One table of the folder; CSV files of FAST_BYTES or more are read in bulk."""
    got = None
    if data is not None and len(data) >= FAST_BYTES and path.suffix.lower() in (".csv", ".tsv", ".txt"):
        got = _fast_csv(path, data)
    header, columns, lines = got or _exact(path)
    layout = LAYOUTS.get(kind) if kind else None
    fields = [layout.field_for(h) if layout else None for h in header]
    return TableFile(_rel(root, path), header, fields, columns, lines)


def load_folder(root: Path, schemas_dir: Path) -> DatasetFolder:
    """Read the datasets folder `root` (which holds manifest.json)."""
    root = root.resolve()
    errors: list[CatalogError] = []
    files = sorted(p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))
    raw = {_rel(root, p): p.read_bytes() for p in files}
    digests = {rel: hashlib.sha256(data).hexdigest() for rel, data in raw.items()}
    manifest, manifest_error, lines = None, None, {}
    try:
        text = (root / MANIFEST).read_text(encoding="utf-8")
        lines = {m[1]: n for n, line in enumerate(text.splitlines(), 1) if (m := _ID_LINE.search(line))}
        manifest = json.loads(text)
        if not isinstance(manifest, dict):
            raise InputError("the manifest must be a JSON object", file=MANIFEST, row=1)
    except json.JSONDecodeError as e:
        manifest, manifest_error = None, InputError(f"malformed JSON: {e.msg}", file=MANIFEST, row=e.lineno)
    except (InputError, UnicodeDecodeError) as e:
        manifest, manifest_error = None, e if isinstance(e, InputError) else InputError(str(e), file=MANIFEST)
    editions, listed = [], set()
    for entry in (manifest or {}).get("editions", []) if isinstance((manifest or {}).get("editions"), list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            kind = CatalogKind(entry.get("kind"))
        except ValueError:
            kind = None
        tables = []
        for f in entry.get("files", []) if isinstance(entry.get("files"), list) else []:
            rel = f.get("path") if isinstance(f, dict) else None
            if not isinstance(rel, str):
                continue
            listed.add(rel)
            path = root / rel
            if not path.is_file():
                continue  # the manifest check reports it
            try:
                tables.append(read_table_file(root, path, kind, raw.get(rel)))
            except CatalogError as e:
                errors.append(_relative(e, root))
        editions.append(EditionData(str(entry.get("id")), kind, entry, tables))
    side, json_files = [], {}
    for p in files:
        rel = _rel(root, p)
        if rel in listed or rel == MANIFEST:
            continue
        try:
            if p.suffix.lower() == ".json":
                json_files[rel] = json.loads(p.read_text(encoding="utf-8"))
            elif p.suffix.lower() in TABLE_SUFFIXES:
                side.append(read_table_file(root, p, None, raw[rel]))
        except json.JSONDecodeError as e:
            errors.append(InputError(f"malformed JSON: {e.msg}", file=rel, row=e.lineno))
        except UnicodeDecodeError as e:
            errors.append(InputError(f"JSON must be UTF-8 (byte 0x{e.object[e.start]:02x} at offset {e.start})", file=rel))
        except CatalogError as e:
            errors.append(_relative(e, root))
    schemas = _read_schemas(schemas_dir)
    return DatasetFolder(root, manifest, manifest_error, editions, side, json_files, digests, errors, schemas, lines)


def _read_schemas(schemas_dir: Path) -> dict[str, dict]:
    """The JSON Schemas by model name; a damaged schema file is a usage error, not a finding."""
    out = {}
    for p in sorted(schemas_dir.glob("*.json")):
        try:
            out[p.stem] = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"malformed JSON Schema: {getattr(e, 'msg', e)}", file=p, row=getattr(e, "lineno", None)) from None
    return out


def _relative(e: CatalogError, root: Path) -> CatalogError:
    """The error with its file named relative to the datasets folder."""
    if e.file:
        try:
            e.file = _rel(root, Path(e.file).resolve())
        except ValueError:
            pass
    return e
