"""The command line of the foundation: editions, import, export round trips, show, search,
and one clear line with exit code 2 for every bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURES

FOUNDATION = FIXTURES / "foundation"
NRDL_FILES = [FOUNDATION / "西药部分.csv", FOUNDATION / "协议期内谈判药品部分-西药.csv"]


def _import(cli, *files, edition="t1", catalog="drugs", extra=()):
    return cli("import", *files, "--catalog", catalog, "--edition", edition, *extra)


def test_version_and_module_entry():
    import catalog_tool

    out = subprocess.run([sys.executable, "-m", "catalog_tool", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"catalog-tool {catalog_tool.__version__}"


def test_help_lists_the_foundation_commands(cli):
    r = cli("--help")
    assert r.exit_code == 0
    for command in ("editions", "import", "export", "show", "search", "totals"):
        assert command in r.output


def test_embedded_editions_load_on_first_use(cli):
    from catalog_tool.embedded import load_manifest

    ids = [e["id"] for e in load_manifest()["editions"]]
    r = cli("editions", "--format", "json")
    assert r.exit_code == 0
    for edition_id in ids:
        assert edition_id in r.stdout


def test_import_then_show_and_search(cli):
    r = _import(cli, *NRDL_FILES, extra=("--title", "样例", "--effective", "2026-01-01"))
    assert r.exit_code == 0, r.output
    assert "imported drugs edition t1: 11 rows from 2 file(s)" in r.stdout
    shown = cli("show", "马昔腾坦片", "--edition", "t1")
    assert shown.exit_code == 0
    assert "8.97元(1mg/片)；15.25元(2mg/片)" in shown.stdout and "2026年1月1日至2027年12月31日" in shown.stdout
    found = cli("search", "amxl", "--edition", "t1", "--format", "csv")
    assert found.exit_code == 0 and found.stdout.count("阿莫西林") == 2
    assert cli("search", "不存在的药", "--edition", "t1").exit_code == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "xml"])
def test_export_import_round_trip_is_identical(cli, tmp_path, fmt):
    assert _import(cli, *NRDL_FILES).exit_code == 0
    out = tmp_path / f"t1.{fmt}"
    assert cli("export", "t1", "--format", fmt, "-o", out).exit_code == 0
    back = _import(cli, out, edition="t1")
    assert back.exit_code == 0 and "unchanged" in back.stdout  # same content hash
    copy = _import(cli, out, edition="t1-copy")
    assert copy.exit_code == 0
    eds = {e["id"]: e for e in __import__("json").loads(cli("editions", "-f", "json").stdout)}
    assert eds["t1"]["content_sha256"] == eds["t1-copy"]["content_sha256"]
    if fmt in ("json", "xml"):  # these carry the edition's metadata
        assert eds["t1-copy"]["effective"] == eds["t1"]["effective"]


def _bad(tmp_path, name: str, text: str, encoding="utf-8") -> object:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


HEADER = "药品分类代码,药品分类,编号,甲乙类,药品名称,剂型,备注\n"


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("西药部分.csv", HEADER.replace("备注", "说明书") + "XA01,口腔科制剂,1,甲,复方硼砂,外用液体剂,x\n",
         "西药部分.csv, row 1, field 说明书: unknown column '说明书'"),
        ("西药部分.csv", HEADER + "XA01,口腔科制剂,1,丙,复方硼砂,外用液体剂,\n",
         "row 2, field 甲乙类: class must be one of 甲/乙/自费"),
        ("西药部分.csv", HEADER + "XA01,口腔科制剂,1,甲,复方硼砂,外用液体剂,\nXA01,口腔科制剂,2,甲,复方硼砂,外用液体剂,\n",
         "row 3, field name: duplicate key"),
        ("西药部分.csv", HEADER + "XA01,口腔科制剂,1,甲,,外用液体剂,\n", "row 2, field name: required value is empty"),
        ("西药部分.csv", HEADER + "XA01,口腔科制剂,1,甲,复方硼砂\n", "row 2: has 5 cells, the header has 7"),
        ("西药部分.csv", b"\xff\xfe\x00\x00binary", "binary file"),
        ("西药部分.csv", "".encode(), "empty file"),
        ("codes.csv", "药品代码,医保药品名称\nxa01aba001a001010100001,复方硼砂\n",
         "row 2, field 药品代码: malformed drug code"),
        ("谈判.csv", "药品名称,医保支付标准,协议有效期\n奥希替尼,*,2026年1月1日至2025年12月31日\n",
         "row 2, field 协议有效期: period ends before it starts"),
        ("谈判.csv", "药品名称,医保支付标准,协议有效期\n奥希替尼,*,2026年13月1日至2027年12月31日\n",
         "row 2, field 协议有效期"),
        ("items.xml", "<catalog><items><item><name>复方硼砂</item></items></catalog>", "items.xml, row 1: malformed XML"),
        ("items.json", '{"items": [{"name": "复方硼砂", "colour": "红"}]}', "row 1, field colour: unknown field 'colour'"),
        ("items.json", '{"items": [', "malformed JSON"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(cli, tmp_path, name, content, expected):
    cli("editions")  # the first command loads the embedded editions and says so on stderr
    path = _bad(tmp_path, name, content)
    r = _import(cli, path, edition="bad")
    assert r.exit_code == 2
    assert expected in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.output
    assert "bad" not in cli("editions").stdout.split()


def test_undecodable_text_names_the_row(cli, tmp_path):
    data = HEADER.encode() + "XA01,口腔科制剂,1,甲,复方硼砂,外用液体剂,\n".encode() + b"XA01,\xff\xfe\xfd,2,\xa0\n"
    r = _import(cli, _bad(tmp_path, "西药部分.csv", data))
    assert r.exit_code == 2 and "row 3: cannot decode as UTF-8, GBK or GB18030" in r.stderr
    # a GBK file damaged on row 3: UTF-8 fails on row 2's Chinese already; the row named is GBK's
    gbk = HEADER.encode("gbk") + "XA01,口腔科制剂,1,甲,复方硼砂,外用液体剂,\n".encode("gbk") + b"XA01,\xff\xfe,2,\n"
    r = _import(cli, _bad(tmp_path, "西药部分-gbk.csv", gbk))
    assert r.exit_code == 2 and "row 3: cannot decode" in r.stderr and "reads as GBK/GB18030 up to there" in r.stderr


def test_xml_entities_are_not_resolved(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
           "<catalog><items><item><name>&x;</name></item></items></catalog>")
    r = _import(cli, _bad(tmp_path, "x.xml", xml), edition="xxe")
    if r.exit_code == 0:
        shown = cli("search", "TOPSECRET", "--edition", "xxe")
        assert shown.exit_code == 1
    else:
        assert r.exit_code == 2


def test_missing_file_unknown_edition_and_bad_catalog(cli, tmp_path):
    r = _import(cli, tmp_path / "nope.csv")
    assert r.exit_code == 2 and "nope.csv: file not found" in r.stderr
    r = cli("export", "nrdl-1999", "-o", tmp_path / "x.csv")
    assert r.exit_code == 2 and "unknown edition 'nrdl-1999'" in r.stderr
    assert not (tmp_path / "x.csv").exists()
    r = cli("editions", "--catalog", "herbs")
    assert r.exit_code == 2 and "--catalog must be drugs, consumables or services" in r.stderr


def test_import_same_id_different_content_needs_replace(cli):
    assert _import(cli, FOUNDATION / "西药部分.csv").exit_code == 0
    r = _import(cli, FOUNDATION / "gbk" / "西药部分.csv")
    assert r.exit_code == 2 and "editions are immutable" in r.stderr
    r = _import(cli, FOUNDATION / "gbk" / "西药部分.csv", extra=("--replace",))
    assert r.exit_code == 0 and "replaced drugs edition t1: 7 rows" in r.stdout


def test_totals_exit_code_reports_disagreement(cli, tmp_path):
    meta = tmp_path / "m.json"
    meta.write_text('{"stated_totals": {"west_part": 7}}', encoding="utf-8")
    assert _import(cli, FOUNDATION / "西药部分.csv", extra=("--meta", meta)).exit_code == 0
    r = cli("totals", "t1")
    assert r.exit_code == 1 and "NO" in r.stdout


def test_output_that_cannot_be_written_is_one_line_and_leaves_nothing(cli, tmp_path):
    from catalog_tool.errors import InputError
    from catalog_tool.formats.canonical import atomic_output

    assert _import(cli, FIXTURES / "foundation" / "西药部分.csv").exit_code == 0
    (tmp_path / "out.csv").mkdir()
    r = cli("export", "t1", "--format", "csv", "-o", tmp_path / "out.csv")
    assert r.exit_code == 2 and "out.csv: is a folder" in r.stderr and "Traceback" not in r.stderr
    target = tmp_path / "导出.csv"
    with pytest.raises(InputError, match="导出.csv: cannot write: No space left on device"):
        with atomic_output(target, "w", encoding="utf-8") as fh:
            fh.write("药品代码\n")
            raise OSError(28, "No space left on device")  # as a full disk reports a write
    assert not [p for p in tmp_path.iterdir() if "导出" in p.name]  # no partial file, no temporary left


def test_empty_search_text_is_a_usage_error(cli):
    r = cli("search", "  ")
    assert r.exit_code == 2 and "empty search text" in r.stderr


def test_outputs_get_the_usual_file_mode(tmp_path):
    import os
    import stat

    from catalog_tool.formats.canonical import atomic_output

    new = tmp_path / "报告.csv"
    with atomic_output(new, "w", encoding="utf-8") as fh:
        fh.write("x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    new.chmod(0o640)
    with atomic_output(new, "w", encoding="utf-8") as fh:
        fh.write("y\n")
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # a replaced file keeps its mode
