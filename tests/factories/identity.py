"""Users for tests, created through the identity service (so invariants hold)."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from kakehashi.identity import services
from kakehashi.identity.models import User
from kakehashi.kernel.authz import Ministry, Role, Side
from tests.factories.registry import make_org

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(
    session: Session, *, role: Role = Role.ORG_MEMBER, side: Side | None = None, ministry: Ministry | None = None,
    org_id: int | None = None, email: str | None = None, name: str | None = None,
) -> User:
    """A user with a role; the password is PASSWORD."""
    n = next(_counter)
    if role in (Role.ORG_ADMIN, Role.ORG_MEMBER) and org_id is None:
        org_id = make_org(session).id
    return services.create_user(
        session, email=email or f"user{n}@example.org", name=name or f"User {n}", password=PASSWORD,
        spec=services.RoleSpec(role, side, ministry, org_id),
    )
