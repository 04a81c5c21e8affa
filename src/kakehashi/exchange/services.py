"""Use cases of the exchange: share an item under conditions, decide and log every access, withdraw an
item, purge content past retention, extend the purpose vocabulary, re-wrap keys under a new master key.

Services take the session, plain values and keyword-only `actor`/`now`, and never commit. Master keys
and limits arrive as arguments (the entry points read them from settings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

import rfc8785
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.exchange import crypto, storage
from kakehashi.exchange.consents import grants_for, is_discloser, require_discloser
from kakehashi.exchange.errors import ItemNotFound, KeyUnwrapFailed, TamperedContent, UnknownMasterKey
from kakehashi.exchange.events import notify_users, record
from kakehashi.exchange.models import Access, Item, Purpose
from kakehashi.exchange.odrl import export_odrl
from kakehashi.exchange.parties import access_request, party_of
from kakehashi.exchange.policy import Action, Decision, compile_policy, decide, index_consents
from kakehashi.exchange.queries import recipients_of, visible_item, vocabulary
from kakehashi.exchange.screening import ScreeningLimits, screen_upload
from kakehashi.exchange.terms import Terms, check_terms, conditions_of, recipient_rows
from kakehashi.exchange.vocabulary import is_valid_purpose_code
from kakehashi.exchange.watermark import WatermarkFailed, can_watermark, watermark
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_

KINDS = ("document", "dataset")
# What a browser shows inline; other formats can only be downloaded.
VIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain",
                      "text/csv", "text/markdown", "text/tab-separated-values", "application/json"})


@dataclass(frozen=True)
class Upload:
    """The uploaded file: its name and claimed media type as the browser sent them, and a seekable stream."""

    name: str
    claimed_type: str
    content: BinaryIO


def share_item(session: Session, upload: Upload, terms: Terms, *, title: str, description: str, kind: str,
               actor: Actor, keyring: crypto.Keyring, limits: ScreeningLimits, now: dt.datetime) -> Item:
    """Screen, encrypt and store an upload under the discloser's conditions; log it; tell the recipients."""
    require(actor, "exchange.share")
    party = party_of(session, actor)
    if party is None or actor.user_id is None:
        raise ValidationFailed({"discloser": N_("Only people of an organisation or a ministry can share.")})
    problems = {}
    if not title.strip() or len(title) > 300:
        problems["title"] = N_("Give a title of at most 300 characters.")
    if kind not in KINDS:
        problems["kind"] = N_("Not an allowed value.")
    check_terms(session, replace(terms, problems={**terms.problems, **problems}), vocabulary=vocabulary(session),
                now=now)
    screened = screen_upload(upload.name, upload.claimed_type, upload.content, limits=limits)
    item = Item(title=title.strip(), description=description.strip()[:10_000], kind=kind, discloser=party.code,
                discloser_side=party.side, shared_by=actor.user_id, file_name=screened.file_name,
                media_type=screened.file_type.media_type, size=screened.size, purposes=sorted(terms.purposes),
                tlp=terms.tlp.value, access_mode=terms.access.value, onward_sharing=terms.onward_sharing,
                valid_from=terms.valid_from, valid_until=terms.valid_until, retain_until=terms.retain_until,
                master_key_id=keyring.current.key_id, wrapped_key=b"", status="active", created_at=now)
    session.add(item)
    session.flush()
    data_key = crypto.new_data_key()
    item.wrapped_key = crypto.wrap_data_key(data_key, item_id=str(item.id), master=keyring.current).blob
    rows = recipient_rows(item.id, terms.recipients)
    session.add_all(rows)
    storage.store_content(session, item, upload.content, data_key)
    session.flush()
    policy = export_odrl(conditions_of(item, rows), item_id=str(item.id))
    item.log_index = record(session, actor, "exchange.item.shared", item, {
        "tlp": item.tlp, "purposes": item.purposes, "policy_sha256": hashlib.sha256(rfc8785.dumps(policy)).hexdigest()})
    _notify_recipients(session, item, terms)
    return item


def _notify_recipients(session: Session, item: Item, terms: Terms) -> None:
    # Named people and the people of named organisations; whole sides and ministries are not notified.
    people = {int(u) for u in terms.recipients.users}
    for org_id in terms.recipients.organisations:
        people.update(u.id for u in identity.users_of_org(session, int(org_id)))
    notify_users(session, people, kind="exchange.item.shared", title=N_("Shared with you"),
                 body=N_("%(title)s was shared with you under conditions."), params={"title": item.title},
                 link=f"/exchange/items/{item.id}")


