"""TAXII 2.1 servers side by side: medallion (the OASIS reference server, memory backend) against Kakehashi on
SQLite and on PostgreSQL, driven by the same client (taxii2-client) with the same data on this machine.

For each size (1,000, 10,000 and 100,000 indicators; --quick: 1,000) every server gets a fresh collection:
  ingest    the indicators posted in envelopes of 100 (objects/s, and the last tenth's rate against the first
            tenth's: 1.0 means the cost of an envelope does not grow with the collection)
  paged     every object read back 100 at a time with `next` (objects/s; per-page time at the start and at
            the end of the walk)
  filtered  first pages of filtered reads: one id, one type added after the midpoint, all versions of one id
and the throughput ratio Kakehashi / medallion. medallion slows quadratically, so its phases stop after a time
budget: the figures then cover what it finished, marked "capped". Bounds (TARGETS.md): at 10,000 objects
Kakehashi ≥ 10× medallion on ingest and paged reads; at 100,000 objects Kakehashi's median time per envelope
in the last tenth ≤ 2× that in the first tenth (linear); its time per page at the largest size ≤ 2× that at
the smallest. The script exits 1 when a measured bound is missed. Requests to the servers are interleaved
(envelope i to each server in turn, and so on), so changes in this shared machine's load hit all alike.

    .venv/bin/python bench/taxii.py [--quick] [--backends sqlite,postgresql] [--budget 90]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, text
from taxii2client.common import TokenAuth
from taxii2client.v21 import Collection, as_pages

from kakehashi import migrate
from kakehashi.cyber import services
from kakehashi.cyber.tlp import TLP2_IDS, Tlp
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.identity import passwords
from kakehashi.identity import services as identity
from kakehashi.kernel.authz import SYSTEM, Role, Side

PG_URL = os.environ.get("KAKEHASHI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ENVELOPE = 100
PYTHON = sys.executable
print = functools.partial(print, flush=True)


def indicators(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` distinct, valid, TLP:GREEN indicators (the same for every server)."""
    made = []
    for n in range(count):
        stamp = f"2025-{1 + n // 2_000_000 % 12:02d}-{1 + n // 80_000 % 28:02d}T{n // 3_600 % 24:02d}:" \
                f"{n // 60 % 60:02d}:{n % 60:02d}.{(n * seed) % 1000:03d}Z"
        made.append({
            "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.UUID(int=(seed << 64) + n, version=4)}",
            "created": stamp, "modified": stamp, "name": f"C2 address {n}", "indicator_types": ["malicious-activity"],
            "pattern_type": "stix", "valid_from": stamp, "object_marking_refs": [TLP2_IDS[Tlp.GREEN]],
            "pattern": f"[ipv4-addr:value = '10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}']",
        })
    return made


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TimeoutAdapter(HTTPAdapter):
    """Gives every request of taxii2-client's session a timeout (the client sets none)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def send(self, request: Any, **kwargs: Any) -> Any:
        kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


@dataclass
class Server:
    """A running TAXII server and how to reach its collection."""

    name: str
    collection_url: str
    user: str
    password: str
    process: subprocess.Popen[bytes]
    cleanup: list[Any] = field(default_factory=list)
    timeout: float = 600.0

    def collection(self) -> Collection:
        if self.password.startswith("kk_"):  # Kakehashi: its API token, as taxii2-client's TokenAuth sends it
            collection = Collection(self.collection_url, auth=TokenAuth(self.password))
        else:
            collection = Collection(self.collection_url, user=self.user, password=self.password)
        collection._conn.session.mount("http://", TimeoutAdapter(self.timeout))
        return collection

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        while self.cleanup:
            self.cleanup.pop()()


def wait_until_up(url: str, auth: tuple[str, str], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early ({process.returncode})")
        try:
            if requests.get(url, auth=auth, headers={"Accept": "application/taxii+json;version=2.1"}, timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def start_medallion(workdir: Path) -> Server:
    """medallion with its memory backend and one empty collection, configured in a temp dir."""
    collection_id = str(uuid.uuid4())
    data = {
        "/discovery": {"title": "medallion", "default": "http://127.0.0.1/api1/", "api_roots": ["api1"]},
        "api1": {"information": {"title": "bench", "versions": ["application/taxii+json;version=2.1"],
                                 "max_content_length": 100 * 1024 * 1024},
                 "status": [], "collections": [{"id": collection_id, "title": "bench", "can_read": True,
                                                "can_write": True, "media_types": [], "objects": [], "manifest": []}]},
    }
    (workdir / "data.json").write_text(json.dumps(data))
    config = {"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                          "filename": str(workdir / "data.json")},
              "users": {"bench": "bench-pass"}, "taxii": {"max_page_size": 100}}
    (workdir / "medallion.json").write_text(json.dumps(config))
    port = free_port()
    process = subprocess.Popen([str(Path(PYTHON).parent / "medallion"), "--host", "127.0.0.1", "--port", str(port),
                                "--log-level", "ERROR", str(workdir / "medallion.json")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/taxii2/", ("bench", "bench-pass"), process)
    return Server("medallion", f"{base}/api1/collections/{collection_id}/", "bench", "bench-pass", process)


def _kakehashi_database(backend: str, workdir: Path) -> tuple[str, Any]:
    if backend == "sqlite":
        return f"sqlite:///{workdir}/bench.db", lambda: None
    name = f"kakehashi_bench_taxii_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_URL.rsplit("/", 1)[0] + "/" + name, drop


def start_kakehashi(backend: str, workdir: Path) -> Server:
    """Kakehashi on uvicorn (one worker) over a fresh migrated database with one CERT, analyst and collection."""
    url, drop = _kakehashi_database(backend, workdir)
    migrate.upgrade(url)
    passwords.configure("fast-for-tests")
    engine = make_engine(url)
    org_id = 1  # the CERT's registry id; the cyber tables refer to organisations by id only
    with unit_of_work(make_sessionmaker(engine)) as session:
        user = identity.create_user(session, email="bench@jpcert.example", name="Bench", password=None,
                                    spec=identity.RoleSpec(Role.CERT_ANALYST, Side.JP, None, org_id))
        token = identity.create_api_token(session, user=user)
        uid = services.create_collection(session, title="bench", owner_org_id=org_id, actor=SYSTEM).uid
    engine.dispose()
    port = free_port()
    env = {**os.environ, "KAKEHASHI_DATABASE_URL": url, "KAKEHASHI_SECRET_KEY": "bench-secret-key",
           "KAKEHASHI_MASTER_KEY": "00" * 32, "KAKEHASHI_ENVIRONMENT": "test",
           "KAKEHASHI_PASSWORD_HASH_PROFILE": "fast-for-tests", "KAKEHASHI_VAR_DIR": str(workdir)}
    process = subprocess.Popen([PYTHON, "-m", "uvicorn", "--factory", "kakehashi.main:app_factory", "--host",
                                "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/taxii2/", ("bench@jpcert.example", token), process)
    return Server(f"kakehashi/{backend}", f"{base}/taxii2/cti/collections/{uid}/", "bench@jpcert.example", token,
                  process, [drop])


@dataclass
class Run:
    """One server's side of an interleaved measurement."""

    server: Server
    budget: float
    times: list[float] = field(default_factory=list)
    objects: int = 0
    done: bool = False  # this phase is over for this server
    dead: bool = False  # stopped after a request it could not answer in time (it would keep a CPU busy)

    def timed(self, call: Any) -> Any:
        """Run one request, recording its time; None (and the server stopped) when it timed out."""
        began = time.perf_counter()
        try:
            result = call()
        except requests.Timeout:
            self.times.append(time.perf_counter() - began)
            self.dead = self.done = True
            self.server.stop()
            return None
        self.times.append(time.perf_counter() - began)
        if sum(self.times) > self.budget:
            self.done = True
        return result


