"""Prior written consent (MoC P5): a recipient asks to use an item for another purpose (or to share it
onward); an officer of the discloser's side grants or refuses; a grant between the two participants is a
`purpose_consent` instrument of the agreement ledger, signed by the disclosing participant, and takes
effect when signed. Revocation ends it at once. Every step is audited and appended to the log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.exchange import ledger
from kakehashi.exchange.errors import ConsentNotFound, ConsentRejected, ItemNotFound, NotTheDiscloser
from kakehashi.exchange.events import notify_discloser, notify_user, record
from kakehashi.exchange.models import Consent, Item
from kakehashi.exchange.odrl_terms import ITEM_PREFIX
from kakehashi.exchange.parties import participant_of_side, party_of, side_of
from kakehashi.exchange.policy import ConsentGrant, RecipientKind
from kakehashi.exchange.queries import can_see, vocabulary
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_

OPEN = ("pending", "awaiting_signature")


def request_consent(session: Session, item_id: int, *, actor: Actor, purpose: str, onward_sharing: bool,
                    justification: str, now: dt.datetime) -> Consent:
    """A recipient asks the discloser's prior written consent for another purpose or onward sharing."""
    require(actor, "exchange.access")
    item = session.get(Item, item_id)
    if item is None or not can_see(session, item, actor) or actor.user_id is None:
        raise ItemNotFound(N_("No such item, or it was not shared with you."), field="item_id")
    if purpose not in vocabulary(session):
        raise ValidationFailed({"purpose": N_("A purpose is not in the vocabulary.")})
    if purpose in item.purposes and not onward_sharing:
        raise ConsentRejected(N_("This purpose is already permitted."), field="purpose")
    duplicate = session.scalar(select(Consent.id).where(
        Consent.item_id == item.id, Consent.requested_by == actor.user_id, Consent.purpose == purpose,
        Consent.status.in_(OPEN)))
    if duplicate is not None:
        raise ConsentRejected(N_("You already asked for this purpose; the discloser has not answered yet."),
                              field="purpose")
    consent = Consent(item_id=item.id, requested_by=actor.user_id, requester_org_id=actor.org_id,
                      requester_side=side_of(session, actor), recipient_kind=RecipientKind.USER.value,
                      recipient_id=str(actor.user_id), purpose=purpose, onward_sharing=onward_sharing,
                      justification=justification.strip()[:4000], status="pending", requested_at=now)
    session.add(consent)
    session.flush()
    record(session, actor, "exchange.consent.requested", item, {
        "consent": consent.id, "purpose": purpose, "onward_sharing": onward_sharing, "requested_by": actor.user_id})
    notify_discloser(session, item, kind="exchange.consent.requested", title=N_("Consent requested"),
                     body=N_("%(name)s asks to use item %(item)s for %(purpose)s."),
                     params={"name": actor.name, "item": item.id, "purpose": purpose}, link="/exchange/consents")
    return consent


def _decidable(session: Session, consent_id: int, actor: Actor, states: tuple[str, ...]) -> tuple[Consent, Item]:
    # Row-locked (PostgreSQL) and re-read: of two officers deciding at once, the second sees the first's decision.
    consent = session.get(Consent, consent_id, with_for_update=True, populate_existing=True)
    if consent is None:
        raise ConsentNotFound(N_("No such consent request."), field="consent_id")
    item = session.get_one(Item, consent.item_id)
    require(actor, "exchange.consent.decide", side=item.discloser_side)
    if consent.status not in states:
        raise ConsentRejected(N_("This consent request is no longer open to that decision."), field="status")
    return consent, item


