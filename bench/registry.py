"""Bench: registry search and the organisation list page at 100,000 organisations, SQLite and PostgreSQL.

For each backend: a fresh database (a SQLite file; PostgreSQL database `kakehashi_bench` on 127.0.0.1:5432,
or KAKEHASHI_BENCH_PG_URL) is loaded with the demo generator, then
  * in process, one client: `registry.search` (bigram index + substring check) against the baseline a
    registry without an index would run: a naive `LIKE '%q%'` scan over the three name columns with its
    count, same page size; p50/p95 and the speed-up ratio;
  * over HTTP through uvicorn (separate processes, as deployed: one per core, each on a port of its own,
    requests sent to each in turn as a round-robin proxy would), CLIENTS concurrent signed-in closed-loop
    clients (one light asyncio client): search pages (/organisations?q=...) and list pages (/organisations
    with filters and page numbers); p50/p95 as ratios to the 100 ms bound of TARGETS.md.
Exits 1 if an HTTP p95 exceeds 100 ms.

    .venv/bin/python bench/registry.py [--quick] [--orgs N] [--backends sqlite,postgresql] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httptools
import httpx
from sqlalchemy import create_engine, func, or_, select, text
from sqlalchemy.orm import Session

from kakehashi import migrate
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.identity import services as identity
from kakehashi.kernel.authz import Role
from kakehashi.kernel.demo import DemoOptions
from kakehashi.registry import demo, queries
from kakehashi.registry.models import Organisation, OrganisationIdentifier

BOUND_MS = 100.0
CLIENTS = 8
PG_URL = os.environ.get("KAKEHASHI_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WORDS = ["デバイス", "半導体", "精密", "さくら", "センサー", "ストレージ", "熊本", "sakura", "indus soft", "pune",
         "chip design", "photonics", "kyoto", "ventures", "quantum", "सॉफ्टवेयर", "बेंगलुरु", "cyber security",
         "osat", "hikari", "analytics", "university", "dholera", "materials", "fintech"]
FILTERS = [{}, {"country": "JP"}, {"country": "IN"}, {"area": "semiconductors"}, {"kind": "startup"},
           {"verified": "yes"}, {"area": "dpi", "country": "IN"}, {"sector": "semi.equipment"}]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fresh_url(backend: str, directory: str) -> str:
    """A new empty database of the backend."""
    if backend == "sqlite":
        return f"sqlite:///{directory}/bench.db"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "kakehashi_bench" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "kakehashi_bench"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/kakehashi_bench"


def load(url: str, orgs: int) -> str:
    """Migrate, load `orgs` demo organisations, analyse; return a session cookie of a signed-in member."""
    migrate.upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        demo.load(session, DemoOptions(orgs=orgs, seed=2025))
    seconds = time.perf_counter() - started
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:  # what autovacuum does soon after a bulk load (visibility map too)
        connection.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
    engine.dispose()
    with unit_of_work(sessions) as session:
        anchor = queries.find_by_name(session, demo.INDUS)
        assert anchor is not None
        user = identity.create_user(session, email="bench@example.org", name="Bench", password="bench bench bench",
                                    spec=identity.RoleSpec(Role.ORG_MEMBER, None, None, anchor.id))
        token = identity.start_session(session, user, idle=dt.timedelta(hours=2))
    print(f"  loaded {orgs:,} organisations in {seconds:.1f} s ({orgs / seconds:,.0f}/s)")
    return token


def search_queries(session: Session, rng: random.Random) -> list[str]:
    """Words in three scripts plus real identifiers, whole and in part."""
    identifiers = list(session.scalars(select(OrganisationIdentifier.value).order_by(OrganisationIdentifier.id)
                                       .limit(5000)))
    picked = rng.sample(identifiers, 10)
    return WORDS + picked + [value[:8] for value in picked[:5]]


def naive(session: Session, q: str) -> tuple[int, list[int]]:
    """The baseline: scan every name with LIKE, count, and take the first page."""
    pattern = f"%{q.lower()}%"
    match = or_(func.lower(Organisation.name_en).like(pattern), Organisation.name_ja.like(pattern),
                Organisation.name_hi.like(pattern))
    total = session.scalar(select(func.count()).select_from(Organisation).where(match)) or 0
    ids = list(session.scalars(select(Organisation.id).where(match).order_by(Organisation.sort_name).limit(20)))
    return total, ids


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def in_process(url: str, quick: bool) -> list[str]:
    """Search vs the naive scan, one client; returns the search queries for the HTTP phase."""
    sessions = make_sessionmaker(make_engine(url))
    rng = random.Random(7)
    with sessions() as session:
        words = search_queries(session, rng)
        rounds = 2 if quick else 3
        ours = [t for q in words for t in timed(lambda q=q: queries.search(session, q), rounds)]
        base = [t for q in words for t in timed(lambda q=q: naive(session, q), 1 if not quick else 2)]
    print(f"  in-process search   p50 {percentile(ours, .5):7.1f} ms  p95 {percentile(ours, .95):7.1f} ms")
    print(f"  naive LIKE baseline p50 {percentile(base, .5):7.1f} ms  p95 {percentile(base, .95):7.1f} ms")
    print(f"  speed-up (baseline / ours): p50 x{percentile(base, .5) / percentile(ours, .5):.1f}, "
          f"p95 x{percentile(base, .95) / percentile(ours, .95):.1f}")
    return words


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, workers: int) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    """`workers` uvicorn processes serving the platform on the bench database, each on a port of its own."""
    env = {**os.environ, "KAKEHASHI_DATABASE_URL": url, "KAKEHASHI_SECRET_KEY": "bench-secret-key-0123456789",
           "KAKEHASHI_MASTER_KEY": "11" * 32, "KAKEHASHI_ENVIRONMENT": "production", "OMP_NUM_THREADS": "1"}
    processes, bases = [], []
    for _ in range(workers):
        port = free_port()
        processes.append(subprocess.Popen(  # its own process group, so stopping it stops it whole
            [sys.executable, "-m", "uvicorn", "kakehashi.main:app_factory", "--factory", "--port", str(port),
             "--log-level", "warning", "--no-access-log"], env=env, start_new_session=True))
        bases.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 90
    waiting = list(zip(processes, bases, strict=True))
    while waiting and time.monotonic() < deadline and all(process.poll() is None for process in processes):
        try:
            if httpx.get(f"{waiting[0][1]}/healthz", timeout=2).status_code == 200:
                waiting.pop(0)
        except httpx.HTTPError:
            time.sleep(0.3)
    if waiting:
        stop(processes)
        raise RuntimeError("uvicorn did not start")
    return processes, bases


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop the uvicorn processes."""
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            continue
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class _Reply:
    """httptools callbacks: the parser reads the status line; the end of the message is flagged here."""

    def __init__(self) -> None:
        self.done = False

    def on_message_complete(self) -> None:
        self.done = True


