"""Authorisation, in one place: roles, sides, the actor, and which role may do what where.

Every page, API route and service asks `require(actor, permission, side=..., org_id=...)`.
Adding a role is one enum member and one entry in GRANTS.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kakehashi.kernel.errors import Forbidden, Unauthenticated


class Side(StrEnum):
    """The two participants' countries."""

    JP = "JP"
    IN = "IN"


class Ministry(StrEnum):
    """Participants (METI, MeitY) and related ministries/agencies of each side."""

    METI = "METI"
    MIC = "MIC"
    MEXT = "MEXT"
    DIGITAL_AGENCY = "DIGITAL_AGENCY"
    MEITY = "MEITY"
    DOT = "DOT"
    MOE = "MOE"
    DST = "DST"


MINISTRY_SIDE: dict[Ministry, Side] = {
    Ministry.METI: Side.JP, Ministry.MIC: Side.JP, Ministry.MEXT: Side.JP,
    Ministry.DIGITAL_AGENCY: Side.JP, Ministry.MEITY: Side.IN, Ministry.DOT: Side.IN,
    Ministry.MOE: Side.IN, Ministry.DST: Side.IN,
}
NODAL_MINISTRY: dict[Side, Ministry] = {Side.JP: Ministry.METI, Side.IN: Ministry.MEITY}


class Role(StrEnum):
    """Roles of the platform; most are tied to a side."""

    PLATFORM_ADMIN = "platform_admin"
    NODAL_OFFICER = "nodal_officer"
    MINISTRY_LIAISON = "ministry_liaison"
    ORG_ADMIN = "org_admin"
    ORG_MEMBER = "org_member"
    PROGRAMME_MANAGER = "programme_manager"
    REVIEWER = "reviewer"
    CERT_ANALYST = "cert_analyst"


ROLES_WITH_SIDE = frozenset({Role.NODAL_OFFICER, Role.MINISTRY_LIAISON, Role.PROGRAMME_MANAGER, Role.CERT_ANALYST})
ROLES_WITH_ORG = frozenset({Role.ORG_ADMIN, Role.ORG_MEMBER, Role.CERT_ANALYST, Role.REVIEWER})


class Scope(StrEnum):
    """Where a grant applies: anywhere, only on the actor's own side, or only in the actor's organisation."""

    ANY = "any"
    OWN_SIDE = "own_side"
    OWN_ORG = "own_org"


ANY, OWN_SIDE, OWN_ORG = Scope.ANY, Scope.OWN_SIDE, Scope.OWN_ORG

_SIGNED_IN = {
    "registry.view": ANY, "registry.org.create": ANY, "profile.edit_self": ANY,
    "agreement.view": ANY, "exchange.share": ANY, "exchange.access": ANY,
    "matchmaking.participate": ANY, "matchmaking.opportunity.create": ANY,
    "governance.view": ANY, "training.register": ANY, "keys.manage_own": ANY,
}
_OFFICER = {
    **_SIGNED_IN,
    "registry.org.edit": OWN_SIDE, "registry.org.verify": OWN_SIDE, "registry.org.import": ANY,
    "registry.org.export": ANY, "identity.invite": OWN_SIDE, "audit.view": OWN_SIDE,
    "agreement.instrument.draft": OWN_SIDE, "agreement.instrument.sign": OWN_SIDE,
    "agreement.log.witness": OWN_SIDE, "exchange.consent.decide": OWN_SIDE,
    "exchange.vocabulary.edit": ANY, "matchmaking.event.organise": ANY,
    "matchmaking.opportunity.review": OWN_SIDE, "governance.edit": ANY,
    "governance.funding.view": OWN_SIDE, "governance.funding.edit": OWN_SIDE,
    "governance.minutes.approve": OWN_SIDE, "training.manage": ANY,
    "cyber.conformity.edit": OWN_SIDE, "cyber.view": ANY,
}

_PARTICIPANT_ONLY = frozenset({"agreement.instrument.sign", "agreement.log.witness"})

GRANTS: dict[Role, dict[str, Scope]] = {
    Role.NODAL_OFFICER: _OFFICER,
    # Liaisons of related ministries work like officers but never sign or witness for a participant.
    Role.MINISTRY_LIAISON: {k: v for k, v in _OFFICER.items() if k not in _PARTICIPANT_ONLY},
    Role.ORG_ADMIN: {
        **_SIGNED_IN, "registry.org.edit": OWN_ORG, "identity.invite": OWN_ORG,
        "matchmaking.event.organise": OWN_ORG,
    },
    Role.ORG_MEMBER: dict(_SIGNED_IN),
    Role.PROGRAMME_MANAGER: {
        **_SIGNED_IN, "matchmaking.event.organise": ANY, "training.manage": ANY,
        "governance.edit": ANY, "research.call.manage": OWN_SIDE,
    },
    Role.REVIEWER: {**_SIGNED_IN, "research.proposal.review": ANY},
    Role.CERT_ANALYST: {**_SIGNED_IN, "cyber.view": ANY, "cyber.taxii.use": ANY},
}

