"""Demo data of the cyber context: two collections shared by JPCERT/CC and CERT-In holding indicators,
malware, campaigns, reports, relationships and a sighting of every TLP level, and a conformity register.

Idempotent: objects have fixed ids and versions (posting them again stores nothing new), and collections
and bodies are looked up by alias and name first. The conformity-assessment bodies are fictitious; their
accreditors (JAB, IAJapan, NABCB, NABL) and standards are the real ones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.cyber import conformity, objects, services
from kakehashi.cyber.models import Collection, ConformityBody
from kakehashi.cyber.tlp import TLP2_IDS, Tlp
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.demo import DemoOptions

_NS = uuid.UUID("3f0c3e55-9a5c-4e2b-8d7e-6b616b656861")
JP_ANALYST, IN_ANALYST = "analyst@jpcert.demo.example", "analyst@cert-in.demo.example"


def _id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(_NS, f'{kind}:{name}')}"


def _sdo(kind: str, key: str, day: int, tlp: Tlp, creator: str, **extra: Any) -> dict[str, Any]:
    stamp = f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T03:00:00.000Z"
    return {"type": kind, "spec_version": "2.1", "id": _id(kind, key), "created": stamp, "modified": stamp,
            "created_by_ref": creator, "object_marking_refs": [TLP2_IDS[tlp]], **extra}


def _indicator(value: str, kind: str, day: int, tlp: Tlp, creator: str) -> dict[str, Any]:
    pattern = {"ipv4": f"[ipv4-addr:value = '{value}']", "domain": f"[domain-name:value = '{value}']",
               "url": f"[url:value = '{value}']", "sha256": f"[file:hashes.'SHA-256' = '{value}']"}[kind]
    obj = _sdo("indicator", value, day, tlp, creator, name=f"{kind.upper()} {value[:40]}",
               indicator_types=["malicious-activity"], pattern=pattern, pattern_type="stix")
    obj["valid_from"] = obj["created"]
    return obj


def _relationship(source: dict[str, Any], kind: str, target: dict[str, Any], tlp: Tlp, creator: str
                  ) -> dict[str, Any]:
    return _sdo("relationship", f"{source['id']} {kind} {target['id']}", 60, tlp, creator, relationship_type=kind,
                source_ref=source["id"], target_ref=target["id"])


def bilateral_content(creator: str) -> list[dict[str, Any]]:
    """JPCERT/CC's objects in the bilateral collection: one campaign, malware and indicators of each level."""
    campaign = _sdo("campaign", "Monsoon Bridge", 10, Tlp.AMBER, creator, name="Monsoon Bridge",
                    description="Spear-phishing against logistics firms trading between Japan and India.")
    malware = _sdo("malware", "KiteLoader", 12, Tlp.GREEN, creator, name="KiteLoader", is_family=True,
                   malware_types=["downloader"])
    rat = _sdo("malware", "LotusRAT", 14, Tlp.AMBER_STRICT, creator, name="LotusRAT", is_family=True,
               malware_types=["remote-access-trojan"])
    indicators = [
        _indicator("203.0.113.10", "ipv4", 20, Tlp.CLEAR, creator),
        _indicator("kite-update.example", "domain", 21, Tlp.GREEN, creator),
        _indicator("http://kite-update.example/dl/stage2.bin", "url", 22, Tlp.GREEN, creator),
        _indicator("198.51.100.77", "ipv4", 23, Tlp.AMBER, creator),
        _indicator("5d41402abc4b2a76b9719d911017c592ae8f6a5f0e1d0d8f1b6a1c9e8b7d6c5b", "sha256", 24, Tlp.AMBER_STRICT,
                   creator),
        _indicator("192.0.2.200", "ipv4", 25, Tlp.RED, creator),
    ]
    relations = [_relationship(indicators[1], "indicates", malware, Tlp.GREEN, creator),
                 _relationship(indicators[2], "indicates", malware, Tlp.GREEN, creator),
                 _relationship(indicators[4], "indicates", rat, Tlp.AMBER_STRICT, creator),
                 _relationship(campaign, "uses", malware, Tlp.AMBER, creator)]
    report = _sdo("report", "Monsoon Bridge report", 30, Tlp.AMBER, creator, name="Monsoon Bridge: first findings",
                  report_types=["campaign"], published="2025-02-03T00:00:00Z",
                  object_refs=[campaign["id"], malware["id"], *(i["id"] for i in indicators[:4])])
    return [campaign, malware, rat, *indicators, *relations, report]


