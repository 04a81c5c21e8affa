"""Guard: docs/scheduler-instance.md documents every error code, output field and input field."""

from __future__ import annotations

import re
from pathlib import Path

from kakehashi.matchmaking.scheduling import solve_json

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "scheduler-instance.md").read_text(encoding="utf-8")
SOURCE = ROOT / "src" / "kakehashi" / "matchmaking" / "scheduling"


def test_every_error_code_raised_is_documented() -> None:
    codes = set()
    for path in SOURCE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'SchedulingInputError\(\s*[^,]+,\s*"([a-z_]+)"', text))
    assert len(codes) >= 15
    assert sorted(c for c in codes if f"`{c}`" not in DOC) == []


def test_every_output_field_is_documented() -> None:
    out = solve_json({"slots": [], "participants": [], "requests": []}, time_limit=1)
    assert sorted(k for k in out if f"`{k}`" not in DOC) == []


def test_every_input_key_the_parser_reads_is_documented() -> None:
    text = (SOURCE / "parsing.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'(?:item|data|event)\.get\("([a-z_]+)"', text))
    keys |= set(re.findall(r'_list\(data, "([a-z_]+)"', text))
    assert len(keys) >= 15
    assert sorted(k for k in keys if not re.search(rf"`[a-z_\[\]i.]*{k}`", DOC)) == []
