"""Read functions of the exchange: what an actor may see, the lists of the pages and API, histories."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kakehashi.exchange.errors import ItemNotFound
from kakehashi.exchange.models import Access, Consent, Item, Purpose, Recipient
from kakehashi.exchange.parties import party_of, side_of
from kakehashi.exchange.vocabulary import MOC_PURPOSES
from kakehashi.exchange.vocabulary import Purpose as PurposeEntry
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.pagination import Page, clamp


def vocabulary(session: Session) -> frozenset[str]:
    """Every purpose code: the MoC's and the officers' additions."""
    return frozenset(p.code for p in purposes(session))


def purposes(session: Session) -> list[PurposeEntry]:
    """The purpose vocabulary with labels, the MoC's first."""
    added = session.scalars(select(Purpose).order_by(Purpose.code))
    return [*MOC_PURPOSES, *(PurposeEntry(p.code, p.label_en, p.label_ja, p.clause) for p in added)]


def _named(session: Session, actor: Actor) -> ColumnElement[bool]:
    """Recipient rows that name the actor, by person, organisation, ministry or side."""
    conditions = []
    if actor.user_id is not None:
        conditions.append(and_(Recipient.kind == "user", Recipient.value == str(actor.user_id)))
    if actor.org_id is not None:
        conditions.append(and_(Recipient.kind == "org", Recipient.value == str(actor.org_id)))
    if actor.ministry is not None:
        conditions.append(and_(Recipient.kind == "ministry", Recipient.value == actor.ministry.value))
    side = side_of(session, actor)
    if side:
        conditions.append(and_(Recipient.kind == "side", Recipient.value == side))
    return or_(*conditions) if conditions else Recipient.id.is_(None)


def _received(session: Session, actor: Actor) -> ColumnElement[bool]:
    named = exists().where(Recipient.item_id == Item.id, _named(session, actor))
    asked = exists().where(Consent.item_id == Item.id, Consent.requested_by == actor.user_id)
    return or_(named, asked)


def can_see(session: Session, item: Item, actor: Actor) -> bool:
    """Whether the actor may know this item exists: its discloser, its side's officers, its recipients."""
    party = party_of(session, actor)
    if actor.is_admin or (party is not None and party.code == item.discloser):
        return True
    if actor.is_officer and actor.side is not None and actor.side.value == item.discloser_side:
        return True
    query = select(Item.id).where(Item.id == item.id, _received(session, actor))
    return session.scalar(query) is not None


def visible_item(session: Session, item_id: int, actor: Actor) -> Item:
    """The item, or ItemNotFound for those who may not know it exists."""
    item = session.get(Item, item_id)
    if item is None or not can_see(session, item, actor):
        raise ItemNotFound(N_("No such item, or it was not shared with you."), field="item_id")
    return item


def recipients_of(session: Session, item_id: int) -> list[Recipient]:
    """The item's recipient rows."""
    return list(session.scalars(select(Recipient).where(Recipient.item_id == item_id).order_by(Recipient.id)))


def _page(session: Session, where: ColumnElement[bool], page: int, size: int) -> Page[Item]:
    page, size, offset = clamp(page, size)
    total = session.scalar(select(func.count()).select_from(Item).where(where)) or 0
    items = session.scalars(select(Item).where(where).order_by(Item.created_at.desc(), Item.id.desc())
                            .offset(offset).limit(size))
    return Page(list(items), total, page, size)


def shared_with_me(session: Session, actor: Actor, *, page: int = 1, size: int = 25) -> Page[Item]:
    """Items shared with the actor (named, or asked about), newest first, withdrawn ones left out."""
    party = party_of(session, actor)
    mine = Item.discloser == party.code if party is not None else Item.id.is_(None)
    return _page(session, and_(_received(session, actor), ~mine, Item.status != "withdrawn"), page, size)


def shared_by_us(session: Session, actor: Actor, *, page: int = 1, size: int = 25) -> Page[Item]:
    """Items the actor's party disclosed, newest first."""
    party = party_of(session, actor)
    return _page(session, Item.discloser == party.code if party is not None else Item.id.is_(None), page, size)


def access_history(session: Session, item_id: int, *, page: int = 1, size: int = 50) -> Page[Access]:
    """Every decision on the item, newest first (callers check the actor is the discloser)."""
    page, size, offset = clamp(page, size)
    total = session.scalar(select(func.count()).select_from(Access).where(Access.item_id == item_id)) or 0
    rows = session.scalars(select(Access).where(Access.item_id == item_id)
                           .order_by(Access.at.desc(), Access.id.desc()).offset(offset).limit(size))
    return Page(list(rows), total, page, size)


@dataclass(frozen=True)
class ConsentRow:
    """A consent request with its item, for lists."""

    consent: Consent
    item: Item


def consents_to_decide(session: Session, actor: Actor) -> list[ConsentRow]:
    """Open requests about items disclosed on the officer's side (or by the actor's party)."""
    party = party_of(session, actor)
    ours = [Item.discloser == party.code] if party is not None else []
    if actor.is_officer and actor.side is not None:
        ours.append(Item.discloser_side == actor.side.value)
    if actor.is_admin:
        ours.append(Item.id.is_not(None))
    if not ours:
        return []
    query = (select(Consent, Item).join(Item, Item.id == Consent.item_id)
             .where(or_(*ours), Consent.status.in_(("pending", "awaiting_signature", "granted")))
             .order_by(Consent.requested_at.desc()).limit(200))
    return [ConsentRow(consent, item) for consent, item in session.execute(query)]


def my_consent_requests(session: Session, actor: Actor) -> list[ConsentRow]:
    """The actor's own requests, newest first."""
    query = (select(Consent, Item).join(Item, Item.id == Consent.item_id)
             .where(Consent.requested_by == actor.user_id).order_by(Consent.requested_at.desc()).limit(200))
    return [ConsentRow(consent, item) for consent, item in session.execute(query)]


def consents_of_item(session: Session, item_id: int) -> list[Consent]:
    """Every consent request about an item, newest first."""
    return list(session.scalars(select(Consent).where(Consent.item_id == item_id).order_by(Consent.id.desc())))
