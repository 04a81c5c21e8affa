"""The issue's journey in a real browser: a MeitY officer schedules a video consultation, both sides attend, the
minutes are approved by both, an action item reaches its owner and its commitment, and the dashboard moves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from kakehashi.governance import ledger
from kakehashi.kernel.clock import IST, utcnow
from kakehashi.kernel.demo import DEMO_PASSWORD
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def figures(page: Page, server: LiveServer) -> tuple[str, int]:
    page.goto(f"{server.url}/governance")
    return page.locator("#overall-progress").inner_text(), int(page.locator("#open-actions").inner_text())


def test_a_consultation_from_scheduling_to_approved_minutes_moves_the_dashboard(page: Page, live_server: LiveServer) -> None:
    with live_server.sessions() as session:
        packaging = next(c for c in ledger.commitments(session) if c.ref == "P2(i).1")
    sign_in(page, live_server, "officer@meity.demo.example")
    progress_before, open_before = figures(page, live_server)

    # MeitY schedules a video consultation (it has just begun, in IST)
    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_role("link", name="Schedule a consultation").first.click()
    starts = utcnow().astimezone(IST) - dt.timedelta(minutes=5)
    page.get_by_role("textbox", name="Title", exact=True).fill("JWG video call on packaging research")
    page.get_by_label("Mode").select_option("video")
    page.get_by_label("Video link (https://)").fill("https://meet.example.org/jwg-packaging")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone of these times").select_option("Asia/Kolkata")
    page.get_by_label("Attendees (e-mail addresses, comma-separated)").fill("officer@meti.demo.example")
    page.get_by_label(re.compile("^Agenda")).fill(f"Joint packaging research|{packaging.id}")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Consultation scheduled")
    meeting_url = page.url.split("?")[0]
    expect(page.locator("main")).to_contain_text("JST")  # the time is shown in both zones
    expect(page.locator("main")).to_contain_text("IST")

    # both sides attend
    page.get_by_role("checkbox", name=re.compile("Sato Haruka")).check()
    page.get_by_role("checkbox", name=re.compile("Ananya Iyer")).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Both sides attended")).to_be_visible()

    # a decision, an action for METI's officer on the packaging commitment, and the minutes
    page.get_by_label("Decision", exact=True).fill("Exchange researchers between AIST and IISc in 2027.")
    page.get_by_role("button", name="Record decision").click()
    action = page.locator("#action-form")
    action.get_by_label("Action item").fill("Share the packaging research roadmap")
    action.get_by_label("Owner (e-mail)").fill("officer@meti.demo.example")
    action.get_by_label("Due on").fill((utcnow() + dt.timedelta(days=14)).date().isoformat())
    action.get_by_label("Commitment").select_option(str(packaging.id))
    page.get_by_role("button", name="Assign action").click()
    expect(page.get_by_role("status")).to_contain_text("Action assigned")
    page.get_by_role("textbox", name="Minutes", exact=True).fill("Both sides agreed the next steps.")
    page.get_by_role("button", name="Save minutes").click()

    # the minutes go to both participants; MeitY signs first
    page.get_by_role("button", name="Send the minutes to both sides for approval").click()
    expect(page.locator("#minutes-state")).to_contain_text("Awaiting signatures")
    page.get_by_role("button", name="Approve the minutes for my side (sign)").click()
    expect(page.locator("#minutes-state")).to_contain_text("MEITY")
    sign_out(page)

    # METI signs too: the minutes are approved by both sides, as an instrument in the transparency log
    sign_in(page, live_server, "officer@meti.demo.example")
    page.goto(meeting_url)
    page.get_by_role("button", name="Approve the minutes for my side (sign)").click()
    expect(page.locator("#minutes-state")).to_contain_text("Approved by both sides")
    expect(page.locator("#minutes-state")).to_contain_text("transparency log entry")

    # the action is on its owner's to-do list and on the commitment
    page.goto(f"{live_server.url}/governance/todo")
    expect(page.locator("#todo")).to_contain_text("Share the packaging research roadmap")
    page.goto(f"{live_server.url}/governance/commitments/{packaging.id}")
    expect(page.get_by_role("cell", name="Share the packaging research roadmap")).to_be_visible()

    # METI records progress on a packaging activity; the dashboard moves
    page.get_by_role("link", name="Researcher exchange between AIST and IISc").click()
    update = page.locator("#update-form")
    update.get_by_label("Progress (percent)").fill("100")
    update.get_by_label("Status").select_option("complete")
    update.get_by_label("What happened").fill("Roadmap agreed at the JWG video call.")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("status")).to_contain_text("Update recorded")
    progress_after, open_after = figures(page, live_server)
    assert open_after == open_before + 1
    assert progress_after != progress_before
    expect(page.locator("img[src^='/governance/charts/progress.svg']")).to_be_visible()
