"""Encrypt/decrypt throughput and peak memory of the chunked AES-256-GCM stream format for a 100 MB
file (file to file), against a baseline in the same run: single-shot AES-GCM of the whole file in
memory (what one would write without streaming: fast, but the file sits in RAM two or three times).

TARGETS.md names no crypto figure, so the bounds are ours: streaming keeps ≥ 0.5× the single-shot
throughput, its peak Python memory stays ≤ 8 MiB whatever the file size, and the round trip is exact.
Exits non-zero if any is missed.

    .venv/bin/python bench/crypto.py [--quick]     (--quick: 10 MB)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kakehashi.exchange.crypto import decrypt_stream, encrypt_stream, new_data_key

MIB = 1 << 20
THROUGHPUT_RATIO_BOUND = 0.5
PEAK_BOUND = 8 * MIB


def write_random(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for _ in range(size // MIB):
            block = os.urandom(MIB)
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def stream_encrypt(key: bytes, src: Path, dst: Path) -> None:
    with src.open("rb") as i, dst.open("wb") as o:
        encrypt_stream(i, o, key)


def stream_decrypt(key: bytes, src: Path, dst: Path) -> None:
    with src.open("rb") as i, dst.open("wb") as o:
        decrypt_stream(i, o, key)


def single_encrypt(key: bytes, src: Path, dst: Path) -> None:
    dst.write_bytes(AESGCM(key).encrypt(b"\x00" * 12, src.read_bytes(), None))


def single_decrypt(key: bytes, src: Path, dst: Path) -> None:
    dst.write_bytes(AESGCM(key).decrypt(b"\x00" * 12, src.read_bytes(), None))


def timed(step: Callable[[bytes, Path, Path], None], key: bytes, src: Path, dst: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        step(key, src, dst)
        best = min(best, time.perf_counter() - start)
    return best


def peak(step: Callable[[bytes, Path, Path], None], key: bytes, src: Path, dst: Path) -> int:
    tracemalloc.start()
    step(key, src, dst)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10 MB instead of 100 MB")
    args = parser.parse_args()
    size = (10 if args.quick else 100) * MIB
    repeat = 3 if args.quick else 2
    key = new_data_key()
    with tempfile.TemporaryDirectory(prefix="kakehashi-bench-") as tmp:
        plain, sealed, opened = Path(tmp, "plain"), Path(tmp, "sealed"), Path(tmp, "opened")
        original = write_random(plain, size)
        t_enc = timed(stream_encrypt, key, plain, sealed, repeat)
        t_dec = timed(stream_decrypt, key, sealed, opened, repeat)
        exact = hashlib.sha256(opened.read_bytes()).hexdigest() == original
        m_enc, m_dec = peak(stream_encrypt, key, plain, sealed), peak(stream_decrypt, key, sealed, opened)
        base_sealed = Path(tmp, "base-sealed")
        b_enc = timed(single_encrypt, key, plain, base_sealed, repeat)
        b_dec = timed(single_decrypt, key, base_sealed, opened, repeat)
        mb_enc, mb_dec = peak(single_encrypt, key, plain, base_sealed), peak(single_decrypt, key, base_sealed, opened)
    mb = size / MIB
    rows = (("stream encrypt", t_enc, m_enc, b_enc, mb_enc), ("stream decrypt", t_dec, m_dec, b_dec, mb_dec))
    print(f"{mb:.0f} MiB file, file to file, best of {repeat}")
    print(f"{'':16}{'MiB/s':>9}{'baseline':>10}{'ratio':>8}{'peak MiB':>10}{'baseline':>10}{'mem ratio':>11}")
    failed = not exact
    for name, t, m, bt, bm in rows:
        ratio = bt / t
        print(f"{name:16}{mb / t:9.0f}{mb / bt:10.0f}{ratio:8.2f}{m / MIB:10.1f}{bm / MIB:10.1f}{m / bm:11.3f}")
        failed = failed or ratio < THROUGHPUT_RATIO_BOUND or m > PEAK_BOUND
    print(f"bounds: throughput ratio ≥ {THROUGHPUT_RATIO_BOUND}, peak ≤ {PEAK_BOUND / MIB:.0f} MiB; "
          f"round trip exact: {exact}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
