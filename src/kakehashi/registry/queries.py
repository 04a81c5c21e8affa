"""Read functions of the registry for dashboards, lists, search and other contexts."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Subquery, case, func, or_, select, true
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
# A search orders and counts at most this many matches; past it the count shows "1,000+" (reading every match
# of a common word to count and order them all was most of a search's cost).
RESULT_CAP = 1000
T = TypeVar("T")
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


@dataclass(frozen=True)
class SearchPage(Page[T]):
    """A page of a search. `total_is_lower_bound` when more than RESULT_CAP organisations match: `total` is then
    RESULT_CAP and the pages hold the first RESULT_CAP matches found (in registration order), best first."""

    total_is_lower_bound: bool = False


def search(
    session: Session, q: str = "", *, country: str | None = None, kind: str | None = None,
    sector: str | None = None, area: str | None = None, verified: bool | None = None, page: int = 1,
    size: int = 20,
) -> SearchPage[Organisation]:
    """One page of organisations matching every word of `q` (names in any script, identifiers, places)
    and the filters; best matches (a word starting a name or identifier) first, then by English name.
    Past RESULT_CAP matches the count is a lower bound (see `SearchPage`).

    Listed organisations carry the columns a list shows; others load when first read."""
    page, size, offset = clamp(page, size)
    terms = query_terms(q)
    filters = Filters(country, kind, sector, area, verified)
    conditions = filters.conditions()
    if not terms:
        return _listing(session, filters, conditions, page, size, offset)
    found = search_plan.candidates(session, terms)
    if found is None:
        return SearchPage(items=[], total=0, page=page, size=size)
    window = _window(session, found, terms, conditions)
    # Ordered and paged among the window only: a word starting a field first, then by search document (its first
    # line is the folded English name; then id, so pages never overlap); the page's organisations come with it.
    ordered = (select(window.c.id, window.c.rank, window.c.sort_key, window.c.matches)
               .where(window.c.seq <= RESULT_CAP).order_by(window.c.rank, window.c.sort_key, window.c.id))
    rows = _page_of(session, ordered, size, offset)
    if not rows and offset:  # past the end: the last page
        matches = min(session.scalar(select(func.count()).select_from(window)) or 0, RESULT_CAP + 1)
        if not matches:
            return SearchPage(items=[], total=0, page=page, size=size)
        page = -(-min(matches, RESULT_CAP) // size)
        rows = _page_of(session, ordered, size, (page - 1) * size)
    matches = rows[0][1] if rows else 0
    return SearchPage(items=[org for org, _matches in rows], total=min(matches, RESULT_CAP), page=page, size=size,
                      total_is_lower_bound=matches > RESULT_CAP)


def _page_of(session: Session, ordered: Select[Any], size: int, offset: int) -> list[tuple[Organisation, int]]:
    """This page of the ordered window, each organisation (the columns a list shows) with the match count."""
    paged = ordered.limit(size).offset(offset).subquery("paged")
    query = (select(Organisation, paged.c.matches).join(paged, Organisation.id == paged.c.id).options(*LISTED)
             .order_by(paged.c.rank, paged.c.sort_key, paged.c.id))
    return [(org, matches) for org, matches in session.execute(query)]


def _window(session: Session, found: search_plan.Candidates, terms: list[str],
            conditions: list[ColumnElement[bool]]) -> Subquery:
    """The first RESULT_CAP + 1 matches in id order: (id, rank, sort_key, seq in id order, how many).

    The candidates are read in id order and each is checked by index lookups: its search document (every word
    as a substring, wildcards escaped) and, when there are filters, its entry in the narrow by-id covering
    index — first, as it is cheaper to read than a document. The sort key is the document itself, whose first
    line is the folded English name. Reading stops after RESULT_CAP + 1 matches: a common word costs what its
    first thousand matches cost, not what all of them do."""
    key = found.key
    likes = [SearchDocument.text.like(f"%{_escape(term)}%", escape="\\") for term in terms]
    rank = _rank(terms[0]).label("rank")
    if found.is_every_document:
        first = select(key.label("id"), rank, SearchDocument.text.label("sort_key"), key.label("key")).select_from(
            found.source)
        if conditions:
            first = first.join(Organisation, Organisation.id == key)
        first = first.where(*found.conditions, *conditions, *likes)
    elif session.get_bind().dialect.name == "postgresql":
        # Each lookup is a LATERAL subquery kept apart by OFFSET 0, so it runs per candidate in this order: the
        # planner cannot know how few candidates a rare gram has nor how many documents hold a word, and
        # otherwise scans every search document for the word, then joins.
        checked = (select(rank, SearchDocument.text.label("sort_key")).where(SearchDocument.org_id == key, *likes)
                   .offset(0).lateral("checked"))
        first = select(key.label("id"), checked.c.rank, checked.c.sort_key, key.label("key")).select_from(
            found.source)
        if conditions:
            listed = select(Organisation.id).where(Organisation.id == key, *conditions).offset(0).lateral("listed")
            first = first.join(listed, true())
        first = first.join(checked, true()).where(*found.conditions)
    else:
        # SQLite looks a table up by the column its join condition names, so the conditions set the order.
        first = select(key.label("id"), rank, SearchDocument.text.label("sort_key"), key.label("key")).select_from(
            found.source)
        if conditions:
            first = (first.join(Organisation, Organisation.id == key)
                     .join(SearchDocument, SearchDocument.org_id == Organisation.id))
        else:
            first = first.join(SearchDocument, SearchDocument.org_id == key)
        first = first.where(*found.conditions, *conditions, *likes)
    if found.distinct:
        first = first.distinct()
    capped = first.order_by(key).limit(RESULT_CAP + 1).subquery("capped")
    return select(capped.c.id, capped.c.rank, capped.c.sort_key,
                  func.row_number().over(order_by=capped.c.key).label("seq"),
                  func.count().over().label("matches")).subquery("window")


def _listing(session: Session, filters: Filters, conditions: list[ColumnElement[bool]], page: int, size: int,
             offset: int) -> SearchPage[Organisation]:
    """Without words: by English name, this page's ids from the narrow covering index, then those rows. A page in
    the second half is read from the end (the index backwards), so no page skips more than half the entries."""
    total = _total(session, filters, conditions)
    if offset >= total > 0:
        page = -(-total // size)
        offset = (page - 1) * size
    ids = select(Organisation.id).where(*conditions)
    if offset > total // 2:
        ids = (ids.order_by(Organisation.sort_name.desc(), Organisation.id.desc())
               .limit(min(size, total - offset)).offset(max(0, total - offset - size)))
    else:
        ids = ids.order_by(Organisation.sort_name, Organisation.id).limit(size).offset(offset)
    # The ids from the narrow index in the subquery, then only those rows.
    items = list(session.scalars(select(Organisation).where(Organisation.id.in_(ids)).options(*LISTED)
                                 .order_by(Organisation.sort_name, Organisation.id)))
    return SearchPage(items=items, total=total, page=page, size=size)


def _total(session: Session, filters: Filters, conditions: list[ColumnElement[bool]]) -> int:
    key = (search_plan.database_key(session), filters)
    cached = _TOTALS.get(key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    total = session.scalar(select(func.count()).select_from(Organisation).where(*conditions)) or 0
    _TOTALS[key] = (total, time.monotonic() + TOTAL_TTL)
    return total


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
