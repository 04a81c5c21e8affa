"""STIX objects and collections for the cyber tests: valid by default, TLP-marked on request."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.cyber import services
from kakehashi.cyber.models import Collection
from kakehashi.cyber.tlp import TLP2_IDS, Tlp
from kakehashi.kernel.authz import SYSTEM

_counter = itertools.count(1)


def stamp(n: int, *, second: int = 0) -> str:
    """A distinct, valid STIX timestamp with milliseconds."""
    return f"2025-{1 + n // 2_419_200 % 12:02d}-{1 + n // 86_400 % 28:02d}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:" \
           f"{(n + second) % 60:02d}.{n % 1000:03d}Z"


def indicator(tlp: Tlp | None = Tlp.GREEN, *, pattern: str | None = None, modified: str | None = None,
              ident: str | None = None, **extra: Any) -> dict[str, Any]:
    """A valid indicator marked with a TLP 2.0 level (none when tlp is None)."""
    n = next(_counter)
    created = stamp(n)
    obj: dict[str, Any] = {
        "type": "indicator", "spec_version": "2.1", "id": ident or f"indicator--{uuid.uuid4()}",
        "created": created, "modified": modified or created, "name": f"Indicator {n}",
        "indicator_types": ["malicious-activity"], "pattern_type": "stix", "valid_from": created,
        "pattern": pattern or f"[ipv4-addr:value = '198.51.{n // 256 % 256}.{n % 256}']",
    }
    if tlp is not None:
        obj["object_marking_refs"] = [TLP2_IDS[tlp]]
    obj.update(extra)
    return obj


def sdo(kind: str, tlp: Tlp | None = Tlp.GREEN, **extra: Any) -> dict[str, Any]:
    """A valid malware, campaign, report or other named SDO."""
    n = next(_counter)
    obj: dict[str, Any] = {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uuid.uuid4()}", "created": stamp(n),
                           "modified": stamp(n), "name": f"{kind.title()} {n}"}
    if kind == "malware":
        obj["is_family"] = False
    if kind == "report":
        obj["published"], obj["object_refs"] = stamp(n), [f"indicator--{uuid.uuid4()}"]
    if tlp is not None:
        obj["object_marking_refs"] = [TLP2_IDS[tlp]]
    obj.update(extra)
    return obj


def envelope(*objects: dict[str, Any]) -> dict[str, Any]:
    """A TAXII envelope of the given objects."""
    return {"objects": list(objects)}


def make_collection(session: Session, *, owner_org_id: int, title: str | None = None,
                    default_tlp: Tlp = Tlp.GREEN) -> Collection:
    """A collection owned by an organisation, made by the platform."""
    return services.create_collection(session, title=title or f"Collection {next(_counter)}",
                                      owner_org_id=owner_org_id, default_tlp=default_tlp, actor=SYSTEM)
