"""Exact money in JPY and INR: parsing with the currency's precision, minor units, display-only conversion.

Amounts are Decimals (never floats) and are stored as integer minor units: yen have no minor unit, rupees have
paise (two decimals). Converting between the two is for display only and always names its rate and date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from kakehashi.governance.errors import MoneyError
from kakehashi.kernel.i18n import N_

DECIMALS: dict[str, int] = {"JPY": 0, "INR": 2}
CURRENCIES = tuple(DECIMALS)
HOME_CURRENCY: dict[str, str] = {"JP": "JPY", "IN": "INR"}
MAX_MINOR = 10**15  # a quadrillion minor units: far beyond any cooperative activity, inside BIGINT


def check_currency(currency: str, field: str = "currency") -> str:
    """The currency code if we keep money in it (JPY, INR); else raise MoneyError."""
    if currency not in DECIMALS:
        raise MoneyError(N_("Amounts are kept in JPY or INR only."), field=field, code="currency")
    return currency


def parse_amount(value: str | Decimal | int | float, currency: str, *, field: str = "amount") -> Decimal:
    """An exact, non-negative amount with no more decimals than the currency has (¥ 0, ₹ 2)."""
    check_currency(currency)
    if isinstance(value, float):  # a float has already lost the exact amount
        raise MoneyError(N_("Give the amount as text or a decimal, not a floating-point number."), field=field)
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise MoneyError(N_("The amount is not a number."), field=field) from None
    if not amount.is_finite():
        raise MoneyError(N_("The amount is not a number."), field=field)
    if amount < 0:
        raise MoneyError(N_("The amount cannot be negative."), field=field, code="negative")
    exponent = amount.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > DECIMALS[currency]:
        if currency == "JPY":
            raise MoneyError(N_("Yen amounts have no decimals."), field=field, code="precision")
        raise MoneyError(N_("Rupee amounts have at most two decimals (paise)."), field=field, code="precision")
    if to_minor(amount, currency) >= MAX_MINOR:
        raise MoneyError(N_("The amount is too large."), field=field, code="too_large")
    return amount


def to_minor(amount: Decimal, currency: str) -> int:
    """Integer minor units (yen, paise) of an already-validated amount."""
    return int(amount.scaleb(DECIMALS[currency]))


def from_minor(minor: int, currency: str) -> Decimal:
    """The Decimal amount of integer minor units, with the currency's number of decimals."""
    places = DECIMALS[currency]
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class Rate:
    """How many units of `quote` one unit of `base` was worth on `as_of`, and who said so."""

    base: str
    quote: str
    rate: Decimal
    as_of: dt.date
    source: str = ""

    def inverse(self) -> Rate:
        """The same quotation read the other way round."""
        return Rate(self.quote, self.base, Decimal(1) / self.rate, self.as_of, self.source)


def parse_rate(value: str | Decimal, *, field: str = "rate") -> Decimal:
    """A positive exchange rate given exactly (text or Decimal)."""
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise MoneyError(N_("The rate is not a number."), field=field) from None
    if not rate.is_finite() or rate <= 0:
        raise MoneyError(N_("The rate must be a positive number."), field=field)
    return rate


def convert(amount: Decimal, currency: str, rate: Rate) -> Decimal:
    """`amount` in the other currency at `rate`, rounded to that currency's precision (for display only)."""
    if currency == rate.quote and rate.base != currency:
        rate = rate.inverse()
    if currency != rate.base:
        raise MoneyError(N_("This rate does not convert that currency."), field="currency", code="currency")
    places = Decimal(1).scaleb(-DECIMALS[rate.quote])
    return (amount * rate.rate).quantize(places, rounding=ROUND_HALF_EVEN)
