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
