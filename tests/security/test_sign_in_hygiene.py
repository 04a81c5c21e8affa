"""Sign-in hygiene: a password policy (NIST SP 800-63B style) and throttling that strangers cannot turn into a
lock-out; an anonymous POST to the profile is a 401, not a 500."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kakehashi.identity import passwords, services
from kakehashi.identity.errors import InvalidCredentials, LoginThrottled
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from tests.factories.identity import PASSWORD, make_user
from tests.fixtures.web import WebClient

WEAK = [
    "aaaaaaaaaa",  # the finding
    "password1234", "Password123!", "1234567890", "qwertyuiop", "iloveyou2024", "baseball!!!!",
    "abcdefghijkl", "0987654321", "abcabcabcabc", "zzzzzzzzzzzz1", "ababababab",
    "short",
]


@pytest.mark.parametrize("password", WEAK)
def test_common_repeated_sequential_and_short_passwords_are_refused(password: str) -> None:
    assert passwords.policy_problem(password, email="someone@example.org", name="Some One") is not None


def test_the_persons_own_email_and_name_are_refused() -> None:
    for password in ("sakura.tanaka!!", "TanakaSakura2026", "my name is sakura tanaka"):
        assert passwords.policy_problem(password, email="sakura.tanaka@example.jp", name="Sakura Tanaka") == \
            "Do not use your e-mail address or your name in your password."


@pytest.mark.parametrize("password", [PASSWORD, "dragonfly over kyoto", "7Qm!x2-Lp9vR", "ginkgo leaves in Pune"])
def test_reasonable_passwords_pass(password: str) -> None:
    assert passwords.policy_problem(password, email="sakura.tanaka@example.jp", name="Sakura Tanaka") is None


def test_the_list_ships_in_the_package_with_its_source() -> None:
    path = Path(passwords.__file__).parent / "data" / "common_passwords.txt"
    head = path.read_text(encoding="utf-8")[:400]
    assert "zxcvbn" in head and "MIT" in head
    assert len(passwords.common_passwords()) >= 4900 and "password" in passwords.common_passwords()


def test_create_user_applies_the_policy_at_the_password_field(db: Session) -> None:
    with pytest.raises(DomainError) as caught:
        services.create_user(db, email="weak@example.org", name="Weak", password="aaaaaaaaaa",
                             spec=services.RoleSpec(Role.PROGRAMME_MANAGER, Side.JP))
    assert caught.value.field == "password" and caught.value.code == "password_weak"
    assert services.find_user_by_email(db, "weak@example.org") is None


def test_sign_up_by_invitation_shows_the_policy_translated_at_the_field(db: Session, cast: Any,
                                                                        client: WebClient) -> None:
    _, token = services.invite(db, email="newbie@sakura.example.jp", actor=cast.jp_org_admin.actor(),
                               spec=services.RoleSpec(Role.ORG_MEMBER, org_id=cast.jp_org.id))
    db.commit()  # a savepoint: survives the page's rollback of its refused sign-up
    form = {"name": "Newbie", "password": "password1234", "password_again": "password1234"}
    refused = client.post_form(f"/invitations/{token}", form)
    assert refused.status_code == 422
    assert 'id="e-password"' in refused.text and "among the most common" in refused.text
    client.cookies.set("kk_lang", "ja")
    japanese = client.post_form(f"/invitations/{token}", form)
    assert "よく使われるもの" in japanese.text
    client.cookies.set("kk_lang", "hi")
    assert "सबसे आम पासवर्डों" in client.post_form(f"/invitations/{token}", form).text
    good = "ginkgo leaves in Pune"
    accepted = client.post_form(f"/invitations/{token}", {"name": "Newbie", "password": good, "password_again": good})
    assert accepted.status_code == 303


def test_the_cli_refuses_a_weak_password(db: Session, db_factory: Any, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kakehashi import cli_support
    from kakehashi.cli import app as cli_app

    monkeypatch.setattr(cli_support, "sessions", lambda: db_factory)
    secret = tmp_path / "pw"
    secret.write_text("aaaaaaaaaa", encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["users", "create", "--email", "cli.weak@example.jp", "--role",
                                          "nodal_officer", "--side", "JP", "--ministry", "METI",
                                          "--password-file", str(secret)])
    assert result.exit_code == 2 and "password" in result.output


# --- throttling -------------------------------------------------------------------------------------------

def _fail(db: Session, email: str, client: str, now: dt.datetime, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            services.authenticate(db, email=email, password="not the password", client=client, max_failures=5,
                                  now=now)


def test_an_attacker_from_one_client_cannot_lock_the_owner_out_from_another(db: Session) -> None:
    owner = make_user(db, email="owner@example.org")
    now = utcnow()
    _fail(db, "owner@example.org", "203.0.113.66", now, times=5)
    for _ in range(10):  # the attacker keeps trying: refused without even a password check
        with pytest.raises(LoginThrottled):
            services.authenticate(db, email="owner@example.org", password=PASSWORD, client="203.0.113.66",
                                  max_failures=5, now=now)
    signed = services.authenticate(db, email="owner@example.org", password=PASSWORD, client="198.51.100.7",
                                   max_failures=5, now=now)
    assert signed.id == owner.id


def test_the_back_off_grows_exponentially_and_says_when_to_retry(db: Session) -> None:
    make_user(db, email="target@example.org")
    start = utcnow()
    waits = []
    at = start
    _fail(db, "target@example.org", "192.0.2.1", at, times=4)
    for _ in range(5):
        _fail(db, "target@example.org", "192.0.2.1", at)
        wait = services.retry_after(db, email="target@example.org", client="192.0.2.1", max_failures=5, now=at)
        with pytest.raises(LoginThrottled) as caught:
            services.authenticate(db, email="target@example.org", password=PASSWORD, client="192.0.2.1",
                                  max_failures=5, now=at)
        assert caught.value.retry_after == wait and f"{wait} seconds" in caught.value.message
        waits.append(wait)
        at = at + dt.timedelta(seconds=wait)  # wait exactly as told, then fail again
    assert waits == [2, 4, 8, 16, 32]
    # Having waited, the right password works and resets this client's count for the account.
    services.authenticate(db, email="target@example.org", password=PASSWORD, client="192.0.2.1", max_failures=5,
                          now=at)
    assert services.retry_after(db, email="target@example.org", client="192.0.2.1", max_failures=5, now=at) == 0


def test_a_client_spraying_many_accounts_is_throttled_for_every_account(db: Session) -> None:
    make_user(db, email="fresh@example.org")
    now = utcnow()
    for n in range(20):  # 20 accounts, one wrong guess each: no pair reaches 5
        _fail(db, f"sprayed{n}@example.org", "192.0.2.99", now)
    with pytest.raises(LoginThrottled):
        services.authenticate(db, email="fresh@example.org", password=PASSWORD, client="192.0.2.99",
                              max_failures=5, now=now)
    services.authenticate(db, email="fresh@example.org", password=PASSWORD, client="192.0.2.100", max_failures=5,
                          now=now)


def test_the_sign_in_page_answers_429_with_when_to_retry(db: Session, client: WebClient) -> None:
    make_user(db, email="paged@example.org")
    db.flush()
    for _ in range(5):
        assert client.post_form("/login", {"email": "paged@example.org", "password": "wrong one"}).status_code == 401
    throttled = client.post_form("/login", {"email": "paged@example.org", "password": PASSWORD})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1
    assert "Try again in" in throttled.text and "seconds" in throttled.text


def test_officers_too_are_never_locked_out_by_strangers(db: Session) -> None:
    officer = make_user(db, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY, email="nodal@example.in")
    now = utcnow()
    for n in range(3):
        _fail(db, "nodal@example.in", f"203.0.113.{n}", now, times=5)
    assert services.authenticate(db, email="nodal@example.in", password=PASSWORD, client="10.1.1.1",
                                 max_failures=5, now=now).id == officer.id


def test_an_anonymous_post_to_the_profile_is_a_401_not_a_500(client: WebClient) -> None:
    response = client.post_form("/profile", {"title": "Intruder"})
    assert response.status_code == 401
    api = client.post("/profile", data={"csrf_token": client.csrf(), "title": "x"}, headers={"Accept": "application/json"})
    assert api.status_code == 401