def advisory_content(creator: str) -> list[dict[str, Any]]:
    """CERT-In's advisory collection: a public advisory, a GREEN campaign and its indicators."""
    campaign = _sdo("campaign", "Saffron Tide", 40, Tlp.GREEN, creator, name="Saffron Tide",
                    description="Ransomware affiliates targeting hospitals.")
    ransomware = _sdo("malware", "TideLock", 41, Tlp.GREEN, creator, name="TideLock", is_family=True,
                      malware_types=["ransomware"])
    indicators = [_indicator("tidelock-pay.example", "domain", 42, Tlp.CLEAR, creator),
                  _indicator("198.51.100.23", "ipv4", 43, Tlp.GREEN, creator),
                  _indicator("203.0.113.99", "ipv4", 44, Tlp.AMBER, creator)]
    report = _sdo("report", "CIAD-2025-0042", 45, Tlp.CLEAR, creator, name="CIAD-2025-0042: TideLock ransomware",
                  report_types=["threat-report"], published="2025-02-18T00:00:00Z",
                  object_refs=[campaign["id"], ransomware["id"], indicators[0]["id"]])
    return [campaign, ransomware, *indicators, _relationship(campaign, "uses", ransomware, Tlp.GREEN, creator), report]


BODIES = (
    ("Sakura Conformity Laboratories KK (demo)", "さくら適合性試験所（デモ）", "JP", "testing_laboratory",
     ("IAJapan", "JCSS / ASNITE testing", "ISO/IEC 17025", "IoT device security testing", 30)),
    ("Fuji Certification Services (demo)", "富士認証サービス（デモ）", "JP", "certification_body",
     ("JAB", "ISMS certification", "ISO/IEC 17021-1", "ISO/IEC 27001 management systems", 700)),
    ("Kansai Product Certification (demo)", "関西製品認証（デモ）", "JP", "certification_body",
     ("JAB", "Product certification", "ISO/IEC 17065", "Security labelling of consumer IoT products", 400)),
    ("Deccan Test House Pvt Ltd (demo)", None, "IN", "testing_laboratory",
     ("NABL", "Telecom security testing", "ISO/IEC 17025", "Network equipment security assurance testing", 60)),
    ("Indus Assurance Certification (demo)", None, "IN", "certification_body",
     ("NABCB", "ISMS certification", "ISO/IEC 17021-1", "ISO/IEC 27001 management systems", 900)),
    ("Ganga Inspection Services (demo)", None, "IN", "inspection_body",
     ("NABCB", "Inspection", "ISO/IEC 17020", "Data-centre physical security inspection", 200)),
)


def _collection(session: Session, alias: str, title: str, owner: int, description: str) -> Collection:
    found = session.scalar(select(Collection).where(Collection.alias == alias))
    if found is not None:
        return found
    return services.create_collection(session, title=title, description=description, alias=alias,
                                      owner_org_id=owner, actor=SYSTEM)


def _load_exchange(session: Session, options: DemoOptions) -> None:
    jpcert, certin = registry.find_by_name(session, "JPCERT/CC"), registry.find_by_name(session, "CERT-In")
    jp_user, in_user = identity.find_user_by_email(session, JP_ANALYST), identity.find_user_by_email(session, IN_ANALYST)
    if jpcert is None or certin is None or jp_user is None or in_user is None:
        return  # the registry and identity demos did not create the CERTs: nothing to exchange between
    bilateral = _collection(session, "jp-in-bilateral", "JPCERT/CC ↔ CERT-In bilateral", jpcert.id,
                            "Threat intelligence shared between the two national CERTs.")
    advisories = _collection(session, "cert-in-advisories", "CERT-In advisories", certin.id,
                             "Advisories and indicators published by CERT-In to partner CERTs.")
    services.grant_access(session, bilateral.uid, org_id=certin.id, can_write=True, max_tlp=Tlp.AMBER_STRICT,
                          actor=SYSTEM)
    services.name_red_recipient(session, bilateral.uid, user_id=in_user.id, actor=SYSTEM)
    services.grant_access(session, advisories.uid, org_id=jpcert.id, max_tlp=Tlp.AMBER, actor=SYSTEM)
    options.progress(1, 3, "cyber collections")
    objects.add_objects(session, bilateral.uid, bilateral_content(objects.org_identity_id(jpcert.id)),
                        actor=jp_user.actor())
    objects.add_objects(session, advisories.uid, advisory_content(objects.org_identity_id(certin.id)),
                        actor=in_user.actor())
    options.progress(2, 3, "cyber objects")


def _load_register(session: Session, options: DemoOptions) -> None:
    today = dt.date(2026, 1, 1)
    for name_en, name_ja, country, kind, (accreditor, scheme, standard, scope, days_left) in BODIES:
        if session.scalar(select(ConformityBody.id).where(ConformityBody.name_en == name_en)) is not None:
            continue
        body = conformity.register_body(session, conformity.BodyInput(name_en=name_en, name_ja=name_ja,
                                                                      country=country, kind=kind), actor=SYSTEM)
        until = dt.date.today() + dt.timedelta(days=days_left)
        conformity.add_accreditation(session, body.id, conformity.AccreditationInput(
            accreditor=accreditor, scheme=scheme, standard=standard, scope=scope,
            number=f"DEMO-{country}-{body.id:04d}", valid_from=min(today, until - dt.timedelta(days=1)),
            valid_until=until), actor=SYSTEM)
    options.progress(3, 3, "conformity register")


def load(session: Session, options: DemoOptions) -> None:
    """Create the demo collections, their content and the conformity register (idempotent)."""
    _load_exchange(session, options)
    _load_register(session, options)
