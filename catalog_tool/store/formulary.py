"""Saved hospital formularies: their items and the findings reading them produced, plus the last
check against an edition, in tables of their own. Every write is one transaction."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from catalog_tool.errors import InputError
from catalog_tool.model.formulary import Finding, FormularyItem

_TABLES = """
CREATE TABLE IF NOT EXISTS formulary (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    items INTEGER NOT NULL,
    reader_findings TEXT NOT NULL DEFAULT '[]',
    checked_edition TEXT,
    checked_at TEXT,
    errors INTEGER,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS formulary_item (
    formulary TEXT NOT NULL REFERENCES formulary(name) ON DELETE CASCADE,
    row INTEGER NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (formulary, row)
);
"""


class FormularyStore:
    """Formularies kept in the catalog database (`CatalogDB.conn`)."""

    def __init__(self, db) -> None:
        self.db = db
        self.conn = db.conn
        self.conn.executescript(_TABLES)

    def _transaction(self, work) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            work()
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def save(self, name: str, source: str, items: list[FormularyItem], reader_findings: list[Finding]) -> None:
        """Keep (or replace) formulary `name` whole."""
        if not name.strip():
            raise InputError("formulary name is empty")

        def work() -> None:
            self.conn.execute("DELETE FROM formulary_item WHERE formulary=?", (name,))
            self.conn.execute("DELETE FROM formulary WHERE name=?", (name,))
            self.conn.execute(
                "INSERT INTO formulary (name, source, saved_at, items, reader_findings) VALUES (?, ?, ?, ?, ?)",
                (name, source, _now(), len(items),
                 json.dumps([f.model_dump(mode="json") for f in reader_findings], ensure_ascii=False)),
            )
            self.conn.executemany(
                "INSERT INTO formulary_item (formulary, row, item) VALUES (?, ?, ?)",
                ((name, it.row, it.model_dump_json()) for it in items),
            )

        self._transaction(work)

    def names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM formulary ORDER BY name")]

    def listing(self) -> list[dict]:
        cur = self.conn.execute(
            "SELECT name, source, saved_at, items, checked_edition, checked_at, errors, summary FROM formulary ORDER BY name")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur]

    def load(self, name: str) -> tuple[list[FormularyItem], list[Finding], str | None]:
        """Items, reader findings, and the edition it was last checked against."""
        row = self.conn.execute(
            "SELECT reader_findings, checked_edition FROM formulary WHERE name=?", (name,)).fetchone()
        if row is None:
            known = ", ".join(self.names()) or "none"
            raise InputError(f"no saved formulary {name!r} (saved: {known})")
        items = [FormularyItem.model_validate_json(t) for (t,) in self.conn.execute(
            "SELECT item FROM formulary_item WHERE formulary=? ORDER BY row", (name,))]
        return items, [Finding.model_validate(f) for f in json.loads(row[0])], row[1]

    def record_check(self, name: str, edition: str, errors: int, summary: str) -> None:
        self._transaction(lambda: self.conn.execute(
            "UPDATE formulary SET checked_edition=?, checked_at=?, errors=?, summary=? WHERE name=?",
            (edition, _now(), errors, summary, name)))


def edition_columns(db, edition_id: str, columns: tuple[str, ...]) -> list[tuple]:
    """Only the named columns of a drug edition's rows, in import order (rowid order, as
    `CatalogDB.rows`). An edition's rows are inserted in one transaction, so they sit in one rowid
    range: reading that range in table order is twice as fast as going through the (edition, code)
    index, which visits the rows in code order and then sorts them back."""
    db.edition(edition_id)  # raises UnknownEdition
    lo, hi = db.conn.execute("SELECT min(rowid), max(rowid) FROM drug_item WHERE edition_id=?", (edition_id,)).fetchone()
    if lo is None:
        return []
    # `+edition_id` keeps the planner off the index: the rowid range is the faster path.
    return db.conn.execute(
        f"SELECT {', '.join(columns)} FROM drug_item WHERE rowid BETWEEN ? AND ? AND +edition_id=? ORDER BY rowid",
        (lo, hi, edition_id)).fetchall()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