async def _client(bases: list[str], cookie: str, queue: list[str], turn: itertools.count[int],
                  latencies: list[float]) -> None:
    """One closed-loop client: send a request, read the whole reply, time it, next. It keeps a keep-alive
    connection to every server process and sends each request to the next process in turn (a round-robin
    proxy: with one shared port the kernel pins each keep-alive connection to whichever process accepted it,
    often six of eight to one process, and the figures measure that imbalance). Raw HTTP/1.1 parsed by
    httptools (C): the client costs a few per cent of a request's CPU and no client waits on another's GIL."""
    connections = []
    for base in bases:
        url = httpx.URL(base)
        connections.append((await asyncio.open_connection(url.host, url.port), f"{url.host}:{url.port}"))
    try:
        while queue:
            path = queue.pop()
            (reader, writer), host = connections[next(turn) % len(connections)]
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n".encode())
            reply = _Reply()
            parser = httptools.HttpResponseParser(reply)
            while not reply.done:
                chunk = await reader.read(65536)
                if not chunk:
                    raise RuntimeError(f"{path}: connection closed")
                parser.feed_data(chunk)
            latencies.append((time.perf_counter() - started) * 1000)
            if parser.get_status_code() != 200:
                raise RuntimeError(f"{path}: HTTP {parser.get_status_code()}")
    finally:
        for (_reader, writer), _host in connections:
            writer.close()


def hammer(bases: list[str], token: str, paths: list[str], clients: int) -> list[float]:
    """Every path once, spread over `clients` concurrent signed-in closed-loop clients; latencies in ms."""
    queue = list(reversed(paths))
    latencies: list[float] = []
    turn = itertools.count()
    cookie = f"kk_session={token}; kk_csrf=bench-csrf-cookie"  # as a browser holds them after its first page

    async def run() -> None:
        await asyncio.gather(*(_client(bases, cookie, queue, turn, latencies) for _ in range(clients)))

    asyncio.run(run())
    return latencies


def over_http(url: str, token: str, words: list[str], workers: int, quick: bool, orgs: int) -> bool:
    """Search and list pages under concurrent clients; True if both p95 meet the bound."""
    rng = random.Random(11)
    processes, bases = serve(url, workers)
    try:
        count = 160 if quick else 400
        search = [str(httpx.URL("/organisations", params={"q": rng.choice(words), **rng.choice(FILTERS[:4])}))
                  for _ in range(count)]
        last_page = max(1, orgs // 20)
        listing = [str(httpx.URL("/organisations", params={**rng.choice(FILTERS), "page": str(
            rng.choice([1, 1, 2, 3, rng.randint(1, 50), rng.randint(1, last_page)]))})) for _ in range(count)]
        # Warm-up, as a server that has been up a while: every process has seen each word once (its gram
        # counts, which only rank grams by rarity, are cached per process) and some pages of the list.
        warm = [str(httpx.URL("/organisations", params={"q": word})) for word in words] + listing[:40]
        for base in bases:
            hammer([base], token, warm, CLIENTS)
        ok = True
        for label, paths in (("search page", search), ("list page", listing)):
            latencies = hammer(bases, token, paths, CLIENTS)
            p50, p95 = percentile(latencies, .5), percentile(latencies, .95)
            ok = ok and p95 <= BOUND_MS
            print(f"  HTTP {label:11} p50 {p50:7.1f} ms ({p50 / BOUND_MS:.2f} of bound)  p95 {p95:7.1f} ms "
                  f"({p95 / BOUND_MS:.2f} of bound)  ({len(latencies)} requests, {CLIENTS} clients, "
                  f"{workers} server processes)")
        return ok
    finally:
        stop(processes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 organisations, fewer requests")
    parser.add_argument("--orgs", type=int, default=None)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="uvicorn worker processes (default: one per core)")
    args = parser.parse_args()
    orgs = args.orgs or (10_000 if args.quick else 100_000)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work on this machine slows the "
          "HTTP figures)")
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        for backend in args.backends.split(","):
            print(f"{backend}: {orgs:,} organisations")
            url = fresh_url(backend, directory)
            token = load(url, orgs)
            words = in_process(url, args.quick)
            ok = over_http(url, token, words, args.workers, args.quick, orgs) and ok
            if backend == "sqlite":
                print(f"  database file {Path(directory, 'bench.db').stat().st_size / 1e6:,.0f} MB")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("OK: p95 within 100 ms" if ok else "FAIL: a p95 exceeds 100 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
