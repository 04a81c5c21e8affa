"""Sharing: what is stored (ciphertext only), what is refused, what is logged, who sees what."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from kakehashi import agreement
from kakehashi.exchange import queries, services
from kakehashi.exchange.errors import ItemNotFound, UploadRejected
from kakehashi.exchange.models import ContentChunk, Item, Recipient
from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.kernel import notifications
from kakehashi.kernel.authz import ANONYMOUS
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Unauthenticated, ValidationFailed

from .conftest import REPORT


def test_a_direct_database_read_finds_only_ciphertext(db, cast, share):
    item = share(cast.meti_officer)
    stored = b"".join(db.scalars(select(ContentChunk.data).where(ContentChunk.item_id == item.id)))
    assert stored.startswith(b"KHX1") and b"Kumamoto" not in stored
    assert len(stored) == len(REPORT) + 16 + 16
    assert item.wrapped_key and item.master_key_id


def test_the_discloser_and_its_conditions_are_recorded(db, cast, share):
    member = str(cast.in_org_member.id)
    item = share(cast.meti_officer, recipients=Recipients(ministries=frozenset({"MEITY"}), users=frozenset({member})))
    assert (item.discloser, item.discloser_side, item.tlp, item.purposes) == ("METI", "JP", "GREEN", ["semiconductor"])
    rows = {(r.kind, r.value) for r in db.scalars(select(Recipient).where(Recipient.item_id == item.id))}
    assert rows == {("ministry", "MEITY"), ("user", str(cast.in_org_member.id))}


def test_sharing_is_on_the_transparency_log_and_notifies_named_people(db, cast, share):
    item = share(cast.jp_org_admin, recipients=Recipients(users=frozenset({str(cast.in_org_member.id)})))
    entry = agreement.get_entry(db, item.log_index)
    assert entry.kind == "exchange.item.shared" and f'"item":{item.id}' in entry.data
    assert [n.kind for n in notifications.recent(db, cast.in_org_member.id)] == ["exchange.item.shared"]


def test_an_organisation_shares_as_itself(cast, share):
    item = share(cast.jp_org_admin)
    assert (item.discloser, item.discloser_side) == (str(cast.jp_org.id), "JP")


def _terms(**changes):
    now = utcnow()
    base = dict(purposes=frozenset({"ai"}), recipients=Recipients(ministries=frozenset({"MEITY"})),
                valid_from=now, valid_until=now + timedelta(days=30), tlp=Tlp.AMBER, onward_sharing=False,
                access=AccessMode.DOWNLOAD, retain_until=None)
    return Terms(**{**base, **changes})


def _share(db, cast, keyring, terms, *, name="a.csv", content=REPORT, user=None):
    user = user or cast.meti_officer
    return services.share_item(db, services.Upload(name, "", io.BytesIO(content)), terms, title="T", description="",
                               kind="document", actor=user.actor(), keyring=keyring, limits=ScreeningLimits(),
                               now=utcnow())


@pytest.mark.parametrize(("changes", "field"), [
    ({"purposes": frozenset()}, "purposes"),
    ({"purposes": frozenset({"espionage"})}, "purposes"),
    ({"recipients": Recipients()}, "recipients"),
    ({"recipients": Recipients(sides=frozenset({"EU"}))}, "sides"),
    ({"recipients": Recipients(organisations=frozenset({"999999"}))}, "organisations"),
    ({"tlp": Tlp.RED}, "tlp"),
    ({"tlp": Tlp.AMBER, "recipients": Recipients(sides=frozenset({"IN"}))}, "tlp"),
    ({"tlp": Tlp.AMBER_STRICT, "onward_sharing": True}, "onward_sharing"),
    ({"valid_until": utcnow() - timedelta(days=1)}, "valid_until"),
])
def test_it_refuses_incomplete_or_contradictory_conditions(db, cast, keyring, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        _share(db, cast, keyring, _terms(**changes))
    assert field in caught.value.errors
    assert db.scalar(select(Item.id)) is None


def test_it_refuses_a_disguised_executable_and_stores_nothing(db, cast, keyring):
    with pytest.raises(UploadRejected) as caught:
        _share(db, cast, keyring, _terms(), name="minutes.pdf", content=b"MZ\x90\x00\x03\x00\x00\x00" + bytes(60))
    assert caught.value.code == "disguised-executable"
    assert db.scalar(select(Item.id)) is None


def test_a_signed_in_person_without_organisation_or_ministry_cannot_share(db, cast, keyring):
    with pytest.raises(ValidationFailed):
        _share(db, cast, keyring, _terms(), user=cast.admin)


def test_anonymous_visitors_cannot_share(db, keyring):
    with pytest.raises(Unauthenticated):
        services.share_item(db, services.Upload("a.csv", "", io.BytesIO(REPORT)), _terms(), title="T", description="",
                            kind="document", actor=ANONYMOUS, keyring=keyring, limits=ScreeningLimits(), now=utcnow())


def test_lists_show_items_to_their_recipients_and_discloser_only(db, cast, share):
    item = share(cast.meti_officer, recipients=Recipients(organisations=frozenset({str(cast.in_org.id)})))
    assert [i.id for i in queries.shared_with_me(db, cast.in_org_member.actor()).items] == [item.id]
    assert queries.shared_with_me(db, cast.outsider.actor()).items == []
    assert [i.id for i in queries.shared_by_us(db, cast.meti_officer.actor()).items] == [item.id]
    assert queries.shared_by_us(db, cast.meity_officer.actor()).items == []


def test_another_organisations_item_by_id_is_not_found(db, cast, share):
    item = share(cast.meti_officer)
    with pytest.raises(ItemNotFound):
        queries.visible_item(db, item.id, cast.outsider.actor())
    assert queries.visible_item(db, item.id, cast.meity_officer.actor()) == item
