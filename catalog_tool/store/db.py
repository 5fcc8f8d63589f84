"""`CatalogDB`: open the database, import editions in one transaction, read them back."""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice, repeat
from pathlib import Path

from catalog_tool.errors import EditionConflict, InputError, UnknownEdition
from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import ITEM_MODELS, CatalogKind, Edition, SourceFile
from catalog_tool.pinyin import initials

SCHEMA_VERSION = 2  # as store.schema (not imported here: SQLModel is slow to load)
IMPORT_BATCH = 20_000  # rows a batch; also the unit of the content hash, so never change it
_ITEM_TABLES = {
    CatalogKind.drugs: "drug_item",
    CatalogKind.consumables: "consumable_item",
    CatalogKind.services: "service_item",
}
_NAME_FIELD = {CatalogKind.drugs: "name", CatalogKind.consumables: "generic_name", CatalogKind.services: "name"}
_EDITION_META = ("title", "document_no", "issuer", "published", "effective", "replaces")


@dataclass
class ImportResult:
    """What an import did: `imported`, `replaced`, `unchanged` (same content already there), or
    `metadata` (same rows, metadata updated with --replace)."""

    edition: Edition
    status: str


def item_table(kind: CatalogKind) -> str:
    return _ITEM_TABLES[kind]


def content_digest(rows: Iterable[tuple]) -> str:
    """sha256 of items in order. Rows are the converted values, so the same content read from
    CSV, XLSX, JSON or XML hashes the same."""
    h = hashlib.sha256()
    it = iter(rows)
    while chunk := list(islice(it, IMPORT_BATCH)):
        h.update(_chunk_bytes(chunk))
    return h.hexdigest()


def _chunk_bytes(chunk: list[tuple]) -> bytes:
    """Canonical bytes of a batch of rows for the content hash. Batches are always IMPORT_BATCH
    rows, so the same rows hash the same whichever file they came from."""
    return json.dumps(chunk, ensure_ascii=False, check_circular=False, separators=(",", ":")).encode()


