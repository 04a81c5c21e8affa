"""The decision engine, one rule at a time: each permit path and each deny-by-default case."""

from __future__ import annotations

from datetime import datetime, timedelta

from kakehashi.exchange.policy import AccessMode, RecipientKind, Recipients, Tlp, compile_policy, decide, index_consents

MICRO = timedelta(microseconds=1)


def test_it_permits_a_named_organisation_to_view_for_a_permitted_purpose(conditions, request_):
    decision = decide(compile_policy(conditions()), request_())
    assert (decision.permit, decision.rule) == (True, "permitted-purpose")


def test_it_permits_download_when_the_discloser_allows_it(conditions, request_):
    assert decide(compile_policy(conditions()), request_(action="download")).permit


def test_it_denies_a_purpose_outside_the_vocabulary(conditions, request_):
    decision = decide(compile_policy(conditions()), request_(purpose="resale"))
    assert (decision.permit, decision.rule) == (False, "purpose-unknown")


def test_it_denies_an_access_that_states_no_purpose(conditions, request_):
    assert decide(compile_policy(conditions()), request_(purpose="")).rule == "purpose-missing"


def test_it_denies_an_action_it_does_not_know(conditions, request_):
    assert decide(compile_policy(conditions()), request_(action="print")).rule == "action-unknown"


def test_it_denies_a_time_without_timezone(conditions, request_, moments):
    naive = moments["middle"].replace(tzinfo=None)
    assert decide(compile_policy(conditions()), request_(at=naive)).rule == "time-not-understood"


def test_the_validity_period_includes_its_start_and_excludes_its_end(conditions, request_, moments):
    policy = compile_policy(conditions())
    assert decide(policy, request_(at=moments["start"] - MICRO)).rule == "not-yet-valid"
    assert decide(policy, request_(at=moments["start"])).permit
    assert decide(policy, request_(at=moments["end"] - MICRO)).permit
    assert decide(policy, request_(at=moments["end"])).rule == "expired"


def test_it_denies_after_the_retention_date(conditions, request_, moments):
    policy = compile_policy(conditions(retain_until=moments["middle"]))
    assert decide(policy, request_(at=moments["middle"] - MICRO)).permit
    assert decide(policy, request_(at=moments["middle"])).rule == "retention-ended"


def test_it_denies_a_side_that_is_not_a_participant(conditions, request_):
    assert decide(compile_policy(conditions()), request_(side="US")).rule == "side-unknown"


def test_it_denies_another_organisation_of_the_same_side(conditions, request_):
    decision = decide(compile_policy(conditions()), request_(user_id="ravi", org_id="tcs", ministry=None))
    assert (decision.permit, decision.rule) == (False, "recipient-not-permitted")


def test_it_denies_a_recipient_from_the_wrong_side(conditions, request_):
    policy = compile_policy(conditions(tlp=Tlp.GREEN, recipients=Recipients(sides=frozenset({"IN"}))))
    assert decide(policy, request_(org_id="toyota", side="IN", ministry=None)).permit
    assert decide(policy, request_(org_id="meti", side="JP", ministry="METI")).rule == "recipient-not-permitted"


def test_it_permits_a_ministry_and_a_named_person(conditions, request_):
    policy = compile_policy(conditions(recipients=Recipients(ministries=frozenset({"MIC"}),
                                                             users=frozenset({"kenji"}))))
    assert decide(policy, request_(user_id="aki", org_id="mic", side="JP", ministry="MIC")).permit
    assert decide(policy, request_(user_id="kenji", org_id="nec", side="JP", ministry=None)).permit
    assert not decide(policy, request_()).permit


def test_amber_does_not_reach_a_whole_side(conditions, request_):
    policy = compile_policy(conditions(tlp=Tlp.AMBER, recipients=Recipients(sides=frozenset({"IN"}))))
    assert decide(policy, request_()).rule == "tlp-limits-recipients"


def test_red_reaches_named_people_only(conditions, request_):
    recipients = Recipients(sides=frozenset({"IN"}), organisations=frozenset({"meity"}),
                            ministries=frozenset({"MeitY"}), users=frozenset({"anita"}))
    policy = compile_policy(conditions(tlp=Tlp.RED, recipients=recipients))
    assert decide(policy, request_()).rule == "tlp-limits-recipients"
    assert decide(policy, request_(user_id="anita")).permit


def test_it_denies_download_of_a_view_only_item(conditions, request_):
    policy = compile_policy(conditions(access=AccessMode.VIEW_ONLY))
    assert decide(policy, request_()).permit
    assert decide(policy, request_(action="download")).rule == "view-only"


def test_it_denies_onward_sharing_unless_the_discloser_allows_it(conditions, request_):
    assert decide(compile_policy(conditions()), request_(action="share_onward")).rule == \
        "onward-sharing-needs-consent"
    assert decide(compile_policy(conditions(onward_sharing=True)), request_(action="share_onward")).permit


