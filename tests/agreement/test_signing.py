"""Signing instruments through the services: who may sign, what is rejected, what is logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from sqlalchemy.orm import Session

from kakehashi.agreement import jws, queries, services, transparency
from kakehashi.agreement.canonical import canonicalize
from kakehashi.agreement.errors import (
    AlreadyConcluded,
    InstrumentRejected,
    KeyRejected,
    LifecycleRejected,
)
from kakehashi.agreement.lifecycle import State
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from tests.agreement.conftest import Ledger, conclude, register
from tests.fixtures.actors import Cast

LATER = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 12:00 JST, 08:30 IST
IN_WINDOW = dt.datetime(2030, 3, 1, 3, 0, tzinfo=dt.UTC)  # the renewal window opened on 26 Feb 2030


def log_size(db: Session) -> int:
    checkpoint = transparency.latest_checkpoint(db)
    return checkpoint.size if checkpoint else 0


def test_the_moc_is_in_force_once_both_ministries_sign(db: Session, signed: Ledger) -> None:
    timeline = queries.timeline(db, signed.agreement)
    assert timeline.in_force_on == dt.date(2025, 8, 25)
    assert timeline.state_on(dt.date(2030, 8, 24)) is State.IN_FORCE
    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    assert instrument.status == "concluded" and instrument.log_index is not None
    assert services.verify_stored(db, instrument).complete


def test_a_concluded_instrument_verifies_with_jwcrypto(db: Session, signed: Ledger) -> None:
    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    document = queries.instrument_jws(db, instrument)
    parsed = jwcrypto_jws.JWS()
    parsed.deserialize(json.dumps(document))
    for signer in (signed.meti, signed.meity):
        parsed.verify(jwcrypto_jwk.JWK(**jws.public_jwk(signer.key)), alg="Ed25519")
    assert parsed.payload == instrument.payload.encode()


def test_one_signature_leaves_the_agreement_signed_by_one(db: Session, ledger: Ledger) -> None:
    instrument = services.draft_instrument(db, ledger.agreement.slug, "signature", {}, actor=ledger.meti.user.actor(), now=LATER)
    services.submit_signature(db, instrument.id, ledger.meti.sign(instrument), actor=ledger.meti.user.actor(), now=LATER)
    assert instrument.status == "signing"
    assert queries.timeline(db, ledger.agreement).state_on(LATER.date()) is State.SIGNED_BY_ONE


def test_it_rejects_a_signature_with_someone_elses_key(db: Session, signed: Ledger) -> None:
    instrument = services.draft_instrument(
        db, signed.agreement.slug, "renewal", {"term_years": 5}, actor=signed.meti.user.actor(), now=IN_WINDOW
    )
    with pytest.raises(KeyRejected) as caught:
        services.submit_signature(db, instrument.id, signed.meity.sign(instrument), actor=signed.meti.user.actor(), now=IN_WINDOW)
    assert caught.value.code == "not_your_key"


def test_it_rejects_a_signature_over_a_different_payload(db: Session, signed: Ledger) -> None:
    size = log_size(db)
    first = services.draft_instrument(
        db,
        signed.agreement.slug,
        "minutes_approval",
        {"meeting": "jwg-1", "minutes_sha256": "a" * 64},
        actor=signed.meti.user.actor(),
        now=LATER,
    )
    second = services.draft_instrument(
        db,
        signed.agreement.slug,
        "minutes_approval",
        {"meeting": "jwg-1", "minutes_sha256": "a" * 64},
        actor=signed.meti.user.actor(),
        now=LATER,
    )
    with pytest.raises(InstrumentRejected, match="does not match this payload"):
        services.submit_signature(db, second.id, signed.meti.sign(first), actor=signed.meti.user.actor(), now=LATER)
    assert log_size(db) == size


def test_it_rejects_a_signature_over_re_serialised_json(db: Session, signed: Ledger) -> None:
    instrument = services.draft_instrument(
        db, signed.agreement.slug, "renewal", {"term_years": 5}, actor=signed.meti.user.actor(), now=IN_WINDOW
    )
    pretty = json.dumps(json.loads(instrument.payload), indent=2).encode()
    with pytest.raises(InstrumentRejected):
        services.submit_signature(
            db, instrument.id, jws.sign(pretty, signed.meti.key), actor=signed.meti.user.actor(), now=IN_WINDOW
        )


def test_it_rejects_a_revoked_key(db: Session, signed: Ledger) -> None:
    services.revoke_key(db, jws.key_id(signed.meti.key), actor=signed.meti.user.actor(), reason="lost", now=LATER)
    instrument = services.draft_instrument(
        db, signed.agreement.slug, "renewal", {"term_years": 5}, actor=signed.meti.user.actor(), now=IN_WINDOW
    )
    with pytest.raises(KeyRejected) as caught:
        services.submit_signature(db, instrument.id, signed.meti.sign(instrument), actor=signed.meti.user.actor(), now=IN_WINDOW)
    assert caught.value.code == "revoked"


def test_an_instrument_signed_by_one_side_is_not_concluded_nor_logged(db: Session, signed: Ledger) -> None:
    size = log_size(db)
    renewal_day = dt.datetime(2030, 3, 1, 3, tzinfo=dt.UTC)
    instrument = services.draft_instrument(
        db, signed.agreement.slug, "renewal", {"term_years": 5}, actor=signed.meti.user.actor(), now=renewal_day
    )
    services.submit_signature(db, instrument.id, signed.meti.sign(instrument), actor=signed.meti.user.actor(), now=renewal_day)
    assert instrument.status == "signing" and instrument.log_index is None
    assert log_size(db) == size
    assert services.verify_stored(db, instrument).missing == {"MEITY"}


def test_a_second_signature_by_the_same_side_is_refused(db: Session, signed: Ledger) -> None:
    instrument = services.draft_instrument(
        db,
        signed.agreement.slug,
        "renewal",
        {"term_years": 5},
        actor=signed.meti.user.actor(),
        now=dt.datetime(2030, 3, 1, tzinfo=dt.UTC),
    )
    now = dt.datetime(2030, 3, 1, 3, tzinfo=dt.UTC)
    services.submit_signature(db, instrument.id, signed.meti.sign(instrument), actor=signed.meti.user.actor(), now=now)
    with pytest.raises(InstrumentRejected, match="already signed"):
        services.submit_signature(db, instrument.id, signed.meti.sign(instrument), actor=signed.meti.user.actor(), now=now)


def test_a_notice_is_concluded_by_its_sender_alone_and_starts_the_period(db: Session, signed: Ledger) -> None:
    notice = conclude(db, signed, "discontinuation_notice", {}, now=LATER, signers=("meity",))
    assert notice.status == "concluded"
    payload = json.loads(notice.payload)
    assert payload["sender"] == "MEITY" and payload["recipient"] == "METI" and payload["notice_date"] == "2026-03-02"
    timeline = queries.timeline(db, signed.agreement)
    assert timeline.notice_received_on == dt.date(2026, 3, 2)
    assert timeline.state_on(dt.date(2026, 5, 1)) is State.NOTICE_GIVEN
    assert timeline.state_on(dt.date(2026, 5, 2)) is State.DISCONTINUED


def test_it_rejects_a_notice_dated_in_the_past_and_appends_nothing(db: Session, signed: Ledger) -> None:
    size = log_size(db)
    with pytest.raises(LifecycleRejected) as caught:
        services.draft_instrument(
            db,
            signed.agreement.slug,
            "discontinuation_notice",
            {"notice_date": "2026-02-01"},
            actor=signed.meity.user.actor(),
            now=LATER,
        )
    assert caught.value.code == "notice_in_past"
    assert log_size(db) == size


def test_a_notice_signed_late_is_checked_again_when_it_is_delivered(db: Session, signed: Ledger) -> None:
    notice = services.draft_instrument(
        db, signed.agreement.slug, "discontinuation_notice", {}, actor=signed.meity.user.actor(), now=LATER
    )
    with pytest.raises(LifecycleRejected) as caught:
        services.submit_signature(
            db, notice.id, signed.meity.sign(notice), actor=signed.meity.user.actor(), now=LATER + dt.timedelta(days=3)
        )
    assert caught.value.code == "notice_in_past"


def test_only_the_sender_may_draft_a_notice(db: Session, signed: Ledger) -> None:
    with pytest.raises(InstrumentRejected) as caught:
        services.draft_instrument(
            db, signed.agreement.slug, "discontinuation_notice", {"sender": "MEITY"}, actor=signed.meti.user.actor(), now=LATER
        )
    assert caught.value.code == "wrong_signer"


def test_it_rejects_a_modification_effective_before_it_is_signed(db: Session, signed: Ledger) -> None:
    members = {
        "summary": "Ninety days",
        "effective_date": "2026-03-01",
        "changes": [{"paragraph": "P7(iii)", "text": "Ninety days."}],
    }
    with pytest.raises(LifecycleRejected) as caught:
        services.draft_instrument(db, signed.agreement.slug, "modification", members, actor=signed.meti.user.actor(), now=LATER)
    assert caught.value.code == "effective_before_signed"


def test_a_modification_changes_the_text_from_its_effective_date(db: Session, signed: Ledger) -> None:
    members = {
        "summary": "Ninety days",
        "effective_date": "2026-04-01",
        "changes": [{"paragraph": "P7(iii)", "text": "Ninety days' notice."}],
    }
    conclude(db, signed, "modification", members, now=LATER)
    timeline = queries.timeline(db, signed.agreement)
    base = queries.base_text(db, signed.agreement.id)
    assert dict(timeline.text_on(base, dt.date(2026, 3, 31)))["P7(iii)"].startswith("Either side")
    assert dict(timeline.text_on(base, dt.date(2026, 4, 1)))["P7(iii)"] == "Ninety days' notice."


def test_payload_problems_come_back_per_field(db: Session, signed: Ledger) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.draft_instrument(
            db, signed.agreement.slug, "renewal", {"term_years": "five"}, actor=signed.meti.user.actor(), now=LATER
        )
    assert "term_years" in caught.value.errors


def test_a_liaison_may_not_sign_for_a_participant(db: Session, signed: Ledger, cast: Cast) -> None:
    with pytest.raises(Forbidden):
        register(db, cast.mic_liaison, now=LATER)


def test_a_concluded_instrument_takes_no_more_signatures(db: Session, signed: Ledger) -> None:
    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    with pytest.raises(AlreadyConcluded):
        services.submit_signature(db, instrument.id, signed.meti.sign(instrument), actor=signed.meti.user.actor(), now=LATER)


def test_the_log_entry_holds_the_whole_signed_instrument(db: Session, signed: Ledger) -> None:
    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    entry = transparency.get_entry(db, instrument.log_index or 0)
    assert entry is not None
    payload = json.loads(entry.data)["payload"]
    assert canonicalize(payload["jws"]) == canonicalize(queries.instrument_jws(db, instrument))


def test_a_key_rotation_adds_the_new_key_and_retires_the_old(db: Session, signed: Ledger) -> None:
    new = jws.generate_key()
    old_kid = jws.key_id(signed.meti.key)
    members = {
        "signatory": "METI Officer",
        "action": "rotate",
        "new_key": jws.public_jwk(new),
        "old_kid": old_kid,
        "reason": "scheduled",
    }
    rotation = conclude(db, signed, "key_rotation", members, now=LATER, signers=("meti",))
    keys = queries.keyring(db)
    assert keys[old_kid].revoked_at == LATER and jws.key_id(new) in keys
    assert services.verify_stored(db, rotation).complete
