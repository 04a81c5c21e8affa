"""The registry in a real browser: register with a wrong then a right Corporate Number, verification by the
right officer only, and finding the organisation in Japanese by part of its name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kakehashi.kernel.demo import DEMO_PASSWORD
from kakehashi.registry.identifiers import corporate_number_check_digit
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser

BODY = "555501000042"  # registry office 5555 is never used by the demo generator
GOOD_CN = corporate_number_check_digit(BODY) + BODY
BAD_CN = str((int(GOOD_CN[0]) % 9) + 1) + BODY  # another first digit: the check digit no longer matches


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def register(page: Page, server: LiveServer) -> str:
    """Register 九州レンズワークス株式会社: first with a wrong check digit, then right; returns its URL."""
    sign_in(page, server, "admin@sakura-devices.demo.example")
    page.goto(f"{server.url}/organisations")
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Name in English").fill("Kyushu Lens Works KK")
    page.get_by_label("Name in Japanese").fill("九州レンズワークス株式会社")
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("Country").select_option("JP")
    page.get_by_label("City").fill("Kumamoto")
    page.get_by_label("Semiconductor equipment").check()
    page.get_by_label("Corporate Number (Japan)").fill(BAD_CN)
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("The check digit (first digit) of this Corporate Number does not match")).to_be_visible()
    expect(page.get_by_label("Name in Japanese")).to_have_value("九州レンズワークス株式会社")  # nothing typed is lost
    expect(page.get_by_label("Semiconductor equipment")).to_be_checked()

    page.get_by_label("Corporate Number (Japan)").fill(GOOD_CN)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Kyushu Lens Works KK")).to_be_visible()
    expect(page.get_by_text(GOOD_CN)).to_be_visible()
    expect(page.get_by_text("Not verified yet")).to_be_visible()
    url = page.url.split("?")[0]
    sign_out(page)
    return url


def test_an_organisation_is_registered_verified_by_its_own_side_and_found_in_japanese(
    page: Page, live_server: LiveServer,
) -> None:
    url = register(page, live_server)

    sign_in(page, live_server, "officer@meity.demo.example")  # India's officer: refused
    page.goto(url)
    expect(page.get_by_text("Only an officer of Japan may verify this organisation.")).to_be_visible()
    expect(page.get_by_role("button", name="Verify this organisation")).to_have_count(0)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    refused = page.request.post(f"{url}/verify", form={"csrf_token": token})
    assert refused.status == 403
    sign_out(page)

    sign_in(page, live_server, "officer@meti.demo.example")  # Japan's officer: verifies
    page.goto(url)
    page.get_by_role("button", name="Verify this organisation").click()
    expect(page.get_by_role("status")).to_contain_text("Organisation verified")
    expect(page.get_by_text(re.compile(r"by Sato Haruka on .*JST.*IST"))).to_be_visible()

    page.get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.goto(f"{live_server.url}/organisations")
    page.get_by_label("名前・識別番号・所在地で検索").fill("レンズ")
    page.get_by_label("名前・識別番号・所在地で検索").press("Enter")
    result = page.locator("#results").get_by_role("link", name="九州レンズワークス株式会社")
    expect(result).to_be_visible()
    expect(page.locator("#results")).to_contain_text("認証済み")
    result.click()
    expect(page.get_by_role("heading", name="九州レンズワークス株式会社")).to_be_visible()
