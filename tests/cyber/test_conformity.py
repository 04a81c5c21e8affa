"""The standards and conformity register: officers of each side edit their own bodies; everyone searches;
lapsed accreditations expire and those ending soon are reminded once a month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.cyber import conformity
from kakehashi.cyber.models import Accreditation
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from kakehashi.kernel.notifications import Notification
from tests.fixtures.actors import Cast

TODAY = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _body(db: Session, cast: Cast, country: str = "JP", name: str = "Sakura Test Lab") -> Any:
    officer = cast.meti_officer if country == "JP" else cast.meity_officer
    return conformity.register_body(db, conformity.BodyInput(name_en=name, name_ja="さくら試験所", country=country,
                                                             kind="testing_laboratory"), actor=officer.actor())


def _accredit(db: Session, cast: Cast, body: Any, *, until: dt.date, standard: str = "ISO/IEC 17025") -> Accreditation:
    officer = cast.meti_officer if body.country == "JP" else cast.meity_officer
    return conformity.add_accreditation(db, body.id, conformity.AccreditationInput(
        accreditor="IAJapan", scheme="ASNITE", standard=standard, scope="IoT security testing",
        valid_from=dt.date(2024, 1, 1), valid_until=until), actor=officer.actor())


def test_officers_register_bodies_of_their_own_side_only(db: Session, cast: Cast) -> None:
    assert _body(db, cast).country == "JP"
    with pytest.raises(Forbidden):
        conformity.register_body(db, conformity.BodyInput(name_en="X", country="IN", kind="testing_laboratory"),
                                 actor=cast.meti_officer.actor())
    with pytest.raises(Forbidden):
        conformity.register_body(db, conformity.BodyInput(name_en="X", country="JP", kind="testing_laboratory"),
                                 actor=cast.jp_org_admin.actor())


def test_bad_entries_are_refused_field_by_field(db: Session, cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as refused:
        conformity.register_body(db, conformity.BodyInput(name_en="", country="JP", kind="spaceport",
                                                          website="ftp://x"), actor=cast.meti_officer.actor())
    assert set(refused.value.errors) == {"name_en", "kind", "website"}
    body = _body(db, cast)
    with pytest.raises(ValidationFailed) as dates:
        _accredit(db, cast, body, until=dt.date(2023, 1, 1))
    assert set(dates.value.errors) == {"valid_until"}


def test_search_finds_by_words_country_standard_and_soon_expiring(db: Session, cast: Cast) -> None:
    jp, india = _body(db, cast), _body(db, cast, "IN", "Deccan Test House")
    _accredit(db, cast, jp, until=TODAY + dt.timedelta(days=30))
    _accredit(db, cast, india, until=TODAY + dt.timedelta(days=400), standard="ISO/IEC 17065")
    names = lambda page: [b.name_en for _a, b in page.items]  # noqa: E731
    actor = cast.meity_officer.actor()
    assert names(conformity.search(db, words="deccan", actor=actor)) == ["Deccan Test House"]
    assert names(conformity.search(db, words="iot", country="JP", actor=actor)) == ["Sakura Test Lab"]
    assert names(conformity.search(db, standard="ISO/IEC 17065", actor=actor)) == ["Deccan Test House"]
    assert names(conformity.search(db, expiring_by=TODAY + dt.timedelta(days=90), actor=actor)) == ["Sakura Test Lab"]


def test_reminders_expire_lapsed_and_remind_once_a_month(db: Session, cast: Cast) -> None:
    body = _body(db, cast)
    lapsed = _accredit(db, cast, body, until=TODAY - dt.timedelta(days=1))
    soon = _accredit(db, cast, body, until=TODAY + dt.timedelta(days=45))
    later = _accredit(db, cast, body, until=TODAY + dt.timedelta(days=200))
    assert conformity.send_expiry_reminders(db, NOW) == 2
    assert (lapsed.status, soon.status, later.status) == ("expired", "active", "active")
    notes = db.scalars(select(Notification).where(Notification.user_id == cast.meti_officer.id)).all()
    assert [n.kind for n in notes] == ["cyber.accreditation_expiring"]
    assert conformity.send_expiry_reminders(db, NOW + dt.timedelta(days=1)) == 0
    assert conformity.send_expiry_reminders(db, NOW + dt.timedelta(days=31)) == 1


def test_officers_suspend_accreditations_of_their_side(db: Session, cast: Cast) -> None:
    accreditation = _accredit(db, cast, _body(db, cast), until=TODAY + dt.timedelta(days=300))
    with pytest.raises(Forbidden):
        conformity.set_status(db, accreditation.id, "suspended", actor=cast.meity_officer.actor())
    assert conformity.set_status(db, accreditation.id, "suspended", actor=cast.meti_officer.actor()).status == "suspended"


def test_the_register_pages_search_and_edit(db: Session, cast: Cast, login: Any) -> None:
    body = _body(db, cast)
    _accredit(db, cast, body, until=TODAY + dt.timedelta(days=300))
    page = login(cast.meity_officer).get("/cyber/conformity", params={"q": "sakura"})
    assert page.status_code == 200 and "Sakura Test Lab" in page.text
    officer = login(cast.meti_officer)
    created = officer.post_form("/cyber/conformity/bodies", {"name_en": "Fuji Cert", "country": "JP",
                                                             "kind": "certification_body"})
    assert created.status_code == 303
    added = officer.post_form(created.headers["location"].split("?")[0] + "/accreditations", {
        "accreditor": "JAB", "scheme": "ISMS", "standard": "ISO/IEC 17021-1", "valid_from": "2025-01-01",
        "valid_until": "2028-01-01"})
    assert added.status_code == 303
    bad = officer.post_form(f"/cyber/conformity/bodies/{body.id}/accreditations", {
        "accreditor": "JAB", "scheme": "ISMS", "standard": "ISO/IEC 17065", "valid_from": "soon", "valid_until": ""})
    assert bad.status_code == 422
    ja = login(cast.meity_officer).get(f"/cyber/conformity/bodies/{body.id}?lang=ja")
    assert "認定" in ja.text
