"""Locales and time zones of the viewer, per-context catalogues, and localised formatting.

Each context keeps `locale/<lang>/LC_MESSAGES/messages.po` beside its code; they are read (no compile
step) and merged into one catalogue per language at start-up.
"""

from __future__ import annotations

import datetime as dt
import io
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from kakehashi.contexts import CONTEXTS

LOCALES = ("en", "ja", "hi")
LOCALE_NAMES = {"en": "English", "ja": "日本語", "hi": "हिन्दी"}
TIMEZONES = {"Asia/Tokyo": "JST", "Asia/Kolkata": "IST"}

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")
current_timezone: ContextVar[str] = ContextVar("current_timezone", default="Asia/Tokyo")
current_csrf: ContextVar[str] = ContextVar("current_csrf", default="")


def po_paths(locale: str) -> list[Any]:
    """The catalogue files of every context (and the web shell) for one language."""
    paths = []
    for package in ("web", *CONTEXTS):
        try:
            candidate = files(f"kakehashi.{package}") / "locale" / locale / "LC_MESSAGES" / "messages.po"
        except ModuleNotFoundError:
            continue
        if candidate.is_file():
            paths.append(candidate)
    return paths


@cache
def translations(locale: str) -> NullTranslations:
    """Merged translations for `locale` (English is the source language)."""
    if locale == "en":
        return NullTranslations()
    combined = Catalog(locale=locale)
    for path in po_paths(locale):
        for message in read_po(io.BytesIO(path.read_bytes()), locale=locale):
            if message.id and message.string and not message.fuzzy:
                combined.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, combined)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str, **variables: Any) -> str:
    """Translate into the viewer's language; `%(name)s` placeholders filled from keywords."""
    text = translations(current_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Plural-aware translation; `%(num)s` is always available."""
    text = translations(current_locale.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def zone() -> ZoneInfo:
    return ZoneInfo(current_timezone.get())


def fmt_datetime(value: dt.datetime | None, fmt: str = "medium", *, tz: str | None = None) -> str:
    """A UTC instant shown in the viewer's zone (or `tz`), with the zone's short name."""
    if value is None:
        return ""
    zone_name = tz or current_timezone.get()
    text = format_datetime(value, format=fmt, tzinfo=ZoneInfo(zone_name), locale=current_locale.get())
    return f"{text} {TIMEZONES.get(zone_name, '')}".strip()


def fmt_both(value: dt.datetime | None) -> str:
    """JST and IST side by side, as both sides read a shared schedule."""
    if value is None:
        return ""
    return " / ".join(fmt_datetime(value, "short", tz=name) for name in TIMEZONES)


def fmt_time(value: dt.datetime, *, tz: str | None = None) -> str:
    """Clock time in the viewer's zone."""
    return format_time(value, format="short", tzinfo=ZoneInfo(tz or current_timezone.get()), locale=current_locale.get())


def fmt_date(value: dt.date | dt.datetime | None, fmt: str = "medium") -> str:
    """A calendar date in the viewer's language (datetimes are first moved to the viewer's zone)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(zone()).date()
    return format_date(value, format=fmt, locale=current_locale.get())


def fmt_number(value: int | float | Decimal | None) -> str:
    """A number with the viewer's grouping (Indian lakh grouping applies with the hi locale)."""
    return "" if value is None else format_decimal(value, locale=current_locale.get())


def fmt_money(amount: Decimal | int | None, currency: str) -> str:
    """An exact amount in JPY or INR, formatted for the viewer (¥1,234 / ₹12,34,567.50)."""
    if amount is None:
        return ""
    locale = current_locale.get()
    if currency == "INR" and locale == "en":
        locale = "en_IN"
    return format_currency(amount, currency, locale=locale)


def negotiate(accept_language: str) -> str:
    """Pick en/ja/hi from an Accept-Language header."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return "en"


def locale_display(locale: str) -> str:
    return Locale.parse(locale).get_display_name(locale) or locale
