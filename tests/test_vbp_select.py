"""Winner selection under batch 7, 9 and 10 rules: each rule at its boundary, ties, one bidder,
every row of the winners-by-bidders tables, shares and terms, revival, 差比价."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_tool.errors import InputError
from catalog_tool.model.procurement import BidStatus
from catalog_tool.procurement import evaluate_drug, load_rules
from catalog_tool.procurement.select import winners
from vbp_support import bids, drug

B9, B10 = load_rules("batch-9"), load_rules("batch-10")
TABLE_9 = [1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9, 9, 10, 10, 10, 10]
TABLE_10 = [1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10]


def status(result, company_index: int) -> BidStatus:
    from vbp_support import COMPANIES

    return next(b.status for b in result.results if b.company == COMPANIES[company_index])


# --- the 1.8× rule ---------------------------------------------------------------------------

def test_exactly_1_8_times_the_lowest_wins_and_just_above_loses():
    # ceiling 2.00: a 1.80 bid is 10% below the ceiling and above 0.10元, so only the 1.8× route can carry it
    r = evaluate_drug(drug("2.00"), bids("1.00", "1.80", "1.8001"), B9)
    assert [b.status for b in r.results] == [BidStatus.won, BidStatus.won, BidStatus.lost]
    assert r.results[1].routes == ["≤ 1.8× anchor"]
    assert r.results[1].ratio_to_anchor == Decimal("1.8000")
    assert r.results[1].reason.startswith("wins") and "no winning route" in r.results[2].reason


# --- the ≤ ¥0.10 rule ------------------------------------------------------------------------

def test_exactly_ten_fen_wins_and_one_ten_thousandth_more_loses():
    # lowest 0.05: 0.10 is 2× the lowest (fails 1.8×) and 16.7% below the 0.12 ceiling (fails 50%)
    # four bidders: three places, so the third loses on its price alone
    r = evaluate_drug(drug("0.12"), bids("0.05", "0.10", "0.1001", "0.11"), B9)
    assert r.max_winners == 3
    assert status(r, 1) is BidStatus.won and r.results[1].routes == ["≤ 0.10元"]
    assert status(r, 2) is BidStatus.lost and r.results[2].routes == [] and "no winning route" in r.results[2].reason


# --- the ≥ 50% drop rule ---------------------------------------------------------------------

def test_exactly_half_the_ceiling_wins_and_just_above_loses():
    r = evaluate_drug(drug("2.00"), bids("0.50", "1.00", "1.0001", "1.50"), B9)
    assert r.max_winners == 3
    assert status(r, 1) is BidStatus.won and r.results[1].routes == ["≥ 50% below ceiling"]
    assert status(r, 2) is BidStatus.lost and r.results[2].routes == [] and "no winning route" in r.results[2].reason
    assert r.results[1].drop_vs_ceiling == Decimal("0.5000")


def test_batch_10_has_no_50_percent_route():
    r = evaluate_drug(drug("2.00"), bids("0.50", "1.00"), B10)
    assert status(r, 1) is BidStatus.lost
    assert "below ceiling" not in r.results[1].reason


def test_batch_7_selects_like_batch_9():
    b7 = load_rules("batch-7")
    for prices in (("1.00", "1.80", "1.8001"), ("0.05", "0.10", "0.1001")):
        a, b = evaluate_drug(drug("2.00"), bids(*prices), b7), evaluate_drug(drug("2.00"), bids(*prices), B9)
        assert [x.status for x in a.results] == [x.status for x in b.results]
    assert any("batch 9's" in n for n in b7.notes)


# --- batch 10: anchor, per-form thresholds, revival -------------------------------------------

def test_batch_10_form_threshold_for_injections():
    d = drug("30.00", form="注射剂", spec="5ml:0.5g")
    r = evaluate_drug(d, bids("0.40", "1.00", "1.0001", "1.50", spec="5ml:0.5g", pack=10), B10)
    assert r.threshold == Decimal("1.00") and r.max_winners == 3
    assert [b.status for b in r.results] == [BidStatus.won, BidStatus.won, BidStatus.lost, BidStatus.lost]
    assert r.results[1].routes == ["≤ 1元 (注射剂 threshold)"]
    assert r.results[2].routes == [] and "no winning route" in r.results[2].reason


def test_batch_10_revival_at_the_highest_winning_price():
    r = evaluate_drug(drug("2.00", pre_price="1.50"), bids("0.50", "0.80", "1.20", "1.30", revival=(2, 3)), B10)
    # 4 qualified → at most 3 winners: two on price, one place left for the cheaper reviver
    assert r.max_winners == 3 and r.winners == 3
    assert [b.status for b in r.results] == [BidStatus.won, BidStatus.won, BidStatus.revived, BidStatus.lost]
    revived = r.results[2]
    assert revived.final_comparable == Decimal("0.8000") and revived.comparable == Decimal("1.2000")
    assert revived.drop_vs_pre == Decimal("0.4667")
    assert any("winner place(s) are taken" in s for s in r.steps)


def test_revival_needs_the_flag_and_a_rule_set_that_has_it():
    plain = evaluate_drug(drug("2.00"), bids("0.50", "0.80", "1.20"), B10)
    assert plain.winners == 2
    nine = evaluate_drug(drug("2.00"), bids("0.50", "0.80", "1.20", revival=(2,)), B9)
    assert BidStatus.revived not in [b.status for b in nine.results]


def test_anchor_can_be_a_fraction_of_the_mean(tmp_path):
    data = json.loads(load_rules("batch-10").model_dump_json())
    data.update(id="batch-11-draft", anchor="lowest-or-mean-fraction", anchor_mean_fraction="0.5", form_thresholds={})
    path = tmp_path / "batch-11-draft.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rules = load_rules(str(path))
    r = evaluate_drug(drug("5.00"), bids("0.20", "1.40", "1.50", "1.60"), rules)
    # mean 1.175 × 0.5 = 0.5875 > lowest 0.20: the anchor; 1.8 × 0.5875 = 1.0575
    assert r.anchor == Decimal("0.5875")
    assert [b.status for b in r.results] == [BidStatus.won, BidStatus.lost, BidStatus.lost, BidStatus.lost]


# --- the ceiling -----------------------------------------------------------------------------

def test_a_bid_at_the_ceiling_is_valid_and_above_it_invalid():
    r = evaluate_drug(drug("1.20"), bids("0.60", "1.20", "1.2001"), B9)
    assert [b.valid for b in r.results] == [True, True, False]
    assert r.qualified == 2 and r.results[2].status is BidStatus.invalid
    # valid, but at 2× the lowest and 0% below the ceiling it has no winning route
    assert status(r, 1) is BidStatus.lost and "no winning route" in r.results[1].reason
    single = evaluate_drug(drug("1.20"), bids("1.20"), B9)
    assert single.results[0].valid and single.winners == 1  # alone at the ceiling: its own lowest


def test_no_valid_bid_means_no_winner():
    r = evaluate_drug(drug("1.00"), bids("1.50", "2.00"), B9)
    assert r.qualified == 0 and r.winners == 0 and r.share is None
    assert any("流标" in s for s in r.steps)


def test_no_bids_at_all():
    r = evaluate_drug(drug("1.00"), [], B9)
    assert r.bids == 0 and r.winners == 0


# --- one bidder, ties ------------------------------------------------------------------------

def test_one_bidder_wins_alone_with_half_the_demand_for_one_year():
    r = evaluate_drug(drug("2.00"), bids("1.90"), B9)  # 5% below the ceiling: wins as its own lowest
    assert r.max_winners == 1 and r.winners == 1
    assert r.share == Decimal("0.50") and r.contract_years == 1


def test_ties_at_the_last_place_go_to_the_lower_unit_price_then_the_company_name():
    from catalog_tool.model.procurement import VbpBid

    same = [VbpBid(drug="V001", company=c, spec=spec, pack=p, price=Decimal(price))
            for c, spec, p, price in (("戊药业", "20mg", 10, "8.50"), ("乙药业", "10mg", 100, "50.00"),
                                      ("丁药业", "20mg", 10, "8.50"), ("甲药业", "10mg", 100, "50.00"),
                                      ("丙药业", "10mg", 10, "5.00"))]
    # 5 qualified → 4 winners; all at a comparable 0.50 per 10mg tablet: the 20mg bids (0.85 per
    # tablet, K = 1.7) rank after the 10mg ones despite their names; names (code-point order) settle the rest
    r = evaluate_drug(drug("2.00"), same, B9)
    assert {b.comparable for b in r.results} == {Decimal("0.5000")}
    assert [(b.company, b.status) for b in r.results] == [
        ("丙药业", BidStatus.won), ("乙药业", BidStatus.won), ("甲药业", BidStatus.won),
        ("丁药业", BidStatus.won), ("戊药业", BidStatus.lost)]
    assert "ranks 5" in r.results[4].reason
    assert [b.rank for b in r.results] == [1, 2, 3, 4, 5]


# --- the winners-by-bidders tables -----------------------------------------------------------

@pytest.mark.parametrize("rules,table", [(B9, TABLE_9), (B10, TABLE_10)], ids=["batch-9", "batch-10"])
@pytest.mark.parametrize("n", range(1, 19))
def test_every_row_of_the_maximum_winners_table(rules, table, n):
    # every bid within 1.8× of the lowest, so only the table limits the winners
    prices = [f"{Decimal('1.00') + Decimal('0.01') * i:.2f}" for i in range(n)]
    r = evaluate_drug(drug("2.00"), bids(*prices), rules)
    expected = table[min(n, 16) - 1]
    assert r.qualified == n and r.max_winners == expected and r.winners == expected
    assert [b.company for b in winners(r)] == [b.company for b in r.results[:expected]]


def test_invalid_bids_do_not_count_as_qualified_bidders():
    r = evaluate_drug(drug("1.20"), bids("0.50", "0.60", "0.70", "1.30"), B9)
    assert r.bids == 4 and r.qualified == 3 and r.max_winners == 2


# --- shares and terms ------------------------------------------------------------------------

@pytest.mark.parametrize("n,share,years", [(1, "0.50", 1), (2, "0.60", 1), (3, "0.70", 2), (4, "0.80", 3), (7, "0.80", 3)])
def test_agreed_volume_share_and_term_by_number_of_winners(n, share, years):
    # n winners need enough bidders: batch 9 gives 4 winners to 5 bidders, 7 to 9
    bidders = {1: 1, 2: 2, 3: 4, 4: 5, 7: 9}[n]
    r = evaluate_drug(drug("2.00"), bids(*["1.00"] * bidders), B9)
    assert r.winners == n and r.share == Decimal(share) and r.contract_years == years


@pytest.mark.parametrize("n,share", [(1, "0.30"), (2, "0.40"), (3, "0.50"), (4, "0.50")])
def test_special_antimicrobials_get_smaller_shares(n, share):
    bidders = {1: 1, 2: 2, 3: 4, 4: 5}[n]
    r = evaluate_drug(drug("30.00", form="注射用无菌粉末", spec="0.5g", antimicrobial=True),
                      bids(*["10.00"] * bidders, spec="0.5g", pack=1), B9)
    assert r.winners == n and r.share == Decimal(share)


# --- 差比价 ------------------------------------------------------------------------------------

def test_other_specs_are_carried_to_the_representative_spec():
    r = evaluate_drug(drug("2.00"), bids("1.00", spec="20mg", pack=14), B9)
    b = r.results[0]
    assert b.factor == Decimal("1.7") and b.comparable == Decimal("0.5882")
    assert "1.7^log2(X), X = 2" in b.factor_reason


def test_small_injections_are_not_differentiated_by_fill_volume():
    d = drug("30.00", form="注射液", spec="5ml:0.5g")
    r = evaluate_drug(d, bids("12.00", spec="10ml:0.5g", pack=1), B9)
    assert r.results[0].factor == 1 and "not differentiated" in r.results[0].factor_reason


def test_a_spec_that_cannot_be_compared_is_an_error_naming_the_row():
    with pytest.raises(InputError) as e:
        evaluate_drug(drug("2.00"), bids("1.00", spec="5ml"), B9, source="bids.csv")
    assert "bids.csv, row 2, field 规格" in str(e.value)


# --- properties --------------------------------------------------------------------------------

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3.00"), places=2)


@settings(max_examples=150, deadline=None)
@given(st.lists(prices, min_size=0, max_size=20), st.sampled_from(["batch-9", "batch-10"]))
def test_selection_invariants(unit_prices, name):
    rules = load_rules(name)
    r = evaluate_drug(drug("2.00"), bids(*[str(p) for p in unit_prices]), rules)
    valid = [b for b in r.results if b.valid]
    won = winners(r)
    assert r.qualified == len(valid) == sum(1 for p in unit_prices if p <= Decimal("2.00"))
    assert len(won) == r.winners <= r.max_winners <= max(r.qualified, 1)
    assert all(b.routes for b in won)
    # a bid that loses on price is dearer than every winner on price; one that loses on the table ranks after them
    on_price = [b for b in won if b.status is BidStatus.won]
    for b in valid:
        if b.status is BidStatus.lost and on_price:
            if b.routes:
                assert b.rank > max(w.rank for w in on_price)
            else:
                assert b.comparable > max(w.comparable for w in on_price)
    if valid:
        assert won and won[0].comparable == min(b.comparable for b in valid)  # the lowest always wins
