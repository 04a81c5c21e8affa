"""Guard: every API route, page and command of the agreement context is documented in docs/agreement.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from kakehashi.agreement import api, cli, jobs, web

DOC = (Path(__file__).parents[2] / "docs" / "agreement.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("route", [r for r in api.router.routes], ids=lambda r: f"{sorted(r.methods)} {r.path}")
def test_every_api_route_is_documented(route) -> None:
    for method in route.methods:
        assert f"{method} {route.path}" in DOC


@pytest.mark.parametrize("path", sorted({r.path for r in web.router.routes}))
def test_every_page_is_documented(path: str) -> None:
    documented = path.replace("/{slug}", "/{slug}").replace("/{instrument_id}", "/{id}")
    stem = documented.split("/{kid}")[0].replace("/revoke", "").replace("/signatures", "").replace("/original", "")
    assert stem.rstrip("/") in DOC or documented in DOC


@pytest.mark.parametrize(("group", "command"), [(g, c.name) for g, t in cli.COMMANDS.items() for c in t.registered_commands])
def test_every_command_is_documented(group: str, command: str) -> None:
    assert f"kakehashi {group} {command}" in DOC


@pytest.mark.parametrize("job", sorted(jobs.JOBS))
def test_every_job_is_documented(job: str) -> None:
    assert f"agreement.{job}" in DOC
