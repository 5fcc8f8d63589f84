"""Shared fixtures: a fresh database per test, the CLI run in-process, the real data in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from catalog_tool.paths import shared_data_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "catalog.sqlite"
    monkeypatch.setenv("CATALOG_TOOL_DB", str(path))
    return path


@pytest.fixture
def cli(db_path):
    """Run `catalog-tool ARGS…` in-process against the test database; returns the click Result."""
    from catalog_tool.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data is absent: the real NRDL editions are not available here")
    return path
