"""The issue's "done when" flow in Chromium: METI shares, MeitY opens for a permitted purpose, is refused
another, asks consent, METI grants (a signed instrument), MeitY opens again; every step is on the log,
and the log verifies."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kakehashi import agreement
from kakehashi.db import unit_of_work
from kakehashi.kernel.demo import DEMO_PASSWORD
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser
METI, MEITY = "officer@meti.demo.example", "officer@meity.demo.example"
REPORT = b"quarter,site,wafer_starts\n2026Q3,Kumamoto,13000\n"
TITLE = "Wafer starts Q3 (browser test)"


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_item(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/exchange/shared-with-me")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def access(page: Page, purpose: str) -> None:
    page.locator("form.access").get_by_label("Purpose of this access").select_option(label=purpose)
    page.locator("form.access").get_by_role("button", name="View").click()


def test_share_access_refusal_consent_and_access_again_all_on_a_verified_log(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, METI)
    page.goto(f"{live_server.url}/exchange/share")
    page.get_by_label("Title").fill(TITLE)
    page.set_input_files("#f-file", files=[{"name": "wafer-starts.csv", "mimeType": "text/csv", "buffer": REPORT}])
    page.get_by_label("Semiconductor ecosystem cooperation").check()
    page.get_by_label("MEITY", exact=True).check()
    page.get_by_label("Access").select_option("download")
    page.get_by_role("button", name="Encrypt and share").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    item_url = page.url.split("?")[0]

    sign_in(page, live_server, MEITY)
    open_item(page, live_server)
    access(page, "Semiconductor ecosystem cooperation")
    expect(page.locator("body")).to_contain_text("Kumamoto,13000")
    expect(page.locator("body")).to_contain_text("shared with Ananya Iyer")  # the visible mark

    page.goto(item_url)
    access(page, "Digital talent and workforce development")
    expect(page.get_by_role("alert")).to_contain_text("prior written consent")
    consent = page.locator("form.consent")
    consent.get_by_label("Purpose").select_option(label="Digital talent and workforce development")
    consent.get_by_label("Why").fill("To plan semiconductor internships.")
    consent.get_by_role("button", name="Ask the discloser's consent").click()
    expect(page.locator(".flash")).to_contain_text("Consent requested")

    sign_in(page, live_server, METI)
    page.goto(f"{live_server.url}/exchange/consents")
    row = page.get_by_role("row").filter(has_text=TITLE).filter(has_text="To plan semiconductor internships")
    row.get_by_role("button", name="Grant and sign").click()
    expect(page.locator(".flash")).to_contain_text("Consent granted")

    sign_in(page, live_server, MEITY)
    page.goto(item_url)
    access(page, "Digital talent and workforce development")
    expect(page.locator("body")).to_contain_text("Kumamoto,13000")

    item_id = int(re.search(r"/items/(\d+)", item_url).group(1))  # type: ignore[union-attr]
    with unit_of_work(live_server.sessions) as session:
        entries = [e for e in session.scalars(select(agreement.LogEntry).order_by(agreement.LogEntry.index))
                   if re.search(f'"item":{item_id}[,}}]', e.data) or e.kind == "agreement.instrument"]
        kinds = [e.kind for e in entries]
        for kind in ("exchange.item.shared", "exchange.decision", "exchange.consent.requested",
                     "exchange.consent.approved", "agreement.instrument", "exchange.consent.granted"):
            assert kind in kinds
        decisions = [e.data for e in entries if e.kind == "exchange.decision"]
        assert ['"permit":true' in d for d in decisions] == [True, False, True]
        report = agreement.verify_log(session)
        assert report.ok, report.problems
