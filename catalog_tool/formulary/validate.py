"""Validate a formulary against an edition: match every item, run the checks, add the formulary-wide
checks (duplicate local codes, VBP winners not stocked) and suggestions; return a `FormularyReport`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from catalog_tool.formulary import checks
from catalog_tool.formulary.index import CatalogIndex, Entry
from catalog_tool.formulary.suggest import Suggester
from catalog_tool.gcpause import gc_paused
from catalog_tool.model.formulary import Finding, FindingKind, FormularyItem, FormularyReport, Severity

_NEEDS_SUGGESTIONS = {FindingKind.unmapped, FindingKind.code_unknown, FindingKind.wrong_mapping,
                      FindingKind.code_malformed, FindingKind.excel_quirk, FindingKind.self_pay}


@dataclass
class ValidationOptions:
    """What to check against: `on` is the day the agreement periods and transitions are judged."""

    on: date = field(default_factory=date.today)
    transition_months: int = 6
    vbp_winners: frozenset[str] = frozenset()
    suggestions: bool = True


def match(item: FormularyItem, index: CatalogIndex) -> tuple[Entry | None, str]:
    """The item's entry and how it was found: `code`, `former code`, `name`; or why not:
    `unknown code` (the edition lists codes for this drug, or for none by this name, but not this one)
    or `no name match`. NRDL rows carry no code, so items fall back to name and dosage form."""
    if item.national_code:
        i, former = index.by_national_code(item.national_code)
        if i is not None:
            return index.entries[i], "former code" if former else "code"
    i = index.by_name(item.name, item.dosage_form)
    if i is not None:
        if item.national_code and index.entries[i].code:
            return None, "unknown code"
        return index.entries[i], "name"
    return None, "unknown code" if item.national_code and index.has_codes else "no name match"


@gc_paused()
def validate_formulary(items: list[FormularyItem], index: CatalogIndex, previous: CatalogIndex | None = None,
                       options: ValidationOptions | None = None, reader_findings: list[Finding] | None = None,
                       suggester: Suggester | None = None) -> FormularyReport:
    opts = options or ValidationOptions()
    findings: list[Finding] = list(reader_findings or [])
    unusable = {f.row for f in findings if f.kind is FindingKind.excel_quirk and f.severity is Severity.error}
    matched = 0
    drug_of: dict[int, Entry] = {}
    for item in items:
        bad = checks.code_malformed(item)
        if bad:
            findings.append(bad)
        entry, how = match(item, index)
        prev = match(item, previous)[0] if previous is not None else None
        removed = prev is not None and prev.in_catalog and (entry is None or not entry.in_catalog)
        if entry is None and how == "unknown code" and not bad and not removed:
            findings.append(checks.finding(item, FindingKind.code_unknown, Severity.error,
                                           f"医保代码 {item.national_code} is not in {index.edition.id}"))
        elif entry is not None and not item.national_code and item.row not in unusable:
            findings.append(checks.finding(item, FindingKind.unmapped, Severity.warning,
                                           f"no 医保代码 (对码 missing); by name it is {entry.name}",
                                           catalog_name=entry.name))
        if entry is not None:
            matched += 1
            drug_of[item.row] = entry
            if how == "former code":
                findings.append(checks.finding(
                    item, FindingKind.code_former, Severity.warning,
                    f"医保代码 {item.national_code} is the former code (曾用码) of {entry.code} {entry.name}: "
                    "update the mapping", catalog_name=entry.name))
            if how in ("code", "former code"):
                findings += _present(checks.wrong_mapping(item, entry))
        findings += _present(checks.catalog_status(item, entry, prev, index, opts.transition_months, opts.on))
        if entry is not None and entry.in_catalog:
            findings += _present(checks.class_changed(item, entry, prev), checks.restricted(item, entry),
                                 checks.price_above_standard(item, entry), checks.agreement(item, entry, opts.on))
    findings += duplicate_local_codes(items)
    findings += vbp_not_stocked(items, drug_of, index, opts.vbp_winners)
    if opts.suggestions:
        _add_suggestions(items, findings, suggester or Suggester(index))
    findings.sort(key=lambda f: (f.row or 0, list(FindingKind).index(f.kind)))
    return FormularyReport(edition=index.edition.id, previous=previous.edition.id if previous else None,
                           on=opts.on, items=len(items), matched=matched, findings=findings)


def _present(*found: Finding | None) -> list[Finding]:
    return [f for f in found if f is not None]


def duplicate_local_codes(items: list[FormularyItem]) -> list[Finding]:
    rows: dict[str, list[FormularyItem]] = defaultdict(list)
    for item in items:
        rows[item.local_code].append(item)
    out = []
    for code, same in rows.items():
        for item in same[1:]:
            out.append(checks.finding(item, FindingKind.duplicate_local_code, Severity.error,
                                      f"院内编码 {code} also on row(s) {', '.join(str(i.row) for i in same if i is not item)}"))
    return out


def vbp_not_stocked(items: list[FormularyItem], drug_of: dict[int, Entry], index: CatalogIndex,
                    winners: frozenset[str]) -> list[Finding]:
    """Items of a drug with VBP winners (集采中选) where no winner product is stocked."""
    if not winners:
        return []
    from catalog_tool.formulary.normalise import name_variants

    winners_of: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for code in sorted(winners):
        i = index.by_code.get(code)
        if i is not None:
            e = index.entries[i]
            winners_of[(name_variants(e.name)[0], e.form_group)].append(code)
    stocked = {it.national_code for it in items if it.national_code and it.stocked is not False}
    out = []
    for item in items:
        e = drug_of.get(item.row)
        if e is None or item.stocked is False:
            continue
        codes = winners_of.get((name_variants(e.name)[0], e.form_group))
        if codes and not stocked.intersection(codes):
            out.append(checks.finding(item, FindingKind.vbp_not_stocked, Severity.warning,
                                      f"VBP winner(s) of {e.name} {e.dosage_form or ''} not stocked: {', '.join(codes)}",
                                      catalog_name=e.name))
    return out


def _add_suggestions(items: list[FormularyItem], findings: list[Finding], suggester: Suggester) -> None:
    wanted = {f.row for f in findings if f.kind in _NEEDS_SUGGESTIONS and f.severity is not Severity.info}
    by_row = {it.row: it for it in items}
    ranked = suggester.suggest([by_row[r] for r in sorted(wanted) if r in by_row])
    for i, f in enumerate(findings):
        if f.kind in _NEEDS_SUGGESTIONS and f.row in ranked and f.severity is not Severity.info:
            findings[i] = f.model_copy(update={"suggestions": ranked[f.row]})
