"""An organisation's profile as people submit it, and the checks every field passes before it is stored.

Forms, the API and CSV rows all arrive here as plain values. Text is kept as text (HTML is escaped when
shown, never stripped or interpreted); control characters are refused because PostgreSQL cannot store NUL
and the others are never intended.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kakehashi.kernel import text as texts
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.registry import identifiers as ids
from kakehashi.registry.models import OrgKind, OrgSize
from kakehashi.registry.taxonomy import SECTOR_CODES

COUNTRIES = ("JP", "IN")
OLDEST_FOUNDING = 500  # Japan has firms founded in the 6th century (Kongō Gumi, 578)
MAX_SECTORS = 12
LIMITS = {"name_en": 200, "name_ja": 200, "name_hi": 200, "region": 100, "city": 100, "website": 300,
          "offers": 5000, "seeks": 5000, "description": 10000}
CONTACT_LIMITS = {"name": 200, "email": 254, "phone": 40}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()\-]{6,40}")
NAME_FIELDS = ("name_en", "name_ja", "name_hi")
INVISIBLE_IN_NAME = N_("A name may not contain invisible characters (zero-width spaces, direction marks or "
                       "overrides); retype it without them.")


@dataclass(frozen=True)
class OrganisationInput:
    """What someone submits about an organisation; every field as typed (validated by `clean`)."""

    kind: str
    name_en: str
    country: str
    name_ja: str = ""
    name_hi: str = ""
    region: str = ""
    city: str = ""
    size: str = ""
    founded_year: int | str | None = None
    website: str = ""
    offers: str = ""
    seeks: str = ""
    description: str = ""
    sectors: tuple[str, ...] = ()
    contacts: Mapping[str, str] = field(default_factory=dict)
    identifiers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanProfile:
    """A validated profile: values ready to store, identifiers normalised."""

    values: dict[str, Any]
    sectors: tuple[str, ...]
    identifiers: dict[str, str]


def _text(value: str | None, name: str, errors: dict[str, str], *, multiline: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if _CONTROL.search(text) or (not multiline and "\n" in text):
        errors[name] = N_("This field contains control characters; remove them.")
    elif len(text) > LIMITS[name]:
        errors[name] = N_("This text is too long.")
    return text


def _name(value: str, name: str, errors: dict[str, str]) -> str:
    """A name in NFC; look-alikes made with invisible characters are refused (see kernel.text)."""
    if name not in errors and texts.invisible_character(value) is not None:
        errors[name] = INVISIBLE_IN_NAME
    return texts.normalise_name(value)


def _choice(value: str, allowed: tuple[str, ...], name: str, errors: dict[str, str], *, required: bool) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if value not in allowed:
        errors[name] = N_("Choose one of the listed values.")
    return value


def _year(value: int | str | None, errors: dict[str, str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors["founded_year"] = N_("Enter the year as four digits, e.g. 1998.")
        return None
    if not OLDEST_FOUNDING <= year <= dt.date.today().year:
        errors["founded_year"] = N_("The founding year must be between 500 and this year.")
    return year


def _website(value: str, errors: dict[str, str]) -> str:
    url = _text(value, "website", errors)
    if url and "website" not in errors:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
            errors["website"] = N_("Enter a web address starting with http:// or https://.")
    return url


def _sectors(codes: tuple[str, ...], errors: dict[str, str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    if not chosen:
        errors["sectors"] = N_("Choose at least one sector.")
    elif any(code not in SECTOR_CODES for code in chosen):
        errors["sectors"] = N_("Choose sectors from the list.")
    elif len(chosen) > MAX_SECTORS:
        errors["sectors"] = N_("Choose at most 12 sectors.")
    return chosen


def _contacts(contacts: Mapping[str, str], errors: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for key, limit in CONTACT_LIMITS.items():
        value = " ".join((contacts.get(key) or "").split())
        value = texts.normalise_name(value) if key == "name" else value
        if not value:
            continue
        if _CONTROL.search(value) or len(value) > limit:
            errors[f"contacts.{key}"] = N_("This text is too long.")
        elif key == "name" and texts.invisible_character(value) is not None:
            errors["contacts.name"] = INVISIBLE_IN_NAME
        elif key == "email" and not _EMAIL.fullmatch(value):
            errors["contacts.email"] = N_("Enter an e-mail address like name@example.org.")
        elif key == "phone" and not _PHONE.fullmatch(value):
            errors["contacts.phone"] = N_("Enter a phone number with digits, spaces, +, ( ) or -.")
        cleaned[key] = value
    unknown = set(contacts) - set(CONTACT_LIMITS)
    if unknown:
        errors["contacts"] = N_("Contacts have a name, an e-mail address and a phone number only.")
    return cleaned


def clean_identifiers(raw: Mapping[str, str], country: str, errors: dict[str, str]) -> dict[str, str]:
    """Validate identifiers against their scheme and the organisation's country; blanks are dropped."""
    cleaned: dict[str, str] = {}
    for scheme, value in raw.items():
        if not (value or "").strip():
            continue
        try:
            cleaned[scheme] = ids.normalise(scheme, value)
        except DomainError as exc:
            errors[exc.field or f"identifiers.{scheme}"] = exc.message
            continue
        home = ids.SCHEME_COUNTRY[scheme]
        if home is not None and country in COUNTRIES and home != country:
            errors[f"identifiers.{scheme}"] = N_("This identifier belongs to the other country.")
    gstin, pan = cleaned.get("in_gstin"), cleaned.get("in_pan")
    if gstin and pan and gstin[2:12] != pan and "identifiers.in_gstin" not in errors:
        errors["identifiers.in_gstin"] = N_("The PAN inside this GSTIN differs from the organisation's PAN.")
    return cleaned


def clean(data: OrganisationInput) -> CleanProfile:
    """Check every field at once; raise ValidationFailed naming each bad field, else the clean profile."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {name: _text(getattr(data, name), name, errors, multiline=name in
                                          ("offers", "seeks", "description"))
                              for name in ("name_en", "name_ja", "name_hi", "region", "city", "offers", "seeks",
                                           "description")}
    for name in NAME_FIELDS:
        values[name] = _name(values[name], name, errors)
    if not values["name_en"] and "name_en" not in errors:
        errors["name_en"] = N_("Enter the organisation's name in English.")
    for optional in ("name_ja", "name_hi", "region", "city"):
        values[optional] = values[optional] or None
    values["kind"] = _choice(data.kind, tuple(OrgKind), "kind", errors, required=True)
    values["country"] = _choice(data.country, COUNTRIES, "country", errors, required=True)
    values["size"] = _choice(data.size, tuple(OrgSize), "size", errors, required=False) or None
    values["founded_year"] = _year(data.founded_year, errors)
    values["website"] = _website(data.website, errors) or None
    values["contacts"] = _contacts(data.contacts, errors)
    sectors = _sectors(tuple(data.sectors), errors)
    identifiers = clean_identifiers(data.identifiers, values["country"], errors)
    if errors:
        raise ValidationFailed(errors)
    return CleanProfile(values=values, sectors=sectors, identifiers=identifiers)
