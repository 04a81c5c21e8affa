"""Codes to bits: sector codes (leaf and top level), startup stages and investor stage sets.

Sector codes are dotted (`ict.software`, `manufacturing.robotics`); the part before the first dot is
the top-level sector, so two firms in different leaves of one sector still overlap a little.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.blocks import NO_STAGE
from kakehashi.matchmaking.recommend.errors import TaxonomyFull

Words = npt.NDArray[np.uint64]
WORD_BITS = 64


def top_level(code: str) -> str:
    """The top-level sector of a dotted code."""
    return code.split(".", 1)[0]


class CodeBook:
    """Assigns each sector code, top-level sector and stage a bit position the first time it is seen."""

    def __init__(self) -> None:
        self._leaf: dict[str, int] = {}
        self._top: dict[str, int] = {}
        self._stage: dict[str, int] = {}

    @property
    def leaf_words_in_use(self) -> int:
        """How many 64-bit words the leaf bit-sets need now."""
        return max(1, -(-len(self._leaf) // WORD_BITS))

    def leaf_bits(self, codes: Iterable[str]) -> Words:
        """Bit-set of leaf sector codes, as `leaf_words_in_use` words."""
        positions = [self._leaf.setdefault(code, len(self._leaf)) for code in codes]
        words = np.zeros(self.leaf_words_in_use, dtype=np.uint64)
        for position in positions:
            words[position // WORD_BITS] |= np.uint64(1) << np.uint64(position % WORD_BITS)
        return words

    def top_bits(self, codes: Iterable[str]) -> Words:
        """Bit-set (one word) of the top-level sectors of the codes."""
        word = 0
        for top in {top_level(code) for code in codes}:
            word |= 1 << self._small(self._top, top)
        return np.array([word], dtype=np.uint64)

    def stage(self, stage: str | None) -> int:
        """Bit position of a startup stage, or NO_STAGE."""
        return NO_STAGE if stage is None else self._small(self._stage, stage)

    def stage_mask(self, stages: Iterable[str]) -> int:
        """Bit mask of the stages an investor funds (0: not stated)."""
        mask = 0
        for stage in stages:
            mask |= 1 << self._small(self._stage, stage)
        return mask

    @staticmethod
    def _small(book: dict[str, int], code: str) -> int:
        if code not in book:
            if len(book) >= WORD_BITS:
                raise TaxonomyFull(N_("Too many distinct sectors or stages for the recommender (64 at most)."))
            book[code] = len(book)
        return book[code]
