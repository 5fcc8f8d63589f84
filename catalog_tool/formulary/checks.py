"""Per-item checks against the matched catalog entry: mapping, catalog status, edition changes,
restriction, payment standard, agreement period. Each returns findings; none prints."""

from __future__ import annotations

from datetime import date, timedelta

from rapidfuzz import fuzz

from catalog_tool.formats.values import DRUG_CODE_RE
from catalog_tool.formulary.index import CatalogIndex, Entry
from catalog_tool.formulary.normalise import base_name, form_group, name_variants, standard_for
from catalog_tool.formulary.restrictions import describe
from catalog_tool.model.formulary import Finding, FindingKind, FormularyItem, Severity

NAME_MATCH_MIN = 60  # below this similarity the mapped code is probably another drug
EXPIRING_DAYS = 90


def finding(item: FormularyItem, kind: FindingKind, severity: Severity, message: str, **kw) -> Finding:
    return Finding(kind=kind, severity=severity, row=item.row, local_code=item.local_code,
                   national_code=item.national_code, name=item.name, message=message, **kw)


def code_malformed(item: FormularyItem) -> Finding | None:
    if item.national_code and not DRUG_CODE_RE.match(item.national_code):
        hint = ": only digits, Excel probably stored it as a number (re-export the column as text)" \
            if item.national_code.isdigit() else ""
        return finding(item, FindingKind.code_malformed, Severity.error,
                       f"医保代码 {item.national_code!r} is not a drug code (20 or 23 of A-Z, 0-9){hint}")
    return None


def name_similarity(item: FormularyItem, entry: Entry) -> int:
    """Best similarity of the item's base name to the entry's names (generic or registered)."""
    mine = base_name(item.name)
    theirs = name_variants(entry.name) + ((base_name(entry.registered_name),) if entry.registered_name else ())
    if mine in theirs:
        return 100
    best = 0
    for t in theirs:
        score = fuzz.partial_ratio(mine, t) if min(len(mine), len(t)) >= 2 else fuzz.ratio(mine, t)
        best = max(best, int(min(score, fuzz.ratio(mine, t) + 40)))
    return best


def wrong_mapping(item: FormularyItem, entry: Entry) -> Finding | None:
    """The mapped code's name or dosage form does not match the hospital's (项目对应错误)."""
    sim = name_similarity(item, entry)
    mine, theirs = form_group(item.dosage_form) or form_group(item.name), entry.form_group
    reasons = []
    if sim < NAME_MATCH_MIN:
        reasons.append(f"name {item.name} vs {entry.name} (similarity {sim})")
    if mine and theirs and mine != theirs:
        reasons.append(f"dosage form {item.dosage_form or mine} ({mine}) vs {entry.dosage_form} ({theirs})")
    if not reasons:
        return None
    return finding(item, FindingKind.wrong_mapping, Severity.error,
                   f"医保代码 {item.national_code} is {entry.name} {entry.dosage_form or ''}".rstrip()
                   + ": " + "; ".join(reasons), catalog_name=entry.name)


def catalog_status(item: FormularyItem, entry: Entry | None, previous: Entry | None, index: CatalogIndex,
                   transition_months: int, on: date) -> Finding | None:
    """Out of catalog (自费), or removed since the previous edition with its transition end."""
    if entry is not None and entry.in_catalog:
        return None
    if previous is not None and previous.in_catalog:
        eff = index.edition.effective
        msg = f"removed from {index.edition.id} (was {previous.drug_class or '乙'}类 {previous.name})"
        severity = Severity.error
        if eff and transition_months:
            end = add_months(eff, transition_months) - timedelta(days=1)
            msg += f"; transition period ends {end.isoformat()} ({transition_months} months from {eff.isoformat()})"
            severity = Severity.warning if on <= end else Severity.error
        return finding(item, FindingKind.removed, severity, msg, catalog_name=previous.name)
    if entry is not None:
        return finding(item, FindingKind.self_pay, Severity.warning,
                       f"{entry.name} is out of catalog in {index.edition.id}: 自费 (self-pay)", catalog_name=entry.name)
    if not index.has_codes or not item.national_code:
        return finding(item, FindingKind.self_pay, Severity.warning,
                       f"no entry of {index.edition.id} by name and dosage form: out of catalog (自费), "
                       "or named differently there (see suggestions)")
    return None


def class_changed(item: FormularyItem, entry: Entry, previous: Entry | None) -> Finding | None:
    if previous is None or not entry.in_catalog or not previous.in_catalog:
        return None
    old, new = previous.drug_class or "乙", entry.drug_class or "乙"
    if old == new:
        return None
    if new == "乙":
        return finding(item, FindingKind.class_changed, Severity.warning,
                       f"{old}类 → 乙类: patients pay the local share first; 乙类 needs the consent form",
                       catalog_name=entry.name)
    return finding(item, FindingKind.class_changed, Severity.info, f"{old}类 → {new}类", catalog_name=entry.name)


def restricted(item: FormularyItem, entry: Entry) -> Finding | None:
    if not entry.remarks or not entry.remarks.strip():
        return None
    text = describe(entry.remarks)
    return finding(item, FindingKind.restricted, Severity.info, f"限定支付范围: {text}",
                   catalog_name=entry.name, restriction=entry.remarks)


def price_above_standard(item: FormularyItem, entry: Entry) -> Finding | None:
    standard = standard_for(entry.payment_standard, item.spec)
    if item.price is None or standard is None or item.price <= standard:
        return None
    return finding(item, FindingKind.price_above_standard, Severity.warning,
                   f"price {item.price} above the payment standard {entry.payment_standard}: "
                   f"the patient pays the excess {item.price - standard}", catalog_name=entry.name)


def agreement(item: FormularyItem, entry: Entry, on: date) -> Finding | None:
    end = entry.agreement_end_date
    if end is None:
        return None
    if end < on:
        return finding(item, FindingKind.agreement_expired, Severity.error,
                       f"negotiated agreement ended {end.isoformat()} (checked on {on.isoformat()})",
                       catalog_name=entry.name)
    if (end - on).days <= EXPIRING_DAYS:
        return finding(item, FindingKind.agreement_expiring, Severity.warning,
                       f"negotiated agreement ends {end.isoformat()}, in {(end - on).days} days",
                       catalog_name=entry.name)
    return None


def add_months(d: date, months: int) -> date:
    """The same day `months` later (clamped to the month's end)."""
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