def ingest(runs: list[Run], objects: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], float]:
    """Post envelopes of 100 to every server in turn (load changes hit all alike); per-server figures."""
    envelopes = [objects[i:i + ENVELOPE] for i in range(0, len(objects), ENVELOPE)]
    collections = {run.server.name: run.server.collection() for run in runs}
    midpoint = time.time()
    for index, batch in enumerate(envelopes):
        if index == len(envelopes) // 2:
            midpoint = time.time()
        for run in runs:
            if run.done:
                continue
            status = run.timed(lambda run=run, batch=batch: collections[run.server.name].add_objects(
                {"objects": batch}, wait_for_completion=False))
            if status is not None:
                if status.success_count != len(batch):
                    raise RuntimeError(f"{run.server.name}: {status.failure_count} objects refused")
                run.objects += len(batch)
    figures = {}
    for run in runs:
        tenth = max(1, len(envelopes) // 10)  # medians: one slow request (another process's burst) is not a trend
        first, last = statistics.median(run.times[:tenth] or [1.0]), statistics.median(run.times[-tenth:] or [1.0])
        figures[run.server.name] = {
            "objects": run.objects, "rate": run.objects / max(sum(run.times), 1e-9), "capped": run.objects < len(objects),
            "linearity": (first / last) if len(run.times) >= 2 * tenth and not run.dead else None}
    return figures, midpoint


def filtered(runs: list[Run], objects: list[dict[str, Any]], midpoint: float) -> dict[str, dict[str, Any]]:
    """Median times (ms) of first pages of filtered reads, servers in turn; None where not answered in time."""
    middle = objects[len(objects) // 2]["id"]
    after = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(midpoint)) + "Z"
    queries = {"one id": {"match[id]": middle}, "type after midpoint": {"match[type]": "indicator",
                                                                       "added_after": after, "limit": 100},
               "versions of id": {"match[id]": middle, "match[version]": "all"}}
    results: dict[str, dict[str, Any]] = {run.server.name: {} for run in runs}
    for label, params in queries.items():
        samples: dict[str, list[float]] = {run.server.name: [] for run in runs}
        for _ in range(3):
            for run in runs:
                if run.dead or (samples[run.server.name] and samples[run.server.name][-1] > run.budget / 10):
                    continue  # one sample is enough for very slow answers
                before = len(run.times)
                response = run.timed(lambda run=run: requests.get(
                    run.server.collection_url + "objects/", params=params, timeout=run.server.timeout,
                    auth=(run.server.user, run.server.password), headers={"Accept": "application/taxii+json;version=2.1"}))
                if response is not None:
                    response.raise_for_status()
                    samples[run.server.name].append(run.times[before])
        for run in runs:
            found = samples[run.server.name]
            results[run.server.name][label] = statistics.median(found) * 1000 if found and not run.dead else None
    return results


def paged(runs: list[Run]) -> dict[str, dict[str, Any]]:
    """Walk every collection 100 a page following `next`, servers in turn; per-page times at start and end."""
    walks = {run.server.name: as_pages(run.server.collection().get_objects, per_request=ENVELOPE)
             for run in runs if not run.dead}
    last: dict[str, dict[str, Any]] = {}
    while any(not run.done for run in runs):
        for run in runs:
            if run.done:
                continue
            page = run.timed(lambda run=run: next(walks[run.server.name], None))
            if page is None:
                run.done = True
                if not run.dead:
                    run.times.pop()  # the call that found the walk finished
                continue
            last[run.server.name] = page
            run.objects += len(page.get("objects", []))
    figures = {}
    for run in runs:
        edge = max(1, len(run.times) // 10)
        more = bool(last.get(run.server.name, {"more": True}).get("more")) or run.dead
        figures[run.server.name] = {
            "objects": run.objects, "rate": run.objects / max(sum(run.times), 1e-9), "capped": more,
            "first_page_ms": statistics.median(run.times[:edge]) * 1000 if run.times else float("nan"),
            "last_page_ms": statistics.median(run.times[-edge:]) * 1000 if run.times else float("nan")}
    return figures


def run_size(size: int, backends: list[str], budget: float) -> dict[str, dict[str, Any]]:
    """Every server on a fresh collection; each phase interleaves their requests."""
    objects = indicators(size)
    with tempfile.TemporaryDirectory(prefix="bench-taxii-") as tmp:
        for backend in backends:
            (Path(tmp) / backend).mkdir()
        servers = [start_medallion(Path(tmp))] + [start_kakehashi(b, Path(tmp) / b) for b in backends]
        try:
            for server in servers:
                server.timeout = budget if server.name == "medallion" else 600.0

            def runs() -> list[Run]:
                return [Run(s, budget if s.name == "medallion" else float("inf"), dead=s.process.poll() is not None)
                        for s in servers]

            ingested, midpoint = ingest(runs(), objects)
            # Filtered reads before the full walk; a server that timed out has been stopped.
            found = filtered(runs(), objects, midpoint)
            walked = paged([run for run in runs() if not run.dead] or runs())
            return {s.name: {"ingest": ingested[s.name], "filtered": found[s.name],
                             "paged": walked.get(s.name, {"objects": 0, "rate": 0.0, "capped": True,
                                                         "first_page_ms": float("nan"), "last_page_ms": float("nan")})}
                    for s in servers}
        finally:
            for server in servers:
                if server.process.poll() is None or server.cleanup:
                    server.stop()


def _capped(figure: dict[str, Any]) -> str:
    return f" (capped at {figure['objects']:,} objects)" if figure["capped"] else ""


def report(size: int, figures: dict[str, dict[str, Any]], budget: float) -> list[str]:
    """Print one size's figures and ratios; return the bounds missed."""
    missed: list[str] = []
    base = figures["medallion"]
    print(f"\n== {size:,} indicators, envelopes of {ENVELOPE}")
    for name, fig in figures.items():
        ing, pag = fig["ingest"], fig["paged"]
        lin = f"{ing['linearity']:.2f}" if ing["linearity"] is not None else "n/a"
        print(f"{name:22} ingest {ing['rate']:9,.0f} obj/s{_capped(ing)}  last/first tenth {lin}")
        print(f"{'':22} paged  {pag['rate']:9,.0f} obj/s{_capped(pag)}"
              f"  page {pag['first_page_ms']:.1f} ms at start, {pag['last_page_ms']:.1f} ms at end")
        shown = ", ".join(f"{k} {'timeout/not run' if v is None else format(v, '.1f') + ' ms'}"
                          for k, v in fig["filtered"].items())
        print(f"{'':22} filtered first pages: {shown}")
        if name == "medallion":
            continue
        ingest_ratio = ing["rate"] / base["ingest"]["rate"]
        if base["paged"]["objects"]:
            paged_ratio, shown_paged = pag["rate"] / base["paged"]["rate"], f"{pag['rate'] / base['paged']['rate']:.1f}×"
        else:  # medallion served no page within the budget: its rate is below one page per budget
            paged_ratio = pag["rate"] * budget / ENVELOPE
            shown_paged = f"≥ {paged_ratio:,.0f}× (medallion served no page in {budget:.0f} s)"
        print(f"{'':22} ratio vs medallion: ingest {ingest_ratio:.1f}×"
              f"{' (medallion capped: its rate only falls further)' if base['ingest']['capped'] else ''},"
              f" paged reads {shown_paged}")
        if size >= 10_000 and ingest_ratio < 10:
            missed.append(f"{name} ingest {ingest_ratio:.1f}× < 10× at {size:,}")
        if size >= 10_000 and paged_ratio < 10:
            missed.append(f"{name} paged reads {paged_ratio:.1f}× < 10× at {size:,}")
        if ing["linearity"] is not None and size >= 100_000 and ing["linearity"] < 0.5:
            missed.append(f"{name} ingest slows down within the run ({ing['linearity']:.2f} < 0.5)")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 objects only")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="", help="comma-separated sizes (default 1000,10000,100000)")
    parser.add_argument("--budget", type=float, default=90.0, help="seconds per medallion phase")
    args = parser.parse_args()
    sizes = [1_000] if args.quick else [int(s) for s in (args.sizes or "1000,10000,100000").split(",")]
    backends = [b for b in args.backends.split(",") if b]
    missed: list[str] = []
    page_ms: dict[str, list[float]] = {}
    for size in sizes:
        figures = run_size(size, backends, args.budget)
        missed += report(size, figures, args.budget)
        for name, fig in figures.items():
            page_ms.setdefault(name, []).append(fig["paged"]["last_page_ms"])
    if len(sizes) > 1:
        print("\n== time per page at the end of the walk, smallest → largest size")
        for name, values in page_ms.items():
            growth = values[-1] / values[0]
            print(f"{name:22} {' → '.join(f'{v:.1f} ms' for v in values)}  ({growth:.1f}×)")
            if name != "medallion" and growth > 2:
                missed.append(f"{name} page cost grows {growth:.1f}× from {sizes[0]:,} to {sizes[-1]:,}")
    print("\nbounds:", "all met" if not missed else "MISSED: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
