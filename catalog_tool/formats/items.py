"""Read catalog items from files in any supported layout, validating every cell.

Yields tuples in the layout's field order, ready for the store. Nothing is written here, so a bad
row anywhere aborts the import before or inside one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats import values as v
from catalog_tool.formats.layout import LAYOUTS, Layout
from catalog_tool.formats.sections import medicine_type_of, section_of
from catalog_tool.formats.tables import EXCEL_SUFFIXES, Table, read_table
from catalog_tool.model import CatalogKind


@dataclass
class SourceInfo:
    """A file being read: its name, checksum and, once read, its row count."""

    path: Path
    sha256: str
    rows: int = 0
    edition_meta: dict | None = None  # from canonical JSON/XML files, which carry their edition


def sha256_file(path: Path) -> str:
    from catalog_tool.formats.encoding import read_bytes

    return hashlib.sha256(read_bytes(path)).hexdigest()


class ItemReader:
    """Reads one or more files of one catalog kind as validated item tuples."""

    def __init__(self, kind: CatalogKind, paths: list[Path], sheet: str | None = None) -> None:
        self.kind = kind
        self.layout: Layout = LAYOUTS[kind]
        self.paths = paths
        self.sheet = sheet
        self.sources: list[SourceInfo] = []
        self._keys: dict[tuple, tuple[Path, int]] = {}
        self._code_index = self.layout.fields.index("code")

    def __iter__(self) -> Iterator[tuple]:
        for path in self.paths:
            source = SourceInfo(path, sha256_file(path))
            self.sources.append(source)
            for row_no, item in self._read_file(path, source):
                self._check_key(item, path, row_no)
                source.rows += 1
                yield item

    # -- one file -------------------------------------------------------------------------
    def _read_file(self, path: Path, source: SourceInfo) -> Iterator[tuple[int, tuple]]:
        suffix = path.suffix.lower()
        if suffix == ".json":
            from catalog_tool.formats.canonical import read_json

            meta, records = read_json(path)
            source.edition_meta = meta
            yield from self._from_records(path, records)
        elif suffix == ".xml":
            from catalog_tool.formats.canonical import read_xml

            meta, records = read_xml(path)
            source.edition_meta = meta
            yield from self._from_records(path, records)
        else:
            table = read_table(path, self.sheet if suffix in EXCEL_SUFFIXES else None)
            yield from self._from_table(table)

    def _from_records(self, path: Path, records: Iterator[tuple[int, dict]]) -> Iterator[tuple[int, tuple]]:
        fields = self.layout.fields
        for row_no, rec in records:
            unknown = set(rec) - set(fields) - {"agreement_period"}
            if unknown:
                f = sorted(unknown)[0]
                raise InputError(f"unknown field {f!r}", file=path, row=row_no, field=f)
            cells = ["" if rec.get(f) is None else str(rec[f]) for f in fields]
            yield row_no, self._convert(cells, path, row_no, None, None)

    def _from_table(self, table: Table) -> Iterator[tuple[int, tuple]]:
        fields = self.layout.fields
        positions: list[int | None] = [None] * len(fields)
        period_col = None
        for col, header in enumerate(table.header):
            field = self.layout.field_for(header)
            if field == "agreement_period":
                period_col = col
                continue
            if field is None:
                raise InputError(f"unknown column {header!r}", file=table.path, row=1, field=header)
            idx = fields.index(field)
            if positions[idx] is not None:
                raise InputError(
                    f"two columns map to field {field!r}", file=table.path, row=1, field=header
                )
            positions[idx] = col
        for req in self.layout.required:
            if positions[fields.index(req)] is None and not (req == "name" and self._has(positions, "registered_name")):
                raise InputError(f"missing column for {req!r}", file=table.path, row=1, field=req)
        section, mtype = section_of(table.path) if self.kind is CatalogKind.drugs else (None, None)
        start_i, end_i = (fields.index("agreement_start"), fields.index("agreement_end")) if period_col is not None else (0, 0)
        for row_no, cells in table.rows:
            values = [cells[p] if p is not None else "" for p in positions]
            if period_col is not None and cells[period_col]:
                try:
                    start, end = v.parse_period(cells[period_col])
                except ValueError as e:
                    raise InputError(str(e), file=table.path, row=row_no, field=table.header[period_col]) from None
                values[start_i], values[end_i] = start.isoformat(), end.isoformat()
            yield row_no, self._convert(values, table.path, row_no, section, mtype, table.header, positions)

    def _has(self, positions: list[int | None], field: str) -> bool:
        return positions[self.layout.fields.index(field)] is not None

    # -- one row --------------------------------------------------------------------------
    def _convert(self, cells, path, row_no, section, mtype, header=None, positions=None) -> tuple:
        fields = self.layout.fields
        conv = self.layout.converters
        out: list[object] = []
        for i, (field, text) in enumerate(zip(fields, cells)):
            text = text.strip()
            if not text:
                out.append(None)
                continue
            c = conv.get(field)
            if c is None:
                out.append(text)
                continue
            try:
                out.append(c(text))
            except ValueError as e:
                name = header[positions[i]] if header and positions and positions[i] is not None else field
                raise InputError(str(e), file=path, row=row_no, field=name) from None
        if self.kind is CatalogKind.drugs:
            self._complete_drug(out, path, row_no, section, mtype)
        for req in self.layout.required:
            if out[fields.index(req)] is None:
                raise InputError("required value is empty", file=path, row=row_no, field=req)
        return tuple(out)

    def _complete_drug(self, out: list, path, row_no, section, mtype) -> None:
        f = self.layout.fields
        i_name, i_sec, i_type = f.index("name"), f.index("section"), f.index("medicine_type")
        if out[i_name] is None:
            out[i_name] = out[f.index("registered_name")]
        if out[i_sec] is None and section is not None:
            out[i_sec] = section.value
        if out[i_type] is None:
            guess = mtype or medicine_type_of(out[self._code_index]) or medicine_type_of(out[f.index("category_code")])
            out[i_type] = guess.value if guess else None
        start, end = out[f.index("agreement_start")], out[f.index("agreement_end")]
        if start and end and end < start:
            raise InputError("agreement ends before it starts", file=path, row=row_no, field="agreement_end")

    def _check_key(self, item: tuple, path: Path, row_no: int) -> None:
        key = item_key(self.kind, item, self.layout)
        if key in self._keys:
            first_path, first_row = self._keys[key]
            raise InputError(
                f"duplicate key {' / '.join(str(k) for k in key if k)} (first at {first_path.name} row {first_row})",
                file=path, row=row_no, field="code" if item[self._code_index] else "name",
            )
        self._keys[key] = (path, row_no)


def item_key(kind: CatalogKind, item: tuple, layout: Layout | None = None) -> tuple:
    """Identity of an item inside one edition: the code, or for code-less NRDL rows
    (section, medicine type, name, dosage form)."""
    layout = layout or LAYOUTS[kind]
    f = layout.fields
    code = item[f.index("code")]
    if code or kind is not CatalogKind.drugs:
        return (code,)
    return (item[f.index("section")], item[f.index("medicine_type")], item[f.index("name")], item[f.index("dosage_form")])


def read_edition_meta(path: Path) -> dict:
    """Edition metadata from a JSON file such as the `edition.json` shipped with a release."""
    from catalog_tool.formats.encoding import read_text

    text, _ = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    if not isinstance(data, dict):
        raise InputError("edition metadata must be a JSON object", file=path)
    return data
