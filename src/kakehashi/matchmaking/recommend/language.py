"""Language-neutral vectors: subtract each language's mean embedding before comparing texts.

multilingual-e5 places a Hindi text nearer to unrelated Hindi texts than to its own English
translation often enough to hurt (on the bench, recall@10 0.90 → 1.00 with this step). Each
language's mean over parallel calibration sentences (`language_calibration.json`) is its offset plus a
shared topic mean; subtracting it and re-normalising leaves mostly meaning. The means are precomputed
in `language_means.json`; `python -m kakehashi.matchmaking.recommend.language` rewrites them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from kakehashi.matchmaking.recommend.embedding import Embedder, Matrix, Vector, unit_rows

LANGUAGES = ("en", "ja", "hi")
OTHER = "other"
_HERE = Path(__file__).parent
CALIBRATION_FILE = _HERE / "language_calibration.json"
MEANS_FILE = _HERE / "language_means.json"
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@lru_cache(maxsize=65_536)
def detect_language(text: str) -> str:
    """en, ja or hi by script (Devanagari → hi, kana/kanji → ja, Latin → en), else "other".

    A script counts once it makes up a fifth of the letters, so "AI搭載のドローン" is Japanese.
    """
    hindi, japanese, latin = (len(pattern.findall(text)) for pattern in (_DEVANAGARI, _JAPANESE, _LATIN))
    letters = hindi + japanese + latin
    if letters == 0:
        return OTHER
    if hindi * 5 >= letters:
        return "hi"
    if japanese * 5 >= letters:
        return "ja"
    return "en" if latin else OTHER


@cache
def language_means() -> dict[str, Vector]:
    """Per-language mean vectors from `language_means.json`; "other" gets the mean of the three."""
    stored = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    means = {language: np.array(stored[language], dtype=np.float32) for language in LANGUAGES}
    means[OTHER] = np.mean(np.stack(list(means.values())), axis=0).astype(np.float32)
    return means


def neutral_rows(texts: Sequence[str], vectors: Matrix) -> Matrix:
    """Rows with their text's language mean removed, re-normalised to unit length."""
    means = language_means()
    offsets = np.stack([means[detect_language(text)] for text in texts]) if texts else vectors
    return unit_rows((vectors - offsets).astype(np.float32))


def calibrate(embedder: Embedder) -> dict[str, list[float]]:
    """Embed the calibration sentences and return each language's mean vector."""
    rows = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))["sentences"]
    return {language: embedder.embed_many([row[i] for row in rows]).mean(axis=0).astype(float).tolist()
            for i, language in enumerate(LANGUAGES)}


if __name__ == "__main__":
    MEANS_FILE.write_text(json.dumps({k: [round(x, 7) for x in v] for k, v in calibrate(Embedder()).items()}) + "\n",
                          encoding="utf-8")
    print(f"wrote {MEANS_FILE}")
