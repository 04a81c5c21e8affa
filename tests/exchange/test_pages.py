"""Pages: share by form, open with a stated purpose, be refused with the reason, ask and get consent,
see the access history — in English and Japanese."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kakehashi.exchange.models import Item

from .conftest import REPORT


def _share_form(client, **overrides):
    data = {"title": "Wafer output 2026", "description": "Quarterly", "kind": "dataset", "purposes": ["semiconductor"],
            "ministries": ["MEITY"], "tlp": "AMBER", "access": "download", **overrides}
    return client.post("/exchange/share", data={**data, "csrf_token": client.csrf()},
                       files={"file": ("wafers.csv", REPORT, "text/csv")})


@pytest.fixture
def shared(db, cast, login):
    client = login(cast.meti_officer)
    response = _share_form(client)
    assert response.status_code == 303, response.text
    return db.scalar(select(Item).order_by(Item.id.desc()))


def test_an_officer_shares_through_the_form(db, cast, login, shared):
    assert (shared.title, shared.discloser, shared.purposes) == ("Wafer output 2026", "METI", ["semiconductor"])
    page = login(cast.meti_officer).get("/exchange/shared-by-us")
    assert "Wafer output 2026" in page.text


def test_the_form_shows_every_problem_and_keeps_what_was_typed(cast, login):
    response = _share_form(login(cast.meti_officer), tlp="RED", purposes=[])
    assert response.status_code == 422
    assert "TLP:RED" in response.text and "Wafer output 2026" in response.text


def test_a_disguised_executable_is_refused_with_a_reason(cast, login):
    client = login(cast.meti_officer)
    response = client.post("/exchange/share", data={"title": "x", "purposes": ["ai"], "ministries": ["MEITY"],
                                                     "csrf_token": client.csrf()},
                           files={"file": ("report.pdf", b"MZ\x90\x00" + bytes(60), "application/pdf")})
    assert response.status_code == 422 and "executable" in response.text


def test_a_recipient_views_for_a_permitted_purpose_and_sees_the_mark(cast, login, shared):
    client = login(cast.meity_officer)
    assert "Wafer output 2026" in client.get("/exchange/shared-with-me").text
    response = client.post_form(f"/exchange/items/{shared.id}/access", {"purpose": "semiconductor", "action": "view"})
    assert response.status_code == 200
    assert "MeitY Officer" in response.text and "Kumamoto" in response.text
    assert response.headers["cache-control"] == "no-store" and "sandbox" in response.headers["content-security-policy"]


def test_another_purpose_is_refused_with_the_rule_in_japanese(cast, login, shared):
    client = login(cast.meity_officer)
    response = client.post_form(f"/exchange/items/{shared.id}/access?lang=ja", {"purpose": "talent", "action": "view"})
    assert response.status_code == 403
    assert "purpose-needs-consent" in response.text and "事前の書面による同意" in response.text


def test_an_outsider_asking_by_id_gets_not_found_and_is_logged(db, cast, login, shared):
    client = login(cast.outsider)
    assert client.get(f"/exchange/items/{shared.id}").status_code == 404
    response = client.post_form(f"/exchange/items/{shared.id}/access", {"purpose": "semiconductor", "action": "view"})
    assert response.status_code == 404
    history = login(cast.meti_officer).get(f"/exchange/items/{shared.id}/history")
    assert "recipient-not-permitted" in history.text


def test_consent_is_asked_granted_and_then_opens_the_purpose(db, cast, login, shared, moc):
    recipient = login(cast.meity_officer)
    assert recipient.post_form(f"/exchange/items/{shared.id}/consents",
                               {"purpose": "talent", "justification": "Workforce study"}).status_code == 303
    officer = login(cast.meti_officer)
    page = officer.get("/exchange/consents")
    assert "Workforce study" in page.text
    consent_id = int(page.text.split('id="consent-')[1].split('"')[0])
    assert officer.post_form(f"/exchange/consents/{consent_id}/grant").status_code == 303
    recipient = login(cast.meity_officer)
    response = recipient.post_form(f"/exchange/items/{shared.id}/access", {"purpose": "talent", "action": "download"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]


def test_the_history_is_for_the_discloser_only(cast, login, shared):
    assert login(cast.meity_officer).get(f"/exchange/items/{shared.id}/history").status_code == 403
    assert login(cast.meti_officer).get(f"/exchange/items/{shared.id}/history").status_code == 200


def test_the_policy_downloads_as_odrl(cast, login, shared):
    document = login(cast.meity_officer).get(f"/exchange/items/{shared.id}/policy.json").json()
    assert document["profile"] == "urn:kakehashi:odrl:exchange-profile:1"


@pytest.mark.parametrize("path", ["/exchange/shared-with-me", "/exchange/shared-by-us", "/exchange/share",
                                  "/exchange/consents", "/exchange/purposes"])
def test_every_page_renders_in_japanese(cast, login, path):
    response = login(cast.meti_officer).get(path + "?lang=ja")
    assert response.status_code == 200 and 'lang="ja"' in response.text
