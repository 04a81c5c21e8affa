"""Pages of the agreement context: agreement, instrument, signing forms, keys, log, deadlines and iCal."""

from __future__ import annotations

import json

from icalendar import Calendar
from sqlalchemy.orm import Session

from kakehashi.agreement import demo, jws, queries, services
from tests.agreement.conftest import LATER_SIGNING, Ledger
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient


def test_the_agreement_page_shows_state_text_deadlines_and_commitments(signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meti.user)
    page = client.get("/agreement/ijdp-2.0?on=2026-01-01")
    assert page.status_code == 200
    assert "In force" in page.text and "2030-08-24" in page.text
    assert "CERT-to-CERT cooperation" in page.text and "P2(viii).2" in page.text
    assert "Semiconductor" in page.text and "Draft an instrument" in page.text
    assert "MUTO Yoji" in page.text and "Ashwini Vaishnaw" in page.text


def test_the_agreement_page_speaks_japanese(signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meti.user)
    page = client.get("/agreement/ijdp-2.0?lang=ja")
    assert "日印デジタル・パートナーシップ2.0に関する協力覚書" in page.text
    assert "CERT間協力" in page.text


def test_the_list_and_log_pages_need_a_signed_in_user(signed: Ledger, client: WebClient, sign_in, cast: Cast) -> None:
    assert client.get("/agreement").status_code == 303
    sign_in(cast.in_org_member)
    assert client.get("/agreement").status_code == 200
    log_page = client.get("/agreement/log")
    assert log_page.status_code == 200 and "kakehashi.example/agreement-log" in log_page.text


def test_an_officer_drafts_a_renewal_and_a_bad_form_keeps_its_values(signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meti.user)
    assert client.get("/agreement/ijdp-2.0/instruments/new?type=modification").status_code == 200
    bad = client.post_form(
        "/agreement/ijdp-2.0/instruments",
        {"type": "modification", "summary": "x", "effective_date": "2020-01-01", "paragraph": "P4", "text": "t"},
    )
    assert bad.status_code == 422 and 'value="P4"' in bad.text
    good = client.post_form(
        "/agreement/ijdp-2.0/instruments", {"type": "minutes_approval", "meeting": "JWG-2", "minutes_sha256": "c" * 64}
    )
    assert good.status_code == 303, good.text[-3000:]
    instrument_page = client.get(good.headers["location"])
    assert instrument_page.status_code == 200
    assert "Sign in this browser" in instrument_page.text and "has not signed yet" in instrument_page.text


def test_a_signature_uploaded_from_the_cli_is_recorded_and_a_wrong_one_is_explained(
    db: Session,
    signed: Ledger,
    client: WebClient,
    sign_in,
) -> None:
    instrument = services.draft_instrument(
        db,
        "ijdp-2.0",
        "minutes_approval",
        {"meeting": "JWG-2", "minutes_sha256": "c" * 64},
        actor=signed.meti.user.actor(),
        now=LATER_SIGNING,
    )
    sign_in(signed.meity.user)
    wrong = client.post_form(
        f"/agreement/instruments/{instrument.id}/signatures", {"signature": json.dumps(jws.sign(b'{"x":1}', signed.meity.key))}
    )
    assert wrong.status_code == 422 and "does not match this payload" in wrong.text
    garbage = client.post_form(f"/agreement/instruments/{instrument.id}/signatures", {"signature": "not json"})
    assert garbage.status_code == 422
    right = client.post_form(
        f"/agreement/instruments/{instrument.id}/signatures", {"signature": json.dumps(signed.meity.sign(instrument))}
    )
    assert right.status_code == 303
    assert "valid" in client.get(f"/agreement/instruments/{instrument.id}").text


def test_the_original_downloads_from_the_instrument_page(db: Session, signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meity.user)
    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    page = client.get(f"/agreement/instruments/{instrument.id}")
    assert "Download the original" in page.text
    download = client.get(f"/agreement/instruments/{instrument.id}/original")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert download.json()["format"] == "kakehashi-original/1"


def test_deadlines_page_and_ical_feed(signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meity.user)
    assert "Renewal window opens" in client.get("/agreement/ijdp-2.0/deadlines").text
    feed = client.get("/agreement/ijdp-2.0/deadlines.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert {str(e["summary"]).split(":")[0] for e in events} == {"Last day in force", "Renewal window opens"}
    assert any(e.decoded("dtstart").isoformat() == "2030-08-24" for e in events)


def test_the_diff_page_shows_a_modification(db: Session, signed: Ledger, client: WebClient, sign_in) -> None:
    from tests.agreement.conftest import conclude

    members = {
        "summary": "Ninety days",
        "effective_date": "2026-04-01",
        "changes": [{"paragraph": "P7(iii)", "text": "Ninety days' notice."}],
    }
    conclude(db, signed, "modification", members, now=LATER_SIGNING)
    sign_in(signed.meti.user)
    page = client.get("/agreement/ijdp-2.0/diff?until=2026-04-01")
    assert "+Ninety days&#39; notice." in page.text or "+Ninety days' notice." in page.text


def test_keys_page_registers_a_cli_key_and_refuses_garbage(signed: Ledger, client: WebClient, sign_in) -> None:
    sign_in(signed.meti.user)
    assert "Create a key in this browser" in client.get("/agreement/keys").text
    key = jws.generate_key()
    printed = json.dumps({"kid": jws.key_id(key), "jwk": jws.public_jwk(key)})
    assert client.post_form("/agreement/keys", {"jwk": printed, "label": "laptop"}).status_code == 303
    assert client.post_form("/agreement/keys", {"jwk": "{]"}).status_code == 422
    assert jws.key_id(key) in client.get("/agreement/keys").text


def test_the_demo_signs_with_demo_keys_only_when_enabled(db: Session, cast: Cast, client: WebClient, sign_in) -> None:
    from kakehashi.kernel.demo import DemoOptions

    demo.load(db, DemoOptions())
    agreement = queries.get_agreement(db, "ijdp-2.0")
    assert queries.timeline(db, agreement).in_force_on.isoformat() == "2025-08-25"  # type: ignore[union-attr]
    assert queries.get_agreement(db, "semiconductor-supply-chain-2023")
    assert len(queries.commitments(db, agreement.id)) == 39
    demo.load(db, DemoOptions())  # idempotent
    assert len(queries.list_agreements(db)) == 2
