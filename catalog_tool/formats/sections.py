"""Recognise which NRDL part (部分) a published table is, from its file name."""

from __future__ import annotations

from pathlib import Path

from catalog_tool.model import MedicineType, Section

# Longest names first: `协议期内谈判药品部分-西药` must not be taken for `西药部分`.
_BY_STEM: list[tuple[str, Section, MedicineType | None]] = [
    ("不得纳入基金支付范围的中药饮片", Section.herbal_excluded, MedicineType.herbal),
    ("协议期内谈判药品部分-西药", Section.negotiated, MedicineType.west),
    ("协议期内谈判药品部分-中成药", Section.negotiated, MedicineType.tcm),
    ("协议期内谈判药品部分", Section.negotiated, None),
    ("竞价药品部分", Section.bidding, MedicineType.west),
    ("中药饮片部分", Section.herbal, MedicineType.herbal),
    ("中成药部分", Section.tcm, MedicineType.tcm),
    ("西药部分", Section.west, MedicineType.west),
]


def section_of(path: str | Path) -> tuple[Section | None, MedicineType | None]:
    """(section, medicine type) named by a file such as `协议期内谈判药品部分-西药.csv`."""
    stem = Path(path).stem
    for needle, section, mtype in _BY_STEM:
        if needle in stem:
            return section, mtype
    return None, None


_TYPE_BY_LETTER = {"X": MedicineType.west, "Z": MedicineType.tcm, "T": MedicineType.herbal}


def medicine_type_of(code_or_category: str | None) -> MedicineType | None:
    """X… is 西药, Z… 中成药, T… 中药饮片 (drug codes and NRDL category codes alike)."""
    if not code_or_category:
        return None
    return _TYPE_BY_LETTER.get(code_or_category[0].upper())


def is_table_of_items(path: str | Path) -> bool:
    """False for the side tables of a release (药品分类, 剂型归类) that hold no drugs."""
    stem = Path(path).stem
    return not any(s in stem for s in ("药品分类", "剂型归类")) or "部分" in stem
