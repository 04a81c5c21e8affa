"""The candidate pool of one query: columns gathered from the allowed blocks, and exact rescoring."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kakehashi.matchmaking.recommend.blocks import NO_STAGE, Block
from kakehashi.matchmaking.recommend.embedding import Matrix, Vector
from kakehashi.matchmaking.recommend.projection import Projection
from kakehashi.matchmaking.recommend.rules import INVESTOR, STARTUP
from kakehashi.matchmaking.recommend.scoring import Floats, Tuning, Words, sector_overlap

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Query:
    """What one query asks: its two vectors (None for an empty side) and the asker's rule fields.

    A side may also be a matrix with one row per line (a person's expertise lines): its raw scores then
    have one row per line (lines × candidates), standardised per line and combined by maximum in the engine.

    The asker is an organisation in the index or a person querying on their organisation's behalf;
    either way the sector bit-sets and stage codes are those of the organisation's row.
    """

    forward: Vector | Matrix | None  # my (feedback-shaped, centred) seek, against their offers
    backward: Vector | Matrix | None  # my centred offer, against their seeks
    kind: str
    leaf_bits: Words
    top_bits: Words
    stage: int
    stage_mask: int


@dataclass(slots=True)
class Pool:
    """Candidate columns in block order; `forward`/`backward` are raw similarities (coarse or exact),
    lines × candidates when the query side is a matrix."""

    blocks: list[Block]
    block_of: Ints
    row_of: Ints
    ids: Ints
    forward: Floats
    backward: Floats
    has_offer: Bools
    has_seek: Bools
    eligible: Bools
    sectors: Floats
    exposure: Floats


def gather(blocks: list[Block], query: Query, hidden: dict[int, list[int]], tuning: Tuning,
           projection: Projection | None) -> Pool:
    """Score every row of the allowed blocks; coarse (projected) when a projection is given."""
    columns: dict[str, list[np.ndarray]] = {name: [] for name in Pool.__slots__ if name != "blocks"}
    my_leaf, my_top = query.leaf_bits, query.top_bits
    forward, backward = _prepare(query.forward, projection), _prepare(query.backward, projection)
    for index, block in enumerate(blocks):
        n = block.size
        eligible = block.alive[:n] & stage_fit(query, block)
        eligible[hidden.get(id(block), [])] = False
        columns["block_of"].append(np.full(n, index, dtype=np.int64))
        columns["row_of"].append(np.arange(n, dtype=np.int64))
        columns["ids"].append(block.ids[:n])
        offers, seeks = (block.reduced_offers, block.reduced_seeks) if projection else (block.offers, block.seeks)
        columns["forward"].append(_product(offers[:n], forward))
        columns["backward"].append(_product(seeks[:n], backward))
        columns["has_offer"].append(block.has_offer[:n] & (query.forward is not None))
        columns["has_seek"].append(block.has_seek[:n] & (query.backward is not None))
        columns["eligible"].append(eligible)
        columns["sectors"].append(sector_overlap(my_leaf, my_top, block.leaf_bits[:n], block.top_bits[:n], tuning))
        columns["exposure"].append(block.exposure[:n])
    pool = Pool(blocks, **{name: _concat(parts, name) for name, parts in columns.items()})
    if not blocks:  # keep one column per query line even with no candidates
        pool.forward, pool.backward = _scores(0, query.forward), _scores(0, query.backward)
    return pool


def rescore(pool: Pool, picks: Ints, query: Query) -> tuple[Floats, Floats]:
    """Exact forward and backward similarities of the picked candidates (full 384-float rows)."""
    forward, backward = _scores(picks.size, query.forward), _scores(picks.size, query.backward)
    owners = pool.block_of[picks]
    for index in np.unique(owners):
        mine = np.flatnonzero(owners == index)
        block, rows = pool.blocks[int(index)], pool.row_of[picks[mine]]
        if query.forward is not None:
            forward[..., mine] = query.forward @ block.offers[rows].T
        if query.backward is not None:
            backward[..., mine] = query.backward @ block.seeks[rows].T
    return forward, backward


def _scores(size: int, query: Vector | Matrix | None) -> Floats:
    shape = (size,) if query is None or query.ndim == 1 else (query.shape[0], size)
    return np.zeros(shape, dtype=np.float32)


def stage_fit(query: Query, block: Block) -> Bools:
    """Startups meet investors funding their stage; an unknown stage on either side passes."""
    n = block.size
    if query.kind == STARTUP and block.kind == INVESTOR:
        stage = query.stage
        if stage == NO_STAGE:
            return np.ones(n, dtype=bool)
        masks = block.stage_mask[:n]
        return (masks == 0) | ((masks >> np.uint64(stage)) & np.uint64(1)).astype(bool)
    if query.kind == INVESTOR and block.kind == STARTUP:
        mask = query.stage_mask
        if mask == 0:
            return np.ones(n, dtype=bool)
        stages = block.stage[:n].astype(np.int64)
        fits = (np.uint64(mask) >> np.maximum(stages, 0).astype(np.uint64)) & np.uint64(1)
        return (stages == NO_STAGE) | fits.astype(bool)
    return np.ones(n, dtype=bool)


def _prepare(vector: Vector | Matrix | None,
             projection: Projection | None) -> tuple[Vector | Matrix, float | Vector] | None:
    if vector is None:
        return None
    if projection is None:
        return vector.astype(np.float32), 0.0
    if vector.ndim == 1:
        return projection.query(vector)
    return (vector @ projection.basis).astype(np.float32), (vector @ projection.mean).astype(np.float32)


def _product(matrix: np.ndarray, query: tuple[Vector | Matrix, float | Vector] | None) -> Floats:
    if query is None:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    vector, offset = query
    if vector.ndim == 2:  # one matrix-vector product per line beats one skinny matrix product, and rows reduce fast
        offsets = offset if isinstance(offset, np.ndarray) else np.zeros(vector.shape[0], dtype=np.float32)
        return np.stack([matrix @ line + np.float32(shift) for line, shift in zip(vector, offsets, strict=True)])
    scores: Floats = matrix @ vector
    if isinstance(offset, float) and offset:
        scores += np.float32(offset)
    return scores


def _concat(parts: list[np.ndarray], name: str) -> np.ndarray:
    if parts:  # scores of several query lines are lines × candidates: join along candidates
        return np.concatenate(parts, axis=-1 if name in ("forward", "backward") else 0)
    dtype = {"ids": np.int64, "block_of": np.int64, "row_of": np.int64, "has_offer": bool, "has_seek": bool,
             "eligible": bool}.get(name, np.float32)
    return np.zeros(0, dtype=dtype)
