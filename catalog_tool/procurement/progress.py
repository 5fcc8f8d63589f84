"""Completion of agreed quantities (约定采购量完成进度): what each hospital bought from its supplier
against what it agreed, and whether that is on pace for the part of the year elapsed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from catalog_tool.formats.vbp_batch import Batch, Purchases
from catalog_tool.procurement.allocate import Allocation

DONE, ON_PACE, BEHIND, NONE = "已完成", "进度正常", "进度滞后", "未采购"


def progress_records(batch: Batch, alloc: Allocation, purchases: Purchases, elapsed: Decimal = Decimal(1)) -> list[dict]:
    """One record per hospital and drug with an agreed quantity. Purchases name a company when the
    file has that column; without it every purchase counts as from the supplier."""
    d = batch.demand
    names = {x.drug: x.name for x in batch.drugs}
    out = []
    for i, company, agreed in zip(alloc.quota_rows, alloc.quota_company, alloc.quota_agreed):
        key = (d.hospital[i], d.drug[i])
        bought = purchases.total.get(key, 0)
        from_winner = purchases.by_company.get((*key, company), 0) + purchases.by_company.get((*key, ""), 0)
        completion = (Decimal(from_winner) / agreed).quantize(Decimal("0.0001"), ROUND_HALF_UP) if agreed else None
        if from_winner == 0 and agreed:
            status = NONE
        elif completion is None or completion >= 1:
            status = DONE
        elif completion >= elapsed:
            status = ON_PACE
        else:
            status = BEHIND
        out.append({"hospital": d.hospital[i], "hospital_name": d.hospital_name[i], "province": d.province[i],
                    "drug": d.drug[i], "name": names[d.drug[i]], "company": company, "agreed": agreed,
                    "purchased": bought, "purchased_from_winner": from_winner, "completion": completion, "status": status})
    return out


def unmatched(batch: Batch, purchases: Purchases) -> int:
    """Purchase lines for a hospital and drug the batch has no demand for."""
    known = set(zip(batch.demand.hospital, batch.demand.drug))
    return sum(1 for k in purchases.total if k not in known)
