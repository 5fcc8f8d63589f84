"""Province allocation (price order, one region a round, then a backup region), agreed quantities
per hospital, and completion of agreed volumes."""

from __future__ import annotations

from decimal import Decimal

from catalog_tool.formats.vbp_batch import read_batch, read_purchases
from catalog_tool.procurement import evaluate, load_rules
from catalog_tool.procurement.allocate import allocate, hospital_records
from catalog_tool.procurement.progress import BEHIND, DONE, NONE, ON_PACE, progress_records
from vbp_support import COMPANIES, write_batch, write_csv

A, B, C, D = COMPANIES[:4]
REGIONS = [("北京市", 1005), ("上海市", 900), ("广东省", 5000), ("江苏省", 3000), ("浙江省", 2000), ("四川省", 800), ("河南省", 700)]


def three_winner_batch(tmp_path, preferences=None):
    # 4 qualified bidders → 3 winners under batch 9; D ranks 4th
    bids = [["V001", c, "阿托伐他汀钙片", "10mg", "100", p] for c, p in ((A, "50.00"), (B, "60.00"), (C, "70.00"), (D, "80.00"))]
    demand = [[f"H{i:02d}0000000{i:02d}", f"{p[:2]}第一人民医院", p, "V001", str(q)] for i, (p, q) in enumerate(REGIONS, 11)]
    folder = write_batch(tmp_path / "batch", bids=bids, demand=demand, preferences=preferences,
                         drugs=[["V001", "阿托伐他汀钙片", "片剂", "10mg", "1.20", "否"]])
    batch = read_batch(folder)
    results = evaluate(batch.drugs, batch.bids, load_rules("batch-9"))
    return batch, results, allocate(batch, results)


def test_winners_choose_in_price_order_one_region_a_round_then_a_backup(tmp_path):
    prefs = [["V001", A, "1", "上海市"], ["V001", A, "2", "北京市"], ["V001", B, "2", "广东省"], ["V001", B, "1", "上海市"]]
    batch, results, alloc = three_winner_batch(tmp_path, prefs)
    assert results[0].winners == 3
    got = [(a.round, a.role, a.province, a.company) for a in alloc.assignments]
    assert got == [
        (1, "主供", "上海市", A), (1, "主供", "广东省", B), (1, "主供", "江苏省", C),
        (2, "主供", "北京市", A), (2, "主供", "浙江省", B), (2, "主供", "四川省", C),
        (3, "主供", "河南省", A),
        (4, "备供", "广东省", A), (4, "备供", "上海市", B), (4, "备供", "浙江省", C),
    ]
    why = {(a.role, a.province): a.why for a in alloc.assignments}
    assert "preference #1" in why[("主供", "上海市")]
    assert "preference #2" in why[("主供", "广东省")]  # B's first choice was taken by A
    assert "no preferences given" in why[("主供", "江苏省")]
    assert "preferences exhausted" in why[("主供", "浙江省")]


def test_agreed_quantities_are_demand_times_share_rounded_half_up(tmp_path):
    batch, results, alloc = three_winner_batch(tmp_path)
    rows = {r["province"]: r for r in hospital_records(batch, alloc)}
    assert rows["北京市"]["share"] == Decimal("0.70")
    assert rows["北京市"]["agreed"] == 704  # 1005 × 0.7 = 703.5
    assert rows["广东省"]["agreed"] == 3500
    supply = {a.province: a for a in alloc.assignments if a.role == "主供"}
    assert all(rows[p]["company"] == supply[p].company for p in rows)
    assert sum(a.agreed for a in supply.values()) == sum(alloc.quota_agreed)
    assert all(a.agreed == 0 for a in alloc.assignments if a.role == "备供")


