"""The matchmaking API: the event journey with a token, problem+json naming fields, schedule import/export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kakehashi.matchmaking import events
from tests.factories.matchmaking import make_event, register
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient


def test_an_organiser_creates_an_event_and_a_session_with_a_token(client: WebClient, bearer: object, cast: Cast) -> None:
    headers = bearer(cast.meti_officer)  # type: ignore[operator]
    made = client.post("/api/v1/matchmaking/events", headers=headers, json={
        "title": "Online partnering", "format": "virtual", "timezone": "Asia/Kolkata",
        "starts_at": "2031-03-10T09:00:00+05:30", "ends_at": "2031-03-10T18:00:00+05:30"})
    assert made.status_code == 201 and made.json()["phase"] == "draft"
    event_id = made.json()["id"]
    added = client.post(f"/api/v1/matchmaking/events/{event_id}/sessions", headers=headers, json={
        "name": "Morning", "starts_at": "2031-03-10T10:00:00+05:30", "ends_at": "2031-03-10T11:00:00+05:30"})
    assert added.status_code == 201 and added.json()["slots"] == 2


def test_bad_input_is_problem_json_naming_the_fields(client: WebClient, bearer: object, cast: Cast) -> None:
    response = client.post("/api/v1/matchmaking/events", headers=bearer(cast.meti_officer), json={  # type: ignore[operator]
        "title": "", "format": "holo", "starts_at": "2031-03-10T09:00:00+09:00", "ends_at": "2031-03-10T08:00:00+09:00"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"title", "format", "ends_at"}
    naive = client.post("/api/v1/matchmaking/events", headers=bearer(cast.meti_officer), json={  # type: ignore[operator]
        "title": "x", "format": "virtual", "starts_at": "2031-03-10T09:00:00", "ends_at": "2031-03-10T10:00:00"})
    assert naive.status_code == 422


def test_requests_schedule_and_agenda_through_the_api(client: WebClient, bearer: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.in_org_member)
    jp = bearer(cast.jp_org_admin)  # type: ignore[operator]
    india = bearer(cast.in_org_member)  # type: ignore[operator]
    officer = bearer(cast.meti_officer)  # type: ignore[operator]
    mine = client.post(f"/api/v1/matchmaking/events/{event.id}/registrations", headers=jp, json={})
    assert mine.status_code == 201
    people = client.get(f"/api/v1/matchmaking/events/{event.id}/registrations", headers=jp).json()
    theirs = next(p["id"] for p in people if p["user_id"] == cast.in_org_member.id)
    self_request = client.post(f"/api/v1/matchmaking/events/{event.id}/requests", headers=jp,
                               json={"recipient_id": mine.json()["id"]})
    assert self_request.status_code == 422
    sent = client.post(f"/api/v1/matchmaking/events/{event.id}/requests", headers=jp,
                       json={"recipient_id": theirs, "message": "Hello"})
    assert sent.status_code == 201
    accepted = client.post(f"/api/v1/matchmaking/requests/{sent.json()['id']}/accept", headers=india, json={"keen": True})
    assert accepted.json()["kind"] == "mutual"
    client.post(f"/api/v1/matchmaking/events/{event.id}/phase", headers=officer, json={"to": "requests_closed"})
    instance = client.get(f"/api/v1/matchmaking/events/{event.id}/instance", headers=officer).json()
    assert client.get(f"/api/v1/matchmaking/events/{event.id}/instance", headers=jp).status_code == 403
    first_slot = instance["slots"][0]["id"]
    bad = client.put(f"/api/v1/matchmaking/events/{event.id}/schedule", headers=officer,
                     json={"meetings": [{"a": instance["requests"][0]["a"], "b": instance["requests"][0]["b"],
                                         "slot": first_slot, "table": 99}]})
    assert bad.status_code == 422 and "table 99" in bad.json()["detail"]
    run = client.post(f"/api/v1/matchmaking/events/{event.id}/schedule/solve?time_limit=2", headers=officer).json()
    assert run["meetings"] == 1 and run["ratio"] == 1.0
    exported = client.get(f"/api/v1/matchmaking/events/{event.id}/schedule", headers=officer).json()
    assert len(exported["meetings"]) == 1 and exported["upper_bound"] == run["upper_bound"]
    client.post(f"/api/v1/matchmaking/events/{event.id}/phase", headers=officer, json={"to": "final"})
    agenda = client.get("/api/v1/matchmaking/agenda", headers=india).json()
    assert [a["counterpart_name"] for a in agenda] == ["Sakura Admin"] and agenda[0]["final"] is True
    assert len(events.slots_of(db, event.id)) == 4


def test_the_recommenders_routes_are_served_with_ours(client: WebClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/organisations/{org_id}/recommendations" in paths
    assert "/api/v1/matchmaking/events/{event_id}/schedule" in paths
