"""No markup from request parameters: every page rendered with hostile query parameters, over HTTP and in Chromium.

Built from the app's route table: every GET page (HTML) route, its path parameters filled with real ids, every
query parameter it declares plus `flash`, `next`, `q`, `page` and `lang` set to a payload that would, if it
reached the page as markup, add an element and htmx attributes performing a protected action as the viewer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import quote, urlencode, urlsplit

import pytest
from fastapi import FastAPI
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from sqlalchemy import text
from sqlalchemy.orm import Session

from kakehashi.identity import services as identity
from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.demo import DEMO_PASSWORD
from kakehashi.main import create_app
from kakehashi.web.deps import SESSION_COOKIE
from kakehashi.web.flash import FLASHES
from tests.conftest import test_settings as settings_for
from tests.fixtures.actors import Cast
from tests.fixtures.browser import LiveServer
from tests.fixtures.web import WebClient
from tests.security.routes import RouteInfo, fill, routes

MARK = "kkinj"
MARKUP = (f'"\'><kk-inj-marker hx-post="/people/invite" hx-trigger="load" hx-vals=\'{{"email":"{MARK}@evil.example",'
          f'"role":"platform_admin"}}\'>{MARK}</kk-inj-marker><img src="x" hx-get="/{MARK}" hx-trigger="load">')
FORMAT = "%(x)s %s %%(csrf_token)s {{ 7*7 }} {% raw %}"
ALWAYS = ("flash", "next", "q", "page", "lang")
NOT_HTML = re.compile(r"\.(\w+|\{\w+\})$|/decks/")
IDS = {  # a real row of the demo dataset (or the test's data) for each path parameter name
    "org_id": "SELECT min(id) FROM registry_organisation",
    "event_id": "SELECT min(id) FROM matchmaking_event",
    "slug": "SELECT min(slug) FROM agreement_agreement",
    "item_id": "SELECT min(id) FROM exchange_item",
    "activity_id": "SELECT min(id) FROM governance_activity",
    "instrument_id": "SELECT min(id) FROM agreement_instrument",
    "opportunity_id": "SELECT min(id) FROM matchmaking_opportunity",
    "uid": "SELECT min(uid) FROM cyber_collection",
    "stix_id": "SELECT min(stix_id) FROM cyber_stix_object WHERE collection_id = "
               "(SELECT id FROM cyber_collection WHERE uid = (SELECT min(uid) FROM cyber_collection))",
    "meeting_id": "SELECT min(id) FROM governance_meeting",
    "user_id": "SELECT min(id) FROM identity_user",
    "body_id": "SELECT min(id) FROM cyber_conformity_body",
    "commitment_id": "SELECT min(id) FROM agreement_commitment",
    "course_id": "SELECT min(id) FROM governance_training_course",
}


def real_ids(session: Session) -> dict[str, str]:
    values = {name: session.scalar(text(query)) for name, query in IDS.items()}
    return {"code": AREAS[0].code, **{name: str(value) for name, value in values.items() if value is not None}}


def pages(app: FastAPI) -> list[RouteInfo]:
    return [info for info in routes(app) if info.is_html_page]


def hostile_urls(info: RouteInfo, ids: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The route's URL with real ids, and three sets of hostile query parameters."""
    url = fill(info.path, {name: ids.get(name, "1") for name in info.path_names})
    declared = [name for name, _ in info.parameters("query")]
    ints = {name for location, name in info.int_parameters() if location == "query"}
    names = [*declared, *(name for name in ALWAYS if name not in declared)]
    yield url, dict.fromkeys(names, MARKUP)
    yield url, {name: "1" if name in ints or name == "page" else MARKUP for name in names}
    yield url, {name: "1" if name in ints or name == "page" else FORMAT for name in names}


def injected(body: str) -> list[str]:
    """Markup of the payload that reached the page unescaped."""
    return [found for found in ("<kk-inj-marker", f'hx-get="/{MARK}"', "<img src=\"x\"") if found in body]


@pytest.fixture
def visitor(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, raise_server_exceptions=False, follow_redirects=False) as browser:
        browser.secret_key = app.state.settings.secret_key
        yield browser


