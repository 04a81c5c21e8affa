"""Pages of the funding ledger: one side's costs and totals, recording costs, cost sharing, display rates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.governance import money
from kakehashi.governance.forms import FormReader, field_errors
from kakehashi.governance.funding import queries, services
from kakehashi.governance.register import queries as register
from kakehashi.governance.register.web import write_on_activity
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.templating import render

router = APIRouter()


@router.get("/governance/funding", response_class=HTMLResponse)
def funding_page(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The costs of the actor's own side (both for administrators), with totals and a display conversion."""
    return render(request, "governance/funding.html", _funding_context(session, actor, {}))


def _funding_context(session: DB, actor: Actor, errors: dict[str, str]) -> dict[str, Any]:
    sides = queries.visible_sides(actor)
    if not sides:
        require(actor, "governance.funding.view", side="none")
    titles = {a.id: a.title for a in register.activities(session)}
    return {
        "sides": sides, "costs": {side: queries.costs(session, side) for side in sides},
        "totals": {side: queries.totals(session, side) for side in sides}, "titles": titles,
        "rate": queries.latest_rate(session), "convert": money.convert, "errors": errors,
    }


@router.post("/governance/activities/{activity_id:int}/costs", response_class=HTMLResponse)
def record_cost(
    request: Request, activity_id: int, session: DB, actor: CurrentActor, side: str = Form(""), kind: str = Form(""),
    currency: str = Form(""), amount: str = Form(""), incurred_on: str = Form(""), description: str = Form(""),
    arrangement_id: str = Form(""),
) -> Response:
    """Record a planned or actual cost on the actor's side; wrong currency or precision re-renders with the error."""
    reader = FormReader()
    day = reader.date("incurred_on", incurred_on, required=True)
    arrangement = reader.integer("arrangement_id", arrangement_id)

    def write() -> None:
        reader.check()
        assert day is not None
        services.record_cost(session, activity_id=activity_id, side=side, kind=kind, currency=currency, amount=amount,
                             incurred_on=day, description=description, arrangement_id=arrangement, actor=actor,
                             now=utcnow())

    return write_on_activity(
        request, session, actor, activity_id, write, flash="cost_recorded", anchor="#funding",
        cost_values={"amount": amount, "currency": currency, "kind": kind, "incurred_on": incurred_on})


@router.post("/governance/activities/{activity_id:int}/arrangements", response_class=HTMLResponse)
def propose_arrangement(
    request: Request, activity_id: int, session: DB, actor: CurrentActor, share_description: str = Form(""),
    participant: str = Form(""), share_currency: str = Form(""), share_amount: str = Form(""),
) -> Response:
    """Propose a cost-sharing arrangement; it counts once both participants sign its concurrence."""
    return write_on_activity(
        request, session, actor, activity_id, flash="sent_for_concurrence", anchor="#funding",
        write=lambda: services.propose_arrangement(
            session, activity_id=activity_id, description=share_description,
            shares=[services.ShareSpec(participant, share_currency, share_amount)], actor=actor, now=utcnow()))


@router.post("/governance/arrangements/{arrangement_id}/sign")
def sign_arrangement(request: Request, arrangement_id: int, session: DB, actor: CurrentActor,
                     activity_id: int = Form(0)) -> Response:
    """DEMO: sign the concurrence with the officer's server-held demo key."""
    services.sign_arrangement(session, arrangement_id, actor=actor, now=utcnow(),
                              demo_keys=request.app.state.settings.demo_keys_server_side)
    session.commit()
    return RedirectResponse(f"/governance/activities/{activity_id}?flash=signed#funding", status_code=303)


@router.post("/governance/rates", response_class=HTMLResponse)
def set_rate(request: Request, session: DB, actor: CurrentActor, rate: str = Form(""), as_of: str = Form(""),
             source: str = Form("")) -> Response:
    """Record the JPY→INR reference rate of a date (display only)."""
    reader = FormReader()
    day = reader.date("as_of", as_of, required=True)
    try:
        reader.check()
        assert day is not None
        services.set_rate(session, base="JPY", quote="INR", rate=rate, as_of=day, source=source, actor=actor)
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in (401, 403):
            raise
        return render(request, "governance/funding.html", _funding_context(session, actor, field_errors(exc)), 422)
    return RedirectResponse("/governance/funding?flash=saved", status_code=303)
