"""The standards and conformity register: conformity-assessment bodies of both countries and their
accreditations (who accredited them, under which scheme and standard, for what scope, until when), with
search and expiry reminders. Officers edit their own side's entries; every signed-in person may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kakehashi.cyber.models import Accreditation, ConformityBody
from kakehashi.kernel import audit, notifications, text
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.pagination import Page, clamp

KINDS = ("certification_body", "testing_laboratory", "inspection_body", "calibration_laboratory")
STANDARDS = ("ISO/IEC 17065", "ISO/IEC 17025", "ISO/IEC 17021-1", "ISO/IEC 17020", "ISO/IEC 17024")
STATUSES = ("active", "suspended", "withdrawn", "expired")
REMIND_WITHIN = dt.timedelta(days=90)
REMIND_EVERY = dt.timedelta(days=30)


@dataclass(frozen=True)
class BodyInput:
    """The editable facts of a conformity-assessment body."""

    name_en: str
    country: str
    kind: str
    name_ja: str | None = None
    org_id: int | None = None
    website: str | None = None


@dataclass(frozen=True)
class AccreditationInput:
    """The editable facts of one accreditation."""

    accreditor: str
    scheme: str
    standard: str
    valid_from: dt.date
    valid_until: dt.date
    scope: str = ""
    number: str | None = None
    status: str = "active"


def _check_body(data: BodyInput) -> None:
    errors = {}
    if not data.name_en.strip() or len(data.name_en) > 200:
        errors["name_en"] = N_("Give a name of 1 to 200 characters.")
    for name in ("name_en", "name_ja"):
        if name not in errors and text.invisible_character(getattr(data, name) or "") is not None:
            errors[name] = N_("A name may not contain invisible characters (zero-width spaces, direction marks or "
                              "overrides); retype it without them.")
    if data.country not in ("JP", "IN"):
        errors["country"] = N_("Choose Japan or India.")
    if data.kind not in KINDS:
        errors["kind"] = N_("Choose the kind of body.")
    if data.website and not data.website.startswith(("https://", "http://")):
        errors["website"] = N_("A website starts with https://.")
    if errors:
        raise ValidationFailed(errors)


def _check_accreditation(data: AccreditationInput) -> None:
    errors = {}
    for name in ("accreditor", "scheme", "standard"):
        value = getattr(data, name)
        if not value.strip() or len(value) > (60 if name == "standard" else 200):
            errors[name] = N_("This field is required (and short).")
    if data.valid_until <= data.valid_from:
        errors["valid_until"] = N_("The accreditation must end after it starts.")
    if data.status not in STATUSES:
        errors["status"] = N_("Choose a status.")
    if errors:
        raise ValidationFailed(errors)


def register_body(session: Session, data: BodyInput, *, actor: Actor) -> ConformityBody:
    """Add a conformity-assessment body of the officer's own side."""
    require(actor, "cyber.conformity.edit", side=data.country)
    _check_body(data)
    now = utcnow()
    body = ConformityBody(
        name_en=text.normalise_name(data.name_en), name_ja=text.normalise_name(data.name_ja or "") or None,
        country=data.country,
        kind=data.kind, org_id=data.org_id, website=data.website or None, created_by=actor.user_id,
        search_text=f"{data.name_en} {data.name_ja or ''}".lower(), created_at=now, updated_at=now)
    session.add(body)
    session.flush()
    audit.record(session, actor, "cyber.conformity.body_registered", target_type="cyber_conformity_body",
                 target_id=body.id, details={"name": body.name_en, "country": body.country}, side=body.country)
    return body


def get_body(session: Session, body_id: int) -> ConformityBody:
    """A body by id, or NotFound."""
    body = session.get(ConformityBody, body_id)
    if body is None:
        raise NotFound(N_("No such conformity-assessment body."))
    return body


def add_accreditation(session: Session, body_id: int, data: AccreditationInput, *, actor: Actor) -> Accreditation:
    """Record an accreditation of a body of the officer's own side."""
    body = get_body(session, body_id)
    require(actor, "cyber.conformity.edit", side=body.country)
    _check_accreditation(data)
    accreditation = Accreditation(
        body_id=body.id, accreditor=data.accreditor.strip(), scheme=data.scheme.strip(),
        standard=data.standard.strip(), scope=data.scope.strip(), number=(data.number or "").strip() or None,
        valid_from=data.valid_from, valid_until=data.valid_until, status=data.status, updated_at=utcnow())
    session.add(accreditation)
    body.search_text = " ".join([body.search_text, accreditation.scheme, accreditation.scope]).lower()[:4000]
    body.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "cyber.conformity.accredited", target_type="cyber_conformity_body",
                 target_id=body.id, details={"standard": data.standard, "until": data.valid_until.isoformat()},
                 side=body.country)
    return accreditation


