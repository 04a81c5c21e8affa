"""Demo organisations: the anchor organisations other demos rely on, then generated ones, bulk-inserted.

`kakehashi demo load --orgs 100000` inserts in batches straight into the tables (and the search index) rather
than calling the create service once per organisation; every value still passes the same rules (identifiers
come with correct check characters; tests assert that the generated profiles pass `profile.clean`).
Idempotent: organisations whose English name exists are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions
from kakehashi.registry import demo_generator as generator
from kakehashi.registry import identifiers as ids
from kakehashi.registry.demo_generator import DemoOrg
from kakehashi.registry.demo_pools import IN_PLACES
from kakehashi.registry.models import (
    Organisation,
    OrganisationIdentifier,
    OrganisationSector,
    SearchDocument,
    SearchGram,
)
from kakehashi.registry.queries import forget_totals
from kakehashi.registry.search_index import bigrams, document_text, fold
from kakehashi.registry.taxonomy import area_mask, area_of, sector_mask

BATCH = 2000
ANALYZE_FROM = 1000
SAKURA, INDUS, IISC = "Sakura Devices KK", "Indus Software Labs Pvt Ltd", "Indian Institute of Science"
JPCERT, CERT_IN = "JPCERT/CC", "CERT-In"
METI, MEITY = "Ministry of Economy, Trade and Industry", "Ministry of Electronics and Information Technology"


def _anchor(**values: Any) -> DemoOrg:
    defaults: dict[str, Any] = {"name_ja": None, "name_hi": None, "size": None, "contacts": {}, "identifiers": {}}
    return DemoOrg(**{**defaults, **values, "website": values.get("website", ""), "verified": True})


def anchors() -> list[DemoOrg]:
    """The organisations the identity, cyber and governance demos look up by exact English name."""
    sakura_cn = "3300" + "01" + "042517"
    indus_pan = "AACCI4821M"
    return [
        _anchor(kind="company", name_en=SAKURA, name_ja="さくらデバイス株式会社", country="JP", region="Kumamoto",
                city="Kikuyo", size="medium", founded_year=1987, website="https://www.sakura-devices.example",
                offers="Wafer inspection and test equipment for power semiconductors; IoT sensor modules. "
                       "半導体検査装置とIoTセンサーモジュールを提供します。",
                seeks="Embedded software and AI engineering partners in India for our inspection systems.",
                description="Sakura Devices KK makes inspection equipment and sensors in Kumamoto.\n"
                            "熊本県菊陽町の半導体検査装置・センサーメーカーです。",
                sectors=("semi.equipment", "corp.microelectronics", "corp.iot"),
                identifiers={"jp_corporate_number": ids.corporate_number_check_digit(sakura_cn) + sakura_cn},
                contacts={"name": "Yamamoto Aoi", "email": "partners@sakura-devices.example"}),
        _anchor(kind="company", name_en=INDUS, name_hi="इंडस सॉफ्टवेयर लैब्स प्राइवेट लिमिटेड", country="IN",
                region="Karnataka", city="Bengaluru", size="large", founded_year=2012,
                website="https://www.indus-software.example",
                offers="Embedded software, test automation and applied AI for manufacturers; a Japan desk with "
                       "JLPT N2 engineers.",
                seeks="Semiconductor equipment makers and Japanese customers for our embedded software. "
                      "जापानी ग्राहकों और उपकरण निर्माताओं की तलाश।",
                description="Indus Software Labs builds embedded and AI software in Bengaluru.",
                sectors=("corp.it_services", "ai.applications", "corp.iot"),
                identifiers={"in_cin": "U72200KA2012PTC064215", "in_pan": indus_pan,
                             "in_gstin": generator.gstin(IN_PLACES[0], indus_pan)},
                contacts={"name": "Priya Sharma", "email": "japan-desk@indus-software.example"}),
        _anchor(kind="university", name_en=IISC, name_hi="भारतीय विज्ञान संस्थान", name_ja="インド理科大学院",
                country="IN", region="Karnataka", city="Bengaluru", size="large", founded_year=1909,
                offers="Research in semiconductor devices, AI and supercomputing; joint PhD supervision.",
                seeks="Japanese universities and companies for joint research and student exchange.",
                description="A public research university in Bengaluru.",
                sectors=("rnd.hpc", "semi.design", "ai.models", "talent.education")),
        _anchor(kind="cert", name_en=JPCERT, name_ja="一般社団法人JPCERTコーディネーションセンター", country="JP",
                region="Tokyo", city="Tokyo", founded_year=1996, offers="Incident coordination and vulnerability handling.",
                seeks="Threat intelligence sharing with CERT-In.", description="Japan's national CSIRT.",
                sectors=("sec.cyber",)),
        _anchor(kind="cert", name_en=CERT_IN, name_hi="भारतीय कंप्यूटर आपातकालीन प्रतिक्रिया दल", country="IN",
                region="Delhi", city="New Delhi", founded_year=2004, offers="Incident response and advisories.",
                seeks="Threat intelligence sharing with JPCERT/CC.", description="India's national CERT.",
                sectors=("sec.cyber",)),
        _anchor(kind="government_body", name_en=METI, name_ja="経済産業省", country="JP", region="Tokyo",
                city="Tokyo", founded_year=2001, offers="Japan's participant in the Digital Partnership.",
                seeks="", description="Ministry of Economy, Trade and Industry (METI).",
                sectors=("semi.fab", "ai.safety", "startup.incubation")),
        _anchor(kind="government_body", name_en=MEITY, name_hi="इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय",
                country="IN", region="Delhi", city="New Delhi", founded_year=2016,
                offers="India's participant in the Digital Partnership.", seeks="",
                description="Ministry of Electronics and Information Technology (MeitY).",
                sectors=("semi.fab", "dpi.identity", "startup.incubation")),
    ]


def planned(options: DemoOptions) -> Iterator[DemoOrg]:
    """Every organisation a run with these options should hold: anchors first, then generated ones
    (a generated one that happens to bear an anchor's name is passed over)."""
    fixed = anchors()
    reserved = {org.name_en for org in fixed}
    yield from fixed
    wanted, index = max(0, options.orgs - len(fixed)), 0
    while wanted:
        org = generator.generate(index, options.seed)
        index += 1
        if org.name_en not in reserved:
            wanted -= 1
            yield org


def load(session: Session, options: DemoOptions) -> None:
    """Insert the planned organisations that do not exist yet (matched by English name)."""
    existing = set(session.scalars(select(Organisation.name_en)))
    used = {(scheme, value) for scheme, value in
            session.execute(select(OrganisationIdentifier.scheme, OrganisationIdentifier.value))}
    total = max(options.orgs, len(anchors()))
    batch: list[DemoOrg] = []
    for done, org in enumerate(planned(options), start=1):
        if org.name_en not in existing:
            batch.append(org)
        if len(batch) >= BATCH:
            insert_batch(session, batch, used)
            batch = []
            options.progress(done, total, "organisations")
    if batch:
        insert_batch(session, batch, used)
    if len(existing) < total // 2 and total >= ANALYZE_FROM:
        # After a bulk load the planners need fresh statistics (SQLite has none until ANALYZE runs).
        for table in ("registry_organisation", "registry_organisation_sector", "registry_organisation_identifier",
                      "registry_search_document", "registry_search_gram"):
            session.execute(text(f"ANALYZE {table}"))
    forget_totals()
    options.progress(total, total, "organisations")


def insert_batch(session: Session, batch: list[DemoOrg], used: set[tuple[str, str]]) -> list[int]:
    """Bulk-insert organisations with their sectors, identifiers (skipping any already held) and bigrams."""
    now = utcnow()
    table = Organisation.__table__
    assert isinstance(table, Table)
    rows = [_row(org, now) for org in batch]
    texts = [document_text((org.name_en, org.name_ja, org.name_hi), org.identifiers.values(), (org.city, org.region))
             for org in batch]
    org_ids = list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    sectors = [{"org_id": org_id, "sector": code, "area": area_of(code)}
               for org_id, org in zip(org_ids, batch, strict=True) for code in org.sectors]
    session.execute(insert(OrganisationSector), sectors)
    identifiers = []
    for org_id, org in zip(org_ids, batch, strict=True):
        for scheme, value in org.identifiers.items():
            if (scheme, value) not in used:
                used.add((scheme, value))
                identifiers.append({"org_id": org_id, "scheme": scheme, "value": value})
    if identifiers:
        session.execute(insert(OrganisationIdentifier), identifiers)
    session.execute(insert(SearchDocument), [{"org_id": org_id, "text": text}
                                             for org_id, text in zip(org_ids, texts, strict=True)])
    grams = [(gram, org_id) for org_id, text in zip(org_ids, texts, strict=True) for gram in bigrams(text)]
    _insert_grams(session, grams)
    return org_ids


def _row(org: DemoOrg, now: Any) -> dict[str, Any]:
    return {
        "kind": org.kind, "name_en": org.name_en, "name_ja": org.name_ja, "name_hi": org.name_hi,
        "country": org.country, "region": org.region, "city": org.city, "size": org.size,
        "founded_year": org.founded_year, "website": org.website or None, "offers": org.offers, "seeks": org.seeks,
        "description": org.description, "contacts": org.contacts, "areas": sorted({area_of(s) for s in org.sectors}),
        "area_mask": area_mask(org.sectors), "sector_mask": sector_mask(org.sectors),
        "sort_name": fold(org.name_en)[:200], "verified_at": now if org.verified else None,
        "verified_by": None, "created_by": None, "created_at": now, "updated_at": now, "version": 1,
    }


def _insert_grams(session: Session, grams: list[tuple[str, int]]) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # COPY is ~10x faster than INSERT for millions of rows
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy("COPY registry_search_gram (gram, org_id) FROM STDIN") as copy:
            for row in grams:
                copy.write_row(row)
        return
    table = SearchGram.__table__
    assert isinstance(table, Table)
    session.execute(insert(table), [{"gram": gram, "org_id": org_id} for gram, org_id in grams])
