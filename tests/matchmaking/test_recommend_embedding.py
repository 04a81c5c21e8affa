"""Embeddings: unit float32 rows, one model call per distinct normalised text, language-neutral centroids."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from kakehashi.matchmaking.recommend import Embedder, ProfileText, ProfileVectors, normalise_text, text_key
from kakehashi.matchmaking.recommend.language import (
    MEANS_FILE,
    calibrate,
    detect_language,
    language_means,
    neutral_rows,
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_vectors_are_unit_length_float32_rows(embedder: Embedder) -> None:
    rows = embedder.embed_many(["We build robots.", "ロボットを作っています。", "हम रोबोट बनाते हैं।"])
    assert rows.shape == (3, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)


def test_identical_normalised_texts_are_embedded_once(embedder: Embedder) -> None:
    fresh = Embedder(embedder.encoder)
    rows = fresh.embed_many(["Solar  panels\n for farms", "Solar panels for farms", "Ｓｏｌａｒ panels for farms "])
    assert fresh.embedded_count == 1 and len(fresh) == 1
    assert np.array_equal(rows[0], rows[2])
    fresh.embed("Solar panels for farms")
    assert fresh.embedded_count == 1


def test_the_cache_key_is_the_sha256_of_the_normalised_text() -> None:
    assert normalise_text("  Ａ\tb  ") == "A b"
    assert text_key(" Ａ  b") == hashlib.sha256(b"A b").hexdigest()


def test_preloaded_vectors_skip_the_model(embedder: Embedder) -> None:
    fresh = Embedder(embedder.encoder)
    stored = np.full(384, 1 / np.sqrt(384), dtype=np.float32)
    fresh.preload([(text_key("stored text"), stored)])
    assert np.array_equal(fresh.embed("stored  text"), stored) and fresh.embedded_count == 0


def test_an_empty_list_embeds_to_an_empty_matrix(embedder: Embedder) -> None:
    assert embedder.embed_many([]).shape == (0, 384)


@pytest.mark.parametrize(("text", "language"), [
    ("We build robots.", "en"), ("AI搭載のドローンを開発しています", "ja"), ("半導体", "ja"),
    ("हम AI सॉफ्टवेयर बनाते हैं", "hi"), ("5G / IoT", "en"), ("12345", "other"), ("Привет", "other"),
])
def test_the_language_is_told_by_script(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_the_stored_language_means_match_the_calibration_sentences(embedder: Embedder) -> None:
    stored = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    for language, mean in calibrate(embedder).items():
        assert np.allclose(mean, stored[language], atol=1e-5), language


def test_neutral_rows_bring_a_translation_closer_than_an_unrelated_same_language_text(embedder: Embedder) -> None:
    texts = ["हम अस्पतालों के लिए एआई सॉफ्टवेयर बनाते हैं।", "We build AI software for hospitals.",
             "हम खेतों के लिए ट्रैक्टर बेचते हैं।"]
    raw = embedder.embed_many(texts)
    neutral = neutral_rows(texts, raw)
    assert np.allclose(np.linalg.norm(neutral, axis=1), 1.0, atol=1e-5)
    margin_raw = raw[0] @ raw[1] - raw[0] @ raw[2]
    margin_neutral = neutral[0] @ neutral[1] - neutral[0] @ neutral[2]
    assert margin_neutral > margin_raw and margin_neutral > 0
    assert set(language_means()) == {"en", "ja", "hi", "other"}


def test_a_centroid_is_the_unit_mean_of_the_neutral_texts(embedder: Embedder) -> None:
    texts = ("We sell tea.", "紅茶を販売しています。")
    items = tuple(ProfileText(t, embedder.embed(t)) for t in texts)
    record = ProfileVectors(1, "JP", "company", offers=items)
    expected = neutral_rows(list(texts), np.stack([i.vector for i in items])).mean(axis=0)
    assert np.allclose(record.offer_centroid(), expected / np.linalg.norm(expected), atol=1e-6)
    assert record.seek_centroid() is None