@dataclass
class AccessOutcome:
    """A decision and, when permitted to view or download, the verified (and marked) content."""

    item: Item
    decision: Decision
    access: Access
    body: Iterator[bytes] | None = None
    marked: bool = False


def access_item(session: Session, item_id: int, *, actor: Actor, action: str, purpose: str,
                keyring: crypto.Keyring, now: dt.datetime) -> AccessOutcome:
    """Decide one access by the item's conditions and consents, prepare the content if permitted, and log
    the decision (permit or deny) with the rule that decided. Denials are returned, not raised, so the
    caller commits the record."""
    require(actor, "exchange.access")
    item = session.get(Item, item_id)
    if item is None:
        raise ItemNotFound(N_("No such item, or it was not shared with you."), field="item_id")
    decision = _decide(session, item, actor, action=action, purpose=purpose, now=now)
    body, marked = None, False
    if decision.permit and action in (Action.VIEW, Action.DOWNLOAD):
        decision, body, marked = _prepare(session, item, actor, decision, action=action, purpose=purpose,
                                          keyring=keyring, now=now)
    request = access_request(session, actor, action=action, purpose=purpose, at=now)
    access = Access(item_id=item.id, user_id=actor.user_id, org_id=actor.org_id, side=request.side or None,
                    ministry=request.ministry, action=action[:20], purpose=purpose[:64], permit=decision.permit,
                    rule=decision.rule[:80], reason=decision.reason, at=now)
    session.add(access)
    session.flush()
    access.log_index = record(session, actor, "exchange.decision", item, {
        "access": access.id, "action": access.action, "purpose": access.purpose, "permit": decision.permit,
        "rule": access.rule, "at": now.isoformat()})
    return AccessOutcome(item, decision, access, body, marked)


def _decide(session: Session, item: Item, actor: Actor, *, action: str, purpose: str, now: dt.datetime) -> Decision:
    vocab = vocabulary(session)
    if item.status == "purged":
        return Decision(False, "item-purged", "the item's content was deleted at its retention date")
    if is_discloser(session, item, actor):  # a withdrawn item stays available to its discloser
        if purpose not in vocab or action not in {a.value for a in Action}:
            return Decision(False, "purpose-unknown", "state a purpose from the vocabulary and a known action")
        return Decision(True, "discloser", "the discloser's own item")
    if item.status != "active":
        return Decision(False, f"item-{item.status}", f"the item is {item.status}")
    policy = compile_policy(conditions_of(item, recipients_of(session, item.id)), vocab)
    request = access_request(session, actor, action=action, purpose=purpose, at=now)
    return decide(policy, request, index_consents(grants_for(session, item)))


def _prepare(session: Session, item: Item, actor: Actor, decision: Decision, *, action: str, purpose: str,
             keyring: crypto.Keyring, now: dt.datetime) -> tuple[Decision, Iterator[bytes] | None, bool]:
    """Verify the whole ciphertext before a byte is served; mark what can carry a mark."""
    if action == Action.VIEW and item.media_type not in VIEWABLE:
        return Decision(False, "not-viewable", "this format cannot be shown in the browser, only downloaded"), None, False
    try:
        data_key = crypto.unwrap_data_key(crypto.WrappedKey(item.master_key_id, item.wrapped_key),
                                          item_id=str(item.id), keyring=keyring)
        spool = storage.spool_ciphertext(session, item.id)
        storage.verify_spool(spool, data_key)
    except (TamperedContent, KeyUnwrapFailed, UnknownMasterKey) as exc:
        record(session, actor, "exchange.content.tampered", item, {"code": exc.code, "detail": exc.message})
        return Decision(False, exc.code, "the stored content failed its integrity check and is not served"), None, False
    if not can_watermark(item.media_type):
        return decision, storage.plaintext_chunks(spool, data_key), False
    content = b"".join(storage.plaintext_chunks(spool, data_key))
    try:
        marked = watermark(content, item.media_type, _mark(session, item, actor, purpose, now))
    except WatermarkFailed:
        return Decision(False, "watermark-failed", "the file cannot carry the recipient's mark"), None, False
    return decision, iter([marked]), True


def _mark(session: Session, item: Item, actor: Actor, purpose: str, now: dt.datetime) -> str:
    where = actor.ministry.value if actor.ministry is not None else ""
    if actor.org_id is not None:
        org = registry.get_organisation(session, actor.org_id)
        where = org.name_en if org is not None else where
    stamp = now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Kakehashi item {item.id} · shared with {actor.name} ({where}) · purpose: {purpose} · {stamp}"


