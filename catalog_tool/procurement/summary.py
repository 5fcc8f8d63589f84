"""The figures of a results announcement (中选结果公告): drugs, bids, winners, average drop."""

from __future__ import annotations

from decimal import Decimal

from catalog_tool.formats.vbp_batch import Batch
from catalog_tool.model.procurement import DrugResult, VbpSummary
from catalog_tool.procurement.allocate import Allocation
from catalog_tool.procurement.normalise import q4
from catalog_tool.procurement.select import winners


def _mean(values: list[Decimal]) -> Decimal | None:
    return q4(sum(values) / len(values)) if values else None


def summarise(batch: Batch, results: list[DrugResult], rules: str, alloc: Allocation | None = None) -> VbpSummary:
    """Averages are over drugs of each drug's mean winner drop, as announcements state them."""
    wins = [(r, winners(r)) for r in results]
    vs_ceiling = [_mean([w.drop_vs_ceiling for w in ws]) for r, ws in wins if ws]
    vs_pre = [_mean([w.drop_vs_pre for w in ws if w.drop_vs_pre is not None]) for r, ws in wins if ws]
    bids = [b for r in results for b in r.results]
    return VbpSummary(
        batch=batch.id, rules=rules, drugs=len(results), drugs_with_winner=sum(1 for _, ws in wins if ws),
        bids=len(bids), valid_bids=sum(1 for b in bids if b.valid), companies=len({b.company for b in bids}),
        winning_bids=sum(len(ws) for _, ws in wins), winning_companies=len({w.company for _, ws in wins for w in ws}),
        average_drop_vs_ceiling=_mean([v for v in vs_ceiling if v is not None]),
        average_drop_vs_pre=_mean([v for v in vs_pre if v is not None]),
        agreed_volume=alloc.agreed_total if alloc else 0, demand=batch.demand.total)


def announcement(s: VbpSummary, title: str) -> str:
    """The summary in the words of an official announcement."""
    def pct(d):
        return "—" if d is None else f"{float(d) * 100:.0f}%"

    lines = [f"{title}（{s.rules}）",
             f"{s.drugs}个品种，{s.companies}家企业的{s.bids}个产品申报，有效申报{s.valid_bids}个；"
             f"{s.drugs_with_winner}个品种采购成功，{s.winning_companies}家企业的{s.winning_bids}个产品拟中选。",
             f"拟中选产品平均降价{pct(s.average_drop_vs_pre)}（较集采前价格），较最高有效申报价平均降低{pct(s.average_drop_vs_ceiling)}。"]
    if s.demand:
        lines.append(f"医疗机构报送需求量{s.demand:,}，约定采购量{s.agreed_volume:,}（{s.agreed_volume / s.demand * 100:.1f}%）。")
    return "\n".join(lines)
