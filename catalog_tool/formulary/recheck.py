"""Re-validate saved formularies, e.g. after a new edition is imported. Returns one outcome per
formulary and records it in the store; the caller (the CLI's import hook) decides how to show it."""

from __future__ import annotations

from dataclasses import dataclass

from catalog_tool.formulary.index import CatalogIndex, wanted_by
from catalog_tool.formulary.validate import ValidationOptions, validate_formulary
from catalog_tool.gcpause import gc_paused
from catalog_tool.model import CatalogKind
from catalog_tool.model.formulary import FormularyReport
from catalog_tool.store.formulary import FormularyStore


EDITION_CHANGE_KINDS = ("removed", "class_changed", "code_former", "agreement_expiring", "self_pay")


@dataclass
class RecheckOutcome:
    """A saved formulary checked against an edition; incompatible when error findings exist."""

    name: str
    report: FormularyReport

    @property
    def incompatible(self) -> bool:
        return self.report.errors > 0

    def summary(self) -> str:
        """`removed 3, wrong_mapping 1`: error findings per kind, or `compatible`; then the warnings
        an edition change brings (`; warnings: class_changed 2`)."""
        counts = self.report.counts()
        text = ", ".join(f"{k} {c['error']}" for k, c in counts.items() if c.get("error")) or "compatible"
        warns = [f"{k} {counts[k]['warning']}" for k in EDITION_CHANGE_KINDS if counts.get(k, {}).get("warning")]
        return text + ("; warnings: " + ", ".join(warns) if warns else "")

    def line(self) -> str:
        state = "INCOMPATIBLE" if self.incompatible else "ok"
        prev = f" (previous {self.report.previous})" if self.report.previous else ""
        return f"formulary {self.name}: {state} with {self.report.edition}{prev}: {self.summary()}"


@gc_paused()
def recheck(db, edition_id: str, names: list[str] | None = None, previous: str | None = None,
            options: ValidationOptions | None = None) -> list[RecheckOutcome]:
    """Validate the saved formularies `names` (all when None) against `edition_id`; the previous
    edition is `previous`, else the one `edition_id` replaces, else the one the formulary was last
    checked against (unless that one took effect later), else the latest earlier edition."""
    store = FormularyStore(db)
    index = CatalogIndex.load(db, edition_id)
    out = []
    for name in names if names is not None else store.names():
        items, reader_findings, last = store.load(name)
        prev_id = previous or previous_edition(db, edition_id, prefer=_earlier(db, last, edition_id))
        prev = CatalogIndex.load(db, prev_id, only=wanted_by(items, index)) if prev_id else None
        report = validate_formulary(items, index, prev, options or ValidationOptions(suggestions=False),
                                    reader_findings)
        outcome = RecheckOutcome(name, report)
        store.record_check(name, edition_id, report.errors, outcome.summary())
        out.append(outcome)
    return out


def previous_edition(db, edition_id: str, prefer: str | None = None) -> str | None:
    """The drug edition this one replaces: named by `replaces` (id or title), else `prefer` (the
    edition a formulary was last checked against), else the latest one that took effect before it;
    editions effective on the same day (a sample and an official list) go by import time, latest first."""
    ed = db.edition(edition_id)
    others = [e for e in db.editions(CatalogKind.drugs) if e.id != edition_id]
    if ed.replaces:
        for e in others:
            if e.id == ed.replaces or (e.title and e.title in ed.replaces):
                return e.id
    if prefer:
        return prefer
    earlier = [e for e in others if e.effective and ed.effective and e.effective < ed.effective]
    return max(earlier, key=lambda e: (e.effective, str(e.imported_at or ""), e.id)).id if earlier else None


def _earlier(db, candidate: str | None, edition_id: str) -> str | None:
    if not candidate or candidate == edition_id or not db.has_edition(candidate):
        return None
    a, b = db.edition(candidate).effective, db.edition(edition_id).effective
    return None if a and b and a >= b else candidate


def after_import(db, result) -> list[RecheckOutcome]:
    """What an `AFTER_IMPORT` hook does: recheck every saved formulary against a new drug edition."""
    if result.edition.kind is not CatalogKind.drugs:
        return []
    store = FormularyStore(db)
    if not store.names():
        return []
    return recheck(db, result.edition.id)
