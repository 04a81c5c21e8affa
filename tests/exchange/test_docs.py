"""Guard: docs/exchange.md states the ODRL profile and documents every rule the engine decides by."""

from __future__ import annotations

import re
from pathlib import Path

from kakehashi.exchange import policy
from kakehashi.exchange.forms import RULE_MESSAGES
from kakehashi.exchange.odrl import PROFILE

DOCS = (Path(__file__).parents[2] / "docs" / "exchange.md").read_text(encoding="utf-8")


def test_the_profile_is_named_and_says_plainly_that_what_is_not_permitted_is_denied():
    assert f"Profile IRI: `{PROFILE}`" in DOCS
    assert "**What is not permitted is denied.**" in DOCS


def test_every_rule_of_the_engine_is_documented():
    source = Path(policy.__file__).read_text(encoding="utf-8")
    rules = set(re.findall(r'_deny\("([a-z-]+)"', source)) | {"permitted-purpose", "consent"}
    assert rules >= {"view-only", "consent-inactive", "policy-not-understood"}
    assert [rule for rule in sorted(rules) if f"`{rule}" not in DOCS] == []


def test_every_rule_a_page_can_show_is_documented():
    assert [rule for rule in sorted(RULE_MESSAGES) if f"`{rule}`" not in DOCS] == []