def grant_consent(session: Session, consent_id: int, *, actor: Actor, note: str, to_organisation: bool,
                  now: dt.datetime, demo_keys: bool) -> Consent:
    """Grant: draft the discloser's signed instrument (signed at once with a demo key if the platform has
    one for this officer); the grant takes effect when the instrument is signed."""
    consent, item = _decidable(session, consent_id, actor, ("pending",))
    if to_organisation and consent.requester_org_id is not None:
        consent.recipient_kind, consent.recipient_id = RecipientKind.ORG.value, str(consent.requester_org_id)
    consent.decided_at, consent.decided_by, consent.decision_note = now, actor.user_id, note.strip()[:4000]
    if not needs_instrument(item, consent):
        # Within one participant's side there is no second party to the MoC: the grant is logged, not signed.
        _take_effect(session, item, consent, actor=actor, at=now, instrument=None)
        return consent
    members = instrument_members(item, consent)
    slug = ledger.moc_slug(session, members["discloser"], members["recipient"])
    if slug is None:
        raise ConsentRejected(N_("No agreement between the two participants is on the ledger."), field="agreement")
    consent.instrument_id = ledger.draft_consent(session, slug, members, actor=actor, now=now)
    consent.status = "awaiting_signature"
    record(session, actor, "exchange.consent.approved", item, {"consent": consent.id,
                                                               "instrument": consent.instrument_id})
    try:
        ledger.sign_with_demo_key(session, consent.instrument_id, actor=actor, now=now, enabled=demo_keys)
    except DomainError as exc:
        if exc.code not in ("no_demo_key", "demo_disabled"):
            raise
    sync_consent(session, item, consent, actor=actor)
    return consent


def refuse_consent(session: Session, consent_id: int, *, actor: Actor, note: str, now: dt.datetime) -> Consent:
    """Refuse a request (or an approval still awaiting its signature)."""
    consent, item = _decidable(session, consent_id, actor, OPEN)
    consent.status, consent.decided_at, consent.decided_by = "refused", now, actor.user_id
    consent.decision_note = note.strip()[:4000]
    record(session, actor, "exchange.consent.refused", item, {"consent": consent.id, "purpose": consent.purpose})
    notify_user(session, consent.requested_by, kind="exchange.consent.refused", title=N_("Consent refused"),
                body=N_("Your request to use item %(item)s for %(purpose)s was refused."),
                params={"item": item.id, "purpose": consent.purpose}, link=f"/exchange/items/{item.id}")
    return consent


def revoke_consent(session: Session, consent_id: int, *, actor: Actor, note: str, now: dt.datetime) -> Consent:
    """Revoke a grant: every decision from `now` on is a denial for that purpose."""
    consent, item = _decidable(session, consent_id, actor, ("granted",))
    consent.status, consent.revoked_at, consent.revoked_by = "revoked", now, actor.user_id
    consent.decision_note = (consent.decision_note + "\n" + note.strip()).strip()[:4000]
    record(session, actor, "exchange.consent.revoked", item, {"consent": consent.id, "purpose": consent.purpose,
                                                              "revoked_at": now.isoformat()})
    notify_user(session, consent.requested_by, kind="exchange.consent.revoked", title=N_("Consent revoked"),
                body=N_("The consent to use item %(item)s for %(purpose)s was revoked."),
                params={"item": item.id, "purpose": consent.purpose}, link=f"/exchange/items/{item.id}")
    return consent


def withdraw_request(session: Session, consent_id: int, *, actor: Actor, now: dt.datetime) -> Consent:
    """The requester withdraws a request nobody has answered yet."""
    consent = session.get(Consent, consent_id, with_for_update=True, populate_existing=True)
    if consent is None or consent.requested_by != actor.user_id:
        raise ConsentNotFound(N_("No such consent request."), field="consent_id")
    if consent.status != "pending":
        raise ConsentRejected(N_("This consent request is no longer open to that decision."), field="status")
    consent.status, consent.decided_at = "withdrawn", now
    record(session, actor, "exchange.consent.withdrawn", session.get_one(Item, consent.item_id),
           {"consent": consent.id})
    return consent


