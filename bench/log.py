"""Bench: the transparency log at 10^4, 10^5 and 10^6 entries, against recompute-from-leaves.

Stores: the in-memory node store, and with --db the database-backed log exactly as the service runs
it (`agreement.append_many`, `transparency.inclusion/consistency`, `verify_log`) on a SQLite file and
on PostgreSQL (a throwaway database on 127.0.0.1:5432, or KAKEHASHI_BENCH_PG_URL). For each size:
  * batched append throughput: batches of 1,000 entries, each batch one transaction that also signs a
    checkpoint;
  * inclusion and consistency proof latency p50/p95 at random positions, each proof served with its
    signed checkpoint (the API's work minus HTTP);
  * full verification: recompute every leaf and node and check every checkpoint (`log verify`);
each against the naive log that keeps only the leaves and recomputes from them (RFC 9162's recursive
definitions, `merkle_reference`): a root per batch, a proof per request, the root for verification.
The naive append is extrapolated from one measured recomputation when running it would take too long,
and the naive proof is measured on a few samples; the output says so.
Exits 1 if a TARGETS.md bound is missed: >= 5,000 appends/s, proof p95 <= 5 ms at 10^6, full
verification of 10^6 <= 60 s.

    .venv/bin/python bench/log.py [--quick] [--db sqlite,postgres] [--sizes 10000,100000] [--memory/--no-memory]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy import Connection, create_engine, insert, select, text

from kakehashi import migrate
from kakehashi.agreement import merkle, merkle_reference, transparency
from kakehashi.agreement.checkpoint import Checkpoint as CheckpointBody
from kakehashi.agreement.checkpoint import NoteSigner, parse_checkpoint, split_note
from kakehashi.agreement.jws import generate_key
from kakehashi.agreement.logcheck import verify_log
from kakehashi.agreement.merkle_verify import verify_consistency, verify_inclusion
from kakehashi.agreement.models import LogEntry
from kakehashi.db import make_engine, make_sessionmaker
from kakehashi.kernel.clock import utcnow

APPENDS_PER_S = 5_000
PROOF_P95_MS = 5.0
VERIFY_1M_S = 60.0
BATCH = 1_000
PROOF_SAMPLES = 200
NAIVE_PROOF_SAMPLES = 3
NAIVE_APPEND_BUDGET_S = 20.0
NAIVE_DB_ENTRIES = 30_000
PG_URL = os.environ.get("KAKEHASHI_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def payload(i: int) -> dict[str, object]:
    """The payload of bench entry i."""
    return {"n": i, "note": "bench"}


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Log(Protocol):
    """What the bench drives: a memory log or the database log."""

    def append_batch(self, first: int, count: int) -> None: ...
    def leaves(self) -> list[bytes]: ...
    def inclusion(self, index: int, size: int) -> tuple[list[bytes], bytes]: ...
    def consistency(self, first: int, second: int) -> tuple[list[bytes], bytes, bytes]: ...
    def verify_full(self) -> None: ...
    def naive_verify(self) -> None: ...


class MemoryLog:
    """merkle.MemoryNodeStore with entries hashed like the database log's."""

    def __init__(self) -> None:
        self.store = merkle.MemoryNodeStore()
        self.leaf_list: list[bytes] = []
        self.roots: dict[int, bytes] = {}

    def append_batch(self, first: int, count: int) -> None:
        stamp = utcnow()
        batch = [merkle.leaf_hash(transparency.entry_bytes("bench", payload(i), stamp)) for i in range(first, first + count)]
        size = merkle.append_leaves(self.store, batch)
        self.roots[size] = merkle.root_at(self.store, size)
        self.leaf_list.extend(batch)

    def leaves(self) -> list[bytes]:
        return self.leaf_list

    def inclusion(self, index: int, size: int) -> tuple[list[bytes], bytes]:
        return merkle.inclusion_proof(self.store, index, size), merkle.root_at(self.store, size)

    def consistency(self, first: int, second: int) -> tuple[list[bytes], bytes, bytes]:
        proof = merkle.consistency_proof(self.store, first, second)
        return proof, merkle.root_at(self.store, first), merkle.root_at(self.store, second)

    def verify_full(self) -> None:
        size, root = merkle.root_from_leaves(self.leaf_list)
        assert root == merkle.root_at(self.store, size)

    def naive_verify(self) -> None:
        merkle_reference.mth(self.leaf_list)


