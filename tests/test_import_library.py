"""Library-level import: layouts, encodings, counts, immutability, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_tool.errors import EditionConflict, InputError, UnknownEdition
from catalog_tool.importing import import_files
from catalog_tool.model import CatalogKind, DrugClass, Section
from catalog_tool.store import CatalogDB
from catalog_tool.totals import check_totals, count_totals

from conftest import FIXTURES

FOUNDATION = FIXTURES / "foundation"


@pytest.fixture
def db(tmp_path):
    with CatalogDB(tmp_path / "t.sqlite") as d:
        yield d


def _import(db, *paths, edition="e1", **kw):
    return import_files(db, CatalogKind.drugs, [Path(p) for p in paths], edition, **kw)


def test_nrdl_tables_take_section_and_type_from_file_names(db):
    r = _import(db, FOUNDATION / "西药部分.csv", FOUNDATION / "协议期内谈判药品部分-西药.csv")
    assert r.status == "imported" and r.edition.item_count == 11
    items = db.items("e1")
    star = next(i for i in items if i.number == "★(101)")
    assert star.section is Section.west and star.base_number == "101" and star.drug_class is DrugClass.b
    nego = next(i for i in items if i.name == "注射用艾司奥美拉唑钠")
    assert nego.section is Section.negotiated and nego.negotiated
    assert (nego.agreement_start.isoformat(), nego.agreement_end.isoformat()) == ("2026-01-01", "2027-12-31")
    assert next(i for i in items if i.payment_standard == "*").confidential_price


@pytest.mark.parametrize("variant", ["gbk", "gb18030", "bom"])
def test_encodings_detected_without_being_told(db, variant):
    r = _import(db, FOUNDATION / variant / "西药部分.csv")
    names = {i.name for i in db.items("e1")}
    assert "奥美拉唑" in names and "阿莫西林" in names
    if variant != "gbk":
        assert "奥氮平" in names  # 䓬 exists in GB18030 only
    assert r.edition.item_count == (7 if variant == "gbk" else 8)


def test_code_database_workbook_reads_sheet_zongbiao_and_former_codes(db):
    r = _import(db, FOUNDATION / "医保药品分类与代码数据库.xlsx", edition="codes-2026-01")
    items = {i.code: i for i in db.items("codes-2026-01")}
    assert r.edition.item_count == 4
    granule = items["XJ01CAA040E001010100234"]
    assert granule.former_codes == "XJ01CAA040E001010100111"
    assert granule.standard_code == "86902345000123"  # Excel number, no `.0`
    assert granule.drug_class is DrugClass.a and granule.medicine_type.value == "西药"
    assert items["XN05AHA137A001010103456"].market_status == "停产"
    # former codes are searchable
    assert [i.code for _, i in db.find("XJ01CAA040E001010100111")] == ["XJ01CAA040E001010100234"]


def test_reimport_same_content_is_a_noop_and_different_content_is_refused(db, tmp_path):
    _import(db, FOUNDATION / "西药部分.csv")
    again = _import(db, FOUNDATION / "bom" / "西药部分.csv")  # same rows, other bytes
    assert again.status == "unchanged"
    with pytest.raises(EditionConflict, match="immutable"):
        _import(db, FOUNDATION / "gbk" / "西药部分.csv")  # one row fewer
    assert db.edition("e1").item_count == 8
    swapped = _import(db, FOUNDATION / "gbk" / "西药部分.csv", replace=True)
    assert swapped.status == "replaced" and db.edition("e1").item_count == 7
    assert len(db.editions()) == 1


def test_same_rows_with_other_metadata_are_refused_or_updated_with_replace(db):
    _import(db, FOUNDATION / "西药部分.csv", overrides={"title": "国家医保药品目录（2025年）", "document_no": "医保发〔2025〕1号"})
    assert _import(db, FOUNDATION / "西药部分.csv", overrides={"title": "国家医保药品目录（2025年）"}).status == "unchanged"
    with pytest.raises(EditionConflict, match="document_no '医保发〔2025〕1号', not '医保发〔2025〕19号'.*--replace"):
        _import(db, FOUNDATION / "西药部分.csv", overrides={"document_no": "医保发〔2025〕19号"})
    assert db.edition("e1").document_no == "医保发〔2025〕1号"
    fixed = _import(db, FOUNDATION / "西药部分.csv", overrides={"document_no": "医保发〔2025〕19号", "effective": "2026-01-01"},
                    replace=True)
    assert fixed.status == "metadata" and fixed.edition.document_no == "医保发〔2025〕19号"
    assert str(fixed.edition.effective) == "2026-01-01" and fixed.edition.title == "国家医保药品目录（2025年）"
    assert fixed.edition.item_count == 8


def test_unknown_edition_names_the_known_ones(db):
    _import(db, FOUNDATION / "西药部分.csv")
    with pytest.raises(UnknownEdition, match="known: e1"):
        db.edition("nrdl-1999")


def test_pinyin_initials_search(db):
    _import(db, FOUNDATION / "西药部分.csv")
    assert {i.name for _, i in db.find("amxl")} == {"阿莫西林"}
    assert {i.name for _, i in db.find("他汀")} == {"阿托伐他汀"}


def test_metadata_from_meta_file_and_options(db, tmp_path):
    meta = tmp_path / "m.json"
    meta.write_text('{"title": "样例目录", "published": "2025年12月7日", "effective": "2026-01-01",'
                    ' "stated_totals": {"west_part": 6}}', encoding="utf-8")
    _import(db, FOUNDATION / "西药部分.csv", meta_file=meta, overrides={"document_no": "医保发〔2025〕33号"})
    ed = db.edition("e1")
    assert (ed.title, ed.document_no, str(ed.published)) == ("样例目录", "医保发〔2025〕33号", "2025-12-07")
    checks = {c.key: c for c in check_totals(db, ed)}
    assert checks["west_part"].ok and checks["west_part"].counted == 6  # 8 rows, 2 ★ rows


def test_effective_before_published_is_refused(db, tmp_path):
    with pytest.raises(InputError, match="effective date is before"):
        _import(db, FOUNDATION / "西药部分.csv", overrides={"published": "2026-01-02", "effective": "2026-01-01"})
    assert db.editions() == []


@pytest.mark.shared
def test_real_2025_western_medicine_counts(db, shared_data):
    r = _import(db, shared_data / "nrdl-2025", edition="nrdl-2025")
    ed = r.edition
    assert ed.item_count == 2411 and ed.document_no == "医保发〔2025〕33号"
    assert len(ed.source_files) == 3 and all(len(f.sha256) == 64 for f in ed.source_files)
    t = count_totals(db, ed)
    assert (t["west_part"], t["west_class_jia"], t["negotiated_west"], t["rows_with_restriction"]) == (1446, 393, 411, 631)
    assert t["bidding"] == 12
    stated = {c.key: c.ok for c in check_totals(db, ed) if c.stated is not None}
    assert stated["west_part"] and stated["west_class_jia"] and stated["negotiated_west"]


@pytest.mark.shared
def test_real_2024_all_parts_as_one_edition(db, shared_data):
    meta = Path(__file__).parents[1] / "datasets" / "releases" / "nrdl-2024.json"
    r = _import(db, shared_data / "nrdl-2024", edition="nrdl-2024", meta_file=meta)
    assert r.edition.item_count == 4750
    checks = check_totals(db, r.edition)
    stated = [c for c in checks if c.stated is not None]
    assert len(stated) == 8 and all(c.ok for c in stated), [(c.key, c.stated, c.counted) for c in stated]
    assert {c.key: c.counted for c in checks}["grand_total"] == 3159


@pytest.mark.parametrize("damage,expected", [
    ((r'value="\d+"', 'value="很多"'), "field stated_totals: a <total> value is not a whole number"),
    (("<edition>", "<edition><tiered_payment_standards>{备注2</tiered_payment_standards>"),
     "malformed JSON in <tiered_payment_standards>"),
])
def test_damaged_xml_edition_metadata_is_one_error(db, tmp_path, damage, expected):
    import re

    from catalog_tool.formats import canonical
    from catalog_tool.formats.layout import LAYOUTS

    _import(db, FOUNDATION / "西药部分.csv", overrides={"title": "样例"})
    ed = db.edition("e1")
    out = tmp_path / "e1.xml"
    canonical.write_xml(out, {**ed.model_dump(mode="json"), "stated_totals": {"west_part": 8}},
                        LAYOUTS[CatalogKind.drugs].fields, db.rows("e1"))
    out.write_text(re.sub(damage[0], damage[1], out.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(expected)) as e:
        _import(db, out, edition="e2")
    assert "e1.xml, row" in str(e.value)
