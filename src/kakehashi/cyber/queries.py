"""Reads of the cyber context: collections, pages of STIX versions under TAXII filters, statuses.

Every page is a keyset scan: rows after the cursor position in (date_added, row id) order, filtered in SQL
by the reader's TLP rights, `limit + 1` rows fetched to know whether there is more. Its cost depends on
the page size, not on how many objects the collection holds (no OFFSET, no COUNT).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from kakehashi.cyber.filters import ObjectFilter
from kakehashi.cyber.models import Collection, Status, StixObject
from kakehashi.cyber.sharing import Access

OBJECT_COLUMNS = (StixObject.id, StixObject.added_us, StixObject.stix_id, StixObject.version, StixObject.tlp,
                  StixObject.raw)
MANIFEST_COLUMNS = (StixObject.id, StixObject.added_us, StixObject.stix_id, StixObject.version, StixObject.tlp,
                    StixObject.spec_version)


@dataclass(frozen=True)
class RowPage:
    """Rows of one page in date_added order; `more` when rows remain after the last one."""

    rows: Sequence[Any]  # SQLAlchemy rows
    more: bool

    @property
    def last_position(self) -> tuple[int, int] | None:
        """(added_us, row id) of the last row, where the next page starts after."""
        if not self.rows:
            return None
        last = self.rows[-1]
        return int(last.added_us), int(last.id)


def collection_by_uid(session: Session, uid: str) -> Collection | None:
    """A collection by its TAXII id."""
    return session.scalar(select(Collection).where(Collection.uid == uid))


def collections(session: Session) -> list[Collection]:
    """Every collection, by title."""
    return list(session.scalars(select(Collection).order_by(Collection.title, Collection.id)))


def _version_clause(versions: tuple[str | int, ...]) -> ColumnElement[bool] | None:
    chosen = versions or ("last",)
    if "all" in chosen:
        return None
    clauses: list[ColumnElement[bool]] = []
    if "last" in chosen:
        clauses.append(StixObject.is_latest == true())
    if "first" in chosen:
        clauses.append(StixObject.is_first == true())
    stamps = [v for v in chosen if isinstance(v, int)]
    if stamps:
        clauses.append(StixObject.version_us.in_(stamps))
    return or_(*clauses)


def page(
    session: Session, access: Access, flt: ObjectFilter, *, limit: int, after: tuple[int, int] | None = None,
    stix_id: str | None = None, columns: tuple[Any, ...] = OBJECT_COLUMNS, all_versions: bool = False,
) -> RowPage:
    """One page of the versions `access` may see that match `flt`, after the cursor position `after`."""
    query = select(*columns).where(StixObject.collection_id == access.collection_id, access.visible())
    order: tuple[Any, ...] = (StixObject.added_us, StixObject.id)
    if stix_id is not None or flt.ids:
        # A handful of rows, found through the (collection, id, version) index and sorted: ordering by an
        # expression stops SQLite from walking the date index over the whole collection to look for them.
        order = (StixObject.added_us + 0, StixObject.id + 0)
    if stix_id is not None:
        query = query.where(StixObject.stix_id == stix_id)
    if flt.ids:
        query = query.where(StixObject.stix_id.in_(flt.ids))
    if flt.types:
        query = query.where(StixObject.type.in_(flt.types))
    if flt.spec_versions:
        query = query.where(StixObject.spec_version.in_(flt.spec_versions))
    versions = None if all_versions else _version_clause(flt.versions)
    if versions is not None:
        query = query.where(versions)
    if flt.added_after is not None:
        query = query.where(StixObject.added_us > flt.added_after)
    if after is not None:
        added_us, row_id = after
        # The first condition is the one an index range can use on both databases.
        query = query.where(StixObject.added_us >= added_us,
                            or_(StixObject.added_us > added_us, StixObject.id > row_id))
    rows = session.connection().execute(query.order_by(*order).limit(limit + 1)).all()  # Core: no ORM overhead
    return RowPage(rows=rows[:limit], more=len(rows) > limit)


def status(session: Session, status_id: str) -> Status | None:
    """A status resource by id."""
    return session.get(Status, status_id)
