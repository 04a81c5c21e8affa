"""What an officer submits for an activity, and the field-by-field checks that need no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kakehashi.governance.register.models import FORUMS, ActivityKind, Status
from kakehashi.kernel.authz import MINISTRY_SIDE, Ministry
from kakehashi.kernel.i18n import N_

MAX_WEIGHT = Decimal(1000)


@dataclass(frozen=True)
class OwnerSpec:
    """An owner of an activity: a ministry or agency of a side, or an organisation (by id)."""

    side: str
    ministry: str | None = None
    org_id: int | None = None


@dataclass(frozen=True)
class ActivityFields:
    """Every editable field of an activity, as plain values."""

    commitment_id: int
    kind: str
    title: str
    title_ja: str | None = None
    description: str = ""
    forum: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: str = Status.NOT_STARTED.value
    progress: int = 0
    weight: Decimal = Decimal(1)
    parent_id: int | None = None
    is_public: bool = False
    owners: tuple[OwnerSpec, ...] = field(default_factory=tuple)


def parse_weight(text: str | Decimal) -> Decimal:
    """A weight from a form field; ValueError when it is not a decimal number."""
    try:
        return text if isinstance(text, Decimal) else Decimal(text.strip() or "1")
    except InvalidOperation:
        raise ValueError(text) from None


def status_problem(status: str, progress: int) -> str | None:
    """Why this status does not fit this progress (the completion scale has bands), or None."""
    if status == Status.COMPLETE and progress != 100:
        return N_("A complete activity is at 100%.")
    if status == Status.NOT_STARTED and progress != 0:
        return N_("An activity not started is at 0%.")
    if status in (Status.LIMITED, Status.SUBSTANTIAL) and not 0 < progress < 100:
        return N_("Limited or substantial completion lies between 1% and 99%.")
    return None


def status_for(progress: int) -> Status:
    """The completion-scale status a progress figure suggests (OGP bands: 0, 1–49, 50–99, 100)."""
    if progress <= 0:
        return Status.NOT_STARTED
    if progress >= 100:
        return Status.COMPLETE
    return Status.LIMITED if progress < 50 else Status.SUBSTANTIAL


def check_fields(fields: ActivityFields) -> dict[str, str]:
    """Problems with the values themselves, by field (empty when they are fine)."""
    errors: dict[str, str] = {}
    if not fields.title.strip() or len(fields.title) > 200:
        errors["title"] = N_("Give a title of at most 200 characters.")
    if fields.title_ja and len(fields.title_ja) > 200:
        errors["title_ja"] = N_("Give a title of at most 200 characters.")
    if fields.kind not in ActivityKind._value2member_map_:
        errors["kind"] = N_("Choose what kind of activity this is.")
    if fields.kind == ActivityKind.FORUM_POSITION and fields.forum not in FORUMS:
        errors["forum"] = N_("Choose the multilateral forum of this position.")
    if fields.start_on and fields.end_on and fields.end_on < fields.start_on:
        errors["end_on"] = N_("The end date is before the start date.")
    if not 0 <= fields.progress <= 100:
        errors["progress"] = N_("Progress must be between 0 and 100.")
    if fields.status not in Status._value2member_map_:
        errors["status"] = N_("Choose a status.")
    elif "progress" not in errors and (problem := status_problem(fields.status, fields.progress)):
        errors["status"] = problem
    if not fields.weight.is_finite() or fields.weight < 0 or fields.weight > MAX_WEIGHT:
        errors["weight"] = N_("The weight is a number from 0 to 1000.")
    elif fields.weight != fields.weight.quantize(Decimal("0.01")):
        errors["weight"] = N_("A weight has at most two decimals.")
    for owner in fields.owners:
        if problem := owner_problem(owner):
            errors["owners"] = problem
    return errors


def owner_problem(owner: OwnerSpec) -> str | None:
    """Why an owner is not well formed (before looking the organisation up), or None."""
    if owner.side not in ("JP", "IN"):
        return N_("An owner belongs to Japan or India.")
    if (owner.ministry is None) == (owner.org_id is None):
        return N_("An owner is either a ministry or an organisation.")
    if owner.ministry is not None:
        ministry = Ministry._value2member_map_.get(owner.ministry)
        if ministry is None or MINISTRY_SIDE[Ministry(owner.ministry)] != owner.side:
            return N_("That ministry is not on that side.")
    return None
