"""The in-memory recommendation index: hard rules, reciprocal scoring, sectors, exposure and feedback.

A query multiplies only the blocks of rows its hard rules allow (other country, allowed kinds) by two
vectors — my seek against their offers, my offer against their seeks — then standardises, combines
and picks the top k with argpartition. Profiles are embedded on save; nothing here calls the model.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.blocks import NO_STAGE, Block, Row
from kakehashi.matchmaking.recommend.embedding import DIMENSIONS, Vector
from kakehashi.matchmaking.recommend.errors import InvalidLimit, UnknownProfile
from kakehashi.matchmaking.recommend.feedback import FeedbackMemory, shaped_query
from kakehashi.matchmaking.recommend.reasons import explain
from kakehashi.matchmaking.recommend.records import ProfileVectors, Recommendation, ScoreParts, Verdict
from kakehashi.matchmaking.recommend.rules import INVESTOR, STARTUP, PartnerRules
from kakehashi.matchmaking.recommend.scoring import (
    Floats,
    Tuning,
    exposure_penalty,
    reciprocal,
    sector_overlap,
    standardise,
    top_k,
)  # fmt: skip
from kakehashi.matchmaking.recommend.taxonomy import CodeBook

MAX_LIMIT = 100


@dataclass(slots=True)
class _Pool:
    """Candidate columns gathered from the allowed blocks, concatenated in block order."""

    ids: np.ndarray
    forward: Floats
    backward: Floats
    has_offer: np.ndarray
    has_seek: np.ndarray
    eligible: np.ndarray
    sectors: Floats
    exposure: Floats


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
        for record in records:
            self.upsert(record)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._where

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
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidLimit(N_("Ask for between 1 and 100 recommendations."), field="limit")
        me = self.profile(org_id)
        block, position = self._where[org_id]
        hidden = set(exclude) | self.feedback.declined(org_id) | {org_id}
        forward_query, backward_query = self._queries(org_id, block, position)
        pool = self._gather(me, block, position, forward_query, backward_query, hidden, kinds)
        forward = standardise(pool.forward, pool.has_offer & pool.eligible)
        backward = standardise(pool.backward, pool.has_seek & pool.eligible)
        mutual = reciprocal(forward, backward)
        penalty = exposure_penalty(pool.exposure, self._exposure_total / max(len(self), 1), self.tuning)
        score = mutual + pool.sectors - penalty
        results = []
        for i in top_k(score, pool.eligible, limit):
            parts = ScoreParts(float(forward[i]), float(backward[i]), float(mutual[i]), float(pool.sectors[i]),
                               float(penalty[i]))
            them = self._profiles[int(pool.ids[i])]
            reasons = explain(me, them, forward=parts.forward, backward=parts.backward)
            results.append(Recommendation(them.org_id, float(score[i]), reasons, parts))
        return results

    def mean_vector(self) -> Vector:
        """Mean of all stored offer and seek centroids: the common direction queries are centred on."""
        return (self._vector_sum / max(self._vector_count, 1)).astype(np.float32)

    def _queries(self, org_id: int, block: Block, position: int) -> tuple[Vector | None, Vector | None]:
        mean = self.mean_vector()
        memory = self.tuning.feedback_memory
        liked = self._offer_vectors(self.feedback.partners(org_id, Verdict.REQUEST_MEETING, last=memory))
        disliked = self._offer_vectors(self.feedback.partners(org_id, Verdict.NOT_INTERESTED, last=memory))
        seek = block.seeks[position] if block.has_seek[position] else None
        forward = shaped_query(seek, liked, disliked, mean, self.tuning)
        backward = (block.offers[position] - mean) if block.has_offer[position] else None
        return forward, backward

    def _offer_vectors(self, org_ids: list[int]) -> list[Vector]:
        vectors = []
        for org_id in org_ids:
            located = self._where.get(org_id)
            if located is not None and located[0].has_offer[located[1]]:
                vectors.append(located[0].offers[located[1]])
        return vectors

    def _gather(self, me: ProfileVectors, my_block: Block, my_position: int, forward_query: Vector | None,
                backward_query: Vector | None, hidden: set[int], kinds: Collection[str] | None) -> _Pool:
        blocks = [b for b in self._blocks.values()
                  if b.country != me.country and b.size and self.rules.allows(me.kind, b.kind)
                  and (kinds is None or b.kind in kinds)]
        hidden_at: dict[int, list[int]] = {}
        for org_id in hidden:
            located = self._where.get(org_id)
            if located is not None:
                hidden_at.setdefault(id(located[0]), []).append(located[1])
        columns: dict[str, list[np.ndarray]] = {name: [] for name in _Pool.__slots__}
        my_leaf, my_top = my_block.leaf_bits[my_position], my_block.top_bits[my_position]
        for block in blocks:
            n = block.size
            eligible = block.alive[:n] & self._stage_fit(me, my_block, my_position, block)
            eligible[hidden_at.get(id(block), [])] = False
            columns["ids"].append(block.ids[:n])
            columns["forward"].append(_product(block.offers[:n], forward_query))
            columns["backward"].append(_product(block.seeks[:n], backward_query))
            columns["has_offer"].append(block.has_offer[:n] & (forward_query is not None))
            columns["has_seek"].append(block.has_seek[:n] & (backward_query is not None))
            columns["eligible"].append(eligible)
            columns["sectors"].append(sector_overlap(my_leaf, my_top, block.leaf_bits[:n],
                                                     block.top_bits[:n], self.tuning))
            columns["exposure"].append(block.exposure[:n])
        return _Pool(**{name: _concat(parts, name) for name, parts in columns.items()})

    def _stage_fit(self, me: ProfileVectors, my_block: Block, my_position: int, block: Block) -> np.ndarray:
        n = block.size
        if me.kind == STARTUP and block.kind == INVESTOR:
            stage = int(my_block.stage[my_position])
            if stage == NO_STAGE:
                return np.ones(n, dtype=bool)
            masks = block.stage_mask[:n]
            return (masks == 0) | ((masks >> np.uint64(stage)) & np.uint64(1)).astype(bool)
        if me.kind == INVESTOR and block.kind == STARTUP:
            mask = int(my_block.stage_mask[my_position])
            stages = block.stage[:n].astype(np.int64)
            if mask == 0:
                return np.ones(n, dtype=bool)
            fits = (np.uint64(mask) >> np.maximum(stages, 0).astype(np.uint64)) & np.uint64(1)
            return (stages == NO_STAGE) | fits.astype(bool)
        return np.ones(n, dtype=bool)

    def _row(self, record: ProfileVectors) -> Row:
        offer, seek = record.offer_centroid(), record.seek_centroid()
        leaf = self.codes.leaf_bits(record.sectors)
        self._widen_blocks()  # the code book may have grown past 64 × words leaf codes
        return Row(
            offer=offer if offer is not None else np.zeros(DIMENSIONS, np.float32),
            seek=seek if seek is not None else np.zeros(DIMENSIONS, np.float32),
            has_offer=offer is not None, has_seek=seek is not None,
            leaf_bits=leaf, top_bits=self.codes.top_bits(record.sectors),
            stage=self.codes.stage(record.stage), stage_mask=self.codes.stage_mask(record.investment_stages),
        )

    def _widen_blocks(self) -> None:
        for block in self._blocks.values():
            block.widen(self.codes.leaf_words_in_use)

    def _block(self, country: str, kind: str) -> Block:
        key = (country, kind)
        if key not in self._blocks:
            self._blocks[key] = Block(country, kind, self.codes.leaf_words_in_use)
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


def _product(matrix: np.ndarray, query: Vector | None) -> Floats:
    if query is None:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    return matrix @ query.astype(np.float32)


def _concat(parts: list[np.ndarray], name: str) -> np.ndarray:
    if parts:
        return np.concatenate(parts)
    dtype = {"ids": np.int64, "has_offer": bool, "has_seek": bool, "eligible": bool}.get(name, np.float32)
    return np.zeros(0, dtype=dtype)