def set_status(session: Session, accreditation_id: int, status: str, *, actor: Actor) -> Accreditation:
    """Suspend, withdraw or reinstate an accreditation."""
    accreditation = session.get(Accreditation, accreditation_id)
    if accreditation is None:
        raise NotFound(N_("No such accreditation."))
    body = get_body(session, accreditation.body_id)
    require(actor, "cyber.conformity.edit", side=body.country)
    if status not in STATUSES:
        raise ValidationFailed({"status": N_("Choose a status.")})
    before, accreditation.status, accreditation.updated_at = accreditation.status, status, utcnow()
    audit.record(session, actor, "cyber.conformity.status_changed", target_type="cyber_conformity_body",
                 target_id=body.id, details={"accreditation": accreditation.id, "from": before, "to": status},
                 side=body.country)
    return accreditation


def search(session: Session, *, words: str = "", country: str | None = None, standard: str | None = None,
           status: str | None = None, expiring_by: dt.date | None = None, page: int = 1, size: int = 25,
           actor: Actor) -> Page[tuple[Accreditation, ConformityBody]]:
    """Accreditations with their bodies, soonest expiry first, filtered by words, country, standard, status."""
    require(actor, "cyber.view")
    query = select(Accreditation, ConformityBody).join(ConformityBody, ConformityBody.id == Accreditation.body_id)
    for word in words.lower().split()[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(or_(ConformityBody.search_text.like(f"%{escaped}%", escape="\\"),
                                func.lower(Accreditation.standard).like(f"%{escaped}%", escape="\\")))
    if country:
        query = query.where(ConformityBody.country == country)
    if standard:
        query = query.where(Accreditation.standard == standard)
    if status:
        query = query.where(Accreditation.status == status)
    if expiring_by:
        query = query.where(Accreditation.valid_until <= expiring_by, Accreditation.status == "active")
    page, size, offset = clamp(page, size)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Accreditation.valid_until, Accreditation.id).offset(offset).limit(size))
    return Page(items=[(a, b) for a, b in rows], total=total, page=page, size=size)


def accreditations_of(session: Session, body_id: int) -> list[Accreditation]:
    """A body's accreditations, latest expiry first."""
    return list(session.scalars(select(Accreditation).where(Accreditation.body_id == body_id)
                                .order_by(Accreditation.valid_until.desc())))


def send_expiry_reminders(session: Session, now: dt.datetime) -> int:
    """Mark lapsed accreditations expired and remind the registering officer of those ending within 90 days
    (at most every 30 days each); returns how many accreditations were handled."""
    today = now.date()
    handled = 0
    lapsed = session.execute(select(Accreditation, ConformityBody).join(ConformityBody).where(
        Accreditation.status == "active", Accreditation.valid_until < today)).all()
    for accreditation, body in lapsed:
        accreditation.status, accreditation.updated_at = "expired", now
        audit.record(session, SYSTEM, "cyber.conformity.expired", target_type="cyber_conformity_body",
                     target_id=body.id, details={"accreditation": accreditation.id}, side=body.country)
        handled += 1
    due = session.execute(select(Accreditation, ConformityBody).join(ConformityBody).where(
        Accreditation.status == "active", Accreditation.valid_until <= today + REMIND_WITHIN,
        or_(Accreditation.reminded_at.is_(None), Accreditation.reminded_at < now - REMIND_EVERY))).all()
    for accreditation, body in due:
        if body.created_by is not None:
            notifications.notify(
                session, user_id=body.created_by, kind="cyber.accreditation_expiring",
                title=N_("Accreditation of %(body)s under %(standard)s ends on %(until)s"),
                params={"body": body.name_en, "standard": accreditation.standard,
                        "until": accreditation.valid_until.isoformat()},
                link=f"/cyber/conformity/bodies/{body.id}")
        accreditation.reminded_at = now
        handled += 1
    return handled
