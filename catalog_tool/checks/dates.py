"""Date check: an edition takes effect on or after its publication; a negotiated or 竞价 row
carries an agreement period (协议有效期) that ends after it starts, is in force when the edition
takes effect, and lasts two years (other lengths are warned about: a few real ones run one year)."""

from __future__ import annotations

from datetime import date, timedelta

from catalog_tool.checks.findings import error, warning
from catalog_tool.checks.totals import NEGOTIATED
from catalog_tool.formats.datasets import MANIFEST, DatasetFolder, EditionData
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

AGREEMENT_YEARS = 2


def _date(text) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None  # the schema check reports malformed dates


def two_years_end(start: date) -> date:
    """The last day of a two-year agreement starting on `start` (2026-01-01 → 2027-12-31)."""
    try:
        return start.replace(year=start.year + AGREEMENT_YEARS) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + AGREEMENT_YEARS, day=28)


def _agreements(ed: EditionData, effective: date | None) -> list[CheckFinding]:
    out = []
    for t in ed.tables:
        n = len(t)
        sections, starts, ends = (t.column(f) or [""] * n for f in ("section", "agreement_start", "agreement_end"))
        for line, section, s, e in zip(t.lines, sections, starts, ends):
            start, end = _date(s), _date(e)
            if section not in NEGOTIATED:
                if s or e:
                    out.append(warning("dates.agreement-outside-negotiated", f"{section or 'row'} row carries an agreement period",
                                       t.rel, line, "agreement_start"))
                continue
            if not s or not e:
                out.append(error("dates.agreement-missing", f"{section} row without an agreement period (协议有效期)",
                                 t.rel, line, "agreement_end" if s else "agreement_start"))
            elif start and end and end < start:
                out.append(error("dates.agreement-order", f"agreement ends {end} before it starts {start}", t.rel, line, "agreement_end"))
            elif start and end:
                if effective and end < effective:
                    out.append(error("dates.agreement-expired", f"agreement ended {end}, before the edition takes effect {effective}",
                                     t.rel, line, "agreement_end"))
                if end != two_years_end(start):
                    out.append(warning("dates.agreement-length", f"agreement {start} to {end} is not two years "
                                       f"(two years end {two_years_end(start)})", t.rel, line, "agreement_end"))
    return out


def check_dates(folder: DatasetFolder) -> list[CheckFinding]:
    out = []
    for ed in folder.editions:
        published, effective = _date(ed.meta.get("published")), _date(ed.meta.get("effective"))
        if published and effective and effective < published:
            out.append(error("dates.effective-before-published", f"{ed.id} takes effect {effective}, before it is published {published}",
                             MANIFEST, folder.manifest_lines.get(ed.id), "effective"))
        if ed.kind is CatalogKind.drugs:
            out += _agreements(ed, effective)
    return out
