"""Registry JSON API under /api/v1/organisations: list and search, detail, create, update, verify."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from kakehashi.kernel.authz import require
from kakehashi.kernel.errors import NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.registry import queries, services
from kakehashi.registry.models import OrgKind
from kakehashi.registry.schemas import OrganisationIn, OrganisationOut, OrganisationPage, OrganisationUpdate
from kakehashi.web.deps import DB, CurrentActor

router = APIRouter(prefix="/api/v1/organisations", tags=["registry"])


@router.get("", response_model=OrganisationPage)
def list_organisations(
    session: DB, actor: CurrentActor,
    q: str = Query("", max_length=200, description="Words to find in names (any script), identifiers, places."),
    country: Literal["JP", "IN"] | None = None, kind: OrgKind | None = None, sector: str | None = None,
    area: str | None = None, verified: bool | None = None, page: int = Query(1, ge=1),
    size: int = Query(20, ge=1, le=200),
) -> OrganisationPage:
    """Organisations matching the query and filters, best matches first, a page at a time."""
    require(actor, "registry.view")
    return OrganisationPage.of(queries.search(session, q, country=country, kind=kind.value if kind else None,
                                              sector=sector, area=area,
                                              verified=verified, page=page, size=size))


@router.get("/{org_id}", response_model=OrganisationOut)
def get_organisation(org_id: int, session: DB, actor: CurrentActor) -> OrganisationOut:
    """One organisation with its identifiers, sectors, contacts and verification."""
    require(actor, "registry.view")
    org = queries.get_organisation(session, org_id)
    if org is None:
        raise NotFound(N_("There is no such organisation."), field="org_id")
    return OrganisationOut.of(org)


@router.post("", response_model=OrganisationOut, status_code=201)
def create_organisation(body: OrganisationIn, session: DB, actor: CurrentActor) -> JSONResponse:
    """Register an organisation (unverified until an officer of its country verifies it)."""
    org = services.create_organisation(session, body.to_input(), actor=actor)
    session.commit()
    return JSONResponse(OrganisationOut.of(org).model_dump(mode="json"), status_code=201,
                        headers={"Location": f"/api/v1/organisations/{org.id}"})


@router.put("/{org_id}", response_model=OrganisationOut)
def update_organisation(org_id: int, body: OrganisationUpdate, session: DB, actor: CurrentActor) -> OrganisationOut:
    """Replace a profile; 409 if `version` is not the current one (someone else changed it)."""
    org = services.update_organisation(session, org_id, body.to_input(), expected_version=body.version, actor=actor)
    session.commit()
    return OrganisationOut.of(org)


@router.post("/{org_id}/verify", response_model=OrganisationOut)
def verify_organisation(org_id: int, session: DB, actor: CurrentActor) -> OrganisationOut:
    """Mark verified (officers of the organisation's own country only)."""
    org = services.verify_organisation(session, org_id, actor=actor)
    session.commit()
    return OrganisationOut.of(org)


@router.delete("/{org_id}/verify", response_model=OrganisationOut)
def unverify_organisation(
    org_id: int, session: DB, actor: CurrentActor, reason: str = Query("", max_length=500),
) -> OrganisationOut:
    """Withdraw a verification, with a reason (officers of the organisation's own country only)."""
    org = services.unverify_organisation(session, org_id, actor=actor, reason=reason)
    session.commit()
    return OrganisationOut.of(org)
