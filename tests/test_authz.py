"""The permission table: sides, organisations, and what each role may do."""

from __future__ import annotations

import pytest

from kakehashi.kernel.authz import ANONYMOUS, Actor, Ministry, Role, Side, can, require
from kakehashi.kernel.errors import Forbidden, Unauthenticated

METI = Actor(user_id=1, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI)
MEITY = Actor(user_id=2, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY)
MIC = Actor(user_id=3, role=Role.MINISTRY_LIAISON, side=Side.JP, ministry=Ministry.MIC)
ORG_ADMIN = Actor(user_id=4, role=Role.ORG_ADMIN, org_id=10)
ADMIN = Actor(user_id=5, role=Role.PLATFORM_ADMIN)


def test_an_officer_verifies_only_organisations_of_their_own_side() -> None:
    assert can(METI, "registry.org.verify", side="JP")
    assert not can(METI, "registry.org.verify", side="IN")
    assert can(MEITY, "registry.org.verify", side="IN")


def test_liaisons_never_sign_for_a_participant() -> None:
    assert not can(MIC, "agreement.instrument.sign", side="JP")
    assert can(METI, "agreement.instrument.sign", side="JP")


def test_org_admins_edit_only_their_own_organisation() -> None:
    assert can(ORG_ADMIN, "registry.org.edit", org_id=10)
    assert not can(ORG_ADMIN, "registry.org.edit", org_id=11)
    assert not can(ORG_ADMIN, "registry.org.verify", side="JP")


def test_anonymous_is_asked_to_sign_in_and_others_are_forbidden() -> None:
    with pytest.raises(Unauthenticated):
        require(ANONYMOUS, "registry.view")
    with pytest.raises(Forbidden):
        require(ORG_ADMIN, "registry.org.verify", side="JP")
    require(ADMIN, "registry.org.verify", side="IN")


def test_a_misspelt_permission_is_a_programming_error_not_a_silent_denial() -> None:
    with pytest.raises(ValueError):
        can(METI, "registry.org.verfy")
