"""Demo register: activities from the catalogue under each commitment, updates every two months, milestones,
and a monthly history of the roll-up for the progress-over-time charts."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from importlib.resources import files
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.governance import ledger, rollup
from kakehashi.governance.demo.people import END, Cast, at, month
from kakehashi.governance.register import queries, services
from kakehashi.governance.register.models import Activity
from kakehashi.governance.register.schemas import ActivityFields, OwnerSpec, status_for
from kakehashi.kernel.authz import Actor

SLIPS = (
    ("Partner site visit", "Visa processing took longer than planned."),
    ("Second workshop", "Moved to avoid the monsoon session of Parliament."),
    ("Joint report draft", "Waiting for comments from a related ministry."),
    ("Procurement of test equipment", "The tender had to be re-issued."),
)
HAPPENED = (
    "Working-level call held; next steps agreed by both sides.",
    "Joint session held with industry participants from both countries.",
    "Draft shared with the partner ministry for comments.",
    "Delegation visit completed; notes circulated.",
    "Pilot participants selected and briefed.",
)
Timelines = dict[int, list[tuple[dt.date, int, str]]]  # activity id → (date, progress, status) as recorded


def catalogue() -> dict[str, list[dict[str, Any]]]:
    """The demo activities per paragraph reference."""
    data: dict[str, list[dict[str, Any]]] = json.loads(
        (files("kakehashi.governance") / "data" / "demo_activities.json").read_text(encoding="utf-8"))
    return data


def _owners(codes: list[str]) -> tuple[OwnerSpec, ...]:
    return tuple(OwnerSpec(code.split(":")[0], ministry=code.split(":")[1]) for code in codes)


def _create(session: Session, actor: Actor, commitment_id: int, spec: dict[str, Any], parent_id: int | None) -> Activity:
    fields = ActivityFields(
        commitment_id=commitment_id, kind=spec["kind"], title=spec["title"], title_ja=spec.get("title_ja"),
        forum=spec.get("forum"), start_on=month(spec["start"]), end_on=month(spec["end"], 28),
        weight=Decimal(spec.get("weight", "1")), parent_id=parent_id, is_public=bool(spec.get("public")),
        owners=_owners(spec["owners"]),
    )
    return services.create_activity(session, fields, actor=actor, now=at(month(spec["start"])))


def _checkpoints(spec: dict[str, Any]) -> list[dt.date]:
    """Every other month from the start, up to the end of the activity or the demo's today."""
    days, offset = [], spec["start"] + 1
    while month(offset) <= END and offset <= spec["end"] + 1:
        days.append(month(offset, 12))
        offset += 2
    return days or [min(month(spec["start"], 20), END)]


def _updates(session: Session, actor: Actor, activity: Activity, spec: dict[str, Any], rng: random.Random,
             timelines: Timelines) -> None:
    days = _checkpoints(spec)
    timelines[activity.id] = []
    for n, day in enumerate(days, start=1):
        last = n == len(days)
        progress = spec["target"] if last else max(1, round(spec["target"] * n / len(days)))
        status = spec["status"] if last and "status" in spec else status_for(progress).value
        slipped, reason = rng.choice(SLIPS) if rng.random() < 0.2 and not last else ("", "")
        if status in ("on_hold", "dropped"):
            reason = spec.get("reason", "Decided at the Joint Working Group.")
        services.record_update(
            session, activity.id, expected_version=activity.version, on=day, happened=rng.choice(HAPPENED),
            slipped=slipped, reason=reason, progress=progress, status=status, is_public=bool(spec.get("public")),
            actor=actor, now=at(day))
        timelines[activity.id].append((day, progress, status))


def _milestones(session: Session, actor: Actor, activity: Activity, spec: dict[str, Any]) -> None:
    for title, title_ja, offset in spec.get("milestones", []):
        due = month(offset, 15)
        milestone = services.add_milestone(session, activity.id, title=title, title_ja=title_ja, due_on=due, actor=actor)
        if due + dt.timedelta(days=5) <= END:
            services.complete_milestone(session, milestone.id, done_on=due + dt.timedelta(days=5), actor=actor)


def _add(session: Session, actor: Actor, commitment_id: int, spec: dict[str, Any], rng: random.Random,
         timelines: Timelines, parent_id: int | None = None) -> None:
    activity = _create(session, actor, commitment_id, spec, parent_id)
    for child in spec.get("children", []):
        _add(session, actor, commitment_id, child, rng, timelines, activity.id)
    if not spec.get("children"):  # a parent's figure is its children's; its own updates would only confuse
        _updates(session, actor, activity, spec, rng, timelines)
    _milestones(session, actor, activity, spec)


def load(session: Session, cast: Cast, commitments: list[ledger.CommitmentRef], rng: random.Random) -> Timelines:
    """Create the catalogue's activities under the MoC's commitments; returns what each recorded when."""
    data = catalogue()
    timelines: Timelines = {}
    for commitment in commitments:
        for spec in data.get(commitment.ref, []):
            actor = cast.actor("meity" if spec["owners"][0].startswith("IN") else "meti")
            _add(session, actor, commitment.id, spec, rng, timelines)
    return timelines


def figures_on(day: dt.date, commitments: list[rollup.CommitmentInput], activities: list[Activity],
               timelines: Timelines) -> rollup.RollUp:
    """The roll-up as it stood on `day`, from the recorded timelines."""
    inputs = []
    for activity in activities:
        seen = [(progress, status) for when, progress, status in timelines.get(activity.id, []) if when <= day]
        progress, status = seen[-1] if seen else (0, "not_started")
        inputs.append(rollup.ActivityInput(activity.id, activity.commitment_id, activity.parent_id, activity.weight,
                                           progress, status))
    return rollup.roll_up(commitments, inputs)


def history(session: Session, commitments: list[ledger.CommitmentRef], timelines: Timelines) -> None:
    """Monthly snapshots of the roll-up from September 2025 to the demo's today."""
    weights = queries.commitment_inputs(session, commitments)
    activities = queries.activities(session)
    offset = 0
    while (day := month(offset + 1) - dt.timedelta(days=1)) <= END:
        services.take_snapshots(session, day, figures_on(day, weights, activities, timelines))
        offset += 1
    services.take_snapshots(session, END, queries.progress(session, commitments))

