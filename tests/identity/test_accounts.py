"""Accounts: creation, invitations, sign-in with throttling, sessions, tokens, role changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.identity import services
from kakehashi.identity.errors import EmailTaken, InvalidCredentials, InvitationInvalid, LoginThrottled
from kakehashi.identity.models import User, WebSession
from kakehashi.kernel.audit import AuditEvent, events_for
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.errors import DomainError, Forbidden, ValidationFailed
from tests.factories.identity import PASSWORD, make_user

WINDOW = dt.timedelta(minutes=15)


def test_it_stores_an_argon2_hash_never_the_password(db: Session) -> None:
    user = make_user(db)
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_it_refuses_a_second_account_with_the_same_email_in_any_case(db: Session) -> None:
    make_user(db, email="someone@example.org")
    with pytest.raises(EmailTaken):
        make_user(db, email="SomeOne@Example.org")


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.c", "a b@c.d"])
def test_it_rejects_malformed_emails_naming_the_field(db: Session, email: str) -> None:
    with pytest.raises(DomainError) as caught:
        make_user(db, email=email)
    assert caught.value.field == "email"


def test_it_refuses_an_officer_without_side_or_with_the_other_sides_ministry(db: Session) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_user(db, role=Role.NODAL_OFFICER, ministry=Ministry.METI)
    assert "side" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        make_user(db, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.METI)
    assert "ministry" in caught.value.errors


def test_invitation_signup_gives_exactly_the_invited_role_once(db: Session, cast: object) -> None:
    officer = cast.meti_officer  # type: ignore[attr-defined]
    invitation, token = services.invite(
        db, email="new.liaison@example.jp", actor=officer.actor(),
        spec=services.RoleSpec(Role.MINISTRY_LIAISON, Side.JP, Ministry.MEXT),
    )
    user = services.accept_invitation(db, token=token, name="New Liaison", password="a long password")
    assert (user.role, user.side, user.ministry) == ("ministry_liaison", "JP", "MEXT")
    with pytest.raises(InvitationInvalid):
        services.accept_invitation(db, token=token, name="Again", password="a long password")
    assert invitation.accepted_at is not None


def test_an_officer_cannot_invite_for_the_other_side(db: Session, cast: object) -> None:
    with pytest.raises(Forbidden):
        services.invite(db, email="x@example.in", actor=cast.meti_officer.actor(),  # type: ignore[attr-defined]
                        spec=services.RoleSpec(Role.NODAL_OFFICER, Side.IN, Ministry.MEITY))


def test_an_org_admin_invites_only_into_their_own_organisation(db: Session, cast: object) -> None:
    admin = cast.jp_org_admin  # type: ignore[attr-defined]
    services.invite(db, email="colleague@sakura.example.jp", actor=admin.actor(),
                    spec=services.RoleSpec(Role.ORG_MEMBER, org_id=admin.org_id))
    with pytest.raises(Forbidden):
        services.invite(db, email="spy@example.in", actor=admin.actor(),
                        spec=services.RoleSpec(Role.ORG_MEMBER, org_id=cast.in_org.id))  # type: ignore[attr-defined]


def test_sign_in_succeeds_and_is_audited(db: Session) -> None:
    user = make_user(db, email="signer@example.org")
    signed = services.authenticate(db, email="Signer@example.org", password=PASSWORD, client="1.2.3.4",
                                   max_failures=5, window=WINDOW)
    assert signed.id == user.id
    assert [e.action for e in events_for(db, target_type="user", target_id=user.id)][0] == "identity.signed_in"


def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(db: Session) -> None:
    # From the same client: the owner's client elsewhere is not delayed (tests/security/test_sign_in_hygiene.py).
    make_user(db, email="victim@example.org")
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            services.authenticate(db, email="victim@example.org", password="wrong password", client="9.9.9.9",
                                  max_failures=3, window=WINDOW)
    with pytest.raises(LoginThrottled):
        services.authenticate(db, email="victim@example.org", password=PASSWORD, client="9.9.9.9",
                              max_failures=3, window=WINDOW)


def test_unknown_accounts_fail_like_wrong_passwords(db: Session) -> None:
    with pytest.raises(InvalidCredentials):
        services.authenticate(db, email="ghost@example.org", password="whatever12", client="c",
                              max_failures=5, window=WINDOW)


def test_sessions_expire_when_idle_and_end_on_sign_out(db: Session) -> None:
    user = make_user(db)
    token = services.start_session(db, user, idle=dt.timedelta(minutes=30))
    db.flush()
    assert services.resolve_session(db, token, idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=1)) == user
    row = db.get(WebSession, services.token_hash(token))
    assert row is not None
    row.expires_at = row.expires_at - dt.timedelta(hours=1)
    assert services.resolve_session(db, token, idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=1)) is None
    token2 = services.start_session(db, user, idle=dt.timedelta(minutes=30))
    services.end_session(db, token2)
    db.flush()
    assert services.resolve_session(db, token2, idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=1)) is None


def test_api_tokens_are_stored_hashed_and_resolve_to_their_user(db: Session) -> None:
    user = make_user(db)
    secret = services.create_api_token(db, user=user)
    db.flush()
    assert services.resolve_api_token(db, secret) == user
    assert services.resolve_api_token(db, secret + "x") is None
    stored = db.scalars(select(User)).all()
    assert all(secret not in str(vars(u)) for u in stored)


def test_a_role_change_is_audited_and_ends_the_users_sessions(db: Session, cast: object) -> None:
    user = make_user(db)
    services.start_session(db, user, idle=dt.timedelta(minutes=30))
    db.flush()
    services.change_role(db, user_id=user.id, actor=cast.admin.actor(),  # type: ignore[attr-defined]
                         spec=services.RoleSpec(Role.PROGRAMME_MANAGER, Side.IN))
    db.flush()
    assert user.role == "programme_manager"
    assert db.scalars(select(WebSession).where(WebSession.user_id == user.id)).all() == []
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "identity.role.changed")).one()
    assert event.details["before"]["role"] == "org_member" and event.details["after"]["role"] == "programme_manager"


def test_officers_of_a_side_are_its_nodal_officers_and_liaisons_only(db: Session, cast: object) -> None:
    japanese = {u.email for u in services.officers_of_side(db, "JP")}
    assert japanese == {"meti@example.jp", "mic@example.jp"}
    assert {u.email for u in services.officers_of_side(db, "JP", nodal_only=True)} == {"meti@example.jp"}