class CatalogDB:
    """The catalog database. Editions are immutable: import adds, `--replace` swaps whole editions."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), isolation_level=None)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB: index builds of big imports stay in memory
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except (sqlite3.DatabaseError, OSError) as e:
            raise InputError(f"cannot open database: {e}", file=self.path) from None
        if version < SCHEMA_VERSION:
            from catalog_tool.store.schema import create_all

            create_all(str(self.path))
            self._migrate()
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            raise InputError(
                f"database schema {version} is newer than this catalog-tool understands ({SCHEMA_VERSION})",
                file=self.path,
            )
        # An import killed mid-way leaves nothing: SQLite rolled it back. Belt and braces:
        self.conn.execute("DELETE FROM edition WHERE state='importing'") if self._has_stale() else None

    def _migrate(self) -> None:
        """Bring a database of an older schema up to date (new tables come from `create_all`)."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(edition)")}
        if "tiered_payment_standards" not in columns:  # schema 1 → 2
            self.conn.execute("ALTER TABLE edition ADD COLUMN tiered_payment_standards TEXT NOT NULL DEFAULT '{}'")

    def _has_stale(self) -> bool:
        return self.conn.execute("SELECT 1 FROM edition WHERE state='importing' LIMIT 1").fetchone() is not None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CatalogDB:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- editions ----------------------------------------------------------------------------
    def editions(self, kind: CatalogKind | None = None) -> list[Edition]:
        sql = "SELECT * FROM edition WHERE state='ready'"
        args: tuple = ()
        if kind is not None:
            sql += " AND kind=?"
            args = (kind.value,)
        sql += " ORDER BY kind, effective, id"
        cur = self.conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [self._edition(dict(zip(names, r))) for r in cur.fetchall()]

    def edition(self, edition_id: str) -> Edition:
        cur = self.conn.execute("SELECT * FROM edition WHERE id=? AND state='ready'", (edition_id,))
        row = cur.fetchone()
        if row is None:
            known = ", ".join(e.id for e in self.editions()) or "none"
            raise UnknownEdition(f"unknown edition {edition_id!r} (known: {known})")
        return self._edition(dict(zip([d[0] for d in cur.description], row)))

    def has_edition(self, edition_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM edition WHERE id=? AND state='ready'", (edition_id,)).fetchone() is not None

    def _edition(self, r: dict) -> Edition:
        files = self.conn.execute(
            "SELECT name, sha256, rows FROM source_file WHERE edition_id=? ORDER BY id", (r["id"],)
        ).fetchall()
        return Edition(
            kind=r["kind"], id=r["id"], **{k: r[k] for k in _EDITION_META},
            source_files=[SourceFile(name=n, sha256=s, rows=c) for n, s, c in files],
            stated_totals=json.loads(r["stated_totals"] or "{}"),
            tiered_payment_standards=json.loads(r.get("tiered_payment_standards") or "{}"),
            content_sha256=r["content_sha256"], item_count=r["item_count"],
            imported_at=r["imported_at"],
        )

    # -- import ------------------------------------------------------------------------------
    def import_edition(
        self,
        kind: CatalogKind,
        edition_id: str,
        reader: Iterable[tuple],
        meta: dict | None = None,
        *,
        sources: list | None = None,
        stated_totals: dict[str, int] | None = None,
        tiers: dict | None = None,
        replace: bool = False,
    ) -> ImportResult:
        """Import items as edition `edition_id` in one transaction. `reader` yields tuples in the
        layout's field order (an `ItemReader`); `sources` is filled by it while it is read."""
        meta = {k: (str(x) if x is not None else None) for k, x in (meta or {}).items() if k in _EDITION_META}
        try:
            Edition(kind=kind, id=edition_id)
        except ValueError:
            raise InputError(f"bad edition id {edition_id!r}: letters, digits, '.', '_' and '-' only") from None
        table = item_table(kind)
        fields = LAYOUTS[kind].fields
        name_idx = fields.index(_NAME_FIELD[kind])
        existing = self.conn.execute("SELECT kind, content_sha256 FROM edition WHERE id=? AND state='ready'", (edition_id,)).fetchone()
        if existing and existing[0] != kind.value:
            raise EditionConflict(f"edition {edition_id!r} exists as a {existing[0]} catalog, not {kind.value}")
        target = edition_id if existing is None else f"{edition_id}.importing"
        digest = hashlib.sha256()
        count = 0
        self.conn.execute("BEGIN IMMEDIATE")
        # Millions of short-lived tuples, no cycles: the cyclic GC would rescan them for nothing.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.conn.execute(
                "INSERT INTO edition (id, kind, state, stated_totals, tiered_payment_standards, item_count) "
                "VALUES (?, ?, 'importing', '{}', '{}', 0)",
                (target, kind.value),
            )
            indexes = self._drop_indexes_if_empty(table)
            it = iter(reader)
            while chunk := list(islice(it, IMPORT_BATCH)):
                digest.update(_chunk_bytes(chunk))
                self._insert_chunk(table, fields, name_idx, target, count, chunk)
                count += len(chunk)
            for sql in indexes:
                self.conn.execute(sql)
            content = digest.hexdigest()
            if existing is not None:
                if existing[1] == content:
                    self.conn.execute("ROLLBACK")
                    return self._same_items(edition_id, meta, {"stated_totals": stated_totals,
                                                               "tiered_payment_standards": tiers}, replace)
                if not replace:
                    raise EditionConflict(
                        f"edition {edition_id!r} already exists with different content; "
                        "editions are immutable (use --replace to swap it whole)"
                    )
                self._delete(edition_id, kind)
                self.conn.execute(f"UPDATE {table} SET edition_id=? WHERE edition_id=?", (edition_id, target))
                self.conn.execute("UPDATE edition SET id=? WHERE id=?", (edition_id, target))
            for sf in sources or []:
                self.conn.execute(
                    "INSERT INTO source_file (edition_id, name, sha256, rows) VALUES (?, ?, ?, ?)",
                    (edition_id, sf.path.name, sf.sha256, sf.rows),
                )
            self.conn.execute(
                f"UPDATE edition SET state='ready', content_sha256=?, item_count=?, imported_at=?, stated_totals=?, "
                f"tiered_payment_standards=?, {', '.join(f'{k}=?' for k in _EDITION_META)} WHERE id=?",
                (content, count, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 json.dumps(stated_totals or {}, ensure_ascii=False), json.dumps(tiers or {}, ensure_ascii=False),
                 *(meta.get(k) for k in _EDITION_META), edition_id),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            if gc_was_enabled:
                gc.enable()
        return ImportResult(self.edition(edition_id), "replaced" if existing else "imported")

    def _same_items(self, edition_id: str, meta: dict, documents: dict[str, dict | None], replace: bool) -> ImportResult:
        """The rows are already there. Metadata given with them that differs from the stored (a
        corrected title or 文号, other stated totals) is refused, or with `replace` written, so it is
        never dropped silently. `documents`: the JSON-valued fields (stated totals, tiers)."""
        names = (*_EDITION_META, *documents)
        stored = dict(zip(names, self.conn.execute(
            f"SELECT {', '.join(names)} FROM edition WHERE id=?", (edition_id,)).fetchone()))
        changed = {k: v for k, v in meta.items() if v is not None and stored[k] != v}
        for k, given in documents.items():
            stored[k] = json.loads(stored[k] or "{}")
            if given and given != stored[k]:
                changed[k] = given
        if not changed:
            return ImportResult(self.edition(edition_id), "unchanged")
        if not replace:
            k = next(iter(changed))
            raise EditionConflict(f"edition {edition_id!r} already has these rows with {k} {stored[k]!r}, not {changed[k]!r} "
                                  "(use --replace to update its metadata)")
        changed = {k: json.dumps(v, ensure_ascii=False) if k in documents else v for k, v in changed.items()}
        self.conn.execute(f"UPDATE edition SET {', '.join(f'{k}=?' for k in changed)} WHERE id=?",
                          (*changed.values(), edition_id))  # one statement: atomic in autocommit mode
        return ImportResult(self.edition(edition_id), "metadata")

    def _drop_indexes_if_empty(self, table: str) -> list[str]:
        """Drop the indexes of an empty item table and return their definitions, to be created
        again after the insert: one sorted build beats 270,000 index updates. Inside the import
        transaction, so a failed import rolls the drop back too."""
        if self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            return []
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL", (table,)
        ).fetchall()
        for name, _ in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in indexes]

    def _insert_chunk(self, table: str, fields: tuple[str, ...], name_idx: int, edition_id: str,
                      start: int, chunk: list[tuple]) -> None:
        """Insert one batch column-wise. Columns that are empty throughout the batch are left out
        of the INSERT (they default to NULL): binding None costs sqlite3 an adapter lookup per
        cell, which was a third of the insert time for a code table with many empty columns."""
        columns = list(zip(*chunk))
        n = len(chunk)
        keep = [i for i, col in enumerate(columns) if col.count(None) != n]
        names = ", ".join(["edition_id", "seq", *(fields[i] for i in keep), "pinyin"])
        sql = f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * (len(keep) + 3))})"
        pinyin = map(initials, columns[name_idx])
        self.conn.executemany(
            sql, zip(repeat(edition_id, n), range(start, start + n), *(columns[i] for i in keep), pinyin)
        )

    def _delete(self, edition_id: str, kind: CatalogKind) -> None:
        self.conn.execute(f"DELETE FROM {item_table(kind)} WHERE edition_id=?", (edition_id,))
        self.conn.execute("DELETE FROM source_file WHERE edition_id=?", (edition_id,))
        self.conn.execute("DELETE FROM edition WHERE id=?", (edition_id,))

    def remove_edition(self, edition_id: str) -> None:
        ed = self.edition(edition_id)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._delete(edition_id, ed.kind)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- items -------------------------------------------------------------------------------
    def rows(self, edition_id: str) -> Iterator[tuple]:
        """Item tuples of an edition in import order, in the layout's field order."""
        ed = self.edition(edition_id)
        fields = LAYOUTS[ed.kind].fields
        yield from self.conn.execute(
            f"SELECT {', '.join(fields)} FROM {item_table(ed.kind)} WHERE edition_id=? ORDER BY rowid", (edition_id,)
        )

    def items(self, edition_id: str) -> list:
        """The edition's items as pydantic models."""
        ed = self.edition(edition_id)
        model = ITEM_MODELS[ed.kind]
        fields = LAYOUTS[ed.kind].fields
        return [model(**{f: x for f, x in zip(fields, r) if x is not None}) for r in self.rows(edition_id)]

    def find(self, text: str, *, edition_id: str | None = None, kind: CatalogKind | None = None,
             exact: bool = False, limit: int = 50) -> list[tuple[Edition, object]]:
        """Items whose code equals `text`, or whose name contains it, or whose pinyin initials
        contain it (`amxl` finds 阿莫西林)."""
        editions = [self.edition(edition_id)] if edition_id else self.editions(kind)
        out: list[tuple[Edition, object]] = []
        needle = text.strip()
        for ed in editions:
            table, fields = item_table(ed.kind), LAYOUTS[ed.kind].fields
            name = _NAME_FIELD[ed.kind]
            if exact:
                where, args = f"(code=? OR {name}=? OR number=?)" if ed.kind is CatalogKind.drugs else f"(code=? OR {name}=?)", \
                    (needle, needle, needle) if ed.kind is CatalogKind.drugs else (needle, needle)
            else:
                where = f"(code=? OR instr({name}, ?) > 0 OR instr(pinyin, ?) > 0 OR instr(former_codes, ?) > 0)"
                args = (needle.upper(), needle, needle.lower(), needle.upper())
            cur = self.conn.execute(
                f"SELECT {', '.join(fields)} FROM {table} WHERE edition_id=? AND {where} ORDER BY rowid LIMIT ?",
                (ed.id, *args, limit - len(out)),
            )
            model = ITEM_MODELS[ed.kind]
            out += [(ed, model(**{f: x for f, x in zip(fields, r) if x is not None})) for r in cur]
            if len(out) >= limit:
                break
        return out

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Run a read-only query (for capability cores that aggregate in SQL)."""
        return self.conn.execute(sql, args).fetchall()

