"""Chromium signs an instrument with WebCrypto Ed25519; jwcrypto and `kakehashi instruments verify` accept it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from playwright.sync_api import Browser, BrowserContext, expect
from typer.testing import CliRunner

from kakehashi.cli import app
from kakehashi.kernel.demo import DEMO_PASSWORD
from tests.fixtures.browser import LiveServer

pytestmark = pytest.mark.browser


def officer(browser: Browser, server: LiveServer, email: str) -> BrowserContext:
    """A browser profile signed in as a nodal officer, holding a fresh non-extractable key of its own."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/agreement/keys")
    page.get_by_label("Label").first.fill("Chromium key")
    page.get_by_role("button", name="Create and register").click()
    expect(page.get_by_role("status")).to_contain_text("Key registered")
    expect(page.locator("#keys")).to_contain_text("Chromium key")
    return context


def test_both_officers_sign_in_chromium_and_the_original_verifies_independently(
    browser: Browser,
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    meti = officer(browser, live_server, "officer@meti.demo.example")
    meity = officer(browser, live_server, "officer@meity.demo.example")
    page = meti.new_page()
    page.goto("/agreement/ijdp-2.0/instruments/new?type=minutes_approval")
    page.get_by_label("Meeting").fill("JWG-5, Tokyo")
    page.get_by_label("SHA-256 of the minutes").fill("d" * 64)
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page).to_have_url(re.compile(r"/agreement/instruments/\d+"))
    url = page.url.split("?")[0]
    page.get_by_role("button", name="Sign in this browser").click()
    expect(page.get_by_role("status")).to_contain_text("Signature recorded")
    expect(page.locator("#signatures")).to_contain_text("valid")

    other = meity.new_page()
    other.goto(url)
    other.get_by_role("button", name="Sign in this browser").click()
    expect(other.get_by_role("status")).to_contain_text("Signature recorded")
    expect(other.locator("#status")).to_contain_text("Concluded")

    download = other.request.get(url + "/original")
    assert download.ok
    original = download.json()
    document = original["instrument"]["jws"]
    assert [json.loads(_b64(s["protected"]))["alg"] for s in document["signatures"]] == ["Ed25519", "Ed25519"]
    independent = jwcrypto_jws.JWS()
    independent.deserialize(json.dumps(document))
    for key in original["keys"]:
        assert json.loads(key["entry"])["payload"]["label"] == "Chromium key"
        independent.verify(jwcrypto_jwk.JWK(**json.loads(key["entry"])["payload"]["jwk"]), alg="Ed25519")
    path = tmp_path / "original.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    result = CliRunner().invoke(app, ["instruments", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output
    meti.close()
    meity.close()


def test_the_signing_page_is_japanese_when_asked(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill("officer@meity.demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/agreement/keys?lang=ja")
    expect(page.get_by_role("heading", name="自分の署名鍵")).to_be_visible()
    page.goto("/agreement/ijdp-2.0")
    expect(page.locator("#state")).to_contain_text("有効")
    context.close()


def _b64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
