"""JSON API: agreements, instruments, signatures, keys, and the transparency log (hashes in base64)."""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse

from kakehashi.agreement import exports, queries, services, transparency, views, witnessing
from kakehashi.agreement.checkpoint import parse_checkpoint, split_note
from kakehashi.agreement.errors import AgreementNotFound
from kakehashi.agreement.schemas import CosignatureLine, InstrumentDraft, KeyRegistration, Revocation, SignatureEntry, WitnessKey
from kakehashi.kernel.authz import require
from kakehashi.kernel.clock import utcnow
from kakehashi.web.deps import DB, PUBLIC, CurrentActor, get_settings

router = APIRouter(prefix="/api/v1", tags=["agreement"])


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


@router.get("/agreements", dependencies=[PUBLIC])
def list_agreements(session: DB, actor: CurrentActor) -> list[dict[str, Any]]:
    """Every agreement with its state today."""
    require(actor, "agreement.view")
    return [views.agreement_summary(session, a) for a in queries.list_agreements(session)]


@router.get("/agreements/{slug}", dependencies=[PUBLIC])
def agreement(slug: str, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """An agreement: state, current text, commitments, deadlines, instruments."""
    require(actor, "agreement.view")
    return views.agreement_detail(session, queries.get_agreement(session, slug))


@router.post("/agreements/{slug}/instruments", status_code=201)
def draft(slug: str, body: InstrumentDraft, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Draft an instrument; it then awaits the signatures its type requires."""
    instrument = services.draft_instrument(session, slug, body.type, body.payload, actor=actor, now=utcnow())
    session.commit()
    return views.instrument_view(session, instrument)


@router.get("/instruments/{instrument_id}")
def instrument(instrument_id: int, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """An instrument: payload, each signature's verdict, who still has to sign, its log index."""
    require(actor, "agreement.view")
    return views.instrument_view(session, queries.get_instrument(session, instrument_id))


@router.post("/instruments/{instrument_id}/signatures", status_code=201)
def sign(instrument_id: int, body: SignatureEntry, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Submit one signature entry (made offline or in the browser with the signer's own key)."""
    services.submit_signature(session, instrument_id, body.model_dump(), actor=actor, now=utcnow())
    session.commit()
    return views.instrument_view(session, queries.get_instrument(session, instrument_id))


@router.post("/instruments/{instrument_id}/demo-signature", status_code=201)
def demo_sign(instrument_id: int, request: Request, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """DEMO ONLY: sign with the caller's server-held demo key."""
    services.sign_with_demo_key(
        session, instrument_id, actor=actor, now=utcnow(), enabled=get_settings(request).demo_keys_server_side
    )
    session.commit()
    return views.instrument_view(session, queries.get_instrument(session, instrument_id))


@router.get("/instruments/{instrument_id}/original")
def original(instrument_id: int, session: DB, actor: CurrentActor) -> JSONResponse:
    """The self-contained original: verify it offline with `kakehashi instruments verify FILE`."""
    require(actor, "agreement.view")
    document = exports.build_original(session, instrument_id)
    headers = {"Content-Disposition": f'attachment; filename="instrument-{instrument_id}-original.json"'}
    return JSONResponse(document, headers=headers)


@router.get("/keys")
def my_keys(session: DB, actor: CurrentActor) -> list[dict[str, Any]]:
    """The caller's registered signing keys."""
    require(actor, "keys.manage_own")
    return [views.key_view(k) for k in queries.keys_of_user(session, actor.user_id or 0)]


@router.post("/keys", status_code=201)
def register_key(body: KeyRegistration, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Register the public half of a key you hold (browser WebCrypto or `kakehashi keys generate`)."""
    key = services.register_key(session, actor=actor, jwk=body.jwk, label=body.label, now=utcnow())
    session.commit()
    return views.key_view(key)


@router.post("/keys/{kid}/revoke")
def revoke_key(kid: str, body: Revocation, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Revoke a key (recorded in the log); signatures it made before stay valid."""
    key = services.revoke_key(session, kid, actor=actor, reason=body.reason, now=utcnow())
    session.commit()
    return views.key_view(key)


def _checkpoint_view(note: str) -> dict[str, Any]:
    text, signatures = split_note(note)
    body = parse_checkpoint(text)
    return {
        "origin": body.origin,
        "tree_size": body.size,
        "root_hash": _b64(body.root_hash),
        "checkpoint": note,
        "signed_by": [s.name for s in signatures],
    }


@router.get("/log/checkpoint", dependencies=[PUBLIC])
def checkpoint(session: DB, actor: CurrentActor) -> dict[str, Any]:
    """The latest checkpoint: a C2SP signed note (log signature plus witness cosignatures)."""
    require(actor, "agreement.view")
    latest = transparency.latest_checkpoint(session)
    if latest is None:
        raise AgreementNotFound("The log is empty.", code="empty_log")
    return _checkpoint_view(latest.note)


@router.get("/log/entries/{index}", dependencies=[PUBLIC])
def entry(index: int, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """One log entry: its canonical bytes (as text), decoded content and leaf hash."""
    require(actor, "agreement.view")
    found = transparency.get_entry(session, index)
    if found is None:
        raise AgreementNotFound(f"No log entry {index}.", field="index")
    return {
        "index": found.index,
        "kind": found.kind,
        "appended_at": found.appended_at.isoformat(),
        "data": found.data,
        "content": json.loads(found.data),
        "leaf_hash": _b64(found.leaf_hash),
    }


@router.get("/log/proofs/inclusion", dependencies=[PUBLIC])
def inclusion(
    session: DB, actor: CurrentActor, index: int = Query(ge=0), size: int | None = Query(default=None, ge=1)
) -> dict[str, Any]:
    """Inclusion proof of entry `index` in the tree of `size`, served with the checkpoint of that size."""
    require(actor, "agreement.view")
    proof = transparency.inclusion(session, index, size)
    view = _checkpoint_view(proof.checkpoint)
    return {"leaf_index": index, "tree_size": view["tree_size"], "hashes": proof.b64(), "checkpoint": proof.checkpoint}


@router.get("/log/proofs/consistency", dependencies=[PUBLIC])
def consistency(
    session: DB, actor: CurrentActor, first: int = Query(ge=1), second: int | None = Query(default=None, ge=1)
) -> dict[str, Any]:
    """Consistency proof between two tree sizes, served with the checkpoints of both."""
    require(actor, "agreement.view")
    proof = transparency.consistency(session, first, second)
    view = _checkpoint_view(proof.checkpoint)
    return {
        "first": first,
        "second": view["tree_size"],
        "hashes": proof.b64(),
        "checkpoint": proof.checkpoint,
        "first_checkpoint": proof.first_checkpoint,
    }


@router.get("/log/witnesses", dependencies=[PUBLIC])
def witnesses(session: DB, actor: CurrentActor) -> list[dict[str, Any]]:
    """The participants' witness keys (cosignature/v1 verifier keys)."""
    require(actor, "agreement.view")
    return [{"participant": w.participant_code, "vkey": w.vkey, "demo": w.demo} for w in transparency.witness_rows(session)]


@router.post("/log/witnesses", status_code=201)
def add_witness(body: WitnessKey, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Register your participant's witness key (its private half stays with you)."""
    participant = actor.ministry.value if actor.ministry else ""
    require(actor, "agreement.log.witness", side=witnessing.SIDES.get(participant, "none"))
    row = witnessing.add_witness(session, participant, body.vkey, now=utcnow())
    session.commit()
    return {"participant": row.participant_code, "vkey": row.vkey}


@router.post("/log/checkpoints/{size}/cosignatures", status_code=201)
def cosign(size: int, body: CosignatureLine, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Add your participant's cosignature/v1 line to the checkpoint of `size`."""
    witnessing.record_cosignature(session, size, body.line, actor=actor, now=utcnow())
    session.commit()
    stored = transparency.checkpoint_for(session, size)
    return _checkpoint_view(stored)