class DbLog:
    """The service's own code on a database: appends, proofs with checkpoints, `verify_log`."""

    def __init__(self, url: str, naive_url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = make_sessionmaker(self.engine)
        self.naive_url = naive_url

    def append_batch(self, first: int, count: int) -> None:
        with self.sessions() as session, session.begin():
            transparency.append_many(session, [("bench", payload(i)) for i in range(first, first + count)])

    def leaves(self) -> list[bytes]:
        with self.sessions() as session:
            return [bytes(h) for h in session.scalars(select(LogEntry.leaf_hash).order_by(LogEntry.index))]

    def inclusion(self, index: int, size: int) -> tuple[list[bytes], bytes]:
        with self.sessions() as session:
            proof = transparency.inclusion(session, index, size)
            return proof.hashes, _root(proof.checkpoint)

    def consistency(self, first: int, second: int) -> tuple[list[bytes], bytes, bytes]:
        with self.sessions() as session:
            proof = transparency.consistency(session, first, second)
            assert proof.first_checkpoint is not None
            return proof.hashes, _root(proof.first_checkpoint), _root(proof.checkpoint)

    def verify_full(self) -> None:
        with self.sessions() as session:
            report = verify_log(session)
        assert report.ok, report.problems[:3]

    def round_trip_ms(self) -> float:
        """What one request's database round trip costs here and now (a floor under every proof)."""
        samples = []
        for _ in range(50):
            start = time.perf_counter()
            with self.sessions() as session:
                session.execute(text("SELECT 1")).all()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1e3

    def url_for_naive_proofs(self) -> str:
        """The naive log reads the same entries as ours (its own database is smaller when extrapolated)."""
        return str(self.engine.url.render_as_string(hide_password=False))

    def naive_verify(self) -> None:
        naive = NaiveDbLog(self.url_for_naive_proofs())
        naive.verify()
        naive.engine.dispose()


class NaiveDbLog:
    """The naive database log: entries only; each batch re-reads every leaf hash and recomputes the root."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.signer = NoteSigner("bench.example/naive", generate_key())

    def leaves(self, connection: Connection) -> list[bytes]:
        return [bytes(h) for (h,) in connection.execute(select(LogEntry.leaf_hash).order_by(LogEntry.index))]

    def append_batch(self, first: int, count: int) -> None:
        stamp, rows = utcnow(), []
        for i in range(first, first + count):
            data = transparency.entry_bytes("bench", payload(i), stamp)
            rows.append(
                {"index": i, "kind": "bench", "data": data.decode(), "leaf_hash": merkle.leaf_hash(data), "appended_at": stamp}
            )
        with self.engine.begin() as connection:
            connection.execute(insert(transparency.LOG_ENTRY_TABLE), rows)
            leaves = self.leaves(connection)
            CheckpointBody("bench.example/naive", len(leaves), merkle_reference.mth(leaves)).sign(self.signer)

    def proof(self, index: int) -> list[bytes]:
        with self.engine.connect() as connection:
            return merkle_reference.path(index, self.leaves(connection))

    def verify(self) -> bytes:
        with self.engine.connect() as connection:
            data = connection.execute(select(LogEntry.data).order_by(LogEntry.index))
            return merkle_reference.mth([merkle.leaf_hash(d.encode()) for (d,) in data])


def _root(note: str) -> bytes:
    return parse_checkpoint(split_note(note)[0]).root_hash


@contextmanager
def memory_log() -> Iterator[Log]:
    yield MemoryLog()


@contextmanager
def sqlite_log() -> Iterator[Log]:
    with tempfile.TemporaryDirectory(prefix="kakehashi-bench-") as directory:
        urls = [f"sqlite:///{directory}/{name}.db" for name in ("bench", "naive")]
        for url in urls:
            migrate.upgrade(url)
        log = DbLog(*urls)
        yield log
        log.engine.dispose()


@contextmanager
def postgres_log() -> Iterator[Log]:
    names = [f"kakehashi_bench_{os.getpid()}", f"kakehashi_bench_naive_{os.getpid()}"]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [PG_URL.rsplit("/", 1)[0] + "/" + name for name in names]
    for url in urls:
        migrate.upgrade(url)
    log = DbLog(*urls)
    try:
        yield log
    finally:
        log.engine.dispose()
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def naive_append_seconds(log: Log, n: int) -> tuple[float, str]:
    """The naive log's time to append n entries in batches. Returns (seconds, how it was obtained)."""
    if isinstance(log, DbLog):
        return naive_db_append_seconds(log, n)
    stamp, total = utcnow(), 0.0
    for first in range(0, n, BATCH):  # hash the entries like ours, then recompute the root from all leaves so far
        start = time.perf_counter()
        batch = [
            merkle.leaf_hash(transparency.entry_bytes("bench", payload(i), stamp)) for i in range(first, min(n, first + BATCH))
        ]
        total += time.perf_counter() - start
    leaves = log.leaves()
    one = timed(lambda: merkle_reference.mth(leaves[:n]))
    batches = (n + BATCH - 1) // BATCH
    if one * batches / 2 > NAIVE_APPEND_BUDGET_S:
        return total + one * batches / 2, "extrapolated from one measured root recomputation (n/2 leaves per batch on average)"
    del batch
    return total + timed(lambda: [merkle_reference.mth(leaves[: end + BATCH]) for end in range(0, n, BATCH)]), "measured"


def naive_db_append_seconds(log: DbLog, n: int) -> tuple[float, str]:
    """Run the naive database log up to NAIVE_DB_ENTRIES; extrapolate linearly in size beyond (cost per batch = a + b*size)."""
    naive = NaiveDbLog(log.naive_url)
    measured = min(n, NAIVE_DB_ENTRIES)
    points = []
    for first in range(0, measured, BATCH):
        points.append((first, timed(lambda first=first: naive.append_batch(first, min(BATCH, measured - first)))))
    naive.engine.dispose()
    total = sum(t for _, t in points)
    if measured == n:
        return total, "measured"
    head, tail = points[: len(points) // 2], points[len(points) // 2 :]
    a_size, a_time = statistics.mean(s for s, _ in head), statistics.mean(t for _, t in head)
    b_size, b_time = statistics.mean(s for s, _ in tail), statistics.mean(t for _, t in tail)
    slope = max(0.0, (b_time - a_time) / (b_size - a_size))
    rest = sum(a_time + slope * (size - a_size) for size in range(measured, n, BATCH))
    return total + rest, f"measured to {measured:,} entries, extrapolated linearly in size beyond"


def bench_proofs(log: Log, leaves: list[bytes], n: int, rng: random.Random) -> dict[str, float]:
    inclusion, consistency = [], []
    for _ in range(PROOF_SAMPLES):
        index = rng.randrange(n)
        start = time.perf_counter()
        proof, root = log.inclusion(index, n)
        inclusion.append(time.perf_counter() - start)
        verify_inclusion(leaves[index], index, n, proof, root)
        first = rng.randrange(1, n + 1)
        start = time.perf_counter()
        cproof, old, new = log.consistency(first, n)
        consistency.append(time.perf_counter() - start)
        verify_consistency(first, n, cproof, old, new)
    if isinstance(log, DbLog):  # the naive database log re-reads every leaf hash for each proof
        naive_log = NaiveDbLog(log.url_for_naive_proofs())
        naive = [timed(lambda index=rng.randrange(n): naive_log.proof(index)) for _ in range(NAIVE_PROOF_SAMPLES)]
        naive_log.engine.dispose()
    else:
        naive = [
            timed(lambda index=rng.randrange(n): merkle_reference.path(index, leaves[:n])) for _ in range(NAIVE_PROOF_SAMPLES)
        ]
    return {
        "incl_p50": percentile(inclusion, 0.5) * 1e3,
        "incl_p95": percentile(inclusion, 0.95) * 1e3,
        "cons_p50": percentile(consistency, 0.5) * 1e3,
        "cons_p95": percentile(consistency, 0.95) * 1e3,
        "naive_p50": statistics.median(naive) * 1e3,
    }


def run_size(
    name: str, factory: Callable[[], AbstractContextManager[Log]], n: int, rng: random.Random, failures: list[str]
) -> None:
    with factory() as log:
        if isinstance(log, DbLog):
            print(
                f"{name:>8} database round trip (session + SELECT 1) p50 {log.round_trip_ms():.2f} ms,"
                f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
                flush=True,
            )
        append_s = timed(lambda: [log.append_batch(first, min(BATCH, n - first)) for first in range(0, n, BATCH)])
        leaves = log.leaves()
        naive_s, how = naive_append_seconds(log, n)
        rate = n / append_s
        note = f"  (naive {how})"
        print(
            f"{name:>8} n={n:>9,}  append {rate:>9,.0f}/s  naive {n / naive_s:>9,.0f}/s  ratio {naive_s / append_s:>7.1f}x{note}",
            flush=True,
        )
        proofs = bench_proofs(log, leaves, n, rng)
        print(
            f"{'':>8} {'':>11}  inclusion p50 {proofs['incl_p50']:.3f} ms p95 {proofs['incl_p95']:.3f} ms"
            f"  consistency p50 {proofs['cons_p50']:.3f} ms p95 {proofs['cons_p95']:.3f} ms"
            f"  naive p50 {proofs['naive_p50']:.1f} ms ({NAIVE_PROOF_SAMPLES} samples)"
            f"  ratio {proofs['naive_p50'] / proofs['incl_p50']:,.0f}x",
            flush=True,
        )
        verify_s = timed(log.verify_full)
        naive_verify_s = timed(log.naive_verify)
        print(
            f"{'':>8} {'':>11}  full verification {verify_s:.2f} s (every leaf, node and checkpoint)"
            f"  naive root recompute {naive_verify_s:.2f} s  ratio {naive_verify_s / verify_s:.2f}x",
            flush=True,
        )
    if rate < APPENDS_PER_S:
        failures.append(f"{name} n={n}: {rate:,.0f} appends/s < {APPENDS_PER_S:,}")
    if n >= 1_000_000 and max(proofs["incl_p95"], proofs["cons_p95"]) > PROOF_P95_MS:
        failures.append(f"{name} n={n}: proof p95 above {PROOF_P95_MS} ms")
    if n >= 1_000_000 and verify_s > VERIFY_1M_S:
        failures.append(f"{name} n={n}: full verification {verify_s:.1f} s > {VERIFY_1M_S} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10^4 entries only")
    parser.add_argument("--sizes", default="", help="comma-separated sizes (default 10^4,10^5,10^6)")
    parser.add_argument("--db", default="", help="also the database log: sqlite,postgres")
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True, help="bench the memory store")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    factories = {"memory": memory_log, "sqlite": sqlite_log, "postgres": postgres_log}
    names = (["memory"] if args.memory else []) + [b for b in args.db.split(",") if b]
    rng = random.Random(args.seed)
    print(f"transparency log bench: stores {names}, sizes {sizes}, batches of {BATCH}", flush=True)
    failures: list[str] = []
    for name in names:
        for n in sizes:
            run_size(name, factories[name], n, rng, failures)
    for failure in failures:
        print(f"MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
