"""Roles are bounded by the grantor: who may give which role, on which side, in which organisation.

The matrix runs every grantor role x every invitee role x side (own / other / empty) x organisation (own /
other / none) through the service (invite, create_user with a person as actor, change_role), the invitation
page and the API, against an oracle written out here from the rule (not from kernel.authz).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kakehashi import cli_support
from kakehashi.cli import app as cli_app
from kakehashi.identity import services
from kakehashi.identity.errors import InvitationInvalid
from kakehashi.identity.models import Invitation, User
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM, Actor, Ministry, Role, Side, can, can_grant
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from kakehashi.registry import services as registry_services
from kakehashi.registry.models import Organisation
from tests.factories.identity import make_user
from tests.factories.registry import make_org, org_input
from tests.fixtures.web import WebClient

OFFICERS = {Role.NODAL_OFFICER, Role.MINISTRY_LIAISON}
SIDES = ("own", "other", "empty")
ORGS = ("own", "other", "none")


@dataclass
class World:
    jp_org: Organisation
    in_org: Organisation
    grantors: dict[Role, User]


@pytest.fixture
def world(db: Session) -> World:
    jp_org = make_org(db, country="JP", name_en="Grantor Home KK")
    in_org = make_org(db, country="IN", name_en="Elsewhere Pvt Ltd")
    specs: dict[Role, dict[str, Any]] = {
        Role.PLATFORM_ADMIN: {},
        Role.NODAL_OFFICER: {"side": Side.JP, "ministry": Ministry.METI},
        Role.MINISTRY_LIAISON: {"side": Side.JP, "ministry": Ministry.MIC},
        Role.ORG_ADMIN: {"org_id": jp_org.id},
        Role.ORG_MEMBER: {"org_id": jp_org.id},
        Role.PROGRAMME_MANAGER: {"side": Side.JP},
        Role.REVIEWER: {"org_id": jp_org.id},
        Role.CERT_ANALYST: {"side": Side.JP, "org_id": jp_org.id},
    }
    grantors = {role: make_user(db, role=role, email=f"grantor-{role.value}@example.org", **kw)
                for role, kw in specs.items()}
    return World(jp_org, in_org, grantors)


def _target(world: World, role: Role, side: str, org: str) -> services.RoleSpec:
    side_value = {"own": Side.JP, "other": Side.IN, "empty": None}[side]
    ministry = None
    if role in OFFICERS and side_value is not None:
        ministry = {(Role.NODAL_OFFICER, Side.JP): Ministry.METI, (Role.NODAL_OFFICER, Side.IN): Ministry.MEITY,
                    (Role.MINISTRY_LIAISON, Side.JP): Ministry.MEXT,
                    (Role.MINISTRY_LIAISON, Side.IN): Ministry.DOT}[(role, side_value)]
    org_id = {"own": world.jp_org.id, "other": world.in_org.id, "none": None}[org]
    return services.RoleSpec(role, side_value, ministry, org_id)


def _allowed(grantor: Role, role: Role, side: str, org: str) -> bool:
    """The rule, spelled out: platform admins grant anything; nodal officers grant every role but platform admin
    on their own side (the role's side and its organisation's country all theirs, at least one given); liaisons
    the same but neither officers nor liaisons; org admins grant org admin and member in their own organisation;
    nobody else grants anything."""
    if grantor is Role.PLATFORM_ADMIN:
        return True
    sides = {s for s in ({"own": "JP", "other": "IN", "empty": None}[side],
                         {"own": "JP", "other": "IN", "none": None}[org]) if s}
    if grantor is Role.NODAL_OFFICER:
        return role is not Role.PLATFORM_ADMIN and sides == {"JP"}
    if grantor is Role.MINISTRY_LIAISON:
        return role not in (Role.PLATFORM_ADMIN, *OFFICERS) and sides == {"JP"}
    if grantor is Role.ORG_ADMIN:
        return role in (Role.ORG_ADMIN, Role.ORG_MEMBER) and org == "own" and side in ("own", "empty")
    return False


CASES = list(itertools.product(Role, Role, SIDES, ORGS))


def _outcome(call: Any) -> str:
    try:
        call()
    except Forbidden:
        return "refused"
    except ValidationFailed:
        return "invalid"  # allowed to grant, but the role needs a side/ministry/organisation it was not given
    return "granted"


def _invitations(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Invitation)) or 0


def test_the_matrix_through_invite(db: Session, world: World) -> None:
    wrong = []
    for n, (grantor, role, side, org) in enumerate(CASES):
        before = _invitations(db)
        spec = _target(world, role, side, org)
        got = _outcome(lambda: services.invite(db, email=f"invitee{n}@example.org", spec=spec,
                                               actor=world.grantors[grantor].actor()))
        if (got != "refused") != _allowed(grantor, role, side, org):
            wrong.append((grantor.value, role.value, side, org, got))
        if got != "granted" and _invitations(db) != before:
            wrong.append((grantor.value, role.value, side, org, "a refused invitation left a row"))
    assert wrong == []
    assert len(CASES) == 8 * 8 * 3 * 3


def test_the_matrix_through_create_user_with_a_person_as_actor(db: Session, world: World) -> None:
    wrong = []
    for n, (grantor, role, side, org) in enumerate(CASES):
        spec = _target(world, role, side, org)
        got = _outcome(lambda: services.create_user(db, email=f"created{n}@example.org", name=f"Created {n}",
                                                    password=None, spec=spec, actor=world.grantors[grantor].actor()))
        if (got != "refused") != _allowed(grantor, role, side, org):
            wrong.append((grantor.value, role.value, side, org, got))
    assert wrong == []


def test_the_matrix_through_change_role(db: Session, world: World) -> None:
    """The target starts as a member of the grantors' own (Japanese) organisation: whoever may grant that may
    change it, to whatever they may grant."""
    wrong = []
    for n, (grantor, role, side, org) in enumerate(CASES):
        target = services.create_user(db, email=f"target{n}@example.org", name=f"Target {n}", password=None,
                                      spec=services.RoleSpec(Role.ORG_MEMBER, org_id=world.jp_org.id))
        spec = _target(world, role, side, org)
        got = _outcome(lambda: services.change_role(db, user_id=target.id, spec=spec,
                                                    actor=world.grantors[grantor].actor()))
        expected = _allowed(grantor, Role.ORG_MEMBER, "empty", "own") and _allowed(grantor, role, side, org)
        if (got != "refused") != expected:
            wrong.append((grantor.value, role.value, side, org, got))
        if got == "refused" and db.get(User, target.id).role != "org_member":  # type: ignore[union-attr]
            wrong.append((grantor.value, role.value, side, org, "refused but changed"))
    assert wrong == []


def _form(world: World, n: int, role: Role, side: str, org: str) -> dict[str, str]:
    spec = _target(world, role, side, org)
    return {"email": f"page{n}@example.org", "role": role.value, "side": spec.side.value if spec.side else "",
            "ministry": spec.ministry.value if spec.ministry else "", "org_id": str(spec.org_id or "")}


def test_the_matrix_through_the_invitation_page(db: Session, world: World, login: Any) -> None:
    wrong = []
    for n, (grantor, role, side, org) in enumerate(CASES):
        client: WebClient = login(world.grantors[grantor])
        before = _invitations(db)
        response = client.post_form("/people/invite", _form(world, n, role, side, org))
        created = _invitations(db) - before
        allowed = _allowed(grantor, role, side, org)
        if response.status_code == 403 and created == 0:
            got = "refused"
        elif response.status_code == 200 and created == 1:
            got = "granted"
        elif response.status_code == 422 and created == 0:
            got = "invalid"
        else:
            got = f"status {response.status_code}, {created} rows"
        if got not in (("granted", "invalid") if allowed else ("refused",)):
            wrong.append((grantor.value, role.value, side, org, got))
    assert wrong == []


def test_the_matrix_through_the_api(db: Session, world: World, client: WebClient, bearer: Any) -> None:
    headers = {role: bearer(user) for role, user in world.grantors.items()}
    wrong = []
    for n, (grantor, role, side, org) in enumerate(CASES):
        form = _form(world, n, role, side, org)
        body = {"email": form["email"], "role": role.value, "side": form["side"] or None,
                "ministry": form["ministry"] or None, "org_id": int(form["org_id"]) if form["org_id"] else None}
        before = _invitations(db)
        response = client.post("/api/v1/invitations", json=body, headers=headers[grantor])
        created = _invitations(db) - before
        allowed = _allowed(grantor, role, side, org)
        ok = (response.status_code in (201, 422)) if allowed else (
            response.status_code == 403 and created == 0
            and response.headers["content-type"].startswith("application/problem+json"))
        if not ok:
            wrong.append((grantor.value, role.value, side, org, response.status_code))
    assert wrong == []


def test_a_japanese_org_admin_posting_platform_admin_is_refused_and_leaves_no_invitation(
    db: Session, cast: Any, login: Any,
) -> None:
    client = login(cast.jp_org_admin)
    page = client.get("/people")
    assert page.status_code == 200
    assert 'value="org_member"' in page.text and 'value="org_admin"' in page.text
    for role in ("platform_admin", "nodal_officer", "ministry_liaison", "cert_analyst", "programme_manager"):
        assert f'value="{role}"' not in page.text  # the form offers only the roles the actor may grant
    for form in ({"email": "root@example.org", "role": "platform_admin"},
                 {"email": "fake.meity@example.in", "role": "nodal_officer", "side": "IN", "ministry": "MEITY"},
                 {"email": "in.admin@example.in", "role": "org_admin", "org_id": str(cast.in_org.id)}):
        response = client.post_form("/people/invite", form)
        assert response.status_code == 403, form
        assert "You may not grant this role here." in response.text
    assert _invitations(db) == 0


def test_a_japanese_nodal_officer_cannot_make_a_platform_admin_or_an_indian_org_admin(
    db: Session, cast: Any, client: WebClient, bearer: Any,
) -> None:
    headers = bearer(cast.meti_officer)
    for body in ({"email": "root@example.org", "role": "platform_admin"},
                 {"email": "root2@example.org", "role": "platform_admin", "side": "JP"},
                 {"email": "boss@silicon.example.in", "role": "org_admin", "org_id": cast.in_org.id},
                 {"email": "boss2@silicon.example.in", "role": "org_admin", "side": "JP", "org_id": cast.in_org.id},
                 {"email": "sideless@example.org", "role": "org_admin"},
                 {"email": "meity2@example.in", "role": "nodal_officer", "side": "IN", "ministry": "MEITY"}):
        response = client.post("/api/v1/invitations", json=body, headers=headers)
        assert response.status_code == 403, body
        assert response.json()["type"] == "/problems/grant_forbidden"
    assert _invitations(db) == 0
    granted = client.post("/api/v1/invitations", headers=headers,
                          json={"email": "boss@sakura.example.jp", "role": "org_admin", "org_id": cast.jp_org.id})
    assert granted.status_code == 201 and granted.json()["link"].startswith("http://testserver/invitations/")
    roles = client.get("/api/v1/invitations/roles", headers=headers).json()["roles"]
    assert "platform_admin" not in roles and "nodal_officer" in roles


def test_a_side_bound_grant_never_passes_with_an_empty_side() -> None:
    officer = Actor(user_id=1, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI)
    for role in Role:
        assert not can_grant(officer, role, side=None, org_id=None)
    sideless = Actor(user_id=2, role=Role.NODAL_OFFICER, side=None)
    assert not can_grant(sideless, Role.ORG_MEMBER, side=None, org_id=None)
    assert not can_grant(sideless, Role.ORG_MEMBER, side="JP", org_id=None)
    # An organisation that does not exist (no country known) passes only for platform admins.
    assert not can_grant(officer, Role.ORG_MEMBER, side="JP", org_id=999_999, org_side=None)
    assert can_grant(SYSTEM, Role.ORG_MEMBER, side=None, org_id=999_999, org_side=None)


def test_an_open_invitation_from_someone_who_may_not_grant_it_no_longer_works(db: Session, cast: Any) -> None:
    """Invitations made under the old rule (written directly here, as they were) cannot be accepted."""
    token = "legacy-token-for-platform-admin"
    db.add(Invitation(token_hash=services.token_hash(token), email="mallory@example.org", role="platform_admin",
                      invited_by=cast.jp_org_admin.id, created_at=utcnow(),
                      expires_at=utcnow() + dt.timedelta(days=14)))
    db.flush()
    with pytest.raises(InvitationInvalid):
        services.accept_invitation(db, token=token, name="Mallory", password="a long passphrase here")
    assert services.find_user_by_email(db, "mallory@example.org") is None


def test_a_japanese_officer_cannot_change_an_indian_officers_role(db: Session, cast: Any) -> None:
    with pytest.raises(Forbidden):
        services.change_role(db, user_id=cast.meity_officer.id, actor=cast.meti_officer.actor(),
                             spec=services.RoleSpec(Role.ORG_MEMBER, org_id=cast.jp_org.id))
    assert cast.meity_officer.role == "nodal_officer"
    with pytest.raises(Forbidden):  # nor a platform admin's
        services.change_role(db, user_id=cast.admin.id, actor=cast.meti_officer.actor(),
                             spec=services.RoleSpec(Role.ORG_MEMBER, org_id=cast.jp_org.id))


def _legacy_grant(db: Session, *, grantor: User, email: str, role: str, side: str | None = None,
                  org_id: int | None = None) -> User:
    """An account made through an invitation under the old rule, rows written as the old code wrote them."""
    invitation = Invitation(token_hash=services.token_hash(email), email=email, role=role, side=side,
                            org_id=org_id, invited_by=grantor.id, created_at=utcnow(), expires_at=utcnow(),
                            accepted_at=utcnow())
    db.add(invitation)
    db.flush()
    audit.record(db, grantor.actor(), "identity.invitation.created", target_type="invitation",
                 target_id=invitation.id, details={"email": email, "role": role})
    user = User(email=email, name=email, role=role, side=side, org_id=org_id, created_at=utcnow(), languages=[])
    db.add(user)
    db.flush()
    audit.record(db, SYSTEM, "identity.user.created", target_type="user", target_id=user.id,
                 details={"role": role, "side": side, "org_id": org_id})
    return user


def test_review_grants_lists_accounts_granted_by_someone_who_could_not(
    db: Session, cast: Any, db_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    _legacy_grant(db, grantor=cast.jp_org_admin, email="rogue.admin@example.org", role="platform_admin")
    _legacy_grant(db, grantor=cast.jp_org_admin, email="fake.meity@example.in", role="nodal_officer", side="IN")
    _legacy_grant(db, grantor=cast.jp_org_admin, email="fine.member@sakura.example.jp", role="org_member",
                  org_id=cast.jp_org.id)
    services.invite(db, email="proper@sakura.example.jp", actor=cast.jp_org_admin.actor(),
                    spec=services.RoleSpec(Role.ORG_MEMBER, org_id=cast.jp_org.id))
    target = make_user(db, role=Role.ORG_MEMBER, org_id=cast.in_org.id, email="demoted@silicon.example.in")
    audit.record(db, cast.meti_officer.actor(), "identity.role.changed", target_type="user",  # the old rule let
                 target_id=target.id, details={"before": {}, "after": {}})  # a JP officer do this
    db.flush()
    found = {item.user.email for item in services.review_grants(db)}
    assert found == {"rogue.admin@example.org", "fake.meity@example.in", "demoted@silicon.example.in"}

    monkeypatch.setattr(cli_support, "sessions", lambda: db_factory)
    result = CliRunner().invoke(cli_app, ["users", "review-grants"])
    assert result.exit_code == 0, result.output
    assert "rogue.admin@example.org" in result.output and "platform_admin" in result.output
    assert "fine.member" not in result.output and "3 account(s) to review" in result.output


def test_officers_edit_only_organisations_of_their_own_side(db: Session, cast: Any, login: Any) -> None:
    """A JP officer cannot withdraw an Indian organisation's verification by editing its name (page)."""
    registry_services.verify_organisation(db, cast.in_org.id, actor=cast.meity_officer.actor())
    assert not can(cast.meti_officer.actor(), "registry.org.edit", side="IN", org_id=cast.in_org.id)
    assert can(cast.meti_officer.actor(), "registry.org.edit", side="JP", org_id=cast.jp_org.id)
    assert can(cast.admin.actor(), "registry.org.edit", side="IN", org_id=cast.in_org.id)
    assert can(cast.jp_org_admin.actor(), "registry.org.edit", side="JP", org_id=cast.jp_org.id)
    assert not can(cast.jp_org_admin.actor(), "registry.org.edit", side="IN", org_id=cast.in_org.id)
    client = login(cast.meti_officer)
    assert client.get(f"/organisations/{cast.in_org.id}/edit").status_code == 403
    response = client.post_form(f"/organisations/{cast.in_org.id}/edit",
                                {"kind": cast.in_org.kind, "country": "IN", "name_en": "Renamed By Japan",
                                 "version": str(cast.in_org.version)})
    assert response.status_code == 403
    db.refresh(cast.in_org)
    assert cast.in_org.name_en == "Bengaluru Silicon Pvt Ltd" and cast.in_org.verified_at is not None
    assert client.get(f"/organisations/{cast.jp_org.id}/edit").status_code == 200


def test_the_registry_service_refuses_a_cross_side_edit(db: Session, cast: Any) -> None:
    registry_services.verify_organisation(db, cast.in_org.id, actor=cast.meity_officer.actor())
    renamed = org_input(name_en="Renamed By Japan", country="IN", city="Bengaluru", region="Karnataka")
    with pytest.raises(Forbidden):
        registry_services.update_organisation(db, cast.in_org.id, renamed, expected_version=cast.in_org.version,
                                              actor=cast.meti_officer.actor())
    assert cast.in_org.verified_at is not None and cast.in_org.name_en == "Bengaluru Silicon Pvt Ltd"
    with pytest.raises(Forbidden):  # an org admin of another organisation neither
        registry_services.update_organisation(db, cast.in_org.id, renamed, expected_version=cast.in_org.version,
                                              actor=cast.jp_org_admin.actor())
    registry_services.update_organisation(db, cast.in_org.id, renamed, expected_version=cast.in_org.version,
                                          actor=cast.meity_officer.actor())
    assert cast.in_org.name_en == "Renamed By Japan"
