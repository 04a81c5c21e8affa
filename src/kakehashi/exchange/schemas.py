"""JSON shapes of the exchange API (kept apart from the tables)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from kakehashi.exchange.models import Access, Consent, Item, Recipient


class RecipientOut(BaseModel):
    """One permitted recipient."""

    kind: str
    value: str


class ItemOut(BaseModel):
    """An item's metadata and conditions (never its content)."""

    id: int
    title: str
    description: str
    kind: str
    discloser: str
    discloser_side: str
    file_name: str
    media_type: str
    size: int
    purposes: list[str]
    tlp: str
    access_mode: str
    onward_sharing: bool
    valid_from: dt.datetime
    valid_until: dt.datetime
    retain_until: dt.datetime | None
    status: str
    created_at: dt.datetime
    log_index: int | None
    recipients: list[RecipientOut] = []

    @classmethod
    def of(cls, item: Item, recipients: list[Recipient] | None = None) -> ItemOut:
        """From the table row."""
        fields = {name: getattr(item, name) for name in cls.model_fields if name != "recipients"}
        return cls(**fields, recipients=[RecipientOut(kind=r.kind, value=r.value) for r in recipients or []])


class ItemPage(BaseModel):
    """One page of items."""

    items: list[ItemOut]
    total: int
    page: int
    size: int


class AccessIn(BaseModel):
    """An access: the action and the stated purpose."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(pattern="^(view|download|share_onward)$")
    purpose: str = Field(min_length=1, max_length=64)


class DecisionOut(BaseModel):
    """The decision on an access, as logged."""

    permit: bool
    rule: str
    reason: str
    access_id: int
    log_index: int | None


class AccessOut(BaseModel):
    """One decision in an item's history."""

    id: int
    user_id: int | None
    org_id: int | None
    side: str | None
    ministry: str | None
    action: str
    purpose: str
    permit: bool
    rule: str
    reason: str
    at: dt.datetime
    log_index: int | None

    @classmethod
    def of(cls, row: Access) -> AccessOut:
        """From the table row."""
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class ConsentIn(BaseModel):
    """A request for the discloser's prior written consent."""

    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(min_length=1, max_length=64)
    onward_sharing: bool = False
    justification: str = Field(default="", max_length=4000)


class ConsentDecisionIn(BaseModel):
    """An officer's decision on a consent request."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=4000)
    to_organisation: bool = False


class ConsentOut(BaseModel):
    """A consent request and where it stands."""

    id: int
    item_id: int
    requested_by: int
    requester_side: str
    recipient_kind: str
    recipient_id: str
    purpose: str
    onward_sharing: bool
    justification: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    granted_at: dt.datetime | None
    revoked_at: dt.datetime | None
    instrument_id: int | None

    @classmethod
    def of(cls, row: Consent) -> ConsentOut:
        """From the table row."""
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class PurposeIn(BaseModel):
    """A purpose an officer adds to the vocabulary."""

    model_config = ConfigDict(extra="forbid")

    code: str
    label_en: str
    label_ja: str
    clause: str = ""


class PurposeOut(BaseModel):
    """A purpose of the vocabulary."""

    code: str
    label_en: str
    label_ja: str
    clause: str


class RecipientsIn(BaseModel):
    """Permitted recipients: sides (JP, IN), ministries, organisation ids, user ids."""

    model_config = ConfigDict(extra="forbid")

    sides: list[str] = []
    ministries: list[str] = []
    organisations: list[int] = []
    users: list[int] = []


class TermsIn(BaseModel):
    """A discloser's conditions, as JSON (the `terms` part of a share)."""

    model_config = ConfigDict(extra="forbid")

    purposes: list[str]
    recipients: RecipientsIn
    valid_from: dt.datetime
    valid_until: dt.datetime
    tlp: str = Field(pattern="^(CLEAR|GREEN|AMBER|AMBER\\+STRICT|RED)$")
    onward_sharing: bool = False
    access: str = Field(default="view_only", pattern="^(view_only|download)$")
    retain_until: dt.datetime | None = None
