"""Read functions of the registry for dashboards, lists, search and other contexts."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, intersect, or_, select, text
from sqlalchemy.orm import Session, lazyload, load_only

from kakehashi.kernel.pagination import Page, clamp
from kakehashi.registry.models import Organisation, OrganisationIdentifier, OrganisationSector, SearchGram
from kakehashi.registry.search_index import FIELD_SEPARATOR, bigrams, fold, query_terms

# The MAX_INTERSECTED rarest posting lists are intersected and the substring check on the survivors does the
# rest. A word whose every bigram is in more than SELECTIVE organisations and that looks like an identifier
# is found by identifier prefix instead.
MAX_INTERSECTED = 3
SELECTIVE = 3000
IDENTIFIER_LIKE = re.compile(r"(?=(?:.*[0-9]){4})[0-9a-z-]{6,}")
COUNT_TTL = 300.0
_COUNTS: dict[tuple[str, str], tuple[int, float]] = {}
# What a list shows; the rest of a listed organisation (texts, sectors, identifiers) loads when first read.
LISTED = (
    load_only(Organisation.kind, Organisation.name_en, Organisation.name_ja, Organisation.name_hi,
              Organisation.country, Organisation.city, Organisation.areas, Organisation.verified_at,
              Organisation.version),
    lazyload(Organisation.sectors), lazyload(Organisation.identifiers),
)


def area_counts(session: Session) -> dict[str, dict[str, int]]:
    """Organisations per MoC area and country: {"ai": {"JP": 12, "IN": 30}, ...} (each counted once per area)."""
    rows = session.execute(
        select(OrganisationSector.area, Organisation.country, func.count(func.distinct(Organisation.id)))
        .join(Organisation, Organisation.id == OrganisationSector.org_id)
        .group_by(OrganisationSector.area, Organisation.country)
    )
    counts: dict[str, dict[str, int]] = {}
    for area, country, count in rows:
        counts.setdefault(area, {})[country] = count
    return counts


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
        if self.sector:
            conditions.append(Organisation.id.in_(
                select(OrganisationSector.org_id).where(OrganisationSector.sector == self.sector)))
        if self.area:
            conditions.append(Organisation.id.in_(
                select(OrganisationSector.org_id).where(OrganisationSector.area == self.area)))
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
    conditions = Filters(country, kind, sector, area, verified).conditions()
    if not terms:
        return _listing(session, conditions, page, size, offset)
    candidates = _candidates(session, terms)
    if candidates is None:
        return Page(items=[], total=0, page=page, size=size)
    if not isinstance(candidates, bool):
        conditions.append(Organisation.id.in_(candidates))
    conditions.extend(Organisation.search_text.like(f"%{_escape(term)}%", escape="\\") for term in terms)
    order = (_rank(terms[0]), Organisation.sort_name, Organisation.id)
    # One pass finds the matches, counts them (window) and returns the page.
    query = (select(Organisation, func.count().over()).where(*conditions).order_by(*order)
             .limit(size).offset(offset).options(*LISTED))
    rows = session.execute(query).all()
    if not rows and offset:
        total = _count(session, conditions)
        if total:
            return search(session, q, country=country, kind=kind, sector=sector, area=area, verified=verified,
                          page=-(-total // size), size=size)
    return Page(items=[row[0] for row in rows], total=rows[0][1] if rows else 0, page=page, size=size)


def _listing(session: Session, conditions: list[ColumnElement[bool]], page: int, size: int,
             offset: int) -> Page[Organisation]:
    """Without words: by English name (the sort index serves the page, an index-only count the total)."""
    total = _count(session, conditions)
    if offset >= total > 0:
        page = -(-total // size)
        offset = (page - 1) * size
    # Ids first, from the narrow covering indexes; then only this page's rows.
    ids = list(session.scalars(select(Organisation.id).where(*conditions)
                               .order_by(Organisation.sort_name, Organisation.id).limit(size).offset(offset)))
    found = {org.id: org for org in session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)).options(*LISTED))} if ids else {}
    return Page(items=[found[org_id] for org_id in ids if org_id in found], total=total, page=page, size=size)


def _count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(Organisation).where(*conditions)) or 0


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rank(term: str) -> ColumnElement[int]:
    """0 when the term starts a field (a name, an identifier, a place), else 1."""
    escaped = _escape(term)
    starts = or_(Organisation.search_text.like(f"{escaped}%", escape="\\"),
                 Organisation.search_text.like(f"%{FIELD_SEPARATOR}{escaped}%", escape="\\"))
    return case((starts, 0), else_=1)


def _candidates(session: Session, terms: list[str]) -> Select[Any] | bool | None:
    """Ids holding the query's rarest bigrams; None if some bigram occurs nowhere (nothing can match);
    True when the query has no bigram (one-letter words): then every row's text is checked.

    Digits make poor bigrams (every number holds "01"): a word that looks like an identifier and has no
    selective bigram is looked up by the start of the identifiers instead (indexed prefix range)."""
    grams = sorted(set().union(*(bigrams(term) for term in terms)))
    if not grams:
        return True
    counts = _gram_counts(session, grams)
    if min(counts.values()) == 0:
        return None
    for term in terms:
        if IDENTIFIER_LIKE.fullmatch(term) and min(counts[gram] for gram in bigrams(term)) > SELECTIVE:
            value = term.upper()
            return select(OrganisationIdentifier.org_id).where(
                OrganisationIdentifier.value >= value, OrganisationIdentifier.value < value + "~")
    rarest = sorted(grams, key=lambda gram: counts[gram])[:MAX_INTERSECTED]
    postings = [select(SearchGram.org_id).where(SearchGram.gram == gram) for gram in rarest]
    return postings[0] if len(postings) == 1 else select(intersect(*postings).subquery().c.org_id)


def _gram_counts(session: Session, grams: list[str]) -> dict[str, int]:
    """How many organisations hold each gram (one round trip for those not counted lately).

    Counts only rank grams by rarity, so they are cached per process for a few minutes; a zero is never
    trusted from the cache (it would end a search early)."""
    bind = session.get_bind()
    database = str((bind.engine if isinstance(bind, Connection) else bind).url)
    now = time.monotonic()
    counts: dict[str, int] = {}
    for gram in grams:
        cached = _COUNTS.get((database, gram))
        if cached is not None and cached[1] > now:
            counts[gram] = cached[0]
    missing = [gram for gram in grams if gram not in counts]
    if missing:
        columns = ", ".join(f"(SELECT count(*) FROM registry_search_gram WHERE gram = :g{i})"
                            for i in range(len(missing)))
        row = session.execute(text(f"SELECT {columns}"), {f"g{i}": gram for i, gram in enumerate(missing)}).one()
        for gram, value in zip(missing, row, strict=True):
            counts[gram] = int(value)
            if value:
                _COUNTS[(database, gram)] = (int(value), now + COUNT_TTL)
    return counts


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
