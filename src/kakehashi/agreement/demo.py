"""Demo data: the MoC (signed 25 August 2025) and the 2023 semiconductor MoC it builds on, demo
signing keys for the two nodal officers, demo witnesses, and both signature instruments signed.

Demo keys and demo witnesses are held server-side and marked `demo`; they exist only so the demo can
show signatures and cosignatures without a second browser.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.agreement import jws, queries, services, witnessing
from kakehashi.agreement.models import (
    Agreement,
    AgreementLink,
    Commitment,
    DemoKey,
    Paragraph,
    Participant,
    Signatory,
    SignerKey,
)
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions

FILES = ("semiconductor-supply-chain-2023.json", "ijdp-2.0.json")
DEMO_SIGNERS = {"METI": "officer@meti.demo.example", "MEITY": "officer@meity.demo.example"}


def agreement_data(name: str) -> dict[str, Any]:
    """One agreement's data file (text, participants, commitments, links)."""
    data: dict[str, Any] = json.loads((files("kakehashi.agreement") / "data" / name).read_text(encoding="utf-8"))
    return data


def create_agreement(session: Session, data: dict[str, Any], *, now: dt.datetime) -> Agreement:
    """Create an agreement with its participants, signatories, paragraphs, commitments and links."""
    agreement = Agreement(
        slug=data["slug"],
        title=data["title"],
        title_ja=data.get("title_ja"),
        preamble="",
        made_on=dt.date.fromisoformat(data["made_on"]),
        term_years=data["term_years"],
        notice_days=data["notice_days"],
        notice_counting=data["notice_counting"],
        renewal_window_days=data["renewal_window_days"],
        created_at=now,
    )
    session.add(agreement)
    session.flush()
    session.add_all(Participant(agreement_id=agreement.id, **p) for p in data["participants"])
    session.add_all(
        Signatory(agreement_id=agreement.id, participant_code=s["participant"], name=s["name"], title=s["title"])
        for s in data["signatories"]
    )
    session.add_all(Paragraph(agreement_id=agreement.id, position=n, **p) for n, p in enumerate(data["paragraphs"]))
    session.add_all(Commitment(agreement_id=agreement.id, position=n, **c) for n, c in enumerate(data["commitments"]))
    for link in data["links"]:
        related = session.scalar(select(Agreement).where(Agreement.slug == link["slug"]))
        if related is not None:
            session.add(
                AgreementLink(
                    agreement_id=agreement.id,
                    related_id=related.id,
                    relation=link["relation"],
                    paragraph_ref=link["paragraph_ref"],
                )
            )
    session.flush()
    return agreement


def demo_key(session: Session, participant: str, user_id: int | None, *, now: dt.datetime) -> SignerKey:
    """The participant officer's demo key (created once; the private half kept in DemoKey)."""
    query = select(SignerKey).join(DemoKey, DemoKey.kid == SignerKey.kid).where(SignerKey.participant_code == participant)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        return existing
    private = jws.generate_key()
    key = services.add_key(
        session,
        participant=participant,
        user_id=user_id,
        label=f"{participant} demo key",
        jwk=jws.public_jwk(private),
        now=now,
        demo=True,
    )
    session.add(DemoKey(kid=key.kid, private_pem=jws.private_key_to_pem(private).decode()))
    session.flush()
    return key


def sign_as_demo(session: Session, agreement: Agreement, signed_at: dict[str, str], keys: dict[str, SignerKey]) -> None:
    """Draft the signature instrument and sign it with each side's demo key at the recorded instants."""
    first = min(dt.datetime.fromisoformat(t) for t in signed_at.values())
    instrument = services.draft_instrument(
        session, agreement.slug, "signature", {}, actor=SYSTEM, now=first - dt.timedelta(days=1)
    )
    for code, stamp in sorted(signed_at.items(), key=lambda item: dt.datetime.fromisoformat(item[1])):
        private = jws.load_private_key(session.get_one(DemoKey, keys[code].kid).private_pem.encode())
        services.submit_signature(
            session,
            instrument.id,
            jws.sign(instrument.payload.encode(), private),
            actor=SYSTEM,
            now=dt.datetime.fromisoformat(stamp).astimezone(dt.UTC),
        )


def load(session: Session, options: DemoOptions) -> None:
    """Create the demo agreements, keys, witnesses and signatures that do not exist yet (idempotent)."""
    now = utcnow()
    keys = {}
    for code, email in DEMO_SIGNERS.items():
        user = identity.find_user_by_email(session, email)
        keys[code] = demo_key(session, code, user.id if user else None, now=now)
        if witnessing.witness_key(session, code) is None:
            witnessing.add_demo_witness(session, code, now=now)
    for step, name in enumerate(FILES, start=1):
        options.progress(step, len(FILES), "agreements")
        data = agreement_data(name)
        if session.scalar(select(Agreement).where(Agreement.slug == data["slug"])) is not None:
            continue
        agreement = create_agreement(session, data, now=now)
        if not queries.instruments_of(session, agreement.id):
            sign_as_demo(session, agreement, data["signed_at"], keys)
    witnessing.cosign_with_demo_witnesses(session, now=now)
