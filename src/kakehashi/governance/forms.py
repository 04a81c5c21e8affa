"""Reading the governance forms: text fields to typed values, with a translated message per bad field.

Web-only: the pages parse here and hand plain values to the services, which check the domain rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.web.i18n import TIMEZONES
from kakehashi.web.i18n import gettext as _


class FormReader:
    """Converts submitted strings, remembering a message for each field that does not convert."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def date(self, name: str, value: str, *, required: bool = False) -> dt.date | None:
        """An ISO date (YYYY-MM-DD), or None when blank and not required."""
        if not value.strip():
            if required:
                self.errors[name] = _("Give a date.")
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.errors[name] = _("Give a date as YYYY-MM-DD.")
            return None

    def integer(self, name: str, value: str, *, default: int | None = None) -> int | None:
        """A whole number, or `default` when blank."""
        if not value.strip():
            return default
        try:
            return int(value.strip())
        except ValueError:
            self.errors[name] = _("Give a whole number.")
            return default

    def decimal(self, name: str, value: str, *, default: Decimal) -> Decimal:
        """A decimal number, or `default` when blank."""
        if not value.strip():
            return default
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.errors[name] = _("Give a number.")
            return default
        return number

    def instant(self, name: str, value: str, zone: str) -> dt.datetime | None:
        """A local date and time (datetime-local input) in JST or IST, as an aware UTC instant."""
        if zone not in TIMEZONES:
            self.errors[name] = _("Choose JST or IST.")
            return None
        try:
            local = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            self.errors[name] = _("Give a date and time.")
            return None
        return local.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)

    def check(self) -> None:
        """Raise ValidationFailed with every message collected so far."""
        if self.errors:
            raise ValidationFailed(dict(self.errors))


def field_errors(exc: DomainError) -> dict[str, str]:
    """The translated message of each field a domain error names (a form-level one under "form")."""
    if isinstance(exc, ValidationFailed):
        return {field: _(message) for field, message in exc.errors.items()}
    return {exc.field or "form": _(exc.message)}


# Errors that are not about what was typed: they stay errors instead of showing the form again.
PASS_THROUGH = (401, 403, 404)


def commit_or_redisplay(session: Session, write: Callable[[], object], *, done: str,
                        redisplay: Callable[[dict[str, str], int], Response]) -> Response:
    """Run one form's write: commit and redirect to `done`, or roll back and show the page again with each
    field's message (`redisplay(errors, status)`)."""
    try:
        write()
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        return redisplay(field_errors(exc), exc.status)
    return RedirectResponse(done, status_code=303)


def local_input(value: dt.datetime | None, zone: str) -> str:
    """An instant as the value of a datetime-local input in `zone`."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def checked(value: str | None) -> bool:
    """A checkbox's value: present means ticked."""
    return bool(value) and value not in ("0", "false", "off")
