"""Change check: against the previous edition of the same catalog (the one `replaces` names, else
the latest earlier effective one in the folder), flag an implausible share of rows removed or
added unless the manifest acknowledges it (`"acknowledge": {"removed_share": 0.2}`).

Rows are matched by code (a former code counts as the same item) or, for code-less NRDL rows, by
(medicine type, name, dosage form), so 谈判转常规 (a move between parts) is neither removal nor addition."""

from __future__ import annotations

from catalog_tool.checks.findings import error
from catalog_tool.checks.references import SPLIT
from catalog_tool.formats.datasets import MANIFEST, DatasetFolder, EditionData
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

# Shares beyond which a change needs an acknowledgement; the manifest's `change_limits` overrides them.
# Real NRDL adjustments remove 0–2% and add 3–5% a year; consumable and service releases change more.
DEFAULT_LIMITS = {"removed_share": 0.10, "added_share": 0.25}


def item_keys(ed: EditionData) -> tuple[set, dict[str, str]]:
    """Keys of the edition's rows, and former code → current code."""
    keys: set = set()
    former: dict[str, str] = {}
    for t in ed.tables:
        n = len(t)
        codes = t.column("code") or [""] * n
        formers = t.column("former_codes") or [""] * n
        if ed.kind is CatalogKind.drugs:
            names = zip(*(t.column(f) or [""] * n for f in ("medicine_type", "name", "dosage_form")))
        else:
            names = ((),) * n
        for code, old, name in zip(codes, formers, names):
            keys.add(code or name)
            for c in SPLIT.split(old) if old else ():
                if c:
                    former[c] = code
    return keys, former


def previous_of(ed: EditionData, editions: list[EditionData]) -> EditionData | None:
    same = [e for e in editions if e.kind == ed.kind and e.id != ed.id and e.tables]
    named = [e for e in same if e.id == ed.meta.get("replaces")]
    if named:
        return named[0]
    eff = str(ed.meta.get("effective") or "")
    earlier = [e for e in same if eff and str(e.meta.get("effective") or "") < eff]
    return max(earlier, key=lambda e: str(e.meta.get("effective")), default=None)


def change_shares(ed: EditionData, prev: EditionData) -> dict[str, float | int]:
    cur, former = item_keys(ed)
    old, _ = item_keys(prev)
    removed = {k for k in old if k not in cur and not (isinstance(k, str) and former.get(k) in cur)}
    kept = len(old) - len(removed)
    added = len(cur) - kept
    base = len(old) or 1
    return {"removed": len(removed), "added": max(added, 0), "previous": len(old),
            "removed_share": len(removed) / base, "added_share": max(added, 0) / base}


def check_change(folder: DatasetFolder) -> list[CheckFinding]:
    limits = dict(DEFAULT_LIMITS, **((folder.manifest or {}).get("change_limits") or {}))
    out = []
    for ed in folder.editions:
        prev = previous_of(ed, folder.editions) if ed.kind and ed.tables else None
        if prev is None:
            continue
        shares = change_shares(ed, prev)
        ack = ed.meta.get("acknowledge") or {}
        for key, verb in (("removed_share", "removed"), ("added_share", "added")):
            allowed = max(limits[key], ack.get(key) or 0)
            if shares[key] > allowed:
                out.append(error(f"change.{verb}", f"{ed.id}: {shares[verb]} of {shares['previous']} rows of {prev.id} {verb} "
                                 f"({shares[key]:.1%}, more than {allowed:.0%}); if intended, acknowledge it in the manifest: "
                                 f'"acknowledge": {{"{key}": {round(shares[key] + 0.005, 2)}}}',
                                 MANIFEST, folder.manifest_lines.get(ed.id), "acknowledge"))
    return out
