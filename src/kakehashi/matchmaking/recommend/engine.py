"""The in-memory recommendation index: hard rules, reciprocal scoring, sectors, exposure and feedback.

A query multiplies only the blocks of rows its hard rules allow (other country, allowed kinds) by two
vectors — my seek against their offers, my offer against their seeks — then standardises, combines
and picks the top k with argpartition. Past a few thousand profiles that first pass runs on a PCA
projection and a shortlist is rescored on full vectors (projection.py). Profiles are embedded on
save; nothing here calls the model.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np

from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.blocks import Block, Row
from kakehashi.matchmaking.recommend.embedding import DIMENSIONS, Matrix, Vector
from kakehashi.matchmaking.recommend.errors import InvalidLimit, UnknownProfile
from kakehashi.matchmaking.recommend.feedback import FeedbackMemory, blended_direction, shaped_direction, shaped_query
from kakehashi.matchmaking.recommend.pool import Query, gather, rescore
from kakehashi.matchmaking.recommend.projection import FIT_ROWS, Projection, fit
from kakehashi.matchmaking.recommend.reasons import Explainer
from kakehashi.matchmaking.recommend.records import PersonVectors, ProfileVectors, Recommendation, ScoreParts, Verdict
from kakehashi.matchmaking.recommend.rules import PartnerRules
from kakehashi.matchmaking.recommend.scoring import (
    Bools,
    Floats,
    LineMoments,
    Tuning,
    exposure_penalty,
    line_moments,
    line_zscores,
    moments,
    reciprocal,
    top_k,
    zscores,
)  # fmt: skip
from kakehashi.matchmaking.recommend.taxonomy import CodeBook

MAX_LIMIT = 100
SHORTLIST = 400  # candidates rescored on full vectors after the coarse pass


class RecommendationIndex:
    """All profiles of the platform as float32 matrices grouped by (country, kind); answers `recommend`."""

    def __init__(self, records: Iterable[ProfileVectors] = (), *, rules: PartnerRules | None = None,
                 tuning: Tuning | None = None) -> None:
        self.rules = rules or PartnerRules()
        self.tuning = tuning or Tuning()
        self.feedback = FeedbackMemory()
        self.codes = CodeBook()
        self._blocks: dict[tuple[str, str], Block] = {}
        self._where: dict[int, tuple[Block, int]] = {}
        self._profiles: dict[int, ProfileVectors] = {}
        self._vector_sum = np.zeros(DIMENSIONS, dtype=np.float64)
        self._vector_count = 0
        self._exposure_total = 0.0
        self._projection: Projection | None = None
        for record in records:
            self.upsert(record)
        self._ensure_projection()  # a bulk build pays for the projection now, not on the first query

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._where

    def org_ids(self) -> list[int]:
        """Every organisation in the index."""
        return list(self._where)

    def profile(self, org_id: int) -> ProfileVectors:
        """The record last saved for this organisation."""
        if org_id not in self._profiles:
            raise UnknownProfile(N_("This organisation has no partner profile yet."), field="org_id")
        return self._profiles[org_id]

    def upsert(self, record: ProfileVectors) -> None:
        """Add or replace an organisation's row (call when its profile is saved); exposure is kept."""
        row = self._row(record)
        located = self._where.get(record.org_id)
        exposure = 0.0
        if located is not None:
            block, position = located
            self._count_row(block, position, -1)
            if (block.country, block.kind) == (record.country, record.kind):
                block.write(position, row)
                self._finish_upsert(record, block, position)
                return
            exposure = float(block.exposure[position])
            block.kill(position)
            self._maybe_compact(block)
        target = self._block(record.country, record.kind)
        position = target.append(record.org_id, row)
        target.exposure[position] = exposure
        self._where[record.org_id] = (target, position)
        self._finish_upsert(record, target, position)

    def remove(self, org_id: int) -> None:
        """Drop an organisation from the index (profile deleted or hidden)."""
        self.profile(org_id)
        block, position = self._where.pop(org_id)
        self._exposure_total -= float(block.exposure[position])
        self._count_row(block, position, -1)
        block.kill(position)
        del self._profiles[org_id]
        self._maybe_compact(block)

    def add_exposure(self, org_ids: Iterable[int], amount: float = 1.0) -> None:
        """Count attention given to profiles (impressions, requests received) for the exposure penalty."""
        for org_id in org_ids:
            located = self._where.get(org_id)
            if located is not None:
                located[0].exposure[located[1]] += amount
                self._exposure_total += amount

    def set_exposure(self, org_id: int, value: float) -> None:
        """Set a profile's attention count (loading persisted counts); unknown ids are ignored."""
        located = self._where.get(org_id)
        if located is not None:
            self._exposure_total += value - float(located[0].exposure[located[1]])
            located[0].exposure[located[1]] = value

    def exposure_of(self, org_id: int) -> float:
        """Attention counted for this profile so far."""
        self.profile(org_id)
        block, position = self._where[org_id]
        return float(block.exposure[position])

    def record_feedback(self, requester: int, partner: int, verdict: Verdict) -> None:
        """Remember a "request a meeting" / "not interested" verdict; the requester's next query learns from it."""
        self.feedback.record(requester, partner, verdict)

    def recommend(self, org_id: int, limit: int = 10, *, exclude: Collection[int] = (),
                  kinds: Collection[str] | None = None) -> list[Recommendation]:
        """Best partners for `org_id`, best first, with score parts and reasons.

        `exclude` removes partners the caller already handles (e.g. pending requests); `kinds`
        narrows the partner kinds further than the rules do (e.g. only investors).
        """
        check_limit(limit)
        me = self.profile(org_id)
        self._ensure_projection()
        query = self._query(me, self.feedback, org_id)
        hidden = set(exclude) | self.feedback.declined(org_id) | {org_id}
        return self._rank(me, query, hidden, limit, kinds, Explainer(me))

    def recommend_person(self, person: PersonVectors, limit: int = 10, *, exclude: Collection[int] = (),
                         kinds: Collection[str] | None = None,
                         verdicts: Iterable[tuple[int, Verdict]] = ()) -> list[Recommendation]:
        """Best partners for a person: their organisation's query with the person's expertise blended in.

        Each expertise line makes its own query row (blended with the organisation's seek or offer);
        a candidate counts its best line per direction, so a person who knows two unrelated things is
        not a blur of both. The organisation must be in the index (its country, kind, sectors and
        stage apply). `verdicts`
        are the person's own (partner, verdict) pairs, oldest first: they shape and filter this query
        only, apart from the organisation's own feedback.
        """
        check_limit(limit)
        organisation = self.profile(person.org_id)
        self._ensure_projection()
        memory = FeedbackMemory()
        memory.replace(person.user_id, list(verdicts))
        query = self._query(organisation, memory, person.user_id, expertise=person.expertise_rows())
        hidden = set(exclude) | memory.declined(person.user_id) | {person.org_id}
        return self._rank(organisation, query, hidden, limit, kinds, Explainer(organisation, person.expertise))

    def _rank(self, me: ProfileVectors, query: Query, hidden: set[int], limit: int,
              kinds: Collection[str] | None, explainer: Explainer) -> list[Recommendation]:
        pool = gather(self._allowed_blocks(me, kinds), query, self._hidden_at(hidden), self.tuning, self._projection)
        valid_f, valid_b = pool.has_offer & pool.eligible, pool.has_seek & pool.eligible
        f_stats, b_stats = _moments(pool.forward, valid_f), _moments(pool.backward, valid_b)
        forward, backward = _zscores(pool.forward, valid_f, f_stats), _zscores(pool.backward, valid_b, b_stats)
        penalty = exposure_penalty(pool.exposure, self._exposure_total / max(len(self), 1), self.tuning)
        mutual = reciprocal(forward, backward)
        score = mutual + pool.sectors - penalty
        candidates = pool.eligible
        if self._projection is not None:  # coarse pass done: rescore a shortlist on full vectors
            picks = top_k(score, pool.eligible, max(SHORTLIST, 8 * limit))
            exact_f, exact_b = rescore(pool, picks, query)
            forward[picks] = _zscores(exact_f, valid_f[picks], f_stats)
            backward[picks] = _zscores(exact_b, valid_b[picks], b_stats)
            mutual[picks] = reciprocal(forward[picks], backward[picks])
            score[picks] = mutual[picks] + pool.sectors[picks] - penalty[picks]
            candidates = np.zeros_like(pool.eligible)
            candidates[picks] = True
        results = []
        for i in top_k(score, candidates, limit):
            parts = ScoreParts(float(forward[i]), float(backward[i]), float(mutual[i]), float(pool.sectors[i]),
                               float(penalty[i]))
            them = self._profiles[int(pool.ids[i])]
            reasons = explainer.explain(them, forward=parts.forward, backward=parts.backward)
            results.append(Recommendation(them.org_id, float(score[i]), reasons, parts))
        return results

    def mean_vector(self) -> Vector:
        """Mean of all stored offer and seek centroids: the common direction queries are centred on."""
        return (self._vector_sum / max(self._vector_count, 1)).astype(np.float32)

    def _query(self, me: ProfileVectors, memory: FeedbackMemory, requester: int, *,
               expertise: Matrix | None = None) -> Query:
        """The query of `me` (or of a person of `me` when `expertise` is given), shaped by `requester`'s verdicts."""
        block, position = self._where[me.org_id]
        mean = self.mean_vector()
        last = self.tuning.feedback_memory
        liked = self._offer_vectors(memory.partners(requester, Verdict.REQUEST_MEETING, last=last))
        disliked = self._offer_vectors(memory.partners(requester, Verdict.NOT_INTERESTED, last=last))
        seek = block.seeks[position] if block.has_seek[position] else None
        offer = block.offers[position] if block.has_offer[position] else None
        forward: Vector | Matrix | None
        backward: Vector | Matrix | None
        if expertise is None:
            forward = shaped_query(seek, liked, disliked, mean, self.tuning)
            backward = (offer - mean) if offer is not None else None
        else:  # one query row per expertise line
            weight, forwards, backwards = self.tuning.person_weight, [], []
            for line in expertise:
                ahead = shaped_direction(blended_direction(line, seek, mean, weight), liked, disliked, mean,
                                         self.tuning)
                back = blended_direction(line, offer, mean, weight)
                assert ahead is not None and back is not None  # the line itself is always there
                forwards.append(ahead)
                backwards.append(back)
            forward, backward = np.stack(forwards).astype(np.float32), np.stack(backwards).astype(np.float32)
        return Query(forward, backward, me.kind, block.leaf_bits[position].copy(), block.top_bits[position].copy(),
                     int(block.stage[position]), int(block.stage_mask[position]))

    def _offer_vectors(self, org_ids: list[int]) -> list[Vector]:
        vectors = []
        for org_id in org_ids:
            located = self._where.get(org_id)
            if located is not None and located[0].has_offer[located[1]]:
                vectors.append(located[0].offers[located[1]])
        return vectors

    def _allowed_blocks(self, me: ProfileVectors, kinds: Collection[str] | None) -> list[Block]:
        return [b for b in self._blocks.values()
                if b.country != me.country and b.size and self.rules.allows(me.kind, b.kind)
                and (kinds is None or b.kind in kinds)]

    def _hidden_at(self, hidden: set[int]) -> dict[int, list[int]]:
        positions: dict[int, list[int]] = {}
        for org_id in hidden:
            located = self._where.get(org_id)
            if located is not None:
                positions.setdefault(id(located[0]), []).append(located[1])
        return positions

    def _ensure_projection(self) -> None:
        """Fit the coarse-pass projection once the index is big enough for it to pay."""
        if self._projection is not None or len(self) < max(self.tuning.coarse_from, 2):
            return
        step = max(1, len(self) // FIT_ROWS)  # a strided sample, not a 300 MB copy of everything
        samples = [b.offers[: b.size : step][b.has_offer[: b.size : step]] for b in self._blocks.values()]
        samples += [b.seeks[: b.size : step][b.has_seek[: b.size : step]] for b in self._blocks.values()]
        self._projection = fit(np.concatenate(samples))
        for block in self._blocks.values():
            block.reproject(self._projection)

    def _row(self, record: ProfileVectors) -> Row:
        offer, seek = record.offer_centroid(), record.seek_centroid()
        leaf = self.codes.leaf_bits(record.sectors)
        self._widen_blocks()  # the code book may have grown past 64 × words leaf codes
        offer = offer if offer is not None else np.zeros(DIMENSIONS, np.float32)
        seek = seek if seek is not None else np.zeros(DIMENSIONS, np.float32)
        reduced = self._projection.rows(np.stack([offer, seek])) if self._projection is not None else None
        return Row(
            offer=offer, seek=seek, has_offer=record.offers != (), has_seek=record.seeks != (),
            leaf_bits=leaf, top_bits=self.codes.top_bits(record.sectors),
            stage=self.codes.stage(record.stage), stage_mask=self.codes.stage_mask(record.investment_stages),
            reduced_offer=None if reduced is None else reduced[0], reduced_seek=None if reduced is None else reduced[1],
        )

    def _widen_blocks(self) -> None:
        for block in self._blocks.values():
            block.widen(self.codes.leaf_words_in_use)

    def _block(self, country: str, kind: str) -> Block:
        key = (country, kind)
        if key not in self._blocks:
            dims = 0 if self._projection is None else self._projection.basis.shape[1]
            self._blocks[key] = Block(country, kind, self.codes.leaf_words_in_use, dims)
        return self._blocks[key]

    def _finish_upsert(self, record: ProfileVectors, block: Block, position: int) -> None:
        self._profiles[record.org_id] = record
        self._count_row(block, position, +1)

    def _count_row(self, block: Block, position: int, sign: int) -> None:
        for present, vectors in ((block.has_offer, block.offers), (block.has_seek, block.seeks)):
            if present[position]:
                self._vector_sum += sign * vectors[position].astype(np.float64)
                self._vector_count += sign

    def _maybe_compact(self, block: Block) -> None:
        if block.dead < 1024 or block.dead * 4 < block.size:
            return
        fresh = block.compacted()
        self._blocks[(block.country, block.kind)] = fresh
        for position in range(fresh.size):
            self._where[int(fresh.ids[position])] = (fresh, position)


def check_limit(limit: int) -> None:
    """Refuse a list length outside 1..MAX_LIMIT (a field error on `limit`)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidLimit(N_("Ask for between 1 and 100 recommendations."), field="limit")


def _moments(raw: Floats, valid: Bools) -> tuple[float, float] | LineMoments:
    """Pool statistics of one direction: scalars for a single query vector, per line for several."""
    return moments(raw, valid) if raw.ndim == 1 else line_moments(raw, valid)


def _zscores(raw: Floats, valid: Bools, stats: tuple[float, float] | LineMoments) -> Floats:
    """Standardised scores of one direction; with several query lines, each candidate's best line counts."""
    if isinstance(stats, tuple):
        return zscores(raw, valid, stats)
    return line_zscores(raw, valid, stats)
