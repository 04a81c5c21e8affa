"""Input bounds: integers the database cannot hold and control characters never reach it (nor answer 5xx)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from kakehashi.identity import services as identity
from kakehashi.kernel import notifications
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.pagination import MAX_PAGE, clamp
from kakehashi.web.deps import SESSION_COOKIE
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient
from tests.security.routes import fill, routes

HUGE = [2**63, 2**31, -1, 10**30]


@pytest.fixture
def admin(app: FastAPI, db: Session, cast: Cast) -> Iterator[WebClient]:
    """A platform administrator's browser that reports server errors as responses (to count them)."""
    with WebClient(app, raise_server_exceptions=False, follow_redirects=False) as browser:
        browser.secret_key = app.state.settings.secret_key
        token = identity.start_session(db, cast.admin, idle=dt.timedelta(hours=1))
        db.commit()
        browser.cookies.set(SESSION_COOKIE, token)
        yield browser


def test_every_integer_parameter_of_every_route_refuses_what_the_database_cannot_hold(
        app: FastAPI, db: Session, admin: WebClient) -> None:
    failures, tried = [], 0
    csrf = {"X-CSRF-Token": admin.csrf()}
    for info in routes(app):
        ints = info.int_parameters()
        for method in sorted(info.methods - {"HEAD"}):
            for location, name in ints:
                for value in HUGE:
                    path_values = {n: (value if (location, n) == ("path", name) else 1 if ("path", n) in ints else "x")
                                   for n in info.path_names}
                    query = {name: str(value)} if location == "query" else {}
                    response = admin.request(method, fill(info.path, path_values), params=query, headers=csrf)
                    db.rollback()  # each request as if on its own session (a refused write leaves nothing behind)
                    tried += 1
                    if response.status_code >= 500:
                        failures.append(f"{method} {info.path} {name}={value}: {response.status_code}")
                    elif value in (2**63, 10**30) and response.status_code not in (404, 405, 422):
                        failures.append(f"{method} {info.path} {name}={value} was accepted: {response.status_code}")
    assert tried > 500 and failures == []


def test_an_out_of_range_id_is_a_problem_in_the_api_and_the_error_page_on_pages(admin: WebClient) -> None:
    api = admin.get(f"/api/v1/organisations/{2**31}")
    assert api.status_code == 422 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["errors"][0]["field"] == "org_id"
    page = admin.get(f"/organisations/{10**30}")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert admin.get(f"/api/v1/organisations?page={2**63}").status_code == 422


def test_huge_page_numbers_are_clamped() -> None:
    assert clamp(2**63, 50) == (MAX_PAGE, 50, (MAX_PAGE - 1) * 50)
    assert clamp(-5, 10**9)[:2] == (1, 200)


def test_control_characters_in_a_form_redisplay_it_naming_the_field(db: Session, cast: Cast, login: Any) -> None:
    # The event form's service has no check of its own: the shell's flush-time check names the field.
    page = login(cast.meti_officer).post_form("/matchmaking/events/new", {
        "title": "Kept title", "description": "", "format": "hybrid", "venue": "Hall\x00B", "timezone": "Asia/Tokyo",
        "starts_at": "2031-03-10T08:00", "ends_at": "2031-03-11T18:00", "slot_minutes": "30", "max_meetings": "6",
        "request_hours": "48", "video_base_url": ""})
    assert page.status_code == 422
    assert 'value="Kept title"' in page.text and 'aria-describedby="e-venue"' in page.text
    assert "Remove the control characters (such as NUL) from this text." in page.text


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_in_json_are_a_problem_naming_the_field(
        client: WebClient, db: Session, cast: Cast, bearer: Any, character: str) -> None:
    body = {"kind": "startup", "name_en": f"Pune{character} Photonics", "country": "IN", "city": "Pune",
            "sectors": ["semi.design"], "contacts": {"email": "hello@photonics.example"}}
    response = client.post("/api/v1/organisations", json=body, headers=bearer(cast.in_org_member))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "name_en"


def test_tabs_and_newlines_are_text_like_any_other(db: Session, cast: Cast) -> None:
    note = notifications.notify(db, user_id=cast.admin.id, kind="test", title="A\ttitle", body="line\r\nline")
    db.flush()
    assert note.id is not None


def test_text_with_nul_is_refused_at_flush_with_the_attribute_named(db: Session, cast: Cast) -> None:
    notifications.notify(db, user_id=cast.admin.id, kind="test", title="Ti\x00tle", params={"name": "x\x00"})
    with pytest.raises(ValidationFailed) as refused:
        db.flush()
    assert set(refused.value.errors) == {"title", "params"}
    db.rollback()


def test_text_used_only_in_a_lookup_is_refused_too(admin: WebClient, db: Session) -> None:
    for url in ["/organisations?q=a%00b", "/audit?action=%00", "/login?next=%00"]:
        assert admin.get(url).status_code < 500, url
        db.rollback()
    signed_out = WebClient(admin.app, raise_server_exceptions=False)
    signed_out.secret_key = admin.secret_key
    response = signed_out.post_form("/login", {"email": "a\x00@example.org", "password": "x"})
    assert response.status_code < 500
