"""Reads behind the analyst pages: search across the collections a reader may use, an object's versions,
and what relates to it. Every row passes the same TLP rule as TAXII (`Access.visible`).

Lists page newest first with a keyset (`before` = date added and row id of the last row shown): the cost of a
page does not depend on how much the collections hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from kakehashi.cyber import timestamps
from kakehashi.cyber.models import StixLink, StixObject
from kakehashi.cyber.queries import RowPage
from kakehashi.cyber.sharing import Access
from kakehashi.cyber.tlp import Tlp

LIST_COLUMNS = (StixObject.id, StixObject.collection_id, StixObject.added_us, StixObject.stix_id, StixObject.type,
                StixObject.name, StixObject.version, StixObject.tlp, StixObject.producer_org_id,
                StixObject.created_by_ref)
BROWSABLE_TYPES = ("indicator", "malware", "campaign", "report", "threat-actor", "intrusion-set", "attack-pattern",
                   "tool", "vulnerability", "sighting", "relationship", "identity")


@dataclass(frozen=True)
class Search:
    """What an analyst looks for: type, marking, source (producing CERT), words of the name, dates added."""

    type: str | None = None
    tlp: Tlp | None = None
    producer_org_id: int | None = None
    words: str = ""
    added_from: dt.date | None = None
    added_until: dt.date | None = None


def _day_us(day: dt.date) -> int:
    return timestamps.to_micros(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))


def _readable(accesses: list[Access]) -> ColumnElement[bool]:
    parts = [and_(StixObject.collection_id == a.collection_id, a.visible()) for a in accesses if a.can_read]
    return or_(*parts) if parts else false()


def search(session: Session, accesses: list[Access], wanted: Search, *, before: tuple[int, int] | None = None,
           limit: int = 50) -> RowPage:
    """Latest visible versions matching `wanted`, newest first, `limit` at a time."""
    query = select(*LIST_COLUMNS).where(_readable(accesses), StixObject.is_latest == true())
    if wanted.type:
        query = query.where(StixObject.type == wanted.type)
    if wanted.tlp is not None:
        query = query.where(StixObject.tlp == int(wanted.tlp))
    if wanted.producer_org_id is not None:
        query = query.where(StixObject.producer_org_id == wanted.producer_org_id)
    for word in wanted.words.split()[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(StixObject.name.ilike(f"%{escaped}%", escape="\\"))
    if wanted.added_from is not None:
        query = query.where(StixObject.added_us >= _day_us(wanted.added_from))
    if wanted.added_until is not None:
        query = query.where(StixObject.added_us < _day_us(wanted.added_until + dt.timedelta(days=1)))
    if before is not None:
        added_us, row_id = before
        query = query.where(StixObject.added_us <= added_us,
                            or_(StixObject.added_us < added_us, StixObject.id < row_id))
    rows = session.execute(query.order_by(StixObject.added_us.desc(), StixObject.id.desc()).limit(limit + 1)).all()
    return RowPage(rows=rows[:limit], more=len(rows) > limit)


def versions(session: Session, access: Access, stix_id: str) -> list[StixObject]:
    """Every visible version of an object in a collection, newest first."""
    return list(session.scalars(
        select(StixObject).where(StixObject.collection_id == access.collection_id, StixObject.stix_id == stix_id,
                                 access.visible()).order_by(StixObject.version_us.desc())))


@dataclass(frozen=True)
class Related:
    """One reference to or from an object, through a visible relationship, sighting or report."""

    kind: str
    direction: str  # "in": the other object points at this one; "out": this one points at it
    other_id: str
    via_id: str
    other: Any | None  # the other object's latest visible version, when the reader may see it


def related(session: Session, access: Access, stix_id: str, *, limit: int = 200) -> list[Related]:
    """What relates to an object: links whose owning version is the latest one and visible to the reader."""
    owner = select(StixObject.stix_id).where(
        StixObject.collection_id == access.collection_id, StixObject.stix_id == StixLink.owner_id,
        StixObject.version_us == StixLink.owner_version_us, StixObject.is_latest == true(), access.visible())
    links = session.scalars(select(StixLink).where(
        StixLink.collection_id == access.collection_id, or_(StixLink.to_id == stix_id, StixLink.from_id == stix_id),
        owner.exists()).order_by(StixLink.id).limit(limit)).all()
    others = {link.from_id if link.to_id == stix_id else link.to_id for link in links}
    visible = {row.stix_id: row for row in session.execute(select(*LIST_COLUMNS).where(
        StixObject.collection_id == access.collection_id, StixObject.stix_id.in_(sorted(others)),
        StixObject.is_latest == true(), access.visible()))} if others else {}
    found = []
    for link in links:
        inward = link.to_id == stix_id
        other_id = link.from_id if inward else link.to_id
        found.append(Related(kind=link.kind, direction="in" if inward else "out", other_id=other_id,
                             via_id=link.owner_id, other=visible.get(other_id)))
    return found
