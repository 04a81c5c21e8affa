"""The demo's people: officers and liaisons of both sides, and everyone else who signs in to the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.kernel.authz import SYSTEM, Actor

START = dt.date(2025, 9, 1)
END = dt.date(2026, 11, 20)
EMAILS = {
    "meti": "officer@meti.demo.example", "meity": "officer@meity.demo.example", "mic": "liaison@mic.demo.example",
    "dot": "liaison@dot.demo.example", "pm": "pm@meity.demo.example",
}
EVERYONE = (
    "officer@meti.demo.example", "officer@meity.demo.example", "liaison@mic.demo.example", "liaison@dot.demo.example",
    "admin@sakura-devices.demo.example", "member@sakura-devices.demo.example", "admin@indus-software.demo.example",
    "member@indus-software.demo.example", "pm@meity.demo.example", "reviewer@iisc.demo.example",
    "analyst@jpcert.demo.example", "analyst@cert-in.demo.example",
)


def month(offset: int, day: int = 1) -> dt.date:
    """The given day of the month `offset` months after September 2025."""
    year, index = divmod(8 + offset, 12)
    return dt.date(2025 + year, index + 1, min(day, 28))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An instant on `day` at `hour` UTC."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@dataclass
class Cast:
    """The demo's users by role (None when the identity demo did not create them)."""

    users: dict[str, identity.User]
    everyone: list[identity.User]
    sakura_org_id: int | None

    @classmethod
    def find(cls, session: Session) -> Cast:
        """Look the demo people up by e-mail."""
        users = {key: user for key, email in EMAILS.items() if (user := identity.find_user_by_email(session, email))}
        everyone = [user for email in EVERYONE if (user := identity.find_user_by_email(session, email))]
        sakura = registry.find_by_name(session, "Sakura Devices KK")
        return cls(users, everyone, sakura.id if sakura else None)

    def actor(self, key: str) -> Actor:
        """The actor for one of the demo officers (the platform itself when that person is missing)."""
        user = self.users.get(key)
        return user.actor() if user is not None else SYSTEM

    def id(self, key: str) -> int | None:
        """A demo person's user id, if they exist."""
        user = self.users.get(key)
        return user.id if user is not None else None
