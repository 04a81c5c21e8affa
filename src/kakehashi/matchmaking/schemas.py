"""JSON shapes of the matchmaking API (kept apart from the tables)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EventIn(BaseModel):
    """A new event; times carry their UTC offset."""

    title: str = Field(max_length=200)
    format: str = Field(description="physical, virtual or hybrid")
    timezone: str = Field("Asia/Tokyo", description="Asia/Tokyo or Asia/Kolkata: the zone pages show first")
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    slot_minutes: int = 30
    max_meetings: int = 8
    request_hours: int = 72
    description: str = ""
    venue: str = ""
    video_base_url: str = ""
    organiser_org_id: int | None = None


class EventOut(BaseModel):
    """An event as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    format: str
    venue: str
    timezone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    slot_minutes: int
    max_meetings: int
    phase: str
    organiser_org_id: int | None


class SessionIn(BaseModel):
    """A session of an event."""

    name: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: str = "meetings"
    tables: int | None = None
    room: str = ""


class PhaseIn(BaseModel):
    to: str = Field(description="open, requests_closed, provisional or final")


class RegistrationIn(BaseModel):
    group_code: str | None = None
    attendance: str | None = None
    max_meetings: int | None = None
    unavailable_slot_ids: list[int] = []
    pitch: str = ""


class RegistrationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    user_id: int
    org_id: int | None
    side: str
    attendance: str
    max_meetings: int | None


class RequestIn(BaseModel):
    recipient_id: int = Field(description="the other participant's registration id")
    message: str = ""
    opportunity_id: int | None = None


class RequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    requester_id: int
    recipient_id: int
    message: str
    opportunity_id: int | None
    kind: str
    status: str
    expires_at: dt.datetime


class DecisionIn(BaseModel):
    keen: bool = Field(False, description="accepting: 'I want this too' makes the meeting mutual")


class RunOut(BaseModel):
    """A stored schedule run: value, proven bound, their ratio."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    objective: float
    upper_bound: float | None
    ratio: float | None
    bound_kind: str
    status: str
    seconds: float
    meetings: int
    moved: int
    dropped: int
    unscheduled: list[dict[str, Any]]


class AgendaItemOut(BaseModel):
    meeting_id: int
    event_id: int
    event_title: str
    final: bool
    starts_at: dt.datetime
    ends_at: dt.datetime
    table_no: int
    room: str
    video_url: str
    counterpart_name: str
    counterpart_org_id: int | None
    counterpart_side: str


class OpportunityIn(BaseModel):
    kind: str
    title: str
    summary: str
    language: str = "en"
    sectors: list[str] = []
    anonymous: bool = False
    submit: bool = Field(False, description="also send it for review")


class OpportunityOut(BaseModel):
    """An opportunity; `org_id` is null when it is anonymous and not disclosed to the caller."""

    id: int
    reference: str | None
    kind: str
    title: str
    summary: str
    language: str
    sectors: list[str]
    side: str
    status: str
    anonymous: bool
    org_id: int | None
    published_at: dt.datetime | None
    expires_at: dt.datetime | None


class FundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    manager_name: str
    domicile: str
    size: Decimal | None
    currency: str
    vintage: int | None
    invests_in: list[str]
    stages: list[str]
    japanese_backers: list[str]
    is_japan_india_corridor: bool


class PageOut(BaseModel):
    total: int
    page: int
    size: int
    items: list[Any]
