"""Read a datasets folder for `catalog-tool check`: the manifest, every edition's tables (cells as
text, columns mapped to model fields), the other tables and JSON files beside them, the checksums
of every file, and the JSON Schemas in `schemas/`. Files that cannot be read become read errors
the checks report; nothing here judges the content."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from catalog_tool.errors import CatalogError, InputError
from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import CatalogKind

TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".xlsm"}
MANIFEST = "manifest.json"
_ID_LINE = re.compile(r'"id"\s*:\s*"([^"]+)"')


@dataclass
class TableFile:
    """One table: its header, each column's model field (None when unknown), and its rows."""

    rel: str
    header: list[str]
    fields: list[str | None]
    rows: list[tuple[int, list[str]]]
    _columns: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> list[str] | None:
        """The cells of the column mapped to field `name` (or headed `name`), row by row."""
        if name in self._columns:
            return self._columns[name]
        idx = self.fields.index(name) if name in self.fields else (self.header.index(name) if name in self.header else None)
        if idx is None:
            return None
        col = [cells[idx] if idx < len(cells) else "" for _, cells in self.rows]
        self._columns[name] = col
        return col

    @property
    def lines(self) -> list[int]:
        return [n for n, _ in self.rows]


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


def read_table_file(root: Path, path: Path, kind: CatalogKind | None) -> TableFile:
    from catalog_tool.formats.tables import read_table

    table = read_table(path)
    layout = LAYOUTS.get(kind) if kind else None
    fields = [layout.field_for(h) if layout else None for h in table.header]
    rows = list(table.rows)
    return TableFile(_rel(root, path), table.header, fields, rows)


def load_folder(root: Path, schemas_dir: Path) -> DatasetFolder:
    """Read the datasets folder `root` (which holds manifest.json)."""
    root = root.resolve()
    errors: list[CatalogError] = []
    files = sorted(p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))
    digests = {_rel(root, p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
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
                tables.append(read_table_file(root, path, kind))
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
                side.append(read_table_file(root, p, None))
        except json.JSONDecodeError as e:
            errors.append(InputError(f"malformed JSON: {e.msg}", file=rel, row=e.lineno))
        except CatalogError as e:
            errors.append(_relative(e, root))
    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schemas_dir.glob("*.json"))}
    return DatasetFolder(root, manifest, manifest_error, editions, side, json_files, digests, errors, schemas, lines)


def _relative(e: CatalogError, root: Path) -> CatalogError:
    """The error with its file named relative to the datasets folder."""
    if e.file:
        try:
            e.file = _rel(root, Path(e.file).resolve())
        except ValueError:
            pass
    return e
