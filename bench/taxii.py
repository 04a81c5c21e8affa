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
Kakehashi ≥ 10× medallion on ingest and paged reads; Kakehashi's ingest rate at the end of the largest run
≥ 0.5× its rate at the start (linear); its time per page at the largest size ≤ 2× that at the smallest. The
script exits 1 when a measured bound is missed.

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
    """A running TAXII server and how to reach its collection; `busy` once a request was abandoned."""

    name: str
    collection_url: str
    user: str
    password: str
    process: subprocess.Popen[bytes]
    cleanup: list[Any] = field(default_factory=list)
    timeout: float = 600.0
    busy: bool = False

    def collection(self) -> Collection:
        if self.password.startswith("kk_"):  # Kakehashi: its API token, as taxii2-client's TokenAuth sends it
            collection = Collection(self.collection_url, auth=TokenAuth(self.password))
        else:
            collection = Collection(self.collection_url, user=self.user, password=self.password)
        collection._conn.session.mount("http://", TimeoutAdapter(self.timeout))
        return collection

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for action in self.cleanup:
            action()


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


def ingest(server: Server, objects: list[dict[str, Any]], budget: float) -> dict[str, Any]:
    """Post envelopes of 100; objects/s overall and per tenth of the run, stopping after `budget` seconds."""
    collection = server.collection()
    envelopes = [objects[i:i + ENVELOPE] for i in range(0, len(objects), ENVELOPE)]
    tenth = max(1, len(envelopes) // 10)
    times, midpoint, start = [], None, time.perf_counter()
    for index, batch in enumerate(envelopes):
        if index == len(envelopes) // 2:
            midpoint = time.time()
        began = time.perf_counter()
        try:
            status = collection.add_objects({"objects": batch}, wait_for_completion=False)
        except requests.Timeout:
            server.busy = True
            break
        if status.success_count != len(batch):
            raise RuntimeError(f"{server.name}: {status.failure_count} objects refused")
        times.append(time.perf_counter() - began)
        if time.perf_counter() - start > budget:
            break
    done = len(times) * ENVELOPE
    first, last = sum(times[:tenth]), sum(times[-tenth:])
    return {"objects": done, "rate": done / max(sum(times), 1e-9), "capped": done < len(objects), "midpoint": midpoint,
            "linearity": (first / last) if len(times) >= 2 * tenth else None, "elapsed": sum(times)}


def paged(server: Server, budget: float) -> dict[str, Any]:
    """Read every object back, 100 a page, following `next` (stops after `budget` seconds)."""
    collection = server.collection()
    page_times, count, start, envelope = [], 0, time.perf_counter(), {"more": True}
    if server.busy:
        return {"objects": 0, "rate": 0.0, "capped": True, "first_page_ms": float("nan"), "last_page_ms": float("nan")}
    pages = as_pages(collection.get_objects, per_request=ENVELOPE)
    while True:
        began = time.perf_counter()
        try:
            envelope = next(pages)
        except StopIteration:
            break
        except requests.Timeout:
            server.busy = True
            page_times.append(time.perf_counter() - began)
            break
        page_times.append(time.perf_counter() - began)
        count += len(envelope.get("objects", []))
        if time.perf_counter() - start > budget:
            break
    edge = max(1, len(page_times) // 10)
    return {"objects": count, "rate": count / max(sum(page_times), 1e-9), "capped": bool(envelope.get("more")) or server.busy,
            "first_page_ms": statistics.median(page_times[:edge]) * 1000,
            "last_page_ms": statistics.median(page_times[-edge:]) * 1000}


def filtered(server: Server, objects: list[dict[str, Any]], midpoint: float | None, budget: float) -> dict[str, Any]:
    """Median times (ms) of first pages of filtered reads; None where a request exceeded the budget."""
    middle = objects[len(objects) // 2]["id"]
    after = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(midpoint or time.time())) + "Z"
    queries = {"one id": {"match[id]": middle}, "type after midpoint": {"match[type]": "indicator",
                                                                       "added_after": after, "limit": 100},
               "versions of id": {"match[id]": middle, "match[version]": "all"}}
    results: dict[str, Any] = {}
    for label, params in queries.items():
        times: list[float] = []
        for _ in range(3 if not server.busy else 0):
            began = time.perf_counter()
            try:
                response = requests.get(server.collection_url + "objects/", params=params, timeout=server.timeout,
                                        auth=(server.user, server.password),
                                        headers={"Accept": "application/taxii+json;version=2.1"})
                response.raise_for_status()
            except requests.Timeout:
                server.busy, times = True, []
                break
            times.append(time.perf_counter() - began)
            if times[-1] > budget / 10:  # one sample is enough for very slow answers
                break
        results[label] = statistics.median(times) * 1000 if times else None
    return results


def run_size(size: int, backends: list[str], budget: float) -> dict[str, dict[str, Any]]:
    objects = indicators(size)
    figures: dict[str, dict[str, Any]] = {}
    for kind in ["medallion", *backends]:
        with tempfile.TemporaryDirectory(prefix="bench-taxii-") as tmp:
            server = start_medallion(Path(tmp)) if kind == "medallion" else start_kakehashi(kind, Path(tmp))
            try:
                cap = budget if kind == "medallion" else float("inf")
                server.timeout = budget if kind == "medallion" else 600.0
                fig = figures[server.name] = {"ingest": ingest(server, objects, cap)}
                # Filtered reads before the full walk: an abandoned medallion request keeps its CPU busy.
                fig["filtered"] = filtered(server, objects, fig["ingest"]["midpoint"], cap)
                fig["paged"] = paged(server, cap)
            finally:
                server.stop()
    return figures


def _capped(figure: dict[str, Any]) -> str:
    return f" (capped at {figure['objects']:,} objects)" if figure["capped"] else ""


def report(size: int, figures: dict[str, dict[str, Any]]) -> list[str]:
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
        paged_ratio = pag["rate"] / max(base["paged"]["rate"], 1e-9)
        print(f"{'':22} ratio vs medallion: ingest {ingest_ratio:.1f}×, paged reads {paged_ratio:.1f}×")
        if size >= 10_000 and ingest_ratio < 10:
            missed.append(f"{name} ingest {ingest_ratio:.1f}× < 10× at {size:,}")
        if size >= 10_000 and paged_ratio < 10:
            missed.append(f"{name} paged reads {paged_ratio:.1f}× < 10× at {size:,}")
        if ing["linearity"] is not None and size >= 10_000 and ing["linearity"] < 0.5:
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
        missed += report(size, figures)
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