def test_a_sole_winner_supplies_every_region_without_backup(tmp_path):
    demand = [["H1100000001", "北京协和医院", "北京市", "V001", "100"], ["H3100000001", "瑞金医院", "上海市", "V001", "300"]]
    folder = write_batch(tmp_path / "b", demand=demand)
    batch = read_batch(folder)
    results = evaluate(batch.drugs, batch.bids, load_rules("batch-9"))
    alloc = allocate(batch, results)
    assert [(a.province, a.role, a.agreed) for a in alloc.assignments] == [("上海市", "主供", 150), ("北京市", "主供", 50)]
    assert all("sole winner" in a.why for a in alloc.assignments)


def test_allocation_is_deterministic(tmp_path):
    one = three_winner_batch(tmp_path / "1")[2]
    two = three_winner_batch(tmp_path / "2")[2]
    assert [a.model_dump() for a in one.assignments] == [a.model_dump() for a in two.assignments]


def test_a_drug_without_winner_gets_no_region_and_no_quota(tmp_path):
    bids = [["V001", A, "阿托伐他汀钙片", "10mg", "28", "99.00"]]  # above the ceiling
    batch = read_batch(write_batch(tmp_path / "b", bids=bids))
    results = evaluate(batch.drugs, batch.bids, load_rules("batch-9"))
    alloc = allocate(batch, results)
    assert alloc.assignments == [] and alloc.quota_rows == []


def test_progress_counts_purchases_from_the_supplier_against_the_agreed_quantity(tmp_path):
    batch, results, alloc = three_winner_batch(tmp_path)
    quotas = {r["province"]: r for r in hospital_records(batch, alloc)}
    bj, gd, js, zj = (quotas[p] for p in ("北京市", "广东省", "江苏省", "浙江省"))
    path = write_csv(tmp_path / "purchases.csv", ["医疗机构编码", "品种编号", "企业名称", "采购量", "采购日期"], [
        [bj["hospital"], "V001", bj["company"], "704", "2026-03-01"],        # done
        [gd["hospital"], "V001", gd["company"], "1000", "2026-03-01"],       # 1000 + 800 of 3500
        [gd["hospital"], "V001", gd["company"], "800", "2026-04-01"],
        [gd["hospital"], "V001", D, "5000", "2026-04-01"],                   # not from the winner
        [js["hospital"], "V001", js["company"], "700", "2026-04-01"],        # 700 of 2100: behind at half a year
        ["H99000000001", "V001", A, "10", "2026-04-01"],                     # no demand in the batch
    ], encoding="gbk")
    rows = {r["province"]: r for r in progress_records(batch, alloc, read_purchases(path), Decimal("0.5"))}
    assert rows["北京市"]["status"] == DONE and rows["北京市"]["completion"] == Decimal("1.0000")
    assert rows["广东省"]["purchased"] == 6800 and rows["广东省"]["purchased_from_winner"] == 1800
    assert rows["广东省"]["status"] == ON_PACE  # 51.4% at half a year
    assert rows["江苏省"]["status"] == BEHIND
    assert rows["浙江省"]["status"] == NONE and zj["agreed"] == 1400


def test_purchases_without_a_company_column_count_as_from_the_supplier(tmp_path):
    batch, results, alloc = three_winner_batch(tmp_path)
    hb = next(r for r in hospital_records(batch, alloc) if r["province"] == "北京市")
    path = write_csv(tmp_path / "p.csv", ["医疗机构编码", "品种编号", "采购量"], [[hb["hospital"], "V001", "352"]])
    rows = {r["province"]: r for r in progress_records(batch, alloc, read_purchases(path))}
    assert rows["北京市"]["purchased_from_winner"] == 352 and rows["北京市"]["completion"] == Decimal("0.5000")


def test_records_follow_the_published_schemas(tmp_path):
    from catalog_tool.model.procurement import HospitalQuota, ProgressRow

    batch, results, alloc = three_winner_batch(tmp_path)
    for r in hospital_records(batch, alloc):
        assert HospitalQuota.model_validate(r).model_dump() == r
    path = write_csv(tmp_path / "p.csv", ["医疗机构编码", "品种编号", "采购量"], [["H1100000001", "V001", "1"]])
    for r in progress_records(batch, alloc, read_purchases(path)):
        assert ProgressRow.model_validate(r).model_dump() == r