def withdraw_item(session: Session, item_id: int, *, actor: Actor, now: dt.datetime) -> Item:
    """The discloser withdraws an item: no recipient access from now on (content kept for the discloser).

    Those who may not know the item exists get the same ItemNotFound as for a missing one."""
    require(actor, "exchange.share")
    item = visible_item(session, item_id, actor)
    require_discloser(session, item, actor)
    if item.status == "active":
        item.status, item.withdrawn_at = "withdrawn", now
        record(session, actor, "exchange.item.withdrawn", item, {"at": now.isoformat()})
    return item


def purge_expired(session: Session, *, actor: Actor, now: dt.datetime) -> int:
    """Erase the content of items past their retention date; return how many were purged."""
    due = session.scalars(select(Item).where(Item.retain_until <= now, Item.status != "purged").limit(500))
    count = 0
    for item in due:
        rows = storage.erase_content(session, item.id)
        item.status, item.purged_at, item.wrapped_key = "purged", now, b""
        record(session, actor, "exchange.item.purged", item, {"rows": rows, "at": now.isoformat()})
        count += 1
    return count


def add_purpose(session: Session, *, code: str, label_en: str, label_ja: str, clause: str, actor: Actor,
                now: dt.datetime) -> Purpose:
    """An officer extends the purpose vocabulary."""
    require(actor, "exchange.vocabulary.edit")
    problems = {}
    if not is_valid_purpose_code(code):
        problems["code"] = N_("Use 2 to 63 lower-case letters, digits and hyphens, starting with a letter.")
    elif code in vocabulary(session):
        problems["code"] = N_("This purpose already exists.")
    if not label_en.strip() or not label_ja.strip():
        problems["label_en" if not label_en.strip() else "label_ja"] = N_("Give the purpose in English and Japanese.")
    if problems:
        raise ValidationFailed(problems)
    purpose = Purpose(code=code, label_en=label_en.strip()[:200], label_ja=label_ja.strip()[:200],
                      clause=clause.strip()[:40], created_by=actor.user_id, created_at=now)
    session.add(purpose)
    session.flush()
    return purpose


@dataclass(frozen=True)
class RotationReport:
    """What a master-key rotation did."""

    rewrapped: int
    already_current: int


def rotate_master_key(session: Session, *, keyring: crypto.Keyring, batch: int = 500) -> RotationReport:
    """Re-wrap every data key not under the current master key (content untouched). Each new wrapping is
    unwrapped and compared before it replaces the old, so a failure loses nothing."""
    stale = list(session.scalars(select(Item.id).where(Item.master_key_id != keyring.current.key_id,
                                                       Item.status != "purged").order_by(Item.id)))
    for start in range(0, len(stale), batch):
        for item in session.scalars(select(Item).where(Item.id.in_(stale[start:start + batch]))):
            _rewrap(item, keyring)
        session.flush()
    current = session.scalar(select(func.count()).select_from(Item).where(
        Item.master_key_id == keyring.current.key_id)) or 0
    return RotationReport(len(stale), current - len(stale))


def _rewrap(item: Item, keyring: crypto.Keyring) -> None:
    old = crypto.WrappedKey(item.master_key_id, item.wrapped_key)
    new = crypto.rewrap_data_key(old, item_id=str(item.id), keyring=keyring)
    if crypto.unwrap_data_key(new, item_id=str(item.id), keyring=keyring) != \
            crypto.unwrap_data_key(old, item_id=str(item.id), keyring=keyring):
        raise KeyUnwrapFailed(N_("A re-wrapped key did not match; nothing was changed."), field="master_key")
    item.master_key_id, item.wrapped_key = new.master_key_id, new.blob


def get_purpose(session: Session, code: str) -> Purpose:
    """An officer-added purpose, or NotFound."""
    purpose = session.get(Purpose, code)
    if purpose is None:
        raise NotFound(N_("No such purpose."), field="code")
    return purpose


def verify_all_content(session: Session, *, keyring: crypto.Keyring, actor: Actor) -> list[tuple[int, str]]:
    """Authenticate every stored item's key and ciphertext; report (and log) each one that fails."""
    failures = []
    for item_id in list(session.scalars(select(Item.id).where(Item.status != "purged").order_by(Item.id))):
        item = session.get_one(Item, item_id)
        try:
            data_key = crypto.unwrap_data_key(crypto.WrappedKey(item.master_key_id, item.wrapped_key),
                                              item_id=str(item.id), keyring=keyring)
            with storage.spool_ciphertext(session, item.id) as spool:
                storage.verify_spool(spool, data_key)
        except (TamperedContent, KeyUnwrapFailed, UnknownMasterKey) as exc:
            record(session, actor, "exchange.content.tampered", item, {"code": exc.code, "detail": exc.message})
            failures.append((item.id, exc.message))
    return failures
