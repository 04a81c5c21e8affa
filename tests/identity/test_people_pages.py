"""Inviting people through the pages: the right scope, field errors, a one-time link."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient


def test_an_officer_invites_a_liaison_of_their_side_and_the_link_signs_them_up(
    client: WebClient, login: object, cast: Cast, db: Session,
) -> None:
    browser = login(cast.meti_officer)  # type: ignore[operator]
    page = browser.post_form("/people/invite", {"email": "new@mext.example.jp", "role": "ministry_liaison",
                                                "side": "JP", "ministry": "MEXT"})
    assert page.status_code == 200
    link = re.search(r"/invitations/[\w-]+", page.text)
    assert link is not None
    browser.post_form("/logout")
    signup = client.post_form(link.group(0), {"name": "New Liaison", "password": "a long password",
                                              "password_again": "a long password"})
    assert signup.status_code == 303


def test_an_invitation_with_bad_fields_names_them_and_keeps_the_input(login: object, cast: Cast) -> None:
    browser = login(cast.meti_officer)  # type: ignore[operator]
    page = browser.post_form("/people/invite", {"email": "not-an-email", "role": "nodal_officer", "side": "JP",
                                                "ministry": "METI"})
    assert page.status_code == 422
    assert 'value="not-an-email"' in page.text and 'aria-invalid="true"' in page.text


def test_an_officer_cannot_invite_for_the_other_side_through_the_page(login: object, cast: Cast) -> None:
    browser = login(cast.meti_officer)  # type: ignore[operator]
    page = browser.post_form("/people/invite", {"email": "x@meity.example.in", "role": "nodal_officer",
                                                "side": "IN", "ministry": "MEITY"})
    assert page.status_code == 403


def test_an_org_member_may_not_see_the_people_page(login: object, cast: Cast) -> None:
    assert login(cast.in_org_member).get("/people").status_code == 403  # type: ignore[operator]
