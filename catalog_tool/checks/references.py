"""Reference check: whatever in the folder points at catalog items must find them.

- `★(n)` rows (another dosage form of number n) need a number n in the same part.
- Other tables (mappings, procurement batches, samples…) with a national-code column: each code
  must be a code or former code of an edition of that catalog in the folder. Such files often
  refer to official editions kept elsewhere, so a miss is a warning, unless the manifest declares
  the file under `references` (then an error, checked against the editions it names; `columns`
  may also name a column of drug names to match against item names)."""

from __future__ import annotations

import re

from catalog_tool.checks.codes import CODE_RE
from catalog_tool.checks.findings import error, warning
from catalog_tool.formats.datasets import DatasetFolder, EditionData, TableFile
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

CODE_HEADERS = {"code", "national_code", "drug_code", "nhsa_code", "consumable_code", "service_code",
                "国家医保药品代码", "医保药品代码", "药品代码", "医保代码", "国家编码", "耗材代码", "医保耗材代码",
                "项目编码", "国家医保编码", "医保编码"}
SPLIT = re.compile(r"[;；,，、\s]+")


def name_key(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def _star_numbers(ed: EditionData) -> list[CheckFinding]:
    out = []
    for t in ed.tables:
        n = len(t)
        sections, types, numbers = (t.column(f) or [""] * n for f in ("section", "medicine_type", "number"))
        plain = {(s, m, x) for s, m, x in zip(sections, types, numbers) if x and not x.startswith("★")}
        for line, s, m, x in zip(t.lines, sections, types, numbers):
            if x.startswith("★") and (s, m, x.strip("★()（） ")) not in plain:
                out.append(error("references.star-number", f"{x} repeats number {x.strip('★()（） ')}, which {s or 'the part'} "
                                 f"({m or '-'}) does not have", t.rel, line, "number"))
    return out


def _targets(editions: list[EditionData]) -> tuple[dict[CatalogKind, set[str]], set[str]]:
    codes: dict[CatalogKind, set[str]] = {k: set() for k in CatalogKind}
    names: set[str] = set()
    for ed in editions:
        if ed.kind is None:
            continue
        for t in ed.tables:
            codes[ed.kind].update(c for c in t.column("code") or [] if c)
            codes[ed.kind].update(c for cell in t.column("former_codes") or [] for c in SPLIT.split(cell) if c)
            if ed.kind is CatalogKind.drugs:
                names.update(name_key(x) for x in t.column("name") or [] if x)
    return codes, names


def _code_column(table: TableFile, header: str) -> CatalogKind | None:
    """The catalog whose code shape every value of the column has."""
    values = [x for x in table.column(header) or [] if x]
    for kind, regex in CODE_RE.items():
        if values and all(regex.match(x) for x in values):
            return kind
    return None


def _side_table(table: TableFile, declared: dict | None, editions: list[EditionData]) -> list[CheckFinding]:
    chosen = [e for e in editions if declared is None or e.id in (declared.get("editions") or [])]
    codes, names = _targets(chosen)
    found = error if declared is not None else warning
    columns = (declared or {}).get("columns") or {h: "code" for h in table.header if h in CODE_HEADERS or h.lower() in CODE_HEADERS}
    out = []
    for header, target in columns.items():
        if header not in table.header:
            out.append(error("references.column", f"declared column {header!r} is not in the file", table.rel, 1, header))
            continue
        if target == "name":
            pool, kind = names, None
        else:
            kind = _code_column(table, header)
            if kind is None or not codes[kind]:
                continue  # not national codes, or no edition here carries codes to compare with
            pool = codes[kind]
        where = ", ".join(e.id for e in chosen if e.kind is (kind or CatalogKind.drugs)) or "no edition"
        for line, value in zip(table.lines, table.column(header)):
            if value and (name_key(value) if kind is None else value) not in pool:
                what = "drug name" if kind is None else f"{kind.value} code"
                out.append(found("references.unknown", f"{what} {value} is in no edition of {where}", table.rel, line, header))
    return out


def check_references(folder: DatasetFolder) -> list[CheckFinding]:
    out = [f for ed in folder.editions if ed.kind is CatalogKind.drugs for f in _star_numbers(ed)]
    refs = (folder.manifest or {}).get("references") or []
    declared = {r.get("path"): r for r in refs if isinstance(r, dict)}
    for table in folder.side_tables:
        out += _side_table(table, declared.get(table.rel), folder.editions)
    missing = set(declared) - {t.rel for t in folder.side_tables}
    out += [error("references.missing-file", "file declared under references is missing", p) for p in sorted(missing) if p]
    return out
