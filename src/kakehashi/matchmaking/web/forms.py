"""Form plumbing shared by the matchmaking pages: parsing inputs, field errors, one transaction per action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.i18n import gettext as _


class FormErrors(ValidationFailed):
    """Inputs that could not even be parsed (bad numbers, dates), named by field."""


@contextmanager
def unit_of_work(session: Session) -> Iterator[None]:
    """Commit once if the action succeeds; roll back everything if it raises."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def field_errors(exc: DomainError) -> dict[str, str]:
    """Translated messages by field (`form` for errors that belong to no field)."""
    if isinstance(exc, ValidationFailed):
        return {field: _(message) for field, message in exc.errors.items()}
    return {exc.field or "form": _(exc.message)}


def is_access_error(exc: DomainError) -> bool:
    """Sign-in and permission errors become error pages, not field messages."""
    return exc.status in (401, 403, 404)


class Parser:
    """Collects parse errors per field while reading form values."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def local_datetime(self, name: str, value: str, zone: str) -> dt.datetime:
        """A `datetime-local` value read as wall-clock time in `zone`."""
        try:
            return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=ZoneInfo(zone))
        except (ValueError, KeyError):
            self.errors[name] = N_("Enter a date and time.")
            return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

    def date(self, name: str, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.errors[name] = N_("Enter a date.")
            return dt.date(2000, 1, 1)

    def integer(self, name: str, value: str, *, optional: bool = False) -> int | None:
        text = value.strip().replace(",", "")
        if not text and optional:
            return None
        try:
            return int(text)
        except ValueError:
            self.errors[name] = N_("Enter a whole number.")
            return None

    def amount(self, name: str, value: str, *, optional: bool = False) -> Decimal | None:
        """An exact amount; Indian (12,34,567.50) and Western grouping both accepted."""
        text = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        if not text and optional:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.errors[name] = N_("Enter an amount, e.g. 1,50,00,000 or 25000000.")
            return None
        if not amount.is_finite():
            self.errors[name] = N_("Enter an amount, e.g. 1,50,00,000 or 25000000.")
            return None
        return amount

    def check(self) -> None:
        """Raise the collected parse errors, if any."""
        if self.errors:
            raise FormErrors(dict(self.errors))


@contextmanager
def renamed_fields(mapping: dict[str, str]) -> Iterator[None]:
    """Re-key a service's field errors to the names a page's form uses (several forms share a page)."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed({mapping.get(k, k): v for k, v in exc.errors.items()}, exc.message) from exc
    except DomainError as exc:
        if exc.field in mapping:
            exc.field = mapping[exc.field]
        raise


def split_list(value: str) -> list[str]:
    """A comma- or newline-separated list."""
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


def local_input(value: dt.datetime | None, zone: str) -> str:
    """A datetime as a `datetime-local` input value in `zone`."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M") if value else ""
