"""Read functions of the registry for dashboards, lists, search and other contexts."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Integer, any_, bindparam, case, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, lazyload, load_only

from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.pagination import Page, clamp
from kakehashi.registry import search_plan
from kakehashi.registry.models import Organisation, OrganisationIdentifier, SearchDocument
from kakehashi.registry.search_index import FIELD_SEPARATOR, fold, query_terms
from kakehashi.registry.taxonomy import AREA_BIT, SECTOR_BIT

# What a list shows; the rest of a listed organisation (texts, sectors, identifiers) loads when first read.
LISTED = (
    load_only(Organisation.kind, Organisation.name_en, Organisation.name_ja, Organisation.name_hi,
              Organisation.country, Organisation.city, Organisation.areas, Organisation.verified_at,
              Organisation.version),
    lazyload(Organisation.sectors), lazyload(Organisation.identifiers),
)
# Totals of lists without words are cached per process for TOTAL_TTL seconds (counting 100,000 index entries
# per page view is most of a list's cost); this process's writes clear them at once (`forget_totals`).
TOTAL_TTL = 10.0
MATERIALISE = 10_000  # candidate ids passed as a list up to this many
_TOTALS: dict[tuple[object, ...], tuple[int, float]] = {}
_AREA_COUNTS: dict[str, tuple[dict[str, dict[str, int]], float]] = {}


def area_counts(session: Session) -> dict[str, dict[str, int]]:
    """Organisations per MoC area and country: {"ai": {"JP": 12, "IN": 30}, ...} (each counted once per area)."""
    database = search_plan.database_key(session)
    cached = _AREA_COUNTS.get(database)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    rows = session.execute(select(Organisation.country, Organisation.area_mask, func.count())
                           .group_by(Organisation.country, Organisation.area_mask))
    counts: dict[str, dict[str, int]] = {}
    for country, mask, count in rows:  # a few hundred (country, set of areas) groups, read from an index
        for area in AREAS:
            if mask & AREA_BIT[area.code]:
                per_country = counts.setdefault(area.code, {})
                per_country[country] = per_country.get(country, 0) + count
    _AREA_COUNTS[database] = (counts, time.monotonic() + TOTAL_TTL)
    return counts


def forget_totals() -> None:
    """Drop cached totals (after a write)."""
    _TOTALS.clear()
    _AREA_COUNTS.clear()


def get_organisation(session: Session, org_id: int) -> Organisation | None:
    """An organisation by id, or None."""
    return session.get(Organisation, org_id)


def count_organisations(session: Session) -> int:
    """How many organisations the registry holds."""
    return session.scalar(select(func.count()).select_from(Organisation)) or 0


def find_by_name(session: Session, name_en: str) -> Organisation | None:
    """An organisation by its exact English name (demo anchors, imports)."""
    return session.scalar(select(Organisation).where(Organisation.name_en == name_en).limit(1))


def find_by_identifier(session: Session, scheme: str, value: str) -> Organisation | None:
    """The organisation holding a (normalised) identifier, or None."""
    org_id = session.scalar(select(OrganisationIdentifier.org_id).where(
        OrganisationIdentifier.scheme == scheme, OrganisationIdentifier.value == value))
    return session.get(Organisation, org_id) if org_id is not None else None


def changed_since(session: Session, since: dt.datetime, *, limit: int = 1000) -> list[Organisation]:
    """Organisations created or changed at or after `since`, oldest change first (for indexers that poll)."""
    query = (select(Organisation).where(Organisation.updated_at >= since)
             .order_by(Organisation.updated_at, Organisation.id).limit(limit))
    return list(session.scalars(query))


@dataclass(frozen=True)
class Filters:
    """Structured filters of a registry listing; None means "any"."""

    country: str | None = None
    kind: str | None = None
    sector: str | None = None
    area: str | None = None
    verified: bool | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions for these filters."""
        conditions: list[ColumnElement[bool]] = []
        if self.country:
            conditions.append(Organisation.country == self.country)
        if self.kind:
            conditions.append(Organisation.kind == self.kind)
        if self.sector:  # an unknown code matches nothing
            conditions.append(Organisation.sector_mask.op("&")(SECTOR_BIT.get(self.sector, 0)) != 0)
        if self.area:
            conditions.append(Organisation.area_mask.op("&")(AREA_BIT.get(self.area, 0)) != 0)
        if self.verified is not None:
            conditions.append(Organisation.verified_at.is_not(None) if self.verified
                              else Organisation.verified_at.is_(None))
        return conditions


