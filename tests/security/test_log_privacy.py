"""The transparency log is readable by every signed-in person: it must not say who read what, or why.

After a TLP:RED read and exchange access decisions, an ordinary organisation member reads the log page and
every entry through the API: no reader's name, e-mail or id and no stated purpose appears. The entries carry
a commitment instead, which an auditor opens with the salt kept in the audit row.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.agreement.models import LogEntry
from kakehashi.cyber import ledger, objects, queries, sharing
from kakehashi.cyber import services as cyber_services
from kakehashi.cyber.filters import ObjectFilter
from kakehashi.cyber.tlp import Tlp
from kakehashi.exchange import crypto
from kakehashi.exchange import services as exchange_services
from kakehashi.exchange.policy import AccessMode, Recipients
from kakehashi.exchange.policy import Tlp as ExchangeTlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.kernel.audit import AuditEvent
from kakehashi.kernel.authz import SYSTEM, Role, Side
from kakehashi.kernel.clock import utcnow
from tests.factories.cyber import indicator
from tests.factories.identity import make_user
from tests.factories.registry import make_org

PURPOSE = "quantum-wafer-audit"
PRIVATE_KEYS = {"by", "user", "org", "side", "purpose", "requested_by", "recipient"}


def _acts(db: Session, cast: object) -> dict[str, object]:
    now = utcnow()
    meti, meity = cast.meti_officer, cast.meity_officer  # type: ignore[attr-defined]
    exchange_services.add_purpose(db, code=PURPOSE, label_en="Quantum wafer audit", label_ja="量子ウェハー監査",
                                  clause="", actor=meti.actor(), now=now)
    keyring = crypto.keyring_from_settings(bytes(32))
    terms = Terms(frozenset({"semiconductor"}), Recipients(ministries=frozenset({"MEITY"})),
                  now - dt.timedelta(days=1), now + dt.timedelta(days=30), ExchangeTlp.GREEN, False, AccessMode.DOWNLOAD)
    item = exchange_services.share_item(
        db, exchange_services.Upload("w.csv", "", io.BytesIO(b"a,b\n1,2\n")), terms, title="Wafers", description="",
        kind="dataset", actor=meti.actor(), keyring=keyring, limits=ScreeningLimits(), now=now)
    for purpose in ("semiconductor", PURPOSE):
        exchange_services.access_item(db, item.id, actor=meity.actor(), action="download", purpose=purpose,
                                      keyring=keyring, now=now)
    cert = make_org(db, country="IN")
    analyst = make_user(db, role=Role.CERT_ANALYST, side=Side.IN, org_id=cert.id, name="Anjali Reddington",
                        email="anjali.reddington@cert.example.in")
    collection = cyber_services.create_collection(db, title="CTI", owner_org_id=cert.id, actor=SYSTEM)
    objects.add_objects(db, collection.uid, [indicator(Tlp.RED)], actor=analyst.actor())
    access = sharing.access_for(db, collection, analyst.actor())
    page = queries.page(db, access, ObjectFilter(), limit=10)
    objects.note_reads(db, collection.uid, page, endpoint="objects", actor=analyst.actor())
    ledger.drain(db)
    db.commit()
    return {"readers": [meity, analyst], "cert": cert}


def test_an_org_member_reading_the_log_learns_no_reader_and_no_purpose(db: Session, cast: object, login: object) -> None:
    acts = _acts(db, cast)
    client = login(cast.in_org_member)  # type: ignore[attr-defined,operator]
    page = client.get("/agreement/log")
    assert page.status_code == 200
    seen = [page.text, client.get("/api/v1/log/checkpoint").text]
    size = db.scalar(select(LogEntry.index).order_by(LogEntry.index.desc()).limit(1)) + 1
    for index in range(size):
        response = client.get(f"/api/v1/log/entries/{index}")
        assert response.status_code == 200
        seen.append(response.text)
        content = response.json()["content"]
        if content["kind"].startswith(("exchange.", "cyber.")):
            assert not PRIVATE_KEYS & set(content["payload"]), content
            assert len(content["payload"]["commitment"]) == 64
    everything = "\n".join(seen)
    assert '"exchange.decision"' in everything and '"cyber.taxii.read"' in everything
    for reader in acts["readers"]:  # type: ignore[attr-defined]
        for value in (reader.name, reader.email, f'"user":{reader.id}', f'"by":{reader.id}'):
            assert value not in everything
    assert PURPOSE not in everything
    assert f'"org":{acts["cert"].id}' not in everything  # type: ignore[attr-defined]


def test_an_auditor_opens_the_commitment_with_the_salt_of_the_audit_row(db: Session, cast: object) -> None:
    acts = _acts(db, cast)
    reader = acts["readers"][1]  # type: ignore[index]
    for kind, private in (
        ("exchange.decision", {"by": cast.meity_officer.id, "purpose": PURPOSE}),  # type: ignore[attr-defined]
        ("cyber.taxii.read", {"user": reader.id, "org": reader.org_id, "side": "IN"}),
    ):
        entries = db.scalars(select(LogEntry).where(LogEntry.kind == kind)).all()
        audits = {a.details["log_index"]: a for a in db.scalars(select(AuditEvent).where(AuditEvent.action == kind))}
        opened = [e for e in entries if agreement.commitment(audits[e.index].details["salt"], private)
                  == json.loads(e.data)["payload"]["commitment"]]
        assert len(opened) == 1, kind  # exactly the one act this reader did for this purpose