def test_strict_labels_forbid_onward_sharing_whatever_the_flag(conditions, request_):
    for tlp in (Tlp.AMBER_STRICT, Tlp.RED):
        policy = compile_policy(conditions(tlp=tlp, onward_sharing=True,
                                           recipients=Recipients(users=frozenset({"priya"}))))
        assert decide(policy, request_(action="share_onward")).rule == "onward-sharing-needs-consent"


def test_it_denies_another_purpose_without_consent(conditions, request_):
    decision = decide(compile_policy(conditions()), request_(purpose="talent"))
    assert (decision.permit, decision.rule) == (False, "purpose-needs-consent")


def test_a_consent_grant_widens_the_purpose_for_that_recipient_only(conditions, request_, grant):
    policy, consents = compile_policy(conditions()), index_consents([grant()])
    decision = decide(policy, request_(purpose="talent"), consents)
    assert (decision.permit, decision.rule) == (True, "consent:c-1")
    assert decide(policy, request_(user_id="vikram", purpose="talent"), consents).rule == \
        "purpose-needs-consent"
    assert decide(policy, request_(purpose="startup"), consents).rule == "purpose-needs-consent"


def test_a_grant_to_an_organisation_covers_its_people(conditions, request_, grant):
    consents = index_consents([grant(recipient_kind=RecipientKind.ORG, recipient_id="meity")])
    assert decide(compile_policy(conditions()), request_(user_id="vikram", purpose="talent"), consents).permit


def test_revocation_ends_access_at_once(conditions, request_, grant, moments):
    revoked = grant(revoked_at=moments["middle"])
    policy, consents = compile_policy(conditions()), index_consents([revoked])
    assert decide(policy, request_(purpose="talent", at=moments["middle"] - MICRO), consents).permit
    decision = decide(policy, request_(purpose="talent", at=moments["middle"]), consents)
    assert (decision.permit, decision.rule) == (False, "consent-inactive")
    assert "revoked" in decision.reason


def test_a_grant_has_no_effect_before_it_was_given_or_after_it_expires(conditions, request_, grant, moments):
    early = request_(purpose="talent", at=moments["start"])
    consents = index_consents([grant(granted_at=moments["middle"], expires_at=moments["end"] - MICRO)])
    policy = compile_policy(conditions())
    assert decide(policy, early, consents).rule == "consent-inactive"
    assert decide(policy, request_(purpose="talent", at=moments["end"] - MICRO), consents).rule == \
        "consent-inactive"


def test_a_new_grant_after_a_revoked_one_permits_again(conditions, request_, grant, moments):
    consents = index_consents([grant(revoked_at=moments["start"] + MICRO),
                               grant(grant_id="c-2", granted_at=moments["middle"])])
    decision = decide(compile_policy(conditions()), request_(purpose="talent"), consents)
    assert decision.rule == "consent:c-2"


def test_consent_does_not_lift_view_only(conditions, request_, grant):
    policy = compile_policy(conditions(access=AccessMode.VIEW_ONLY))
    assert decide(policy, request_(purpose="talent", action="download"), index_consents([grant()])).rule == \
        "view-only"


def test_onward_sharing_needs_a_grant_that_covers_it(conditions, request_, grant):
    policy = compile_policy(conditions())
    plain = index_consents([grant(purpose="ai")])
    onward = index_consents([grant(purpose="ai", onward_sharing=True)])
    assert decide(policy, request_(action="share_onward"), plain).rule == "onward-sharing-needs-consent"
    assert decide(policy, request_(action="share_onward"), onward).rule == "consent:c-1"


def test_consent_never_reopens_an_expired_item(conditions, request_, grant, moments):
    consents = index_consents([grant()])
    assert decide(compile_policy(conditions()), request_(purpose="talent", at=moments["end"]), consents).rule \
        == "expired"


def test_a_policy_naming_a_purpose_outside_the_vocabulary_denies_everything(conditions, request_):
    policy = compile_policy(conditions(purposes=frozenset({"ai", "espionage"})))
    decision = decide(policy, request_())
    assert (decision.permit, decision.rule) == (False, "policy-not-understood")
    assert "espionage" in decision.reason


def test_an_officer_extended_vocabulary_is_understood(conditions, request_):
    vocabulary = frozenset({"ai", "research", "quantum"})
    policy = compile_policy(conditions(purposes=frozenset({"quantum"})), vocabulary)
    assert decide(policy, request_(purpose="quantum")).permit
    assert decide(policy, request_(purpose="talent")).rule == "purpose-unknown"


def test_conditions_with_parts_not_understood_deny_everything(conditions, request_):
    policy = compile_policy(conditions(not_understood=("constraint 'spatial' 'eq' is beyond this profile",)))
    assert decide(policy, request_()).reason == "constraint 'spatial' 'eq' is beyond this profile"


def test_unreadable_dates_and_sides_in_conditions_deny_everything(conditions, request_, moments):
    naive = datetime(2026, 1, 1)
    broken = [
        conditions(valid_from=naive),
        conditions(valid_until=moments["start"]),
        conditions(recipients=Recipients(sides=frozenset({"EU"}))),
        conditions(tlp="WHITE"),
        conditions(access="print"),
    ]
    for each in broken:
        assert decide(compile_policy(each), request_()).rule == "policy-not-understood"
