"""The issue's "done when", in a real browser: an organiser creates an event; a Japanese and an Indian firm
find each other through recommendations written in different languages, request and accept a meeting; the
organiser schedules and publishes; both see the meeting in their agenda and iCal feed at their local times."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kakehashi.kernel.clock import IST, JST
from kakehashi.kernel.demo import DEMO_PASSWORD
from kakehashi.matchmaking.models import Meeting, Slot
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser
ORGANISER, JP_FIRM, IN_FIRM = ("officer@meti.demo.example", "admin@sakura-devices.demo.example",
                               "admin@indus-software.demo.example")
TITLE = "Browser partnering day"


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def create_event(page: Page, server: LiveServer, day: dt.date) -> str:
    page.goto(f"{server.url}/matchmaking/events/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Format").select_option("hybrid")
    page.get_by_label("Times below are in").select_option("Asia/Tokyo")
    page.get_by_label("Starts").fill(f"{day}T08:00")
    page.get_by_label("Ends (several days allowed)").fill(f"{day}T18:00")
    page.get_by_label("Meeting length (minutes)").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    event_url = page.url.split("?")[0]
    form = page.locator("form[action$='/sessions']")
    form.get_by_label("Name").fill("Morning meetings")
    form.get_by_label("Starts").fill(f"{day}T13:30")
    form.get_by_label("Ends").fill(f"{day}T15:30")
    form.get_by_label("Tables").fill("5")
    form.get_by_role("button", name="Add session").click()
    expect(page.get_by_text("4 meeting slots.")).to_be_visible()
    page.get_by_role("button", name="Open registration and requests").click()
    expect(page.get_by_text("Open for requests").first).to_be_visible()
    return event_url


def register(page: Page, event_url: str) -> None:
    page.goto(event_url)
    page.get_by_role("link", name="Register").click()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Participants")).to_be_visible()


def feed_events(page: Page, server: LiveServer) -> list:  # type: ignore[type-arg]
    path = re.sub(r"^https?://[^/]+", "", page.locator("input.feed-url").input_value())  # base_url is the test's
    with urllib.request.urlopen(server.url + path, timeout=10) as response:  # no cookies: the URL alone opens the feed
        return Calendar.from_ical(response.read()).walk("VEVENT")


def test_two_firms_meet_through_recommendations_and_see_it_at_their_local_times(
    page: Page, live_server: LiveServer,
) -> None:
    day = (dt.datetime.now(JST) + dt.timedelta(days=30)).date()
    sign_in(page, live_server, ORGANISER)
    event_url = create_event(page, live_server, day)

    sign_in(page, live_server, IN_FIRM)
    register(page, event_url)

    sign_in(page, live_server, JP_FIRM)
    page.goto(f"{live_server.url}/matchmaking/recommendations")
    partner = page.locator("li.card", has_text="Indus Software Labs")
    expect(partner).to_be_visible()  # Sakura's Japanese/English offers meet Indus's Hindi/English needs
    expect(partner.locator("ul.reasons li").first).to_be_visible()
    partner.get_by_role("button", name="Request a meeting").click()
    expect(partner.get_by_text("Meeting requested")).to_be_visible()
    register(page, event_url)
    suggested = page.locator("li.participant", has_text="Indus Software Labs")
    expect(page.get_by_role("heading", name="Recommended for you")).to_be_visible()
    suggested.get_by_label("Message").fill("検査装置の組込みソフトについてご相談させてください。")
    suggested.get_by_role("button", name="Request a meeting").click()
    expect(page.get_by_role("heading", name="Meeting requests")).to_be_visible()

    sign_in(page, live_server, IN_FIRM)
    page.goto(f"{event_url}/requests")
    row = page.locator("tr", has_text="Yamamoto Aoi")
    expect(row).to_contain_text("検査装置")
    row.get_by_role("button", name="Accept — I want this too").click()
    expect(page.locator("tr", has_text="Yamamoto Aoi")).to_contain_text("Accepted")

    sign_in(page, live_server, ORGANISER)
    page.goto(event_url)
    page.get_by_role("button", name="Close requests").click()
    page.goto(f"{event_url}/schedule")
    page.get_by_role("button", name="Run the scheduler").click()
    expect(page.locator(".ratio")).to_have_text("100.0 %")
    page.get_by_role("button", name="Publish final schedule").click()
    expect(page.get_by_text("Final schedule").first).to_be_visible()

    event_id = int(event_url.rsplit("/", 1)[1])
    with live_server.sessions() as session:
        meeting = session.scalar(select(Meeting).where(Meeting.event_id == event_id))
        assert meeting is not None
        start = session.get(Slot, meeting.slot_id).starts_at  # type: ignore[union-attr]

    for email, zone, short, other in ((JP_FIRM, JST, "JST", "Priya Sharma"), (IN_FIRM, IST, "IST", "Yamamoto Aoi")):
        sign_in(page, live_server, email)
        page.goto(f"{live_server.url}/matchmaking/agenda?event={event_id}")
        local = start.astimezone(zone)
        cell = page.locator("tr.meeting", has_text=other).locator("td.local-time")
        expect(cell).to_contain_text(re.compile(rf"{local.hour % 12 or 12}:{local.minute:02d}\s[AP]M {short}"))
        (vevent,) = [v for v in feed_events(page, live_server) if other.split()[0] in str(v["summary"])
                     or str(v["uid"]) == f"meeting-{meeting.id}@kakehashi"]
        assert vevent.decoded("dtstart") == start
        assert vevent["dtstart"].params["TZID"] == zone.key and vevent["status"] == "CONFIRMED"
