"""Keyword-only baseline recommender (BM25 both ways) for the bench: same rules and combination, no embeddings.

Everything except the text similarity matches the engine — other country, allowed kinds, per-query
standardisation, reciprocal harmonic mean, sector bonus — so the bench ratio isolates what the
multilingual embeddings add. Stage fit and exposure are left out: the bench's planted pairs are
companies and start unexposed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.engine import MAX_LIMIT
from kakehashi.matchmaking.recommend.errors import InvalidLimit, UnknownProfile
from kakehashi.matchmaking.recommend.records import ProfileVectors, Recommendation, ScoreParts
from kakehashi.matchmaking.recommend.rules import PartnerRules
from kakehashi.matchmaking.recommend.scoring import Tuning, reciprocal, sector_overlap, standardise, top_k
from kakehashi.matchmaking.recommend.taxonomy import CodeBook

_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\w\u0900-\u097f]+")  # Devanagari vowel signs are not \w


def tokens(text: str) -> list[str]:
    """Lower-cased words; Japanese runs (no spaces) become character bigrams, the usual CJK keyword trick."""
    folded = unicodedata.normalize("NFKC", text).lower()
    found: list[str] = []
    for chunk in _CJK_RUN.split(folded):
        found.extend(_WORD.findall(chunk))
    for run in _CJK_RUN.findall(folded):
        found.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return found


class _Bm25:
    """BM25 weights of one text field over all rows, as a sparse row matrix (k1 = 1.2, b = 0.75)."""

    def __init__(self, documents: Sequence[list[str]], vocabulary: dict[str, int]) -> None:
        rows, cols, counts = [], [], []
        for row, words in enumerate(documents):
            for word, count in Counter(words).items():
                rows.append(row)
                cols.append(vocabulary[word])
                counts.append(count)
        self.vocabulary = vocabulary
        n = len(documents)
        lengths = np.array([len(words) for words in documents], dtype=np.float32)
        tf = sp.csr_matrix((np.array(counts, np.float32), (rows, cols)), shape=(n, len(vocabulary)))
        document_frequency = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        idf = np.log1p((n - document_frequency + 0.5) / (document_frequency + 0.5))
        norm = 1.2 * (0.25 + 0.75 * lengths / max(float(lengths.mean()) if n else 1.0, 1e-6))
        row_norm = np.repeat(norm, np.diff(tf.indptr))
        tf.data = tf.data * 2.2 / (tf.data + row_norm) * idf[tf.indices]
        self.matrix = tf

    def scores(self, words: list[str]) -> np.ndarray:
        """BM25 score of every row for a bag of query words (unknown words ignored)."""
        present = np.zeros(self.matrix.shape[1], dtype=np.float32)
        present[[self.vocabulary[word] for word in words if word in self.vocabulary]] = 1.0
        return np.asarray(self.matrix @ present, dtype=np.float32)


class KeywordIndex:
    """The baseline: BM25 of my seek words over their offers and of my offer words over their seeks."""

    def __init__(self, records: Iterable[ProfileVectors], *, rules: PartnerRules | None = None,
                 tuning: Tuning | None = None) -> None:
        self.rules = rules or PartnerRules()
        self.tuning = tuning or Tuning()
        self._records = list(records)
        self._row = {record.org_id: i for i, record in enumerate(self._records)}
        self._offer_words = [_words(r.offers) for r in self._records]
        self._seek_words = [_words(r.seeks) for r in self._records]
        vocabulary: dict[str, int] = {}
        for words in self._offer_words + self._seek_words:
            for word in words:
                vocabulary.setdefault(word, len(vocabulary))
        self._offers = _Bm25(self._offer_words, vocabulary)
        self._seeks = _Bm25(self._seek_words, vocabulary)
        self._country = np.array([r.country for r in self._records])
        self._kind = np.array([r.kind for r in self._records])
        codes = CodeBook()
        leaf = [codes.leaf_bits(r.sectors) for r in self._records]
        self._leaf = np.stack([np.pad(w, (0, codes.leaf_words_in_use - w.size)) for w in leaf])
        self._top = np.stack([codes.top_bits(r.sectors) for r in self._records])

    def recommend(self, org_id: int, limit: int = 10) -> list[Recommendation]:
        """Best partners by keywords, best first (reasons are left empty: this is a yardstick)."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidLimit(N_("Ask for between 1 and 100 recommendations."), field="limit")
        if org_id not in self._row:
            raise UnknownProfile(N_("This organisation has no partner profile yet."), field="org_id")
        i = self._row[org_id]
        me = self._records[i]
        allowed = [kind for kind in set(self._kind.tolist()) if self.rules.allows(me.kind, kind)]
        eligible = (self._country != me.country) & np.isin(self._kind, allowed)
        forward = standardise(self._offers.scores(self._seek_words[i]), eligible)
        backward = standardise(self._seeks.scores(self._offer_words[i]), eligible)
        sectors = sector_overlap(self._leaf[i], self._top[i], self._leaf, self._top, self.tuning)
        mutual = reciprocal(forward, backward)
        score = mutual + sectors
        return [Recommendation(self._records[j].org_id, float(score[j]), [],
                               ScoreParts(float(forward[j]), float(backward[j]), float(mutual[j]),
                                          float(sectors[j]), 0.0))
                for j in top_k(score, eligible, limit)]


def _words(texts: Iterable[object]) -> list[str]:
    return [word for item in texts for word in tokens(getattr(item, "text", ""))]