@pytest.mark.parametrize("who", ["admin", "anonymous"])
def test_no_page_reflects_markup_from_query_parameters(
        app: FastAPI, db: Session, cast: Cast, visitor: WebClient, who: str) -> None:
    if who == "admin":
        visitor.cookies.set(SESSION_COOKIE, identity.start_session(db, cast.admin, idle=dt.timedelta(hours=1)))
        db.commit()
    ids, failures, tried = real_ids(db), [], 0
    for info in pages(app):
        for url, query in hostile_urls(info, ids):
            response = visitor.get(url, params=query)
            db.rollback()
            tried += 1
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
            elif found := injected(response.text):
                failures.append(f"{url}: {found}")
    assert tried > 200 and failures == []


def test_a_flash_key_shows_its_message_and_anything_else_shows_nothing(client: WebClient) -> None:
    assert '<p class="flash" role="status">Saved</p>' in client.get("/login?flash=saved").text
    assert "保存しました" in client.get("/login?flash=saved&lang=ja").text
    for unknown in ("Saved", "<b>x</b>", "%(x)s", "__class__", ""):
        response = client.get("/login", params={"flash": unknown})
        assert response.status_code == 200 and 'class="flash"' not in response.text


def test_every_flash_key_redirected_to_is_registered() -> None:
    from pathlib import Path

    source = Path(__file__).parents[2] / "src" / "kakehashi"
    used = set()
    for path in [*source.rglob("*.py"), *source.rglob("*.js")]:
        body = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"flash=([A-Za-z_+]+)", body))
        used |= set(re.findall(r"flash\s*=\s*\"([a-z_]+)\"", body))
        used |= set(re.findall(r"_act\([^\"\n]*\"([a-z_]+)\"", body))
    used -= {"key"}  # web/flash.py's own f"flash={key}"
    assert used and used <= set(FLASHES), used - set(FLASHES)


def test_template_translation_of_data_is_escaped_and_never_fails(client: WebClient) -> None:
    from kakehashi.web.templating import templates

    template = templates.env.from_string("{{ _(x) }}|{{ _('Saved', n=x) }}|{{ ngettext('%(num)s a', '%(num)s b', 2) }}")
    assert template.render(x="<b hx-post=/x>%(x)s") == "&lt;b hx-post=/x&gt;%(x)s|Saved|2 b"


# ---- in Chromium, against the live server's demo dataset ----

def _sign_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill("admin@demo.kakehashi.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


DOM_CHECK = """(mark) => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    if (el.tagName.toLowerCase() === 'kk-inj-marker') bad.push('element ' + el.outerHTML.slice(0, 80));
    for (const attribute of el.attributes) {
      const value = attribute.value;
      if (attribute.name.startsWith('hx-') && (value === '/' + mark || value.includes(mark + '@evil')))
        bad.push('attribute ' + attribute.name + '=' + value.slice(0, 80));
    }
  }
  return bad;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("who", ["platform admin", "anonymous"])
def test_no_page_in_a_browser_gets_an_injected_element_or_htmx_attribute(
        page: Page, live_server: LiveServer, who: str) -> None:
    app = create_app(settings_for("sqlite://"))  # only for its route table
    with live_server.sessions() as session:
        ids = real_ids(session)
    if who == "platform admin":
        _sign_in(page, live_server)
    probes: list[str] = []
    page.on("request", lambda request: probes.append(request.method + " " + request.url)
            if MARK in urlsplit(request.url).path or request.method != "GET" else None)
    failures, visited = [], 0
    for info in pages(app):
        if NOT_HTML.search(info.path):
            continue
        for url, query in list(hostile_urls(info, ids))[:2]:  # the format-string round is the HTTP test's
            target = live_server.url + url + "?" + urlencode(query, quote_via=quote)
            try:
                response = page.goto(target, wait_until="load")
            except PlaywrightError as error:  # a file (PDF, calendar, original document): no DOM to inspect
                if "Download is starting" in str(error):
                    continue
                raise
            visited += 1
            if response is not None and response.status >= 500:
                failures.append(f"{url}: {response.status}")
            if response is not None and "text/html" in (response.headers.get("content-type") or ""):
                page.wait_for_timeout(20)  # let htmx process the page (it would fire hx-trigger=load at once)
                if bad := page.evaluate(DOM_CHECK, MARK):
                    failures.append(f"{url}: {bad}")
    assert visited > 100 and failures == [] and probes == []
