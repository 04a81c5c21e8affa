"""Prior written consent: request, grant as a signed purpose_consent instrument, refusal, revocation,
and consents that are forged or replayed are not honoured."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kakehashi import agreement
from kakehashi.exchange import consents, services
from kakehashi.exchange.errors import ConsentRejected
from kakehashi.exchange.models import Consent
from kakehashi.exchange.policy import Recipients
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden


def _open(db, keyring, user, item, purpose):
    return services.access_item(db, item.id, actor=user.actor(), action="view", purpose=purpose, keyring=keyring,
                                now=utcnow()).decision


def _ask(db, user, item, purpose="talent", onward=False):
    return consents.request_consent(db, item.id, actor=user.actor(), purpose=purpose, onward_sharing=onward,
                                    justification="For the joint workforce study.", now=utcnow())


def _grant(db, officer, consent, *, demo_keys=True, to_organisation=False):
    return consents.grant_consent(db, consent.id, actor=officer.actor(), note="", to_organisation=to_organisation,
                                  now=utcnow(), demo_keys=demo_keys)


def test_a_grant_is_a_signed_instrument_and_opens_that_purpose(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    assert _open(db, keyring, cast.meity_officer, item, "talent").rule == "purpose-needs-consent"
    consent = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, item))
    assert consent.status == "granted" and consent.instrument_id is not None
    instrument = agreement.get_instrument(db, consent.instrument_id)
    assert (instrument.type, instrument.status) == ("purpose_consent", "concluded")
    report = agreement.verify_stored(db, instrument)
    assert report.complete and report.signed_by == {"METI"}
    decision = _open(db, keyring, cast.meity_officer, item, "talent")
    assert (decision.permit, decision.rule) == (True, f"consent:consent-{consent.id}")
    assert _open(db, keyring, cast.meity_officer, item, "startup").rule == "purpose-needs-consent"


def test_without_a_signature_the_grant_awaits_and_permits_nothing(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    consent = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, item), demo_keys=False)
    assert consent.status == "awaiting_signature"
    assert _open(db, keyring, cast.meity_officer, item, "talent").rule == "purpose-needs-consent"


def test_refusal_keeps_the_purpose_closed_and_tells_the_requester(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    consent = consents.refuse_consent(db, _ask(db, cast.meity_officer, item).id, actor=cast.meti_officer.actor(),
                                      note="Not for this purpose.", now=utcnow())
    assert consent.status == "refused"
    assert _open(db, keyring, cast.meity_officer, item, "talent").rule == "purpose-needs-consent"
    with pytest.raises(ConsentRejected):
        _grant(db, cast.meti_officer, consent)


def test_revocation_ends_access_at_once(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    consent = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, item))
    assert _open(db, keyring, cast.meity_officer, item, "talent").permit
    consents.revoke_consent(db, consent.id, actor=cast.meti_officer.actor(), note="Study ended.", now=utcnow())
    decision = _open(db, keyring, cast.meity_officer, item, "talent")
    assert (decision.permit, decision.rule) == (False, "consent-inactive")


def test_only_officers_of_the_disclosing_side_decide(db, cast, share, moc):
    consent = _ask(db, cast.meity_officer, share(cast.meti_officer))
    with pytest.raises(Forbidden):
        _grant(db, cast.meity_officer, consent)
    with pytest.raises(Forbidden):
        _grant(db, cast.jp_org_admin, consent)


def test_a_forged_grant_is_not_honoured(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    consent = _ask(db, cast.meity_officer, item)
    consent.status, consent.granted_at = "granted", utcnow()  # written behind the platform's back, unsigned
    db.flush()
    assert _open(db, keyring, cast.meity_officer, item, "talent").rule == "purpose-needs-consent"
    other = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, share(cast.meti_officer)))
    consent.instrument_id = other.instrument_id  # a real signed instrument, but for another consent
    db.flush()
    assert _open(db, keyring, cast.meity_officer, item, "talent").rule == "purpose-needs-consent"


def test_a_replayed_instrument_does_not_open_another_purpose(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    first = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, item, "talent"))
    second = _ask(db, cast.meity_officer, item, "startup")
    second.status, second.granted_at, second.instrument_id = "granted", utcnow(), first.instrument_id
    db.flush()
    assert _open(db, keyring, cast.meity_officer, item, "startup").rule == "purpose-needs-consent"
    assert _open(db, keyring, cast.meity_officer, item, "talent").permit


def test_a_grant_to_the_organisation_covers_its_people(db, cast, keyring, share, moc):
    item = share(cast.meti_officer, recipients=Recipients(organisations=frozenset({str(cast.in_org.id)})))
    member = cast.in_org_member
    _grant(db, cast.meti_officer, _ask(db, member, item), to_organisation=True)
    colleague = _make_colleague(db, cast)
    assert _open(db, keyring, colleague, item, "talent").permit


def _make_colleague(db, cast):
    from tests.factories.identity import make_user
    return make_user(db, org_id=cast.in_org.id)


def test_within_one_side_a_grant_needs_no_instrument(db, cast, keyring, share):
    item = share(cast.meti_officer, recipients=Recipients(ministries=frozenset({"MIC"})))
    consent = _grant(db, cast.meti_officer, _ask(db, cast.mic_liaison, item))
    assert (consent.status, consent.instrument_id) == ("granted", None)
    assert _open(db, keyring, cast.mic_liaison, item, "talent").permit


def test_a_request_must_be_new_and_for_another_purpose(db, cast, share):
    item = share(cast.meti_officer)
    with pytest.raises(ConsentRejected):
        _ask(db, cast.meity_officer, item, "semiconductor")
    _ask(db, cast.meity_officer, item, "talent")
    with pytest.raises(ConsentRejected):
        _ask(db, cast.meity_officer, item, "talent")


def test_every_consent_step_is_on_the_log_and_the_log_verifies(db, cast, keyring, share, moc):
    item = share(cast.meti_officer)
    consent = _grant(db, cast.meti_officer, _ask(db, cast.meity_officer, item))
    consents.revoke_consent(db, consent.id, actor=cast.meti_officer.actor(), note="", now=utcnow())
    kinds = [row.kind for row in db.scalars(select(agreement.LogEntry).order_by(agreement.LogEntry.index))]
    for kind in ("exchange.item.shared", "exchange.consent.requested", "exchange.consent.approved",
                 "agreement.instrument", "exchange.consent.granted", "exchange.consent.revoked"):
        assert kind in kinds
    report = agreement.verify_log(db)
    assert report.ok, report.problems
    assert db.scalar(select(Consent.status).where(Consent.id == consent.id)) == "revoked"
