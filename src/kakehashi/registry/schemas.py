"""JSON shapes of the registry API (kept apart from the tables: they change for different reasons)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kakehashi.registry.models import IdScheme, Organisation, OrgKind, OrgSize
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.queries import SearchPage


class Contacts(BaseModel):
    """A contact point of an organisation."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class OrganisationIn(BaseModel):
    """An organisation as a client submits it; lengths, formats and identifiers are checked by the service."""

    model_config = ConfigDict(extra="forbid")
    kind: OrgKind
    name_en: str = Field(description="Name in English (required).")
    country: Literal["JP", "IN"]
    name_ja: str | None = None
    name_hi: str | None = None
    region: str | None = Field(None, description="Prefecture or state.")
    city: str | None = None
    size: OrgSize | None = None
    founded_year: int | None = None
    website: str | None = Field(None, description="http:// or https:// address.")
    offers: str = ""
    seeks: str = ""
    description: str = ""
    sectors: list[str] = Field(description="Sector codes from the taxonomy, e.g. semi.equipment.")
    contacts: Contacts = Field(default_factory=Contacts)
    identifiers: dict[IdScheme, str] = Field(default_factory=dict, description="Scheme -> value, e.g. "
                                             '{"jp_corporate_number": "1180301018771"}.')

    def to_input(self) -> OrganisationInput:
        """The service's input."""
        values = self.model_dump(exclude={"contacts", "identifiers", "sectors", "kind", "size", "version"})
        return OrganisationInput(
            **{key: ("" if value is None and key != "founded_year" else value) for key, value in values.items()},
            kind=self.kind.value, size=self.size.value if self.size else "", sectors=tuple(self.sectors),
            contacts={key: value for key, value in self.contacts.model_dump().items() if value},
            identifiers={scheme.value: value for scheme, value in self.identifiers.items()},
        )


class OrganisationUpdate(OrganisationIn):
    """A full replacement of a profile, with the version it was based on (optimistic locking)."""

    version: int = Field(description="The `version` you read; a stale one gets 409.")


class OrganisationSummary(BaseModel):
    """An organisation in a listing."""

    id: int
    kind: str
    name_en: str
    name_ja: str | None
    name_hi: str | None
    country: str
    city: str | None
    areas: list[str]
    verified: bool
    links: dict[str, str]

    @classmethod
    def of(cls, org: Organisation) -> OrganisationSummary:
        return cls(id=org.id, kind=org.kind, name_en=org.name_en, name_ja=org.name_ja, name_hi=org.name_hi,
                   country=org.country, city=org.city, areas=list(org.areas), verified=org.is_verified,
                   links=_links(org))


class OrganisationOut(OrganisationSummary):
    """An organisation with its whole profile."""

    region: str | None
    size: str | None
    founded_year: int | None
    website: str | None
    offers: str
    seeks: str
    description: str
    sectors: list[str]
    identifiers: dict[str, str]
    contacts: dict[str, Any]
    verified_at: dt.datetime | None
    verified_by: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, org: Organisation) -> OrganisationOut:
        return cls(
            **OrganisationSummary.of(org).model_dump(), region=org.region, size=org.size,
            founded_year=org.founded_year, website=org.website, offers=org.offers, seeks=org.seeks,
            description=org.description, sectors=[s.sector for s in org.sectors],
            identifiers={i.scheme: i.value for i in org.identifiers}, contacts=dict(org.contacts or {}),
            verified_at=org.verified_at, verified_by=org.verified_by, version=org.version,
            created_at=org.created_at, updated_at=org.updated_at,
        )


class OrganisationPage(BaseModel):
    """One page of a listing."""

    items: list[OrganisationSummary]
    total: int = Field(description="How many organisations match; a lower bound when total_is_lower_bound.")
    total_is_lower_bound: bool = Field(
        False, description="More than `total` organisations match a text search: only the first `total` found are"
                           " ordered and paged (add words or filters to narrow the search).")
    page: int
    size: int
    pages: int

    @classmethod
    def of(cls, page: SearchPage[Organisation]) -> OrganisationPage:
        return cls(items=[OrganisationSummary.of(org) for org in page.items], total=page.total,
                   total_is_lower_bound=page.total_is_lower_bound, page=page.page, size=page.size,
                   pages=page.pages)


def _links(org: Organisation) -> dict[str, str]:
    return {"self": f"/api/v1/organisations/{org.id}", "html": f"/organisations/{org.id}"}
