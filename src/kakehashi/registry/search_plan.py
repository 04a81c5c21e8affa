"""Which organisations a text search must check: the intersection of the query's rarest bigram postings.

Posting-list lengths only rank bigrams by rarity, so they are cached per process for a few minutes (a zero
is never taken from the cache: it ends a search early). Digits make poor bigrams (every number holds "01"):
a word that looks like an identifier and has no selective bigram is looked up by the start of the
identifiers instead, an indexed range.
"""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import Connection, Select, func, intersect, select, text
from sqlalchemy.orm import Session

from kakehashi.registry.models import OrganisationIdentifier, SearchDocument, SearchGram
from kakehashi.registry.search_index import bigrams

MAX_INTERSECTED = 4
# Relative costs: reading one posting (index entry) vs checking one candidate's search document.
POSTING_COST = 0.7
CHECK_COST = 4.0
SELECTIVE = 3000
IDENTIFIER_LIKE = re.compile(r"(?=(?:.*[0-9]){4})[0-9a-z-]{6,}")
COUNT_TTL = 300.0
_COUNTS: dict[tuple[str, str], tuple[int, float]] = {}


def candidates(session: Session, terms: list[str]) -> Select[Any] | bool | None:
    """A subquery of the ids to check; None when some bigram occurs nowhere (nothing can match); True when
    the query has no bigram (one-letter words), so every organisation's text must be checked."""
    grams = sorted(set().union(*(bigrams(term) for term in terms)))
    if not grams:
        return True
    counts = gram_counts(session, grams)
    if min(counts.values()) == 0:
        return None
    for term in terms:
        if IDENTIFIER_LIKE.fullmatch(term) and min(counts[gram] for gram in bigrams(term)) > SELECTIVE:
            value = term.upper()  # identifiers are stored upper case, compared in byte order
            return select(OrganisationIdentifier.org_id).where(
                OrganisationIdentifier.value >= value, OrganisationIdentifier.value < value + "~")
    chosen = worth_intersecting(sorted(grams, key=lambda gram: counts[gram]), counts,
                                document_count(session))
    postings = [select(SearchGram.org_id).where(SearchGram.gram == gram) for gram in chosen]
    return postings[0] if len(postings) == 1 else select(intersect(*postings).subquery().c.org_id)


def worth_intersecting(ranked: list[str], counts: dict[str, int], documents: int) -> list[str]:
    """The rarest gram, then each next rarest while reading its postings costs less than checking the
    candidates it would remove (expected as if grams were independent), at most MAX_INTERSECTED."""
    chosen = [ranked[0]]
    expected = float(counts[ranked[0]])
    for gram in ranked[1:MAX_INTERSECTED]:
        remaining = expected * counts[gram] / max(documents, 1)
        if (expected - remaining) * CHECK_COST <= counts[gram] * POSTING_COST:
            break
        chosen.append(gram)
        expected = remaining
    return chosen


def document_count(session: Session) -> int:
    """How many search documents there are (cached like gram counts)."""
    key, now = (database_key(session), "\x00documents"), time.monotonic()
    cached = _COUNTS.get(key)
    if cached is not None and cached[1] > now:
        return cached[0]
    total = session.scalar(select(func.count()).select_from(SearchDocument)) or 0
    _COUNTS[key] = (total, now + COUNT_TTL)
    return total


def database_key(session: Session) -> str:
    """Which database a session reads (caches must not mix databases)."""
    bind = session.get_bind()
    return str((bind.engine if isinstance(bind, Connection) else bind).url)


def gram_counts(session: Session, grams: list[str]) -> dict[str, int]:
    """How many organisations hold each gram (one round trip for those not counted lately)."""
    database, now = database_key(session), time.monotonic()
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
