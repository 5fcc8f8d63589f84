"""Parsing one trace code: every family, the GS1 spellings scanners produce, and bad input."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_tool.model.trace import CodeFamily
from catalog_tool.trace import TraceRules, parse_code
from catalog_tool.trace.gs1 import gs1_date, gtin_check_digit

TODAY = date(2026, 1, 15)


def reasons(tc):
    return [r.code for r in tc.reasons]


def test_msfx_20_digits_split_into_product_serial_and_check():
    tc = parse_code("81234560123456789012")
    assert (tc.family, tc.valid, tc.product_id, tc.serial) == (CodeFamily.msfx, True, "8123456", "012345678")


def test_msfx_prefix_is_a_rule_the_caller_can_change():
    assert reasons(parse_code("71234560123456789012")) == ["msfx-prefix"]
    assert parse_code("71234560123456789012", TraceRules(msfx_prefixes=("7", "8"))).valid


@pytest.mark.parametrize("raw", [
    "]d2010695123456789717260500" "10LOT-7a\x1d" "21SN0001",
    "010695123456789717260500" "10LOT-7a\x1d" "21SN0001",
    "(01)06951234567897(17)260500(10)LOT-7a(21)SN0001",
    "]C1010695123456789717260500" "10LOT-7a<GS>" "21SN0001",
    "\x1d010695123456789717260500" "10LOT-7a{FNC1}" "21SN0001",
    "]Q3010695123456789717260500" "10LOT-7a[FNC1]" "21SN0001",
])
def test_gs1_spellings_read_the_same(raw):
    tc = parse_code(raw, today=TODAY)
    assert tc.family is CodeFamily.gs1 and tc.valid, tc.reasons
    assert (tc.product_id, tc.lot, tc.serial, tc.expiry) == ("06951234567897", "LOT-7a", "SN0001", date(2026, 5, 31))
    assert tc.gtin_check_ok and tc.packaging_level.startswith("base unit")


def test_gs1_wrong_check_digit_names_the_right_one():
    tc = parse_code("(01)06951234567893(21)A1")
    assert reasons(tc) == ["gtin-check-digit"] and "should be 7" in tc.reasons[0].message


def test_gs1_day_00_is_end_of_month_and_leap_years_count():
    assert gs1_date("240200", TODAY) == date(2024, 2, 29)
    assert gs1_date("250200", TODAY) == date(2025, 2, 28)
    assert gs1_date("991231", TODAY) == date(1999, 12, 31)  # sliding window: 99 is in the past from 2026
    with pytest.raises(ValueError):
        gs1_date("251301", TODAY)


def test_gs1_bad_date_and_missing_serial_are_reasons():
    assert reasons(parse_code("0106951234567897172502311012", today=TODAY)) == ["bad-date", "gs1-no-serial"]


def test_gs1_lot_longer_than_20_without_separator_fails_like_a_decoder():
    assert reasons(parse_code("0106951234567897" "10" + "A" * 25)) == ["gs1-unknown-ai"]


def test_packaging_level_from_indicator_digit():
    gtin = "3695123456789"
    tc = parse_code(f"(01){gtin}{gtin_check_digit(gtin)}(21)X")
    assert tc.valid and tc.packaging_level == "packaging level 3 (indicator digit)"


def test_ma_udi():
    tc = parse_code("MA.156.M0.100761.21234561.Sx00008.M220117.L20220117", today=TODAY)
    assert tc.family is CodeFamily.ma_udi and tc.valid
    assert (tc.product_id, tc.serial, tc.lot, tc.production_date) == ("MA.156.M0.100761.21234561", "x00008", "20220117", date(2022, 1, 17))
    assert reasons(parse_code("ma.156.M0.100761.21234561.S1")) == ["lowercase"]


@pytest.mark.parametrize("raw, family, first", [
    ("", CodeFamily.unknown, "empty"),
    ("   ", CodeFamily.unknown, "empty"),
    ("８１２３４５６０１２３４５６７８９０１２", CodeFamily.msfx, "full-width"),
    ("8123456 0123456789012", CodeFamily.msfx, "whitespace"),
    ("\x00\x07\ufffd", CodeFamily.unknown, "non-ascii"),
    ("abcdefabcdefabcdef", CodeFamily.unknown, "unknown-family"),
    ("06951234567897", CodeFamily.unknown, "bare-gtin"),
    ("123", CodeFamily.unknown, "unknown-family"),
])
def test_bad_input_gives_a_reason(raw, family, first):
    tc = parse_code(raw)
    assert not tc.valid and tc.family is family and tc.reasons[0].code == first


def test_manufacturer_numeric_code():
    tc = parse_code("1234567890123456")
    assert tc.family is CodeFamily.manufacturer and tc.valid


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_without_raising_and_invalid_has_reasons(raw):
    tc = parse_code(raw)
    assert tc.valid == (not tc.reasons)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"8[0-9]{19}", fullmatch=True))
def test_every_20_digit_code_starting_8_is_valid(code):
    assert parse_code(code).valid