KNOWN_PERMISSIONS = frozenset(p for grants in GRANTS.values() for p in grants)

# Which roles each role may grant (invite, create, change to), and where. A grant always names where it applies:
# OWN_SIDE needs the new role's side (or its organisation's country) to be the grantor's side, never empty;
# OWN_ORG needs the new role's organisation to be the grantor's own. Platform admins are made only by platform
# admins; nodal officers only by a nodal officer of the same side; liaisons only by a nodal officer of the same
# side; nobody grants a role above their own.
_OFFICER_GRANTS: dict[Role, Scope] = {
    Role.ORG_ADMIN: OWN_SIDE, Role.ORG_MEMBER: OWN_SIDE, Role.PROGRAMME_MANAGER: OWN_SIDE,
    Role.REVIEWER: OWN_SIDE, Role.CERT_ANALYST: OWN_SIDE,
}
GRANTABLE_ROLES: dict[Role, dict[Role, Scope]] = {
    Role.PLATFORM_ADMIN: dict.fromkeys(Role, ANY),
    Role.NODAL_OFFICER: {Role.NODAL_OFFICER: OWN_SIDE, Role.MINISTRY_LIAISON: OWN_SIDE, **_OFFICER_GRANTS},
    Role.MINISTRY_LIAISON: dict(_OFFICER_GRANTS),
    Role.ORG_ADMIN: {Role.ORG_ADMIN: OWN_ORG, Role.ORG_MEMBER: OWN_ORG},
    Role.ORG_MEMBER: {},
    Role.PROGRAMME_MANAGER: {},
    Role.REVIEWER: {},
    Role.CERT_ANALYST: {},
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (with role, side, ministry, organisation) or anonymous."""

    user_id: int | None
    role: Role | None = None
    side: Side | None = None
    ministry: Ministry | None = None
    org_id: int | None = None
    name: str = ""

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN

    @property
    def is_officer(self) -> bool:
        return self.role in (Role.NODAL_OFFICER, Role.MINISTRY_LIAISON)


ANONYMOUS = Actor(user_id=None)
SYSTEM = Actor(user_id=None, role=Role.PLATFORM_ADMIN, name="system")


def can(actor: Actor, permission: str, *, side: str | None = None, org_id: int | None = None) -> bool:
    """Whether `actor` holds `permission` for a target on `side` / in organisation `org_id`."""
    if permission not in KNOWN_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if actor.role is Role.PLATFORM_ADMIN:
        return True
    if actor.role is None or not actor.is_authenticated:
        return False
    scope = GRANTS.get(actor.role, {}).get(permission)
    if scope is None:
        return False
    if scope is OWN_SIDE:
        # No target side: a list or menu check ("may this role ever do this?"). Every act on a thing passes the
        # thing's side; grants never come through here (see `can_grant`).
        return side is None or (actor.side is not None and actor.side == side)
    if scope is OWN_ORG:
        return org_id is not None and actor.org_id == org_id
    return True


def grantable_roles(actor: Actor) -> list[Role]:
    """The roles `actor` may grant somewhere (the choices of an invitation form), in table order."""
    if actor.role is None or (not actor.is_authenticated and actor is not SYSTEM):
        return []
    allowed = GRANTABLE_ROLES.get(actor.role, {})
    return [role for role in Role if role in allowed]


def can_grant(
    actor: Actor, role: Role, *, side: str | None, org_id: int | None, org_side: str | None = None,
) -> bool:
    """Whether `actor` may give someone `role` on `side` in organisation `org_id` (whose country is `org_side`).

    The one decision for invitations, account creation and role changes. `side` and `org_side` must agree
    when both are given; a side-bound grant never passes with no side at all; an organisation that does not
    exist (`org_id` given, `org_side` None) passes only for platform admins.
    """
    if actor.role is None or (not actor.is_authenticated and actor is not SYSTEM):
        return False
    scope = GRANTABLE_ROLES.get(actor.role, {}).get(role)
    if scope is None:
        return False
    if scope is ANY:
        return True
    sides = {s for s in (side, org_side) if s}
    if org_id is not None and org_side is None:
        return False
    if scope is OWN_SIDE:
        return actor.side is not None and sides == {actor.side.value}
    # OWN_ORG: the grantor's own organisation, and no side other than that organisation's country.
    return org_id is not None and actor.org_id == org_id and len(sides) <= 1


def require(actor: Actor, permission: str, *, side: str | None = None, org_id: int | None = None) -> None:
    """Raise Unauthenticated/Forbidden unless `actor` may do `permission` there."""
    if not actor.is_authenticated and actor is not SYSTEM:
        raise Unauthenticated("Please sign in.")
    if not can(actor, permission, side=side, org_id=org_id):
        raise Forbidden(f"Your role may not do this ({permission}).", code="forbidden")
