"""The search index: folded text and character bigrams of names (any script), identifiers and places.

Folding makes a query match however it was typed: NFKC (full-width Latin and half-width katakana become
ordinary characters), case folding, katakana folded to hiragana ("デバイス" finds "でばいす"), white space
collapsed. Every two adjacent characters of a word form a bigram; a query's bigrams select candidates from
the inverted index (`SearchGram`), and the folded text (`SearchDocument`) confirms the substring.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kakehashi.registry.models import Organisation, SearchGram

_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)} | {0x30FD: 0x309D, 0x30FE: 0x309E}
_SPACE = re.compile(r"\s+")
FIELD_SEPARATOR = "\n"  # between the fields of a search document, so no match spans two fields


def fold(text: str) -> str:
    """Normalise text for matching: NFKC, case fold, katakana to hiragana, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA)
    return _SPACE.sub(" ", folded).strip()


def bigrams(text: str) -> set[str]:
    """The distinct two-character sequences within the words of already folded `text`."""
    grams: set[str] = set()
    for word in text.split():
        grams.update(word[i:i + 2] for i in range(len(word) - 1))
    return grams


def query_terms(query: str) -> list[str]:
    """The folded words of a query; each must occur in a matching organisation."""
    return [term for term in fold(query).split(" ") if term][:8]


def document_text(names: Iterable[str | None], identifiers: Iterable[str], places: Iterable[str | None]) -> str:
    """The folded searchable text of an organisation: one field per line."""
    fields = [fold(value) for value in (*names, *identifiers, *places) if value]
    return FIELD_SEPARATOR.join(field for field in fields if field)


def organisation_text(org: Organisation) -> str:
    """The searchable text of an organisation as it stands in memory."""
    return document_text(
        (org.name_en, org.name_ja, org.name_hi),
        (identifier.value for identifier in org.identifiers),
        (org.city, org.region),
    )


def refresh_text(org: Organisation) -> None:
    """Recompute the organisation's search document and sort key (before it is flushed: one write)."""
    org.search_text = organisation_text(org)
    org.sort_name = fold(org.name_en)[:200]


def reindex(session: Session, org: Organisation) -> None:
    """Bring the organisation's search document and bigram rows up to date."""
    refresh_text(org)
    session.flush()  # the organisation needs its id before its grams
    write_grams(session, org)


def write_grams(session: Session, org: Organisation) -> None:
    """Make the bigram rows match the (flushed) search document; only the changed rows are written."""
    wanted = bigrams(org.search_text)
    existing = set(session.scalars(select(SearchGram.gram).where(SearchGram.org_id == org.id)))
    stale = existing - wanted
    if stale:
        session.execute(delete(SearchGram).where(SearchGram.org_id == org.id, SearchGram.gram.in_(stale)))
    fresh = wanted - existing
    if fresh:
        session.execute(insert(SearchGram), [{"gram": gram, "org_id": org.id} for gram in sorted(fresh)])