def search(
    session: Session, q: str = "", *, country: str | None = None, kind: str | None = None,
    sector: str | None = None, area: str | None = None, verified: bool | None = None, page: int = 1,
    size: int = 20,
) -> Page[Organisation]:
    """One page of organisations matching every word of `q` (names in any script, identifiers, places)
    and the filters; best matches (a word starting a name or identifier) first, then by English name.

    Listed organisations carry the columns a list shows; others load when first read."""
    page, size, offset = clamp(page, size)
    terms = query_terms(q)
    filters = Filters(country, kind, sector, area, verified)
    conditions = filters.conditions()
    if not terms:
        return _listing(session, filters, conditions, page, size, offset)
    candidates = search_plan.candidates(session, terms)
    if candidates is None:
        return Page(items=[], total=0, page=page, size=size)
    conditions.append(SearchDocument.org_id == Organisation.id)
    if not isinstance(candidates, bool):
        # The ids themselves, not the subquery: with a list the planners see how few rows there are
        # (PostgreSQL otherwise scans every search document and hash-joins).
        ids = list(session.scalars(candidates.limit(MATERIALISE + 1)))
        if not ids:
            return Page(items=[], total=0, page=page, size=size)
        conditions.append(_among(session, ids) if len(ids) <= MATERIALISE else SearchDocument.org_id.in_(candidates))
    conditions.extend(SearchDocument.text.like(f"%{_escape(term)}%", escape="\\") for term in terms)
    # One pass over the narrow search documents finds the matches, counts them (window) and orders them;
    # only the page's organisations are loaded.
    query = (select(Organisation.id, func.count().over()).select_from(SearchDocument).join(Organisation)
             .where(*conditions).order_by(_rank(terms[0]), Organisation.sort_name, Organisation.id)
             .limit(size).offset(offset))
    rows = session.execute(query).all()
    if not rows and offset:
        total = session.scalar(select(func.count()).select_from(SearchDocument).join(Organisation)
                               .where(*conditions)) or 0
        if total:
            return search(session, q, country=country, kind=kind, sector=sector, area=area, verified=verified,
                          page=-(-total // size), size=size)
    return Page(items=_load(session, [row[0] for row in rows]), total=rows[0][1] if rows else 0, page=page, size=size)


def _listing(session: Session, filters: Filters, conditions: list[ColumnElement[bool]], page: int, size: int,
             offset: int) -> Page[Organisation]:
    """Without words: by English name, ids first from the narrow covering index, then this page's rows."""
    total = _total(session, filters, conditions)
    if offset >= total > 0:
        page = -(-total // size)
        offset = (page - 1) * size
    ids = list(session.scalars(select(Organisation.id).where(*conditions)
                               .order_by(Organisation.sort_name, Organisation.id).limit(size).offset(offset)))
    return Page(items=_load(session, ids), total=total, page=page, size=size)


def _total(session: Session, filters: Filters, conditions: list[ColumnElement[bool]]) -> int:
    key = (search_plan.database_key(session), filters)
    cached = _TOTALS.get(key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    total = session.scalar(select(func.count()).select_from(Organisation).where(*conditions)) or 0
    _TOTALS[key] = (total, time.monotonic() + TOTAL_TTL)
    return total


def _load(session: Session, ids: list[int]) -> list[Organisation]:
    """The organisations with these ids, in this order, with the columns a list shows."""
    if not ids:
        return []
    found = {org.id: org for org in session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)).options(*LISTED))}
    return [found[org_id] for org_id in ids if org_id in found]


def _among(session: Session, ids: list[int]) -> ColumnElement[bool]:
    """`org_id IN ids`; on PostgreSQL as one array parameter (thousands of separate parameters cost more
    to bind than the query takes to run)."""
    if session.get_bind().dialect.name == "postgresql":
        return SearchDocument.org_id == any_(bindparam("candidate_ids", ids, type_=ARRAY(Integer)))
    return SearchDocument.org_id.in_(ids)


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rank(term: str) -> ColumnElement[int]:
    """0 when the term starts a field (a name, an identifier, a place), else 1."""
    escaped = _escape(term)
    starts = or_(SearchDocument.text.like(f"{escaped}%", escape="\\"),
                 SearchDocument.text.like(f"%{FIELD_SEPARATOR}{escaped}%", escape="\\"))
    return case((starts, 0), else_=1)


def iter_organisations(session: Session, *, batch: int = 1000) -> Iterator[Organisation]:
    """Every organisation in id order, loaded a batch at a time (exports)."""
    last = 0
    while True:
        chunk = list(session.scalars(
            select(Organisation).where(Organisation.id > last).order_by(Organisation.id).limit(batch)))
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id
        session.expunge_all()


def normalised_query(q: str) -> str:
    """The query as the index sees it (shown back to people so they know what was searched)."""
    return fold(q)
