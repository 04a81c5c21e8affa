"""Signing in through a real browser, in English and Japanese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kakehashi.kernel.demo import DEMO_PASSWORD
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_demo_officer_signs_in_and_out(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "officer@meti.demo.example")
    expect(page.get_by_role("link", name="Sato Haruka")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_the_language_switch_turns_the_page_japanese(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", name="ログイン")).to_be_visible()


def test_a_wrong_password_shows_a_message_and_keeps_the_email(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail").fill("officer@meity.demo.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail or password is not right.")
    expect(page.get_by_label("E-mail")).to_have_value("officer@meity.demo.example")
