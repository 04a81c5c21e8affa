"""API tokens are named, expire, record their last use, and can be listed and revoked (page, API, CLI).

Expired or revoked tokens stop working wherever tokens are accepted: the API's bearer and TAXII.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kakehashi import cli_support
from kakehashi.cli import app as cli_app
from kakehashi.identity import services
from kakehashi.identity.models import ApiToken
from kakehashi.kernel.audit import AuditEvent
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, NotFound, ValidationFailed
from tests.factories.identity import make_user
from tests.fixtures.web import WebClient

TAXII = {"Accept": "application/taxii+json;version=2.1"}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_has_a_name_a_default_lifetime_and_a_maximum(db: Session) -> None:
    user = make_user(db)
    now = utcnow()
    token, secret = services.issue_api_token(db, user=user, name="nightly export", now=now)
    assert token.name == "nightly export" and secret.startswith(token.prefix)
    assert token.expires_at == now + dt.timedelta(days=services.DEFAULT_TOKEN_DAYS) and token.revoked_at is None
    longest, _ = services.issue_api_token(db, user=user, name="yearly", days=365, now=now)
    assert longest.expires_at == now + dt.timedelta(days=365)
    for days, name in ((0, "x"), (366, "x"), (-5, "x"), (30, ""), (30, "n" * 101)):
        with pytest.raises(ValidationFailed):
            services.issue_api_token(db, user=user, name=name, days=days)


def test_an_expired_token_resolves_to_no_one(db: Session) -> None:
    user = make_user(db)
    now = utcnow()
    token, secret = services.issue_api_token(db, user=user, name="short", days=1, now=now)
    assert services.resolve_api_token(db, secret, now=now + dt.timedelta(hours=23)) == user
    assert services.resolve_api_token(db, secret, now=now + dt.timedelta(days=1)) is None
    assert services.resolve_api_token(db, secret, now=now + dt.timedelta(days=400)) is None
    assert token.revoked_at is None


def test_last_use_is_recorded_at_most_once_a_minute(db: Session) -> None:
    user = make_user(db)
    now = utcnow()
    token, secret = services.issue_api_token(db, user=user, name="poller", now=now)
    assert token.last_used_at is None
    services.resolve_api_token(db, secret, now=now + dt.timedelta(seconds=1))
    first = token.last_used_at
    assert first == now + dt.timedelta(seconds=1)
    services.resolve_api_token(db, secret, now=now + dt.timedelta(seconds=50))
    assert token.last_used_at == first  # no second write within the minute
    services.resolve_api_token(db, secret, now=now + dt.timedelta(seconds=62))
    assert token.last_used_at == now + dt.timedelta(seconds=62)


def test_only_the_owner_lists_and_revokes_and_revoking_is_audited(db: Session, cast: Any) -> None:
    owner, other = cast.in_org_member, cast.outsider
    token, secret = services.issue_api_token(db, user=owner, name="mine", actor=owner.actor())
    with pytest.raises(Forbidden):
        services.issue_api_token(db, user=owner, name="planted", actor=other.actor())
    with pytest.raises(Forbidden):
        services.list_api_tokens(db, user_id=owner.id, actor=other.actor())
    with pytest.raises(NotFound):
        services.revoke_api_token(db, token_id=token.id, actor=other.actor())
    assert services.resolve_api_token(db, secret) == owner
    services.revoke_api_token(db, token_id=token.id, actor=owner.actor())
    assert services.resolve_api_token(db, secret) is None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "identity.token.revoked")).one()
    assert event.actor_user_id == owner.id and event.details["token_id"] == token.id
    services.revoke_api_token(db, token_id=token.id, actor=owner.actor())  # twice: harmless, audited once
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "identity.token.revoked")).all()) == 1


def test_the_tokens_page_creates_shows_the_secret_once_lists_and_revokes(
    db: Session, cast: Any, login: Any,
) -> None:
    user = cast.in_org_member
    client: WebClient = login(user)
    profile = client.get("/profile")
    assert 'href="/profile/tokens"' in profile.text
    empty = client.get("/profile/tokens")
    assert empty.status_code == 200 and "You have no API tokens" in empty.text
    created = client.post_form("/profile/tokens", {"name": "ci pipeline", "days": "30"})
    assert created.status_code == 201
    secret = re.search(r'<code id="new-token">(kk_[^<]+)</code>', created.text)
    assert secret is not None
    token = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.name == "ci pipeline" and token.expires_at - token.created_at == dt.timedelta(days=30)
    listed = client.get("/profile/tokens")
    assert secret.group(1) not in listed.text  # shown once only
    assert "ci pipeline" in listed.text and token.prefix in listed.text
    assert f'action="/profile/tokens/{token.id}/revoke"' in listed.text and 'name="csrf_token"' in listed.text
    assert client.get("/api/v1/me", headers=_bearer(secret.group(1))).status_code == 200
    refused = client.post_form("/profile/tokens", {"name": "forever", "days": "3650"})
    assert refused.status_code == 422 and "A token lives 1 to 365 days." in refused.text
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 403  # no CSRF token
    revoked = client.post_form(f"/profile/tokens/{token.id}/revoke")
    assert revoked.status_code == 303
    assert client.get("/api/v1/me", headers=_bearer(secret.group(1))).status_code == 422
    assert "Revoked" in client.get("/profile/tokens").text


def test_the_tokens_page_speaks_japanese_and_hindi(cast: Any, login: Any) -> None:
    client: WebClient = login(cast.in_org_member)
    client.cookies.set("kk_lang", "ja")
    assert "APIトークン" in client.get("/profile/tokens").text
    client.cookies.set("kk_lang", "hi")
    assert "API टोकन" in client.get("/profile/tokens").text


def test_someone_elses_token_cannot_be_revoked_from_the_page(db: Session, cast: Any, login: Any) -> None:
    token, secret = services.issue_api_token(db, user=cast.outsider, name="theirs")
    client: WebClient = login(cast.in_org_member)
    assert client.post_form(f"/profile/tokens/{token.id}/revoke").status_code == 404
    assert services.resolve_api_token(db, secret) == cast.outsider


def test_the_api_lists_creates_and_revokes_own_tokens(db: Session, cast: Any, login: Any) -> None:
    client: WebClient = login(cast.in_org_member)
    created = client.api("POST", "/api/v1/tokens", json={"name": "sync job", "days": 7})
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("kk_") and body["name"] == "sync job"
    assert dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.fromisoformat(body["created_at"]) == \
        dt.timedelta(days=7)
    listed = client.api("GET", "/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["sync job"] and "secret" not in listed[0]
    bearer = _bearer(body["secret"])
    assert client.get("/api/v1/tokens", headers=bearer).status_code == 200
    # A token cannot mint its successors (a leaked token must not outlive its expiry).
    minted = client.post("/api/v1/tokens", json={"name": "successor"}, headers=bearer)
    assert minted.status_code == 403 and minted.headers["content-type"].startswith("application/problem+json")
    too_long = client.api("POST", "/api/v1/tokens", json={"name": "forever", "days": 1000})
    assert too_long.status_code == 422 and too_long.headers["content-type"].startswith("application/problem+json")
    theirs, _ = services.issue_api_token(db, user=cast.outsider, name="theirs")
    missing = client.api("DELETE", f"/api/v1/tokens/{theirs.id}")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=bearer).status_code == 204
    refused = client.get("/api/v1/me", headers=bearer)
    assert refused.status_code == 422 and refused.json()["type"] == "/problems/invalid_token"
    assert client.api("GET", "/api/v1/tokens").json()[0]["revoked_at"] is not None


def test_an_expired_token_is_refused_by_the_api(db: Session, client: WebClient) -> None:
    user = make_user(db)
    token, secret = services.issue_api_token(db, user=user, name="old")
    db.flush()
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 200
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.flush()
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 422


def test_taxii_refuses_expired_and_revoked_tokens(db: Session, cast: Any, client: WebClient) -> None:
    analyst = make_user(db, role=Role.CERT_ANALYST, side=Side.JP, org_id=cast.jp_org.id)
    live = services.create_api_token(db, user=analyst, name="taxii")
    expired, expired_secret = services.issue_api_token(db, user=analyst, name="expired")
    expired.expires_at = utcnow() - dt.timedelta(minutes=1)
    revoked, revoked_secret = services.issue_api_token(db, user=analyst, name="revoked")
    services.revoke_api_token(db, token_id=revoked.id)
    db.flush()
    assert client.get("/taxii2/", headers={**TAXII, **_bearer(live)}).status_code == 200
    for secret in (expired_secret, revoked_secret):
        assert client.get("/taxii2/", headers={**TAXII, **_bearer(secret)}).status_code == 401
        basic = ("Basic " + base64.b64encode(f"{analyst.email}:{secret}".encode()).decode())
        assert client.get("/taxii2/", headers={**TAXII, "Authorization": basic}).status_code == 401


def test_the_cli_creates_lists_and_revokes(
    db: Session, db_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user(db, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI, email="cli@example.jp")
    db.flush()
    monkeypatch.setattr(cli_support, "sessions", lambda: db_factory)
    runner = CliRunner()
    created = runner.invoke(cli_app, ["tokens", "create", "--email", "cli@example.jp", "--name", "backup",
                                      "--days", "10"])
    assert created.exit_code == 0, created.output
    secret = next(line for line in created.stdout.splitlines() if line.startswith("kk_"))
    assert services.resolve_api_token(db, secret) == user
    listed = runner.invoke(cli_app, ["tokens", "list", "--email", "cli@example.jp"])
    assert listed.exit_code == 0 and "backup" in listed.output and "active" in listed.output
    token_id = listed.output.split("\t")[0].strip()
    too_long = runner.invoke(cli_app, ["tokens", "create", "--email", "cli@example.jp", "--name", "x",
                                       "--days", "400"])
    assert too_long.exit_code == 2 and "1 to 365 days" in too_long.output
    revoked = runner.invoke(cli_app, ["tokens", "revoke", "--id", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert services.resolve_api_token(db, secret) is None
    assert "revoked" in runner.invoke(cli_app, ["tokens", "list", "--email", "cli@example.jp"]).output
    assert runner.invoke(cli_app, ["tokens", "revoke", "--id", "999999"]).exit_code == 2
