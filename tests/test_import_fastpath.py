"""The column-wise CSV reader (polars) gives exactly what the row-by-row reader gives: the same
item tuples (so the same stored rows and content digest), or the same one-line error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import catalog_tool.formats.fastcsv as fastcsv
from catalog_tool.errors import InputError
from catalog_tool.formats.items import ItemReader
from catalog_tool.model import CatalogKind

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from gen_codedb import generate  # noqa: E402

HEADERS = ["药品代码", "注册名称", "医保药品名称", "2025版甲乙类", "剂型", "药品分类代码", "备注", "曾用码",
           "部分", "药品类型"]
MESSY = [" ", "\t", "\u3000", "\xa0", "\x1c", "\x0b", "\u2003", "\x85"]
# Valid cells, then cells the row path rejects (drawn now and then).
CELL = {
    "药品代码": (["XA01AAA0001010100001000", "ZA01AAA0001010100001000", "T1234567890123456789", ""],
                ["xa01aaa0001010100001000", "XA01"]),
    "注册名称": (["阿莫西林胶囊", "", "布洛芬片"], []),
    "医保药品名称": (["阿莫西林", "布洛芬", "a\\b"], [""]),
    "2025版甲乙类": (["甲", "乙", "A", "B", "自费", "", "甲类"], ["丙", "x"]),
    "剂型": (["片剂", "胶囊剂", ""], []),
    "药品分类代码": (["XJ01CA", "ZA01", "TA", "ta", ""], []),
    "备注": (["", "限儿童", "a;b", "x\ty"], []),
    "曾用码": (["", "XA01AAA0001010100001001", "XA01AAA0001010100001001；ZA01AAA0001010100001002 ", ";"],
              ["XA01"]),
    "部分": (["", "西药", "中成药"], ["竞价"]),
    "药品类型": (["", "西药", "中药饮片"], ["草药"]),
}


def read(path: Path, fast: bool, monkeypatch) -> tuple[list[tuple], str | None]:
    """Items of the file, or the error message where the reader stopped."""
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(fastcsv, "read_frame", lambda table: None)
        items: list[tuple] = []
        try:
            items.extend(ItemReader(CatalogKind.drugs, [path]))
        except InputError as e:
            return items, str(e)
        return items, None


@st.composite
def tables(draw):
    others = draw(st.lists(st.sampled_from(HEADERS[1:]), max_size=len(HEADERS) - 1, unique=True))
    columns = ["药品代码", "医保药品名称", *(c for c in others if c != "医保药品名称")]
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = []
        for c in columns:
            good, bad = CELL[c]
            cell = draw(st.sampled_from(bad if bad and draw(st.integers(0, 29)) == 0 else good))
            if draw(st.integers(0, 3)) == 0:
                cell = draw(st.sampled_from(MESSY)) + cell + draw(st.sampled_from(MESSY))
            row.append(cell)
        rows.append(row)
    return columns, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
       newline=st.sampled_from(["\n", "\r\n"]), extra=st.sampled_from(["", "", "", "dup", "blank", "quote", "short", "period"]))
def test_fast_path_equals_row_path(tmp_path_factory, monkeypatch, table, encoding, newline, extra):
    columns, rows = table
    if extra == "dup" and rows:
        rows.append(list(rows[0]))
    if extra == "period":
        columns, rows = [*columns, "协议有效期"], [[*r, "2026年1月1日至2027年12月31日"] for r in rows]
    lines = [",".join(columns)] + [",".join(r) for r in rows]
    if extra == "blank" and rows:
        lines.insert(2, "  ")
    if extra == "quote" and rows:
        lines[1] = '"' + lines[1].replace(",", '","') + '"'
    if extra == "short" and rows and len(columns) > 1:
        lines[-1] = lines[-1].rsplit(",", 1)[0]
    path = tmp_path_factory.mktemp("t") / "西药部分.csv"
    text = newline.join(lines) + newline
    if "\x85" in text and encoding == "gb18030":
        text = text.replace("\x85", " ")
    path.write_bytes(text.encode(encoding))
    assert read(path, True, monkeypatch) == read(path, False, monkeypatch)


def test_fast_path_is_taken_for_a_plain_code_table(tmp_path, monkeypatch):
    path = generate(3000, tmp_path / "医保药品分类与代码.csv", encoding="gb18030")
    used = []
    real = fastcsv.read_frame
    monkeypatch.setattr(fastcsv, "read_frame", lambda table: used.append(real(table)) or used[-1])
    fast = read(path, True, monkeypatch)
    assert used and used[0] is not None and used[0].height == 3000
    assert fast == read(path, False, monkeypatch) and fast[1] is None and len(fast[0]) == 3000


@pytest.mark.parametrize("bad, message", [
    ("XA01", "row 7, field 药品代码"),
    ("XA01AAA0001010100001000X", "row 7, field 药品代码"),
])
def test_bad_code_is_named_by_row(tmp_path, monkeypatch, bad, message):
    path = generate(20, tmp_path / "codes.csv")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[6] = bad + lines[6][lines[6].index(","):]
    path.write_text("\n".join(lines), encoding="utf-8")
    items, error = read(path, True, monkeypatch)
    assert error is not None and message in error


def test_whitespace_set_is_pythons():
    assert fastcsv.PY_WHITESPACE == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
