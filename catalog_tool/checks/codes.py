"""Code check: national codes of each catalog (drug 20/23 chars with X/Z matching the medicine
type, consumable C + 19 digits [+ 7], service 15 digits), former codes, drug category codes,
consumable UDI-DIs (GTIN-14 check digit), and ICD-10 codes in any column named for them."""

from __future__ import annotations

import re

from catalog_tool.checks.findings import error
from catalog_tool.formats import values as v
from catalog_tool.formats.datasets import DatasetFolder, TableFile
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

CODE_RE = {CatalogKind.drugs: v.DRUG_CODE_RE, CatalogKind.consumables: v.CONSUMABLE_CODE_RE,
           CatalogKind.services: v.SERVICE_CODE_RE}
CODE_SHAPE = {CatalogKind.drugs: "20 or 23 of A-Z0-9", CatalogKind.consumables: "C + 19 digits, optional 7-char serial",
              CatalogKind.services: "15 digits"}
CATEGORY_RE = re.compile(r"^[XZ][A-Z](?:\d{2}(?:[A-Z]{1,2})?)?$")  # XA, XA02, XA02B, XA02BC, ZA12AA
# ICD-10 as WHO prints it (K25, K25.9) and as the 医保版 extends it (E11.900x001, I10.x00x002); `*`/`†` marks.
ICD10_RE = re.compile(r"^[A-Z]\d{2}(?:\.[0-9xX]{1,4}(?:[xX]\d{3})?)?[*†+]?$")
ICD10_HEADER = re.compile(r"icd|诊断编码|诊断代码|疾病编码|疾病代码|diagnosis_code", re.I)
TYPE_LETTER = {"西药": "X", "中成药": "Z"}
SPLIT = re.compile(r"[;；,，、\s]+")


def gtin_ok(code: str) -> bool:
    """GTIN-14 mod-10 check digit (weights 3,1,3,… from the right, check digit excluded)."""
    if not re.fullmatch(r"\d{14}", code):
        return False
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(code[:-1])))
    return (10 - total % 10) % 10 == int(code[-1])


def _pattern(table: TableFile, field: str, ok, shape: str, code: str, split: bool = False) -> list[CheckFinding]:
    col = table.column(field)
    if col is None:
        return []
    header = table.header_of(field)
    if not split and all(ok(x) for x in col if x):
        return []  # the usual case, decided in bulk
    verdict: dict[str, str | None] = {}
    out = []
    for line, text in zip(table.lines, col):
        if not text:
            continue
        if text not in verdict:
            bad = [c for c in (SPLIT.split(text) if split else [text]) if c and not ok(c)]
            verdict[text] = f"malformed {' '.join(header.split('_'))} {', '.join(map(repr, bad))} (expected {shape})" if bad else None
        if verdict[text]:
            out.append(error(code, verdict[text], table.rel, line, header))
    return out


def _type_letter(table: TableFile) -> list[CheckFinding]:
    codes, types = table.column("code"), table.column("medicine_type")
    if codes is None or types is None:
        return []
    return [error("codes.type-letter", f"code {c} starts with {c[0]}, but the row is {t} ({TYPE_LETTER[t]}…)", table.rel, line, "code")
            for line, c, t in zip(table.lines, codes, types) if c and t in TYPE_LETTER and c[0] != TYPE_LETTER[t]
            and v.DRUG_CODE_RE.match(c)]


def check_codes(folder: DatasetFolder) -> list[CheckFinding]:
    out: list[CheckFinding] = []
    for ed in folder.editions:
        if ed.kind is None:
            continue
        regex, shape = CODE_RE[ed.kind], CODE_SHAPE[ed.kind]
        for t in ed.tables:
            out += _pattern(t, "code", regex.match, shape, "codes.code")
            out += _pattern(t, "former_codes", regex.match, shape, "codes.former-code", split=True)
            if ed.kind is CatalogKind.drugs:
                out += _pattern(t, "category_code", CATEGORY_RE.match, "X/Z + ATC-style class, e.g. XA02BC", "codes.category")
                out += _type_letter(t)
            if ed.kind is CatalogKind.consumables:
                out += _pattern(t, "udi_di", gtin_ok, "GTIN-14 with a valid check digit", "codes.udi-di")
    for t in [t for ed in folder.editions for t in ed.tables] + folder.side_tables:
        for header in t.header:
            if ICD10_HEADER.search(header):
                out += _pattern(t, header, ICD10_RE.match, "ICD-10, e.g. K25 or E11.900x001", "codes.icd10", split=True)
    return out
