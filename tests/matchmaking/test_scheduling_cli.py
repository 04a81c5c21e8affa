"""The `schedule` CLI function: JSON on stdout, errors on stderr with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from kakehashi.matchmaking.scheduling import verify_schedule
from kakehashi.matchmaking.scheduling.cli import schedule
from kakehashi.matchmaking.scheduling.synthetic import synthetic_instance

app = typer.Typer()
app.command()(schedule)


def test_it_prints_a_verified_schedule_as_json(tmp_path: Path) -> None:
    data = synthetic_instance(40, 90, 6, seed=2)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, [str(path), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert verify_schedule(data, out) == []
    assert out["upper_bound"] >= out["objective"] > 0


def test_it_names_the_bad_item_on_stderr_with_exit_code_2(tmp_path: Path) -> None:
    data = synthetic_instance(10, 12, 4, seed=2)
    data["requests"][3]["b"] = "nobody"
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, [str(path)])
    assert result.exit_code == 2
    assert "requests[3].b" in result.stderr and "unknown_participant" in result.stderr
    assert result.stdout == ""


def test_it_reports_unreadable_and_malformed_files(tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, [str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, [str(broken)])
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
