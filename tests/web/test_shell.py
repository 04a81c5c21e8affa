"""The web shell: security headers, CSRF, sign-in flow, languages, errors as problem+json."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories.identity import PASSWORD, make_user
from tests.fixtures.web import WebClient


def test_every_page_carries_a_strict_csp_and_frame_denial(client: WebClient) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers  # served over plain HTTP here


def test_pages_contain_no_inline_script(client: WebClient) -> None:
    for path in ("/", "/login", "/api/docs"):
        html = client.get(path).text
        assert "<script>" not in html and "onclick=" not in html


def test_a_form_post_without_the_csrf_token_is_refused(client: WebClient, db: Session) -> None:
    make_user(db, email="csrf@example.org")
    client.get("/login")
    response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD})
    assert response.status_code == 403


def test_sign_in_sets_a_strict_http_only_session_cookie_and_sign_out_ends_it(client: WebClient, db: Session) -> None:
    make_user(db, email="web@example.org")
    response = client.post_form("/login", {"email": "web@example.org", "password": PASSWORD, "next": "/profile"})
    assert response.status_code == 303 and response.headers["location"] == "/profile"
    cookie = response.headers["set-cookie"]
    assert "kk_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/profile").status_code == 200
    client.post_form("/logout")
    assert client.get("/profile").status_code == 303


def test_sign_in_never_redirects_off_site(client: WebClient, db: Session) -> None:
    make_user(db, email="redirect@example.org")
    response = client.post_form("/login", {"email": "redirect@example.org", "password": PASSWORD,
                                           "next": "//evil.example/steal"})
    assert response.headers["location"] == "/"


def test_a_wrong_password_re_renders_the_form_with_a_message(client: WebClient, db: Session) -> None:
    make_user(db, email="typo@example.org")
    response = client.post_form("/login", {"email": "typo@example.org", "password": "nope nope nope"})
    assert response.status_code == 401
    assert "E-mail or password is not right." in response.text
    assert 'value="typo@example.org"' in response.text


def test_the_language_switch_renders_japanese_and_remembers_it(client: WebClient) -> None:
    response = client.get("/?lang=ja")
    assert '<html lang="ja">' in response.text and "組織登録簿" in response.text
    assert "kk_lang=ja" in response.headers["set-cookie"]
    assert '<html lang="ja">' in client.get("/login").text


def test_api_errors_are_problem_json_naming_the_problem(client: WebClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["type"] == "/problems/unauthenticated" and body["instance"] == "/api/v1/me"


def test_api_accepts_bearer_tokens(client: WebClient, db: Session, bearer: object) -> None:
    user = make_user(db, email="api@example.org")
    response = client.get("/api/v1/me", headers=bearer(user))  # type: ignore[operator]
    assert response.status_code == 200 and response.json()["email"] == "api@example.org"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer kk_forged"}).status_code == 422


def test_unknown_pages_are_friendly_404s_and_api_ones_problem_json(client: WebClient) -> None:
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_health_check_reports_the_database(client: WebClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_openapi_is_served_and_docs_use_no_cdn(client: WebClient) -> None:
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Kakehashi API"
    docs = client.get("/api/docs").text
    assert "cdn" not in docs.lower() and "/static/swagger/swagger-ui-bundle.js" in docs


def test_notifications_show_translated_and_reading_them_changes_nothing(
        client: WebClient, db: Session, login: object) -> None:
    from kakehashi.kernel import notifications

    user = make_user(db, email="notes@example.org")
    notifications.notify(db, user_id=user.id, kind="test", title="Notifications", link="/")
    db.flush()
    browser = login(user)  # type: ignore[operator]
    assert notifications.unread_count(db, user.id) == 1
    page = browser.get("/notifications?lang=ja")
    assert page.status_code == 200 and "通知" in page.text
    assert notifications.unread_count(db, user.id) == 1


def test_marking_notifications_read_is_a_post_with_csrf(client: WebClient, db: Session, login: object) -> None:
    from kakehashi.kernel import notifications

    user = make_user(db, email="notes@example.org")
    first = notifications.notify(db, user_id=user.id, kind="test", title="Notifications")
    notifications.notify(db, user_id=user.id, kind="test", title="Notifications")
    db.flush()
    browser = login(user)  # type: ignore[operator]
    assert browser.post("/notifications/read").status_code == 403  # no CSRF token
    assert notifications.unread_count(db, user.id) == 2
    one = browser.post_form(f"/notifications/{first.id}/read")
    assert one.status_code == 303 and notifications.unread_count(db, user.id) == 1
    everything = browser.post_form("/notifications/read")
    assert everything.status_code == 303 and everything.headers["location"] == "/notifications?flash=notifications_read"
    assert notifications.unread_count(db, user.id) == 0
    assert "Notifications marked as read" in browser.get(everything.headers["location"]).text


def test_nobody_marks_another_persons_notification_read(client: WebClient, db: Session, login: object) -> None:
    from kakehashi.kernel import notifications

    owner = make_user(db, email="owner@example.org")
    note = notifications.notify(db, user_id=owner.id, kind="test", title="Notifications")
    db.flush()
    browser = login(make_user(db, email="other@example.org"))  # type: ignore[operator]
    assert browser.post_form(f"/notifications/{note.id}/read").status_code == 404
    assert notifications.unread_count(db, owner.id) == 1


def test_officers_see_their_own_sides_audit_trail_only(login: object, db: Session) -> None:
    from kakehashi.kernel import audit
    from kakehashi.kernel.authz import Ministry, Role, Side

    meti = make_user(db, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI, email="a1@meti.example")
    audit.record(db, meti.actor(), "test.japanese_act", target_type="thing", target_id=1)
    audit.record(db, meti.actor(), "test.indian_act", target_type="thing", target_id=2, side="IN")
    db.flush()
    page = login(meti).get("/audit?action=test.")  # type: ignore[operator]
    assert page.status_code == 200
    assert "test.japanese_act" in page.text and "test.indian_act" not in page.text


def test_org_members_may_not_read_the_audit_trail(login: object, db: Session) -> None:
    assert login(make_user(db)).get("/audit").status_code == 403  # type: ignore[operator]
