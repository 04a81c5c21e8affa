"""Where a text search reads its candidates, in organisation id order: the posting list of the query's rarest
bigram (each candidate also probed for a few other grams when that pays), identifiers by their start, or
every search document.

Reading in id order lets a search stop once it has found enough matches (`queries.RESULT_CAP`): a common
word costs what its first thousand matches cost, not what all its matches cost.

Posting-list lengths only rank bigrams by rarity, so they are cached per process for a few minutes (a zero
is never taken from the cache: it ends a search early). Digits make poor bigrams (every number holds "01"):
a word that looks like an identifier and has no selective bigram is looked up by the start of the
identifiers instead, an indexed range.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, FromClause, exists, func, select, text
from sqlalchemy.orm import Session

from kakehashi.registry.models import OrganisationIdentifier, SearchDocument, SearchGram
from kakehashi.registry.search_index import bigrams

MAX_PROBED = 2
# Relative costs per candidate: probing one gram (an index lookup) vs checking a search document (two lookups
# and the substring tests). A probe pays when it is expected to remove more than PROBE_COST / CHECK_COST.
PROBE_COST = 1.0
CHECK_COST = 3.0
SELECTIVE = 3000
IDENTIFIER_LIKE = re.compile(r"(?=(?:.*[0-9]){4})[0-9a-z-]{6,}")
COUNT_TTL = 300.0
_COUNTS: dict[tuple[str, str], tuple[int, float]] = {}


@dataclass(frozen=True)
class Candidates:
    """A source of candidate organisation ids: `source` (a table) restricted by `conditions`, read in the order
    of `key` (the organisation id). `distinct` when an organisation can occur more than once."""

    source: FromClause
    key: ColumnElement[int]
    conditions: tuple[ColumnElement[bool], ...] = ()
    distinct: bool = False

    @property
    def is_every_document(self) -> bool:
        """True when every search document must be checked (the query has no bigram)."""
        return self.source is SearchDocument.__table__


def candidates(session: Session, terms: list[str]) -> Candidates | None:
    """Where to read the candidates of a search for `terms`; None when some bigram occurs nowhere (nothing can
    match)."""
    grams = sorted(set().union(*(bigrams(term) for term in terms)))
    if not grams:  # one-letter words: every document's text must be checked
        documents = SearchDocument.__table__
        return Candidates(documents, documents.c.org_id)
    counts = gram_counts(session, grams)
    if min(counts.values()) == 0:
        return None
    for term in terms:
        if IDENTIFIER_LIKE.fullmatch(term) and min(counts[gram] for gram in bigrams(term)) > SELECTIVE:
            value = term.upper()  # identifiers are stored upper case, compared in byte order
            table = OrganisationIdentifier.__table__
            return Candidates(table, table.c.org_id, (table.c.value >= value, table.c.value < value + "~"),
                              distinct=True)
    rarest = min(grams, key=lambda gram: (counts[gram], gram))
    probed = worth_probing(rarest, terms, counts, document_count(session))
    postings = SearchGram.__table__.alias("posting")
    conditions = [postings.c.gram == rarest]
    for n, gram in enumerate(probed):  # EXISTS, not a join: SQLite would probe by the org_id index, 4x slower
        other = SearchGram.__table__.alias(f"probe{n}")
        conditions.append(exists().where(other.c.gram == gram, other.c.org_id == postings.c.org_id))
    return Candidates(postings, postings.c.org_id, tuple(conditions))


def worth_probing(rarest: str, terms: list[str], counts: dict[str, int], documents: int) -> list[str]:
    """Grams to probe each candidate of the rarest gram's posting list for, rarest first, at most MAX_PROBED:
    the rarest gram of each other word, and of the rarest gram's own word the rarest one that does not overlap
    it (overlapping bigrams, "qu" and "ua", nearly always occur together, so probing one for the other removes
    little). Each only while it is expected to remove enough candidates to pay for the probe."""
    options: set[str] = set()
    own = next(term for term in terms if rarest in term)
    for term in terms:
        grams = _positions(term)
        if term == own:
            taken = [i for i, gram in grams if gram == rarest]
            grams = [(i, gram) for i, gram in grams if all(abs(i - j) >= 2 for j in taken)]
        if grams:
            options.add(min((gram for _i, gram in grams), key=lambda gram: (counts[gram], gram)))
    options.discard(rarest)
    chosen: list[str] = []
    for gram in sorted(options, key=lambda gram: (counts[gram], gram))[:MAX_PROBED]:
        if (1 - counts[gram] / max(documents, 1)) * CHECK_COST > PROBE_COST:
            chosen.append(gram)
    return chosen


def _positions(term: str) -> list[tuple[int, str]]:
    return [(i, term[i:i + 2]) for i in range(len(term) - 1)]


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
