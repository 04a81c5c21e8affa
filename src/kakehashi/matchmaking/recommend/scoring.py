"""Pure scoring pieces shared by the embedding engine and the keyword baseline.

Raw similarities are not comparable across queries (e5 cosines sit in 0.7–0.9 and shift with language
and topic), so each direction is standardised over the query's own candidate pool before combining.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]
Words = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class Tuning:
    """Weights of the score terms; defaults were set on the planted-pair bench (docs/recommender.md)."""

    sector_weight: float = 0.5  # bonus for a full sector match (Jaccard 1.0)
    top_sector_share: float = 0.5  # how much a shared top-level sector counts next to a shared leaf
    exposure_weight: float = 0.5  # λ in λ·log1p(exposure / (1 + mean exposure))
    like_weight: float = 0.75  # Rocchio pull towards offers of partners I requested (classic β = 0.75)
    dislike_weight: float = 0.5  # Rocchio push away from offers of partners I declined
    feedback_memory: int = 20  # most recent verdicts per requester that shape the query
    person_weight: float = 0.8  # a person's expertise against their organisation's profile in their queries
    coarse_from: int = 4096  # profiles from which a query's first pass runs on the PCA projection


def moments(raw: Floats, valid: Bools) -> tuple[float, float]:
    """Mean and standard deviation of `raw` over the `valid` entries ((0, 0) when there are none)."""
    if not valid.any():
        return 0.0, 0.0
    values = raw[valid]
    return float(values.mean()), float(values.std())


def zscores(raw: Floats, valid: Bools, stats: tuple[float, float]) -> Floats:
    """(raw − mean) / std for valid entries; invalid ones (no text on that side) score 0, i.e. average."""
    out = np.zeros(raw.shape, dtype=np.float32)
    mean, spread = stats
    if spread > 1e-9:
        out[valid] = (raw[valid] - mean) / spread
    return out


LineMoments = list[tuple[float, float]]


def line_moments(raw: Floats, valid: Bools) -> LineMoments:
    """`moments` of each row of a (lines, n) score matrix: one query line's pool statistics per row."""
    return [moments(row, valid) for row in raw]


def line_zscores(raw: Floats, valid: Bools, stats: LineMoments) -> Floats:
    """`zscores` per query line, then each candidate's best line (one line gives exactly `zscores`)."""
    best = np.full(raw.shape[1], -np.inf, dtype=np.float32)
    for row, line_stats in zip(raw, stats, strict=True):
        np.maximum(best, zscores(row, valid, line_stats), out=best)
    return best if raw.shape[0] else np.zeros(raw.shape[1], dtype=np.float32)


def standardise(raw: Floats, valid: Bools) -> Floats:
    """Z-scores of `raw` over its own `valid` entries."""
    return zscores(raw, valid, moments(raw, valid))


def softplus(z: Floats) -> Floats:
    """log(1 + e^z): positive, ≈ z for good matches, → 0 for poor ones; keeps margins the rank would lose."""
    out = np.exp(-np.abs(z))  # stays float32 throughout: this runs over every candidate
    np.log1p(out, out=out)
    out += np.maximum(z, np.float32(0.0))
    return out


def reciprocal(forward: Floats, backward: Floats) -> Floats:
    """Harmonic mean of the two softplus'd directions: a match must be good for both sides to score high."""
    a = softplus(forward)
    b = softplus(backward)
    total = a + b
    np.maximum(total, np.float32(1e-6), out=total)
    a *= b
    a *= np.float32(2.0)
    a /= total
    return a


def jaccard_bits(mine: Words, theirs: Words) -> Floats:
    """Jaccard overlap between one bit-set (W words) and each row of theirs (n × W words)."""
    if theirs.shape[-1] == 1:  # the usual case: up to 64 codes, skip the per-row sum
        shared, union = np.bitwise_count(theirs[:, 0] & mine[0]), np.bitwise_count(theirs[:, 0] | mine[0])
    else:
        shared = np.bitwise_count(theirs & mine).sum(axis=-1)
        union = np.bitwise_count(theirs | mine).sum(axis=-1)
    return np.divide(shared, union, out=np.zeros(shared.shape, dtype=np.float32), where=union > 0).astype(
        np.float32
    )


def sector_overlap(my_leaf: Words, my_top: Words, leaf: Words, top: Words, tuning: Tuning) -> Floats:
    """Sector bonus: leaf-code Jaccard blended with top-level Jaccard, scaled by the sector weight."""
    if not my_top.any():  # no sectors of my own: nothing can overlap
        return np.zeros(leaf.shape[0], dtype=np.float32)
    share = tuning.top_sector_share
    blended = jaccard_bits(my_leaf, leaf)
    blended *= np.float32(tuning.sector_weight * (1.0 - share))
    blended += np.float32(tuning.sector_weight * share) * jaccard_bits(my_top, top)
    return blended


def exposure_penalty(exposure: Floats, mean_exposure: float, tuning: Tuning) -> Floats:
    """λ·log1p(e / (1 + ē)): zero for unseen profiles, growing slowly for swamped ones, relative to the crowd."""
    return (tuning.exposure_weight * np.log1p(exposure / (1.0 + mean_exposure))).astype(np.float32)


def top_k(scores: Floats, eligible: Bools, k: int) -> npt.NDArray[np.intp]:
    """Indices of the k best eligible scores, best first (argpartition, then a sort of only k items)."""
    candidates = np.flatnonzero(eligible)
    if k <= 0 or candidates.size == 0:
        return candidates[:0]
    values = scores[candidates]
    if candidates.size > k:
        keep = np.argpartition(-values, k - 1)[:k]
        candidates, values = candidates[keep], values[keep]
    return candidates[np.argsort(-values, kind="stable")]
