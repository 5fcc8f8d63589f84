"""Read catalog items from files in any supported layout, validating every cell.

Yields tuples in the layout's field order, ready for the store. Nothing is written here, so a bad
row anywhere aborts the import before or inside one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats import values as v
from catalog_tool.formats.layout import LAYOUTS, Layout
from catalog_tool.formats.sections import _TYPE_BY_LETTER, medicine_type_of, section_of
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
        self._ix = {f: n for n, f in enumerate(self.layout.fields)}
        self._key = key_function(kind)
        self._distinct_codes: Path | None = None  # the only file, when every row has its own code

    def __iter__(self) -> Iterator[tuple]:
        for path in self.paths:
            source = SourceInfo(path, sha256_file(path))
            self.sources.append(source)
            for row_no, item in self._read_file(path, source):
                if self._distinct_codes is not path:
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
        known = set(fields) | {"agreement_period"}
        convert = self._row_converter(path, list(fields), list(range(len(fields))))
        for row_no, rec in records:
            unknown = set(rec) - known
            if unknown:
                f = sorted(unknown)[0]
                raise InputError(f"unknown field {f!r}", file=path, row=row_no, field=f)
            cells = ["" if rec.get(f) is None else str(rec[f]).strip() for f in fields]
            yield row_no, convert(cells, row_no, None, None)

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
                raise InputError(f"two columns map to field {field!r}", file=table.path, row=1, field=header)
            positions[idx] = col
        for req in self.layout.required:
            if positions[fields.index(req)] is None and not (req == "name" and self._has(positions, "registered_name")):
                raise InputError(f"missing column for {req!r}", file=table.path, row=1, field=req)
        section, mtype = section_of(table.path) if self.kind is CatalogKind.drugs else (None, None)
        # A missing column reads the empty string appended after the row's last cell.
        width = len(table.header)
        pick = itemgetter(*[width if p is None else p for p in positions])
        names = [table.header[p] if p is not None else f for f, p in zip(fields, positions)]
        convert = self._row_converter(table.path, names, positions)
        if period_col is not None and "agreement_start" not in fields:
            raise InputError(f"unknown column {table.header[period_col]!r}", file=table.path, row=1,
                             field=table.header[period_col])
        if period_col is None and (fast := self._by_columns(table, positions, section, mtype)) is not None:
            yield from fast
            return
        start_i, end_i = (fields.index("agreement_start"), fields.index("agreement_end")) if period_col is not None else (0, 0)
        for row_no, cells in table.rows:
            cells.append("")
            values = pick(cells)
            if period_col is not None:
                values = list(values)
            if period_col is not None and cells[period_col]:
                try:
                    start, end = v.parse_period(cells[period_col])
                except ValueError as e:
                    raise InputError(str(e), file=table.path, row=row_no, field=table.header[period_col]) from None
                values[start_i], values[end_i] = start.isoformat(), end.isoformat()
            yield row_no, convert(values, row_no, section, mtype)

    def _by_columns(self, table: Table, positions: list, section, mtype):
        """The rows `_row_converter` would give, for a plain CSV (see `fastcsv`), converted column
        by column: each distinct value once. Everything that can fail is checked here, so this
        returns None (and the row path reads the file and names the bad row) or rows that will not fail."""
        from catalog_tool.formats.fastcsv import ColumnLists, read_frame

        df = read_frame(table)
        if df is None:
            return None
        fields = self.layout.fields
        source = [f"c{p}" if p is not None else None for p in positions]
        maps: dict[int, dict] = {}  # field -> {cell: converted value}
        for i, f in enumerate(fields):
            conv = self.layout.converters.get(f)
            if conv is None or source[i] is None:
                continue
            if (regex := getattr(conv, "regex", None)) is not None:  # a code check: the value is kept
                if not df[source[i]].drop_nulls().str.contains(regex.pattern).all():
                    return None
            else:
                try:
                    maps[i] = {x: conv(x) for x in df[source[i]].drop_nulls().unique().to_list()}
                except ValueError:
                    return None
        drugs = self.kind is CatalogKind.drugs
        for r in self.layout.required:
            col = source[fields.index(r)]
            fallback = source[self._ix["registered_name"]] if drugs and r == "name" else None
            empty = [df[c].is_null() for c in (col, fallback) if c is not None]
            if not empty or (empty[0] & empty[-1]).any():
                return None
        if drugs and not self._agreements_in_order(df, source, maps):
            return None

        code = source[self._code_index]
        if len(self.paths) == 1 and code is not None and df[code].null_count() == 0 and df[code].n_unique() == df.height:
            self._distinct_codes = self.paths[0]  # every key is its own code: no duplicate to look for
        lists = ColumnLists(df.select(c for c in source if c is not None))

        def rows() -> Iterator[tuple[int, tuple]]:
            for start in range(0, df.height, self.CHUNK):
                n = min(self.CHUNK, df.height - start)
                out = [lists.slice(c, start, n) if c is not None else [None] * n for c in source]
                for i, m in maps.items():
                    out[i] = list(map(m.get, out[i]))  # None is no key: it stays None
                if drugs:
                    self._complete_drug_columns(out, section, mtype)
                yield from zip(range(start + 2, start + n + 2), zip(*out))

        return rows()

    CHUNK = 20_000  # rows turned into Python objects at a time: memory stays that of the frame

    def _agreements_in_order(self, df, source: list, maps: dict) -> bool:
        """False if a row's agreement would end before it starts (the row path's check)."""
        s, e = self._ix["agreement_start"], self._ix["agreement_end"]
        if source[s] is None or source[e] is None:
            return True
        starts = map(maps[s].get, df[source[s]].to_list())
        ends = map(maps[e].get, df[source[e]].to_list())
        return not any(a and b and b < a for a, b in zip(starts, ends))

    def _complete_drug_columns(self, out: list[list], section, mtype) -> None:
        """`_drug_completer` for whole columns (its agreement check is `_agreements_in_order`)."""
        i = self._ix
        names, registered = out[i["name"]], out[i["registered_name"]]
        if None in names:
            out[i["name"]] = [a if a is not None else b for a, b in zip(names, registered)]
        if section is not None and None in out[i["section"]]:
            out[i["section"]] = [x if x is not None else section.value for x in out[i["section"]]]
        types = out[i["medicine_type"]]
        if None in types and mtype is not None:
            out[i["medicine_type"]] = [t if t is not None else mtype.value for t in types]
        elif None in types:
            # medicine_type_of: the first letter, upper-cased (only x, z, t upper-case to X, Z, T)
            by = {ch: t.value for k, t in _TYPE_BY_LETTER.items() for ch in (k, k.lower())}
            out[i["medicine_type"]] = [
                t if t is not None else (c and by.get(c[0])) or (k and by.get(k[0])) or None
                for t, c, k in zip(types, out[i["code"]], out[i["category_code"]])
            ]

    def _has(self, positions: list[int | None], field: str) -> bool:
        return positions[self.layout.fields.index(field)] is not None

    # -- one row --------------------------------------------------------------------------
    def _row_converter(self, path: Path, names: list[str], positions: list):
        """A function turning stripped cell texts (in field order) into the stored tuple.
        Only fields with a converter and a column pay for conversion: the bulk path of 270k rows."""
        fields = self.layout.fields
        active = [(i, c, names[i]) for i, f in enumerate(fields)
                  if (c := self.layout.converters.get(f)) is not None and positions[i] is not None]
        required = [(fields.index(r), r) for r in self.layout.required]
        drugs = self.kind is CatalogKind.drugs

        complete = self._drug_completer(path) if drugs else None

        def convert(cells: list[str], row_no: int, section, mtype) -> tuple:
            out = [x or None for x in cells]
            for i, conv, name in active:
                x = out[i]
                if x is not None:
                    try:
                        out[i] = conv(x)
                    except ValueError as e:
                        raise InputError(str(e), file=path, row=row_no, field=name) from None
            if complete is not None:
                complete(out, row_no, section, mtype)
            for i, name in required:
                if out[i] is None:
                    raise InputError("required value is empty", file=path, row=row_no, field=name)
            return tuple(out)

        return convert

    def _drug_completer(self, path: Path):
        """A function filling what a drug row implies: name from 注册名称, section and type from
        the file name or the code's first letter (X 西药, Z 中成药, T 中药饮片). Field positions
        are looked up once, not per row."""
        i = self._ix
        name, registered, section_i, type_i = i["name"], i["registered_name"], i["section"], i["medicine_type"]
        code, category, start_i, end_i = i["code"], i["category_code"], i["agreement_start"], i["agreement_end"]

        def complete(out: list, row_no: int, section, mtype) -> None:
            if out[name] is None:
                out[name] = out[registered]
            if out[section_i] is None and section is not None:
                out[section_i] = section.value
            if out[type_i] is None:
                guess = mtype or medicine_type_of(out[code]) or medicine_type_of(out[category])
                out[type_i] = guess.value if guess else None
            start, end = out[start_i], out[end_i]
            if start and end and end < start:
                raise InputError("agreement ends before it starts", file=path, row=row_no, field="agreement_end")

        return complete

    def _check_key(self, item: tuple, path: Path, row_no: int) -> None:
        key = self._key(item)
        first = self._keys.setdefault(key, (path, row_no))
        if first[1] != row_no or first[0] is not path:
            raise InputError(
                f"duplicate key {' / '.join(str(k) for k in key if k)} (first at {first[0].name} row {first[1]})",
                file=path, row=row_no, field="code" if item[self._code_index] else "name",
            )


def key_function(kind: CatalogKind):
    """Identity of an item inside one edition: the code, or for code-less NRDL rows
    (section, medicine type, name, dosage form)."""
    f = LAYOUTS[kind].fields
    code = f.index("code")
    if kind is not CatalogKind.drugs:
        return lambda item: (item[code],)
    by_name = itemgetter(f.index("section"), f.index("medicine_type"), f.index("name"), f.index("dosage_form"))
    return lambda item: (item[code],) if item[code] else by_name(item)


def item_key(kind: CatalogKind, item: tuple, layout: Layout | None = None) -> tuple:
    """The key of one item tuple (see `key_function`); `layout` is accepted for older callers."""
    return key_function(kind)(item)


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
