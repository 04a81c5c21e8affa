"""Access: every decision is recorded and logged with its rule; content is verified, marked, never
served when tampered; key rotation and retention lose nothing they should keep."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from kakehashi import agreement
from kakehashi.exchange import crypto, services, storage
from kakehashi.exchange.models import Access, ContentChunk, Item
from kakehashi.exchange.policy import AccessMode, Recipients
from kakehashi.kernel import audit
from kakehashi.kernel.clock import utcnow

from .conftest import MASTER, REPORT


def _open(db, keyring, user, item, *, purpose="semiconductor", action="view", now=None):
    return services.access_item(db, item.id, actor=user.actor(), action=action, purpose=purpose, keyring=keyring,
                                now=now or utcnow())


def test_a_recipient_opens_for_a_permitted_purpose_and_gets_marked_content(db, cast, keyring, share):
    item = share(cast.meti_officer)
    outcome = _open(db, keyring, cast.meity_officer, item, action="download")
    assert (outcome.decision.permit, outcome.decision.rule) == (True, "permitted-purpose")
    body = b"".join(outcome.body)
    assert body.endswith(REPORT) and b"MeitY Officer" in body.splitlines()[0] and b"semiconductor" in body
    assert outcome.marked


def test_every_decision_is_recorded_audited_and_logged(db, cast, keyring, share):
    item = share(cast.meti_officer)
    denied = _open(db, keyring, cast.meity_officer, item, purpose="talent")
    assert (denied.decision.permit, denied.decision.rule) == (False, "purpose-needs-consent")
    rows = db.scalars(select(Access).where(Access.item_id == item.id)).all()
    assert [(r.permit, r.rule, r.purpose) for r in rows] == [(False, "purpose-needs-consent", "talent")]
    entry = agreement.get_entry(db, rows[0].log_index)
    assert entry.kind == "exchange.decision" and '"permit":false' in entry.data
    events = audit.events_for(db, target_type="exchange_item", target_id=item.id)
    assert [e.action for e in events][:2] == ["exchange.decision", "exchange.item.shared"]


def test_a_purpose_outside_the_vocabulary_is_denied_and_logged(db, cast, keyring, share):
    outcome = _open(db, keyring, cast.meity_officer, share(cast.meti_officer), purpose="resale")
    assert (outcome.decision.rule, outcome.body) == ("purpose-unknown", None)
    assert outcome.access.log_index is not None


def test_another_organisations_item_requested_by_id_is_refused_and_logged(db, cast, keyring, share):
    outcome = _open(db, keyring, cast.outsider, share(cast.meti_officer))
    assert (outcome.decision.permit, outcome.decision.rule) == (False, "recipient-not-permitted")
    assert outcome.access.user_id == cast.outsider.id and outcome.access.log_index is not None


def test_a_recipient_of_the_wrong_side_is_refused(db, cast, keyring, share):
    item = share(cast.meity_officer, recipients=Recipients(sides=frozenset({"IN"})))
    assert _open(db, keyring, cast.meti_officer, item).decision.rule == "recipient-not-permitted"
    assert _open(db, keyring, cast.in_org_member, item).decision.permit


def test_expired_and_withdrawn_items_are_refused(db, cast, keyring, share):
    item = share(cast.meti_officer, valid_days=10)
    later = utcnow() + timedelta(days=11)
    assert _open(db, keyring, cast.meity_officer, item, now=later).decision.rule == "expired"
    services.withdraw_item(db, item.id, actor=cast.meti_officer.actor(), now=utcnow())
    assert _open(db, keyring, cast.meity_officer, item).decision.rule == "item-withdrawn"
    assert _open(db, keyring, cast.meti_officer, item).decision.permit  # the discloser keeps its own


def test_view_only_items_cannot_be_downloaded(db, cast, keyring, share):
    item = share(cast.meti_officer, access=AccessMode.VIEW_ONLY)
    assert _open(db, keyring, cast.meity_officer, item, action="view").decision.permit
    assert _open(db, keyring, cast.meity_officer, item, action="download").decision.rule == "view-only"


def test_tampered_ciphertext_is_detected_reported_and_never_served(db, cast, keyring, share):
    item = share(cast.meti_officer)
    data = bytearray(db.scalar(select(ContentChunk.data).where(ContentChunk.item_id == item.id)))
    data[20] ^= 0x01
    db.execute(update(ContentChunk).where(ContentChunk.item_id == item.id).values(data=bytes(data)))
    outcome = _open(db, keyring, cast.meity_officer, item)
    assert (outcome.decision.permit, outcome.decision.rule, outcome.body) == (False, "content-tampered", None)
    events = [e.action for e in audit.events_for(db, target_type="exchange_item", target_id=item.id)]
    assert "exchange.content.tampered" in events


def test_non_markable_formats_stream_after_verification(db, cast, keyring, share):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "x,y\n")
    item = share(cast.meti_officer, content=buffer.getvalue(), name="bundle.zip")
    outcome = _open(db, keyring, cast.meity_officer, item, action="download")
    assert b"".join(outcome.body) == buffer.getvalue() and not outcome.marked
    assert _open(db, keyring, cast.meity_officer, item, action="view").decision.rule == "not-viewable"


def test_rotation_rewraps_every_key_and_loses_no_byte(db, cast, share):
    old_ring = crypto.keyring_from_settings(MASTER)
    items = [share(cast.meti_officer) for _ in range(3)]
    new_key = bytes(range(32))
    both = crypto.keyring_from_settings(new_key, [MASTER])
    report = services.rotate_master_key(db, keyring=both, batch=2)
    assert (report.rewrapped, report.already_current) == (3, 0)
    only_new = crypto.keyring_from_settings(new_key)
    for item in items:
        db.refresh(item)
        assert item.master_key_id == only_new.current.key_id != old_ring.current.key_id
        outcome = _open(db, only_new, cast.meity_officer, item, action="download")
        assert b"".join(outcome.body).endswith(REPORT)
    assert services.rotate_master_key(db, keyring=only_new).rewrapped == 0


def test_a_missing_master_key_is_reported_not_served(db, cast, share):
    item = share(cast.meti_officer)
    outcome = _open(db, crypto.keyring_from_settings(bytes(range(32))), cast.meity_officer, item)
    assert (outcome.decision.rule, outcome.body) == ("master-key-unknown", None)


def test_retention_purges_content_and_access_ends(db, cast, keyring, share):
    soon = utcnow() + timedelta(days=2)
    item = share(cast.meti_officer, retain_until=soon)
    assert services.purge_expired(db, actor=cast.admin.actor(), now=soon + timedelta(seconds=1)) == 1
    assert db.scalar(select(ContentChunk.seq).where(ContentChunk.item_id == item.id)) is None
    assert db.get(Item, item.id).status == "purged"
    assert _open(db, keyring, cast.meity_officer, item).decision.rule == "item-purged"


def test_large_content_is_stored_in_rows_and_read_back(db, cast, keyring, share):
    content = b"a,b\n" + b"1234567,89\n" * 300_000  # 3.3 MB
    item = share(cast.meti_officer, content=content, name="big.csv")
    rows = db.scalars(select(ContentChunk.seq).where(ContentChunk.item_id == item.id)).all()
    assert len(rows) == 4
    data_key = crypto.unwrap_data_key(crypto.WrappedKey(item.master_key_id, item.wrapped_key), item_id=str(item.id),
                                      keyring=keyring)
    spool = storage.spool_ciphertext(db, item.id)
    assert storage.verify_spool(spool, data_key) == len(content)
    assert b"".join(storage.plaintext_chunks(spool, data_key)) == content
