"""Money rules: exact amounts in JPY (no decimals) and INR (paise), conversion for display with its rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kakehashi.governance.errors import MoneyError
from kakehashi.governance.money import Rate, convert, from_minor, parse_amount, parse_rate, to_minor


def test_it_keeps_amounts_exact_in_minor_units() -> None:
    assert to_minor(parse_amount("1,234,567", "JPY"), "JPY") == 1234567
    assert to_minor(parse_amount("12,34,567.50", "INR"), "INR") == 123456750
    assert from_minor(123456750, "INR") == D("1234567.50")
    assert from_minor(1000, "JPY") == D("1000")


@pytest.mark.parametrize(("text", "currency"), [("12.5", "JPY"), ("0.001", "INR"), ("10.125", "INR")])
def test_it_refuses_more_decimals_than_the_currency_has(text: str, currency: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount(text, currency)
    assert caught.value.code == "precision"


def test_trailing_zeros_are_not_extra_precision() -> None:
    assert parse_amount("1500.00", "JPY") == D("1500")
    assert parse_amount("99.50", "INR") == D("99.50")


@pytest.mark.parametrize("currency", ["USD", "jpy", ""])
def test_it_refuses_other_currencies(currency: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount("10", currency)
    assert caught.value.code == "currency"


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "", "1e"])
def test_it_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_amount(text, "INR")


def test_it_refuses_negative_amounts_and_floats() -> None:
    with pytest.raises(MoneyError):
        parse_amount("-1", "JPY")
    with pytest.raises(MoneyError):
        parse_amount(0.1, "INR")


def test_conversion_uses_the_quoted_rate_both_ways_and_rounds_to_the_target_precision() -> None:
    rate = Rate("JPY", "INR", D("0.5712"), dt.date(2026, 3, 31), "RBI reference")
    assert convert(D("1000"), "JPY", rate) == D("571.20")
    assert convert(D("333"), "JPY", rate) == D("190.21")  # 190.2096
    assert convert(D("571.20"), "INR", rate) == D("1000")


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(MoneyError):
        parse_rate("0")
    assert parse_rate("0.5712") == D("0.5712")
