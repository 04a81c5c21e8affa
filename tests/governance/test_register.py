"""The commitment register on the database: activities, roll-up from stored rows, bad input, optimistic locking."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.errors import StaleEdit
from kakehashi.governance.register import queries, services
from kakehashi.governance.register.models import Activity, ActivityUpdate
from kakehashi.governance.register.schemas import ActivityFields, OwnerSpec
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast
from tests.governance.conftest import first_of
from tests.governance.factories import NOW, make_activity


def test_every_commitment_of_the_moc_is_in_the_register(db: Session, moc: list[ledger.CommitmentRef]) -> None:
    assert len(moc) == 39
    assert {c.area for c in moc} == {"semiconductors", "ai", "corporate", "dpi", "talent", "rnd", "startups", "security"}


def test_stored_activities_roll_up_to_the_hand_computed_figures(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    ai = [c for c in moc if c.area == "ai"]
    # ai[0]: parent (children 40 w1, 70 w2 → 60) and sibling 30 → (60 + 30) / 2 = 45
    parent = make_activity(db, officer, ai[0].id, progress=10)
    make_activity(db, officer, ai[0].id, progress=40, parent_id=parent.id)
    make_activity(db, officer, ai[0].id, progress=70, weight="2", parent_id=parent.id)
    make_activity(db, officer, ai[0].id, progress=30)
    # ai[1]: 100 (w3) and a dropped 0 (w5) → 100
    make_activity(db, officer, ai[1].id, progress=100, weight="3")
    make_activity(db, officer, ai[1].id, progress=0, weight="5", status="dropped")
    figures = queries.progress(db)
    assert figures.activities[parent.id] == D("60.00")
    assert figures.commitments[ai[0].id] == D("45.00")
    assert figures.commitments[ai[1].id] == D("100.00")
    # ai has six commitments, four without activities: (45 + 100) / 6 = 24.1666… → 24.17
    assert figures.areas["ai"] == D("24.17")
    # the agreement: 39 commitments of weight 1 → 145 / 39 = 3.7179… → 3.72
    assert figures.agreement == D("3.72")


def test_commitment_weights_change_the_area_figure(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    security = [c for c in moc if c.area == "security"]
    make_activity(db, officer, security[0].id, progress=80)
    services.set_commitment_weight(db, security[0].id, D("5"), actor=officer, now=NOW)
    # (80·5 + 0 + 0 + 0) / 8 = 50
    assert queries.progress(db).areas["security"] == D("50.00")


def test_it_refuses_commitment_weights_that_would_sum_to_zero_in_an_area(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    security = [c for c in moc if c.area == "security"]
    for commitment in security[:-1]:
        services.set_commitment_weight(db, commitment.id, D("0"), actor=officer, now=NOW)
    with pytest.raises(ValidationFailed) as caught:
        services.set_commitment_weight(db, security[-1].id, D("0"), actor=officer, now=NOW)
    assert "weight" in caught.value.errors


def test_it_refuses_an_activity_whose_weight_leaves_its_siblings_summing_to_zero(db: Session, cast: Cast, moc: list) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10, weight="0")
    assert "weight" in caught.value.errors
    assert db.scalar(select(func.count()).select_from(Activity)) == 0


def test_it_refuses_a_cycle_and_keeps_the_tree_as_it_was(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    top = make_activity(db, officer, moc[0].id, progress=10)
    child = make_activity(db, officer, moc[0].id, progress=10, parent_id=top.id)
    fields = replace(services.fields_of(db, top), parent_id=child.id)
    with pytest.raises(ValidationFailed) as caught:
        services.edit_activity(db, top.id, fields, expected_version=top.version, actor=officer, now=NOW)
    assert caught.value.errors == {"parent_id": "An activity cannot sit beneath itself (the tree would have a cycle)."}
    db.expire_all()
    assert db.get(Activity, top.id).parent_id is None


@pytest.mark.parametrize(("change", "field"), [
    ({"progress": 120, "status": "limited"}, "progress"),
    ({"progress": -5, "status": "limited"}, "progress"),
    ({"progress": 60, "status": "complete"}, "status"),
    ({"start_on": dt.date(2026, 5, 1), "end_on": dt.date(2026, 4, 1)}, "end_on"),
    ({"kind": "forum_position", "forum": None}, "forum"),
    ({"title": "  "}, "title"),
    ({"weight": D("0.125")}, "weight"),
    ({"owners": (OwnerSpec("JP", ministry="MEITY"),)}, "owners"),
    ({"owners": (OwnerSpec("IN", org_id=999999),)}, "owners"),
])
def test_it_refuses_bad_fields_with_a_message_on_the_field(db: Session, cast: Cast, moc: list, change: dict, field: str) -> None:
    fields = replace(ActivityFields(commitment_id=moc[0].id, kind="study", title="Packaging study", progress=20,
                                    status="limited"), **change)
    with pytest.raises(ValidationFailed) as caught:
        services.create_activity(db, fields, actor=cast.meti_officer.actor(), now=NOW)
    assert field in caught.value.errors


def test_an_organisation_owner_must_be_on_the_side_given(db: Session, cast: Cast, moc: list) -> None:
    fields = ActivityFields(commitment_id=moc[0].id, kind="pilot", title="Pilot line",
                            owners=(OwnerSpec("JP", org_id=cast.in_org.id),))
    with pytest.raises(ValidationFailed) as caught:
        services.create_activity(db, fields, actor=cast.meti_officer.actor(), now=NOW)
    assert caught.value.errors["owners"] == "That organisation is not on that side."


def test_owners_are_ministries_or_organisations_of_either_side(db: Session, cast: Cast, moc: list) -> None:
    org = make_org(db, country="IN", name_en="Pune Fab Pvt Ltd")
    fields = ActivityFields(commitment_id=first_of(moc, "semiconductors").id, kind="programme", title="Fab skills",
                            owners=(OwnerSpec("JP", ministry="METI"), OwnerSpec("IN", ministry="MEITY"),
                                    OwnerSpec("IN", org_id=org.id)))
    activity = services.create_activity(db, fields, actor=cast.meity_officer.actor(), now=NOW)
    assert {(o.side, o.ministry, o.org_id) for o in queries.detail(db, activity).owners} == {
        ("JP", "METI", None), ("IN", "MEITY", None), ("IN", None, org.id)}


def test_an_organisation_member_cannot_edit_the_register(db: Session, cast: Cast, moc: list) -> None:
    with pytest.raises(Forbidden):
        make_activity(db, cast.in_org_member.actor(), moc[0].id)


def test_a_second_officer_saving_a_stale_copy_is_refused_with_a_clear_message(db: Session, cast: Cast, moc: list) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10, title="Joint packaging lab")
    seen_by_both = activity.version
    first = replace(services.fields_of(db, activity), title="Joint packaging lab (Kumamoto)")
    services.edit_activity(db, activity.id, first, expected_version=seen_by_both, actor=cast.meti_officer.actor(), now=NOW)
    second = replace(first, title="Joint packaging lab (Bengaluru)")
    with pytest.raises(StaleEdit) as caught:
        services.edit_activity(db, activity.id, second, expected_version=seen_by_both, actor=cast.meity_officer.actor(),
                               now=NOW)
    assert caught.value.status == 409
    assert "Someone else saved this activity" in caught.value.message
    db.expire_all()
    assert db.get(Activity, activity.id).title == "Joint packaging lab (Kumamoto)"


def test_a_concurrent_write_between_check_and_save_is_also_refused(db: Session, cast: Cast, moc: list) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10)
    # another process bumps the row behind this session's back (its identity map still holds the old version)
    db.execute(Activity.__table__.update().where(Activity.id == activity.id).values(version=activity.version + 1))
    fields = replace(services.fields_of(db, activity), title="Changed")
    with pytest.raises(StaleEdit):
        services.edit_activity(db, activity.id, fields, expected_version=activity.version, actor=cast.meti_officer.actor(),
                               now=NOW)


def test_an_update_records_what_happened_and_moves_the_figures(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meity_officer.actor()
    activity = make_activity(db, officer, moc[0].id, progress=20)
    update = services.record_update(db, activity.id, expected_version=activity.version, on=dt.date(2026, 3, 1),
                                    happened="Second workshop held in Bengaluru.", slipped="Tool vendor visit",
                                    reason="Visa processing took longer.", progress=45, status="limited",
                                    actor=officer, now=NOW)
    assert (update.progress_before, update.progress_after) == (20, 45)
    assert queries.progress(db).commitments[moc[0].id] == D("45.00")


def test_a_slip_without_a_reason_is_refused_and_nothing_is_saved(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meity_officer.actor()
    activity = make_activity(db, officer, moc[0].id, progress=20)
    with pytest.raises(ValidationFailed) as caught:
        services.record_update(db, activity.id, expected_version=activity.version, on=dt.date(2026, 3, 1),
                               happened="Met.", slipped="Site visit", reason="", progress=30, status="limited",
                               actor=officer, now=NOW)
    assert "reason" in caught.value.errors
    assert db.scalar(select(func.count()).select_from(ActivityUpdate)) == 0
    assert db.get(Activity, activity.id).progress == 20


def test_dropping_the_only_weighted_activity_beside_zero_weight_ones_is_refused(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    heavy = make_activity(db, officer, moc[0].id, progress=50, weight="2")
    make_activity(db, officer, moc[0].id, progress=10, weight="0")
    with pytest.raises(ValidationFailed) as caught:
        services.record_update(db, heavy.id, expected_version=heavy.version, on=dt.date(2026, 3, 1), happened="Stopped.",
                               reason="Partner withdrew.", progress=50, status="dropped", actor=officer, now=NOW)
    assert "weight" in caught.value.errors


def test_milestones_cannot_precede_the_activity(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    activity = make_activity(db, officer, moc[0].id, start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 12, 31))
    with pytest.raises(ValidationFailed):
        services.add_milestone(db, activity.id, title="Kick-off", due_on=dt.date(2025, 12, 1), actor=officer)
    milestone = services.add_milestone(db, activity.id, title="Kick-off", due_on=dt.date(2026, 2, 1), actor=officer)
    services.complete_milestone(db, milestone.id, done_on=dt.date(2026, 2, 3), actor=officer)
    assert queries.detail(db, activity).milestones[0].done_on == dt.date(2026, 2, 3)


def test_links_name_other_contexts_records_by_kind_and_id(db: Session, cast: Cast, moc: list) -> None:
    officer = cast.meti_officer.actor()
    activity = make_activity(db, officer, moc[0].id)
    services.add_link(db, activity.id, target_kind="matchmaking.event", target_id="17", label="Tokyo matchmaking",
                      actor=officer)
    with pytest.raises(ValidationFailed):
        services.add_link(db, activity.id, target_kind="somewhere.else", target_id="1", actor=officer)
    assert [(link.target_kind, link.target_id) for link in queries.detail(db, activity).links] == [("matchmaking.event", "17")]


def test_snapshots_record_the_figures_of_a_day_once(db: Session, cast: Cast, moc: list) -> None:
    make_activity(db, cast.meti_officer.actor(), first_of(moc, "dpi").id, progress=50)
    services.take_snapshots(db, dt.date(2026, 3, 1), queries.progress(db))
    services.take_snapshots(db, dt.date(2026, 3, 1), queries.progress(db))
    assert [value for _day, value in queries.history(db, "dpi")] == [D("10.00")]


def test_the_snapshot_job_records_todays_figures_in_jst(db: Session, cast: Cast, moc: list) -> None:
    from kakehashi.governance.jobs import JOBS

    make_activity(db, cast.meti_officer.actor(), first_of(moc, "dpi").id, progress=50)
    late_evening_utc = dt.datetime(2026, 3, 1, 16, 0, tzinfo=dt.UTC)  # already 2 March in Tokyo
    assert JOBS["progress_snapshot"](db, late_evening_utc) == 9  # the agreement and its eight areas
    assert queries.history(db, "dpi") == [(dt.date(2026, 3, 2), D("10.00"))]
