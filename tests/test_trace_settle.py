"""Settlement rules ("无码不付"), one test per rule, with real-looking lines."""

from datetime import date
from decimal import Decimal

import pytest

from catalog_tool.formats.settlements import NoCodeStock, ProductMapping
from catalog_tool.model.trace import SettlementLine, Verdict
from catalog_tool.trace.settle import CatalogIndex, settle

AMX = "XJ01CAA073A001030100145"  # 阿莫西林胶囊 0.25g*24粒
OME = "XA02BCA018A001010300482"  # 奥美拉唑肠溶胶囊 20mg*14粒
IBU = "XM01AEB064A001020201580"  # 布洛芬缓释胶囊 0.3g*20粒
CODE_A, CODE_B = "81002310417795361847", "81002310417795362265"


def line(sid="S1", n=1, code=AMX, qty=24, content=24, codes=(CODE_A,), split=False, day=date(2026, 1, 5), amount="16.80", name="阿莫西林胶囊"):
    return SettlementLine(settlement_id=sid, line=n, drug_code=code, drug_name=name, quantity=Decimal(qty),
                          package_content=Decimal(content), trdn_flag=split, sale_date=day, amount=Decimal(amount),
                          trace_codes=list(codes))


def judge(lines, **kw):
    verdicts, summary = settle(lines, **kw)
    return [(v.verdict, [r.code for r in v.reasons]) for v in verdicts], summary


def test_one_code_per_box_is_payable():
    (v,), s = judge([line(qty=48, codes=(CODE_A, CODE_B))])
    assert v == (Verdict.payable, []) and s.payable_amount == Decimal("16.80")


def test_missing_code_unless_in_no_code_library_bought_before_july_2025():
    stock = [NoCodeStock(AMX, date(2025, 6, 12), Decimal(30)), NoCodeStock(OME, date(2025, 8, 1), Decimal(100))]
    got, s = judge([line(codes=()), line("S2", codes=(), day=date(2026, 1, 6)), line("S3", code=OME, codes=(), name="奥美拉唑肠溶胶囊")], no_code=stock)
    assert got == [(Verdict.payable, []), (Verdict.unpayable, ["missing-code"]), (Verdict.unpayable, ["missing-code"])]
    assert s.unpayable_amount == Decimal("33.60")


def test_no_code_needed_before_july_2025():
    (v,), _ = judge([line(codes=(), day=date(2025, 6, 30))])
    assert v == (Verdict.payable, [])


def test_code_count_must_equal_whole_boxes():
    assert judge([line(qty=48)])[0] == [(Verdict.unpayable, ["code-count"])]
    assert judge([line(qty=30)])[0] == [(Verdict.unpayable, ["not-whole-boxes"])]


def test_same_code_in_two_settlements_keeps_the_first_sale():
    later = line("S202601060004", day=date(2026, 1, 6))
    first = line("S202601050001")
    verdicts, _ = settle([later, first])
    assert [v.verdict for v in verdicts] == [Verdict.unpayable, Verdict.payable]
    assert "already settled in S202601050001/1" in verdicts[0].reasons[0].message


def test_gs1_box_is_the_same_box_whatever_the_spelling():
    a = "]d2010694446120001917270600108N4417\x1d21K7Q2M9X5"
    b = "(01)06944461200019(17)270600(10)8N4417(21)K7Q2M9X5"
    got, _ = judge([line("S1", qty=7, content=7, codes=(a,)), line("S2", qty=7, content=7, codes=(b,), day=date(2026, 1, 6))])
    assert got[1] == (Verdict.unpayable, ["duplicate-code"])


def test_split_pack_may_repeat_a_code_up_to_the_box_content():
    ibu = dict(code=IBU, content=20, codes=("83117680205511432290",), split=True, name="布洛芬缓释胶囊")
    got, _ = judge([line("S5", qty=10, **ibu), line("S6", qty=10, **ibu), line("S7", qty=1, **ibu)])
    assert got == [(Verdict.payable, []), (Verdict.payable, []), (Verdict.unpayable, ["split-exceeds-box"])]


def test_whole_box_after_split_sales_of_the_same_code_is_a_duplicate():
    ibu = dict(code=IBU, content=20, codes=("83117680205511432290",), name="布洛芬缓释胶囊")
    got, _ = judge([line("S5", qty=5, split=True, **ibu), line("S6", qty=20, **ibu)])
    assert got[1] == (Verdict.unpayable, ["duplicate-code"])


def test_malformed_code_is_unpayable():
    assert judge([line(codes=("8100231041779536184",))])[0] == [(Verdict.unpayable, ["malformed-code"])]


def test_product_mismatch_through_the_mapping():
    mapping = [ProductMapping("8100231", AMX)]
    got, _ = judge([line(code=OME, qty=14, content=14, name="奥美拉唑肠溶胶囊")], mapping=mapping)
    assert got == [(Verdict.unpayable, ["product-mismatch"])]
    assert judge([line()], mapping=mapping)[0] == [(Verdict.payable, [])]


def test_expired_at_sale_date_end_of_month_counts():
    code = "(01)06944461200019(17)251200(10)7M2201(21)P0A8C1Z3"
    assert judge([line(qty=7, content=7, codes=(code,), day=date(2025, 12, 31))])[0] == [(Verdict.payable, [])]
    assert judge([line(qty=7, content=7, codes=(code,), day=date(2026, 1, 1))])[0] == [(Verdict.unpayable, ["expired"])]


@pytest.mark.parametrize("name, code, ok", [("阿莫西林胶囊", "XJ01CAA999A001030100145", True),
                                             ("西地那非片", "XG04BEX117A001010100618", False),
                                             ("", AMX, True)])
def test_catalog_by_code_or_name(name, code, ok):
    index = CatalogIndex("nrdl-2025", codes={AMX}, names=["阿莫西林"])
    got, _ = judge([line(code=code, name=name)], catalog=index)
    assert (got[0][0] is Verdict.payable) == ok


def test_summary_counts_each_reason_once_per_line():
    _, s = judge([line(qty=48, codes=("bad", "8100")), line("S2", codes=())])
    assert s.reasons == {"malformed-code": 1, "missing-code": 1} and s.unpayable_lines == 2
