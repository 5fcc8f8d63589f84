"""The folder reader behind `check`: large CSV files go through polars, and must come out exactly
as the exact reader (`read_table`) gives them, or fall back to it."""

from __future__ import annotations

import pytest

import catalog_tool.formats.datasets as ds
from catalog_tool.paths import DATASETS_DIR
from catalog_tool.schemas import SCHEMAS_DIR
from checks_support import copy_datasets


def tables(folder):
    return {t.rel: (t.header, t.fields, [list(c) for c in t.columns], t.lines)
            for t in [t for e in folder.editions for t in e.tables] + folder.side_tables}


def test_bulk_reader_equals_exact_reader(monkeypatch):
    exact = tables(ds.load_folder(DATASETS_DIR, SCHEMAS_DIR))
    monkeypatch.setattr(ds, "FAST_BYTES", 0)
    calls = []
    real = ds._fast_csv
    monkeypatch.setattr(ds, "_fast_csv", lambda p, d: calls.append(p.name) or real(p, d))
    assert tables(ds.load_folder(DATASETS_DIR, SCHEMAS_DIR)) == exact
    assert "drugs.csv" in calls


@pytest.mark.parametrize("body, why", [
    ("code,name,unit\n001,血常规, 次 \n002,尿常规\n", "short row"),
    ("code,name,unit\n001,\"血常规\n(五分类)\",次\n", "line break inside a cell"),
    ("code,name,unit\n001,血常规,次\n\n002,尿常规,次\n", "blank line"),
])
def test_bulk_reader_declines_what_it_would_misread(tmp_path, body, why):
    path = tmp_path / "t.csv"
    path.write_text(body, encoding="utf-8")
    assert ds._fast_csv(path, path.read_bytes()) is None, why


def test_bulk_reader_strips_cells_and_reads_gbk(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("code,name,unit\n001, 血常规 ,次\n002,尿常规,\n".encode("gbk"))
    header, columns, lines = ds._fast_csv(path, path.read_bytes())
    assert (header, [list(c) for c in columns], lines) == (
        ["code", "name", "unit"], [["001", "002"], ["血常规", "尿常规"], ["次", ""]], [2, 3])


def test_short_row_in_a_large_file_is_still_reported(tmp_path, monkeypatch):
    root = copy_datasets(tmp_path)
    path = root / "services-2025" / "services.csv"
    path.write_text(path.read_text(encoding="utf-8") + "003,只有两列\n", encoding="utf-8")
    monkeypatch.setattr(ds, "FAST_BYTES", 0)
    folder = ds.load_folder(root, SCHEMAS_DIR)
    assert [(e.file, e.row) for e in folder.read_errors] == [("services-2025/services.csv", 124)]


from hypothesis import given, settings, strategies as st  # noqa: E402

from catalog_tool.checks.codes import gtin_ok  # noqa: E402

CELL = st.text(alphabet=st.sampled_from(list("阿莫西林片剂甲乙 ,\"'；;0123456789abcXZ.\t（）")), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8))
def test_bulk_reader_never_disagrees_with_exact_reader(tmp_path_factory, rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["code", "name", "unit"], *rows])
    path = tmp_path_factory.mktemp("prop") / "t.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    fast = ds._fast_csv(path, path.read_bytes())
    try:
        exact = ds._exact(path)
    except Exception as e:  # the exact reader rejects the file: the bulk reader must not accept it
        assert fast is None, e
        return
    if fast is not None:
        assert (fast[0], [list(c) for c in fast[1]], fast[2]) == (exact[0], [list(c) for c in exact[1]], exact[2])


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_gtin_check_digit(body):
    good = [d for d in "0123456789" if gtin_ok(body + d)]
    assert len(good) == 1


def test_a_damaged_schema_file_is_one_clear_error(tmp_path):
    from catalog_tool.errors import InputError
    from catalog_tool.formats.datasets import _read_schemas

    (tmp_path / "DrugItem.json").write_text('{"title":\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        _read_schemas(tmp_path)
    assert "DrugItem.json" in str(e.value) and "malformed JSON Schema" in str(e.value)
