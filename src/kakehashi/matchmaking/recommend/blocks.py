"""Column storage for the index: one growable block of rows per (country, kind).

Grouping rows by country and kind turns the hard rules "other country" and "allowed kinds" into a choice
of blocks, so a query multiplies only the matrices it may recommend from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kakehashi.matchmaking.recommend.embedding import DIMENSIONS, Vector
from kakehashi.matchmaking.recommend.projection import Projection

NO_STAGE = -1


@dataclass(frozen=True, slots=True)
class Row:
    """One organisation's numeric row: centroids (zeros when absent), sector bit-sets and stage codes."""

    offer: Vector
    seek: Vector
    has_offer: bool
    has_seek: bool
    leaf_bits: npt.NDArray[np.uint64]
    top_bits: npt.NDArray[np.uint64]
    stage: int
    stage_mask: int
    reduced_offer: Vector | None = None  # projected rows, when the index has a projection
    reduced_seek: Vector | None = None


class Block:
    """Rows of one (country, kind), stored in arrays that double when full; deleted rows are masked."""

    def __init__(self, country: str, kind: str, leaf_words: int, reduced_dims: int = 0) -> None:
        self.country = country
        self.kind = kind
        self.size = 0
        self.dead = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.offers = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.seeks = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.has_offer = np.zeros(0, dtype=bool)
        self.has_seek = np.zeros(0, dtype=bool)
        self.alive = np.zeros(0, dtype=bool)
        self.leaf_bits = np.zeros((0, leaf_words), dtype=np.uint64)
        self.top_bits = np.zeros((0, 1), dtype=np.uint64)
        self.stage = np.zeros(0, dtype=np.int8)
        self.stage_mask = np.zeros(0, dtype=np.uint64)
        self.exposure = np.zeros(0, dtype=np.float32)
        self.reduced_offers = np.zeros((0, reduced_dims), dtype=np.float32)
        self.reduced_seeks = np.zeros((0, reduced_dims), dtype=np.float32)

    def append(self, org_id: int, row: Row) -> int:
        """Add a row at the end (growing the arrays if needed) and return its position."""
        if self.size == self.ids.shape[0]:
            self._grow(max(16, 2 * self.size))
        position = self.size
        self.size += 1
        self.ids[position] = org_id
        self.exposure[position] = 0.0
        self.write(position, row)
        return position

    def write(self, position: int, row: Row) -> None:
        """Overwrite the row at `position` in place (a profile saved again in the same block)."""
        self.offers[position] = row.offer
        self.seeks[position] = row.seek
        self.has_offer[position] = row.has_offer
        self.has_seek[position] = row.has_seek
        self.alive[position] = True
        self.leaf_bits[position] = row.leaf_bits
        self.top_bits[position] = row.top_bits
        self.stage[position] = row.stage
        self.stage_mask[position] = np.uint64(row.stage_mask)
        if row.reduced_offer is not None and row.reduced_seek is not None:
            self.reduced_offers[position] = row.reduced_offer
            self.reduced_seeks[position] = row.reduced_seek

    def kill(self, position: int) -> None:
        """Mask a row out; `compacted` reclaims the space later."""
        self.alive[position] = False
        self.has_offer[position] = False
        self.has_seek[position] = False
        self.dead += 1

    def widen(self, leaf_words: int) -> None:
        """Make room for more leaf sector codes (the sector vocabulary grew past 64 × words)."""
        extra = leaf_words - self.leaf_bits.shape[1]
        if extra > 0:
            self.leaf_bits = np.pad(self.leaf_bits, ((0, 0), (0, extra)))

    def reproject(self, projection: Projection) -> None:
        """(Re)compute the projected rows of every stored row."""
        capacity = self.ids.shape[0]
        self.reduced_offers = np.zeros((capacity, projection.basis.shape[1]), dtype=np.float32)
        self.reduced_seeks = np.zeros_like(self.reduced_offers)
        if self.size:
            self.reduced_offers[: self.size] = projection.rows(self.offers[: self.size])
            self.reduced_seeks[: self.size] = projection.rows(self.seeks[: self.size])

    def compacted(self) -> Block:
        """A copy without dead rows (positions change: the index re-maps its ids afterwards)."""
        keep = np.flatnonzero(self.alive[: self.size])
        block = Block(self.country, self.kind, self.leaf_bits.shape[1], self.reduced_offers.shape[1])
        block._grow(max(16, keep.size))
        for name in _COLUMNS:
            getattr(block, name)[: keep.size] = getattr(self, name)[keep]
        block.size = int(keep.size)
        return block

    def _grow(self, capacity: int) -> None:
        for name in _COLUMNS:
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)


_COLUMNS = (
    "ids", "offers", "seeks", "has_offer", "has_seek", "alive",
    "leaf_bits", "top_bits", "stage", "stage_mask", "exposure", "reduced_offers", "reduced_seeks",
)  # fmt: skip
