"""Bench: the transparency log at 10^4, 10^5 and 10^6 entries, against recompute-from-leaves.

For each size and store (memory; with --db also a SQLite file and PostgreSQL, through the same
`agreement.logstore` the service uses) it measures
  * batched append throughput (batches of 1,000, a signed-checkpoint root after each batch),
  * inclusion and consistency proof latency p50/p95 (random index / size),
  * full verification: recompute every leaf hash and the root, and compare with the store,
each against the naive baseline that keeps the leaves and recomputes from them (RFC 9162's
recursive definitions, `merkle_reference`). The naive append baseline is extrapolated from a
measured root recomputation when running it would take too long; the output says so.
Exits 1 if a TARGETS.md bound is missed: >= 5,000 appends/s, proof p95 <= 5 ms at 10^6,
full verification of 10^6 <= 60 s.

    .venv/bin/python bench/log.py [--quick] [--db sqlite,postgres] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext

from kakehashi.agreement import merkle, merkle_reference
from kakehashi.agreement.merkle_verify import verify_consistency, verify_inclusion

APPENDS_PER_S = 5_000
PROOF_P95_MS = 5.0
VERIFY_1M_S = 60.0
BATCH = 1_000
PROOF_SAMPLES = 300
NAIVE_PROOF_SAMPLES = 3


def entry(i: int) -> bytes:
    """The bytes of log entry i (what a leaf hashes)."""
    return b'{"kind":"bench","n":' + str(i).encode() + b"}"


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


StoreFactory = Callable[[], AbstractContextManager[merkle.NodeStore]]


def memory_store() -> AbstractContextManager[merkle.NodeStore]:
    return nullcontext(merkle.MemoryNodeStore())


def bench_append(store: merkle.NodeStore, n: int) -> tuple[float, list[bytes]]:
    """Append n entries in batches, computing the checkpoint root after each; return (s, leaves)."""
    leaves: list[bytes] = []
    start = time.perf_counter()
    for first in range(0, n, BATCH):
        batch = [merkle.leaf_hash(entry(i)) for i in range(first, min(n, first + BATCH))]
        size = merkle.append_leaves(store, batch)
        merkle.root_at(store, size)
        leaves.extend(batch)
    return time.perf_counter() - start, leaves


def naive_append_seconds(leaves: list[bytes], n: int, budget: float) -> tuple[float, bool]:
    """Naive log: per batch, recompute the root from all leaves. Returns (seconds, extrapolated)."""
    batches = (n + BATCH - 1) // BATCH
    one = timed(lambda: merkle_reference.mth(leaves[:n]))
    if one * batches / 2 <= budget:
        start = time.perf_counter()
        for first in range(0, n, BATCH):
            hashed = [merkle.leaf_hash(entry(i)) for i in range(first, min(n, first + BATCH))]
            merkle_reference.mth(leaves[: first + len(hashed)])
        return time.perf_counter() - start, False
    # Each batch recomputes over the leaves so far: on average n/2 of them, plus its own hashing.
    hashing = timed(lambda: [merkle.leaf_hash(entry(i)) for i in range(BATCH)]) * batches
    return hashing + one * batches / 2, True


def bench_proofs(store: merkle.NodeStore, leaves: list[bytes], n: int, rng: random.Random) -> dict[str, float]:
    root = merkle.root_at(store, n)
    inclusion, consistency = [], []
    for _ in range(PROOF_SAMPLES):
        index = rng.randrange(n)
        start = time.perf_counter()
        proof = merkle.inclusion_proof(store, index, n)
        inclusion.append(time.perf_counter() - start)
        verify_inclusion(leaves[index], index, n, proof, root)
        first = rng.randrange(1, n + 1)
        start = time.perf_counter()
        cproof = merkle.consistency_proof(store, first, n)
        consistency.append(time.perf_counter() - start)
        verify_consistency(first, n, cproof, merkle.root_at(store, first), root)
    naive = []
    for _ in range(NAIVE_PROOF_SAMPLES):
        index = rng.randrange(n)
        naive.append(timed(lambda index=index: merkle_reference.path(index, leaves[:n])))  # type: ignore[misc]
    return {
        "incl_p50": percentile(inclusion, 0.5) * 1e3,
        "incl_p95": percentile(inclusion, 0.95) * 1e3,
        "cons_p50": percentile(consistency, 0.5) * 1e3,
        "cons_p95": percentile(consistency, 0.95) * 1e3,
        "naive_p50": statistics.median(naive) * 1e3,
    }


def bench_verify(store: merkle.NodeStore, n: int) -> tuple[float, float]:
    """Full verification (rehash every entry, recompute the root, compare) vs the naive recursion."""

    def ours() -> None:
        size, root = merkle.root_from_leaves(merkle.leaf_hash(entry(i)) for i in range(n))
        assert (size, root) == (n, merkle.root_at(store, n)), "log does not verify"

    def naive() -> None:
        assert merkle_reference.mth([merkle.leaf_hash(entry(i)) for i in range(n)]) == merkle.root_at(store, n)

    return timed(ours), timed(naive)


def run_size(name: str, factory: StoreFactory, n: int, rng: random.Random, failures: list[str]) -> None:
    with factory() as store:
        append_s, leaves = bench_append(store, n)
        naive_s, extrapolated = naive_append_seconds(leaves, n, budget=30.0)
        rate = n / append_s
        note = " (naive extrapolated from one measured recompute)" if extrapolated else ""
        print(
            f"{name:>8} n={n:>9,}  append {rate:>9,.0f}/s  naive {n / naive_s:>9,.0f}/s  ratio {naive_s / append_s:>8.1f}x{note}"
        )
        proofs = bench_proofs(store, leaves, n, rng)
        print(
            f"{'':>8} {'':>11}  inclusion p50 {proofs['incl_p50']:.3f} ms p95 {proofs['incl_p95']:.3f} ms"
            f"  consistency p50 {proofs['cons_p50']:.3f} ms p95 {proofs['cons_p95']:.3f} ms"
            f"  naive p50 {proofs['naive_p50']:.1f} ms  ratio {proofs['naive_p50'] / proofs['incl_p50']:,.0f}x"
        )
        verify_s, naive_verify_s = bench_verify(store, n)
        print(
            f"{'':>8} {'':>11}  full verification {verify_s:.2f} s  naive {naive_verify_s:.2f} s"
            f"  ratio {naive_verify_s / verify_s:.1f}x"
        )
    if rate < APPENDS_PER_S:
        failures.append(f"{name} n={n}: {rate:,.0f} appends/s < {APPENDS_PER_S:,}")
    if n >= 1_000_000 and max(proofs["incl_p95"], proofs["cons_p95"]) > PROOF_P95_MS:
        failures.append(f"{name} n={n}: proof p95 above {PROOF_P95_MS} ms")
    if n >= 1_000_000 and verify_s > VERIFY_1M_S:
        failures.append(f"{name} n={n}: full verification {verify_s:.1f} s > {VERIFY_1M_S} s")


def stores(db: str) -> Iterator[tuple[str, StoreFactory]]:
    yield "memory", memory_store
    if db:
        raise SystemExit("database stores arrive with the agreement models")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10^4 entries only")
    parser.add_argument("--sizes", default="", help="comma-separated sizes (default 10^4,10^5,10^6)")
    parser.add_argument("--db", default="", help="also bench database stores: sqlite,postgres")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    rng = random.Random(args.seed)
    print(f"transparency log bench: sizes {sizes}, batches of {BATCH}, sha256 {hashlib.sha256().name}")
    failures: list[str] = []
    for name, factory in stores(args.db):
        for n in sizes:
            run_size(name, factory, n, rng, failures)
    for failure in failures:
        print(f"MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