def instrument_members(item: Item, consent: Consent) -> dict[str, str]:
    """What the instrument says; it binds the consent to this item, recipient and purpose (no replay)."""
    new_purpose = consent.purpose + (" + onward sharing" if consent.onward_sharing else "")
    return {
        "discloser": participant_of_side(item.discloser_side) or "",
        "recipient": participant_of_side(consent.requester_side) or "",
        "information": f"{ITEM_PREFIX}{item.id}#consent-{consent.id} to {consent.recipient_kind} {consent.recipient_id}",
        "original_purpose": ", ".join(sorted(item.purposes)),
        "new_purpose": new_purpose,
    }


def sync_consent(session: Session, item: Item, consent: Consent, *, actor: Actor) -> None:
    """If the consent's instrument is now signed, valid and bound to this consent, the grant takes effect."""
    if consent.status != "awaiting_signature" or consent.instrument_id is None:
        return
    instrument = ledger.consent_instrument(session, consent.instrument_id)
    if instrument.in_force and _binds(instrument, item, consent):
        _take_effect(session, item, consent, actor=actor, at=instrument.concluded_at, instrument=instrument.instrument_id)


def needs_instrument(item: Item, consent: Consent) -> bool:
    """A consent between the two participants must be a signed instrument; within one side there is none."""
    discloser, recipient = participant_of_side(item.discloser_side), participant_of_side(consent.requester_side)
    return not (discloser is None or recipient is None or discloser == recipient)


def _signed_and_bound(session: Session, item: Item, consent: Consent) -> bool:
    if consent.instrument_id is None:
        return False
    instrument = ledger.consent_instrument(session, consent.instrument_id)
    return instrument.in_force and _binds(instrument, item, consent)


def _binds(instrument: ledger.ConsentInstrument, item: Item, consent: Consent) -> bool:
    payload = instrument.payload
    expected = instrument_members(item, consent)
    return payload.get("type") == ledger.CONSENT_TYPE and all(payload.get(k) == v for k, v in expected.items())


def _take_effect(session: Session, item: Item, consent: Consent, *, actor: Actor, at: dt.datetime | None,
                 instrument: int | None) -> None:
    consent.status, consent.granted_at = "granted", at
    record(session, actor, "exchange.consent.granted", item, {
        "consent": consent.id, "purpose": consent.purpose, "recipient": f"{consent.recipient_kind}:{consent.recipient_id}",
        "onward_sharing": consent.onward_sharing, "instrument": instrument})
    notify_user(session, consent.requested_by, kind="exchange.consent.granted", title=N_("Consent granted"),
                body=N_("You may now use item %(item)s for %(purpose)s."),
                params={"item": item.id, "purpose": consent.purpose}, link=f"/exchange/items/{item.id}")


def grants_for(session: Session, item: Item) -> list[ConsentGrant]:
    """The item's grants as the engine takes them; a grant whose instrument does not verify or does not
    bind to it (forged or replayed) is left out."""
    rows = list(session.scalars(select(Consent).where(
        Consent.item_id == item.id, Consent.status.in_(("awaiting_signature", "granted", "revoked")))))
    grants = []
    for consent in rows:
        sync_consent(session, item, consent, actor=SYSTEM)
        if consent.granted_at is None or consent.status not in ("granted", "revoked"):
            continue
        if needs_instrument(item, consent) and not _signed_and_bound(session, item, consent):
            continue
        grants.append(ConsentGrant(f"consent-{consent.id}", RecipientKind(consent.recipient_kind), consent.recipient_id,
                                   consent.purpose, consent.granted_at, onward_sharing=consent.onward_sharing,
                                   revoked_at=consent.revoked_at))
    return grants


def is_discloser(session: Session, item: Item, actor: Actor) -> bool:
    """Whether the actor belongs to the item's disclosing party."""
    party = party_of(session, actor)
    return party is not None and party.code == item.discloser


def require_discloser(session: Session, item: Item, actor: Actor) -> None:
    """Raise NotTheDiscloser unless the actor is of the discloser's party or may decide its consents."""
    if not (is_discloser(session, item, actor) or actor.is_admin
            or (actor.is_officer and actor.side is not None and actor.side.value == item.discloser_side)):
        raise NotTheDiscloser(N_("Only the discloser may do this."))
