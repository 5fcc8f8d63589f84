"""An import killed mid-way (kill -9) leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from catalog_tool.store import CatalogDB

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from gen_codedb import generate  # noqa: E402


def test_kill_9_during_import_leaves_no_trace(tmp_path):
    db_file = tmp_path / "c.sqlite"
    with CatalogDB(db_file) as db:  # a database that already holds an edition
        from catalog_tool.importing import import_files
        from catalog_tool.model import CatalogKind

        small = generate(50, tmp_path / "small.csv")
        import_files(db, CatalogKind.drugs, [small], "before")
    big = generate(150_000, tmp_path / "big.csv")
    env = {**os.environ, "CATALOG_TOOL_DATASETS": str(tmp_path / "none")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "catalog_tool", "--db", str(db_file), "import", str(big), "-c", "drugs", "-e", "killed"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    journal = Path(str(db_file) + "-journal")
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.3)  # let it write some batches
    assert proc.poll() is None, "the import finished before it could be killed: make the file bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with CatalogDB(db_file) as db:
        assert [e.id for e in db.editions()] == ["before"]
        assert db.query("SELECT count(*) FROM drug_item")[0][0] == 50
        assert db.query("SELECT count(*) FROM edition")[0][0] == 1


def test_disk_full_during_import_is_one_line_and_leaves_the_database_as_it_was(cli, db_path, tmp_path, monkeypatch):
    """SQLITE_FULL, made by capping the database's pages just before the import, rolls back."""
    assert cli("editions").exit_code == 0  # the embedded editions are there before
    with CatalogDB(db_path) as db:
        before = [e.id for e in db.editions()]
    original = CatalogDB.import_edition

    def nearly_full(self, *args, **kwargs):
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count={pages + 10}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CatalogDB, "import_edition", nearly_full)
    big = generate(20_000, tmp_path / "big.csv")
    r = cli("import", big, "-c", "drugs", "-e", "full")
    assert r.exit_code == 2 and "database or disk is full (nothing was written)" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    monkeypatch.undo()
    with CatalogDB(db_path) as db:
        assert [e.id for e in db.editions()] == before
        assert db.query("SELECT count(*) FROM drug_item WHERE edition_id LIKE 'full%'")[0][0] == 0
