"""Saved formularies: kept transactionally, re-validated when a new drug edition is imported."""

from __future__ import annotations

import pytest
from formulary_support import SAMPLES, copy_db, sample_db

from catalog_tool.errors import InputError
from catalog_tool.formats.formulary import read_formulary
from catalog_tool.formulary.recheck import after_import, recheck
from catalog_tool.model.formulary import FormularyItem
from catalog_tool.store import CatalogDB
from catalog_tool.store.formulary import FormularyStore


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    return sample_db(tmp_path_factory.mktemp("store"))


def test_save_load_replace(base_db, tmp_path):
    sheet = read_formulary(SAMPLES / "hospital-formulary.csv")
    with CatalogDB(copy_db(base_db, tmp_path)) as db:
        store = FormularyStore(db)
        store.save("市一院", "hospital-formulary.csv", sheet.items, sheet.findings)
        items, findings, checked = store.load("市一院")
        assert items == sheet.items and findings == sheet.findings and checked is None
        store.save("市一院", "x.csv", items[:3], [])
        assert len(store.load("市一院")[0]) == 3 and store.names() == ["市一院"]
        with pytest.raises(InputError, match="no saved formulary '县医院'"):
            store.load("县医院")


def test_failed_save_leaves_the_previous_version(base_db, tmp_path):
    with CatalogDB(copy_db(base_db, tmp_path)) as db:
        store = FormularyStore(db)
        good = [FormularyItem(row=2, local_code="A", name="布洛芬片")]
        store.save("市一院", "a.csv", good, [])
        dup = [FormularyItem(row=2, local_code="A", name="布洛芬片"), FormularyItem(row=2, local_code="B", name="x")]
        with pytest.raises(Exception):
            store.save("市一院", "b.csv", dup, [])  # same row twice violates the primary key mid-way
        assert store.load("市一院")[0] == good
        assert not db.conn.in_transaction


def test_import_of_a_new_edition_rechecks_saved_formularies(base_db, tmp_path, monkeypatch):
    from catalog_tool import importing
    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind

    sheet = read_formulary(SAMPLES / "hospital-formulary.csv")
    seen = []
    # only this hook (the CLI's own, registered when its module is imported, would recheck too)
    monkeypatch.setattr(importing, "AFTER_IMPORT", [lambda db, result: seen.extend(after_import(db, result))])
    with CatalogDB(copy_db(base_db, tmp_path)) as db:
        FormularyStore(db).save("市一院", "s.csv", sheet.items, sheet.findings)
        first = recheck(db, "drugs-2024")
        assert first[0].report.edition == "drugs-2024"
        # a "2026" edition: drugs-2025 without 阿莫西林
        new = tmp_path / "drugs-2026.csv"
        lines = (SAMPLES.parent / "drugs-2025" / "drugs.csv").read_text(encoding="utf-8").splitlines()
        new.write_text("\n".join(l for l in lines if ",阿莫西林," not in l) + "\n", encoding="utf-8")
        import_files(db, CatalogKind.drugs, [new], "drugs-2026")
        listing = FormularyStore(db).listing()
    (outcome,) = seen
    assert outcome.incompatible and outcome.report.previous == "drugs-2024"
    assert "removed" in outcome.summary()
    assert "阿莫西林" in {f.catalog_name for f in outcome.report.findings if f.kind.value == "removed"}
    assert outcome.line().startswith("formulary 市一院: INCOMPATIBLE with drugs-2026 (previous drugs-2024): ")
    assert listing[0]["checked_edition"] == "drugs-2026" and listing[0]["errors"] == outcome.report.errors


def test_edition_columns_are_one_edition_in_import_order(base_db, tmp_path):
    """The rowid-range read returns exactly the edition's rows in seq order, also beside other
    editions and after a `--replace` (whose rows are renamed from a temporary edition)."""
    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind
    from catalog_tool.store.formulary import edition_columns

    lines = (SAMPLES.parent / "drugs-2025" / "drugs.csv").read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second.write_text("\n".join([lines[0], *reversed(lines[1:])][:-5]) + "\n", encoding="utf-8")
    with CatalogDB(copy_db(base_db, tmp_path)) as db:
        import_files(db, CatalogKind.drugs, [first], "x-1")
        import_files(db, CatalogKind.drugs, [first], "x-2")
        import_files(db, CatalogKind.drugs, [second], "x-1", replace=True)
        for edition in ("x-1", "x-2", "drugs-2024", "drugs-2025"):
            expected = db.conn.execute("SELECT seq, code, name FROM drug_item WHERE edition_id=? ORDER BY seq",
                                       (edition,)).fetchall()
            assert edition_columns(db, edition, ("seq", "code", "name")) == expected
        assert len(edition_columns(db, "x-1", ("code",))) == len(lines) - 6
