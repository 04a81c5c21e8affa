"""A PCA projection for the coarse first pass of a query on large indexes.

Reading two 384-float rows per candidate dominates a query (≈ 150 MB at 100,000 organisations), so a
large index first scores every candidate on 128 principal components (a third of the memory traffic),
then rescores a shortlist exactly. The projected score adds back the mean's share (`offset`) so coarse
and exact scores sit on one scale and share the pool's mean and spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kakehashi.matchmaking.recommend.embedding import Matrix, Vector

DIMENSIONS = 128
FIT_ROWS = 20_000  # a strided sample is plenty for a 384 × 384 covariance


@dataclass(frozen=True, slots=True)
class Projection:
    """Rows map to (row − mean) · basis; a query q maps to basisᵀ · q plus the offset mean · q."""

    mean: Vector
    basis: Matrix  # 384 × DIMENSIONS, orthonormal columns

    def rows(self, matrix: Matrix) -> Matrix:
        """Project rows (n × 384) to n × DIMENSIONS."""
        return np.ascontiguousarray((matrix - self.mean) @ self.basis, dtype=np.float32)

    def query(self, query: Vector) -> tuple[Vector, float]:
        """The projected query and the offset to add to every projected score."""
        return (self.basis.T @ query).astype(np.float32), float(self.mean @ query)


def fit(samples: Matrix, dimensions: int = DIMENSIONS) -> Projection:
    """Principal components of the sample rows (a strided subsample if there are many)."""
    step = max(1, samples.shape[0] // FIT_ROWS)
    rows = samples[::step].astype(np.float64)
    mean = rows.mean(axis=0)
    centred = rows - mean
    _, vectors = np.linalg.eigh(centred.T @ centred)
    basis = vectors[:, ::-1][:, :dimensions]  # eigh sorts ascending
    return Projection(mean.astype(np.float32), np.ascontiguousarray(basis, dtype=np.float32))
