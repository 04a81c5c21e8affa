"""The conditions a discloser sets when sharing: checked for completeness and for agreement with the
TLP label, then turned into the engine's `Conditions` (from form fields, JSON, or an imported ODRL policy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.exchange.models import Item, Recipient
from kakehashi.exchange.policy import AccessMode, Conditions, Recipients, Tlp
from kakehashi.kernel.authz import Ministry
from kakehashi.kernel.errors import NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_

KINDS = ("sides", "ministries", "organisations", "users")
ROW_KIND = {"sides": "side", "ministries": "ministry", "organisations": "org", "users": "user"}


@dataclass(frozen=True)
class Terms:
    """What a discloser fills in: purposes, recipients, period, label, onward sharing, access, retention."""

    purposes: frozenset[str]
    recipients: Recipients
    valid_from: dt.datetime
    valid_until: dt.datetime
    tlp: Tlp
    onward_sharing: bool = False
    access: AccessMode = AccessMode.VIEW_ONLY
    retain_until: dt.datetime | None = None
    problems: dict[str, str] = field(default_factory=dict)  # parse problems found by the caller


def terms_from_conditions(conditions: Conditions) -> Terms:
    """Terms from an imported ODRL policy; parts not understood refuse the share with their reasons."""
    if conditions.not_understood:
        raise ValidationFailed({"policy": "; ".join(conditions.not_understood)},
                               N_("The policy has parts Kakehashi does not understand."))
    return Terms(conditions.purposes, conditions.recipients, conditions.valid_from, conditions.valid_until,
                 conditions.tlp, conditions.onward_sharing, conditions.access, conditions.retain_until)


def check_terms(session: Session, terms: Terms, *, vocabulary: frozenset[str], now: dt.datetime) -> None:
    """Raise ValidationFailed naming every problem: unknown purposes or recipients, empty period, a
    recipient the TLP label does not allow."""
    problems = dict(terms.problems)
    unknown = sorted(terms.purposes - vocabulary)
    if not terms.purposes:
        problems["purposes"] = N_("Choose at least one permitted purpose.")
    elif unknown:
        problems["purposes"] = N_("A purpose is not in the vocabulary.")
    r = terms.recipients
    if not any(getattr(r, kind) for kind in KINDS):
        problems["recipients"] = N_("Name at least one recipient.")
    problems.update(_recipient_problems(session, r))
    problems.update(_tlp_problems(terms))
    if terms.valid_until <= terms.valid_from:
        problems["valid_until"] = N_("The validity period must end after it starts.")
    elif terms.valid_until <= now:
        problems["valid_until"] = N_("The validity period has already ended.")
    if terms.retain_until is not None and terms.retain_until <= max(now, terms.valid_from):
        problems["retain_until"] = N_("The retention date must be in the future and after the start.")
    if problems:
        raise ValidationFailed(problems)


def _recipient_problems(session: Session, r: Recipients) -> dict[str, str]:
    problems = {}
    if r.sides - {"JP", "IN"}:
        problems["sides"] = N_("Sides are JP and IN.")
    if r.ministries - {m.value for m in Ministry}:
        problems["ministries"] = N_("Unknown ministry.")
    for org_id in r.organisations:
        if not org_id.isdigit() or registry.get_organisation(session, int(org_id)) is None:
            problems["organisations"] = N_("An organisation is not in the registry.")
    for user_id in r.users:
        try:
            identity.get_user(session, int(user_id))
        except (ValueError, NotFound):
            problems["users"] = N_("A person is not known to the platform.")
    return problems


def _tlp_problems(terms: Terms) -> dict[str, str]:
    """FIRST TLP 2.0: AMBER reaches organisations, not whole sides; RED only named people."""
    r = terms.recipients
    if terms.tlp is Tlp.RED and (r.sides or r.ministries or r.organisations):
        return {"tlp": N_("TLP:RED is for named people only: remove sides, ministries and organisations.")}
    if terms.tlp in (Tlp.AMBER, Tlp.AMBER_STRICT) and r.sides:
        return {"tlp": N_("TLP:AMBER reaches organisations and people, not a whole side: use GREEN or name them.")}
    if terms.onward_sharing and terms.tlp in (Tlp.AMBER_STRICT, Tlp.RED):
        return {"onward_sharing": N_("TLP:AMBER+STRICT and TLP:RED do not allow onward sharing.")}
    return {}


def recipient_rows(item_id: int, recipients: Recipients) -> list[Recipient]:
    """The recipient rows of an item."""
    return [Recipient(item_id=item_id, kind=ROW_KIND[kind], value=value)
            for kind in KINDS for value in sorted(getattr(recipients, kind))]


def conditions_of(item: Item, rows: list[Recipient]) -> Conditions:
    """The engine's view of a stored item."""
    by_kind: dict[str, set[str]] = {kind: set() for kind in KINDS}
    reverse = {row_kind: kind for kind, row_kind in ROW_KIND.items()}
    for row in rows:
        by_kind[reverse[row.kind]].add(row.value)
    return Conditions(
        discloser=item.discloser, purposes=frozenset(item.purposes),
        recipients=Recipients(**{kind: frozenset(values) for kind, values in by_kind.items()}),
        valid_from=item.valid_from, valid_until=item.valid_until, tlp=Tlp(item.tlp),
        onward_sharing=item.onward_sharing, access=AccessMode(item.access_mode), retain_until=item.retain_until,
    )
