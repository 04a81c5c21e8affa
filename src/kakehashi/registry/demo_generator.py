"""Deterministic demo organisations: the i-th organisation depends only on (seed, i), so a larger run
extends a smaller one and a second run recreates exactly the same records.

Even indexes are Japanese, odd ones Indian; kinds follow KIND_BUCKETS; names come from a permutation of
(place, prefix, core, legal form) so they never repeat; identifiers carry correct check characters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from kakehashi.registry import demo_pools as pools
from kakehashi.registry import demo_texts as texts
from kakehashi.registry import identifiers as ids

STRIDE = 7919  # prime, coprime with every name-space size below: k -> k*STRIDE mod N is a permutation
B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class DemoOrg:
    """One demo organisation, ready to insert."""

    kind: str
    name_en: str
    country: str
    name_ja: str | None
    name_hi: str | None
    region: str
    city: str
    size: str | None
    founded_year: int
    website: str
    offers: str
    seeks: str
    description: str
    sectors: tuple[str, ...]
    identifiers: dict[str, str] = field(default_factory=dict)
    contacts: dict[str, Any] = field(default_factory=dict)
    verified: bool = True


def _kind(j: int) -> tuple[str, int]:
    """The kind of the j-th organisation of a country and its index among that kind's name space."""
    bucket, start = j % 100, 0
    business = sum(width for kind, width in pools.KIND_BUCKETS if kind in ("company", "startup"))
    for kind, width in pools.KIND_BUCKETS:
        if bucket < start + width:
            if kind in ("company", "startup"):  # companies and start-ups share one name space
                return kind, (j // 100) * business + bucket
            return kind, (j // 100) * width + bucket - start
        start += width
    raise AssertionError("buckets cover 100")


def _pick(k: int, sizes: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """Mixed-radix digits of the k-th point of a permuted name space, and how often it wrapped around."""
    space = 1
    for size in sizes:
        space *= size
    point = (k % space) * STRIDE % space
    digits = []
    for size in sizes:
        point, digit = divmod(point, size)
        digits.append(digit)
    return tuple(digits), k // space


def _base36(number: int, width: int) -> str:
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        out = B36[digit] + out
    return out


def corporate_number(index: int) -> str:
    """A Corporate Number unique to `index` (registry office, company type, serial) with its check digit."""
    serial = (index * STRIDE + 104729) % 1_000_000
    body = f"{pools.JP_OFFICES[index % len(pools.JP_OFFICES)]}01{serial:06d}"
    return ids.corporate_number_check_digit(body) + body


def lei(index: int, lou: str) -> str:
    """An LEI under a local operating unit prefix, unique to `index`, with MOD 97-10 check digits."""
    body = f"{lou}00{_base36(index * STRIDE + 7, 12)}"
    return body + ids.lei_check_digits(body)


def pan(index: int, holder: str, initial: str) -> str:
    """A PAN unique to `index`: three-letter series, holder type, initial, serial, final letter."""
    mixed = (index * STRIDE + 31) % (17576 * 9999)
    series, serial = divmod(mixed, 9999)
    letters = "".join(B36[10 + (series // 26 ** p) % 26] for p in (2, 1, 0))
    return f"{letters}{holder}{initial}{serial + 1:04d}{B36[10 + index % 26]}"


def gstin(place: pools.Place, pan_value: str) -> str:
    """The first GSTIN of a PAN in a state, with its Luhn mod 36 check character."""
    body = f"{place.gst}{pan_value}1Z"
    return body + ids.gstin_check_char(body)


def generate(index: int, seed: int) -> DemoOrg:
    """The index-th demo organisation for a seed."""
    rng = random.Random(f"{seed}:{index}")
    country = "JP" if index % 2 == 0 else "IN"
    kind, k = _kind(index // 2)
    japanese = country == "JP"
    places = pools.JP_PLACES if japanese else pools.IN_PLACES
    prefixes = pools.JP_PREFIXES if japanese else pools.IN_PREFIXES
    if kind in ("company", "startup"):
        cores = pools.JP_CORES if japanese else pools.IN_CORES
        (place_i, prefix_i, core_i, form_i), wrap = _pick(k, (len(places) + 1, len(prefixes), len(cores), 3))
        place = places[place_i - 1] if place_i else places[rng.randrange(len(places))]
        name_en, name_local, theme, sectors = _business_name(
            japanese, places[place_i - 1] if place_i else None, prefixes[prefix_i], cores[core_i], form_i)
    else:
        templates = (pools.JP_OTHER if japanese else pools.IN_OTHER)[kind]
        (place_i, prefix_i, template_i), wrap = _pick(k, (len(places), len(prefixes), len(templates)))
        place = places[place_i]
        name_en, name_local, sectors = _other_name(templates[template_i], prefixes[prefix_i], place)
        theme = texts.OTHER_THEMES[kind][0]
    if wrap:
        name_en, name_local = f"{name_en} {wrap + 1}", f"{name_local} {wrap + 1}"
    founded = _founded(kind, rng)
    with_hindi = not japanese and (kind in ("government_body", "university", "cert") or rng.random() < 0.35)
    offers, seeks = _profile_texts(country, kind, theme, rng)
    return DemoOrg(
        kind=kind, name_en=name_en, country=country, name_ja=name_local if japanese else None,
        name_hi=name_local if with_hindi else None, region=place.region_en, city=place.city_en,
        size=_size(kind, rng), founded_year=founded, website=f"https://www.{_slug(name_en)}.example",
        offers=offers, seeks=seeks, description=_description(kind, name_en, place, japanese),
        sectors=sectors, identifiers=_identifiers(index, country, kind, place, name_en, founded, theme, rng),
        contacts=_contact(country, name_en, rng), verified=rng.random() < 0.65,
    )


def _business_name(
    japanese: bool, place: pools.Place | None, prefix: tuple[str, str], core: tuple[str, str, str, tuple[str, ...]],
    form_i: int,
) -> tuple[str, str, str, tuple[str, ...]]:
    core_en, core_local, theme, sectors = core
    where_en, where_local = (place.city_en + " ", place.city_local) if place else ("", "")
    if japanese:
        local = f"{where_local}{prefix[1]}{core_local}"
        local = f"株式会社{local}" if form_i == 1 else f"{local}株式会社"
        return f"{where_en}{prefix[0]} {core_en} {pools.JP_FORMS[form_i]}", local, theme, sectors
    form_en, form_hi, _ = pools.IN_FORMS[form_i]
    where_hi = f"{place.city_local} " if place else ""
    return f"{where_en}{prefix[0]} {core_en} {form_en}", f"{where_hi}{prefix[1]} {core_local} {form_hi}", theme, sectors


def _other_name(
    template: tuple[str, str, tuple[str, ...]], prefix: tuple[str, str], place: pools.Place,
) -> tuple[str, str, tuple[str, ...]]:
    english, local, sectors = template
    if "{p}" not in english:
        english, local = "{p} " + english, "{pl}" + local
    if "{c}" not in english:
        english, local = english + ", {c}", local + ("（{cl}）" if place.gst == "" else ", {cl}")
    values = {"p": prefix[0], "pl": prefix[1], "c": place.city_en, "cl": place.city_local}
    return english.format(**values), local.format(**values), sectors


def _founded(kind: str, rng: random.Random) -> int:
    low, high = {"startup": (2012, 2025), "university": (1877, 2010), "government_body": (1949, 2020),
                 "cert": (1996, 2020), "investor": (1995, 2023)}.get(kind, (1925, 2020))
    return rng.randint(low, high)


def _size(kind: str, rng: random.Random) -> str | None:
    if kind == "startup":
        return rng.choice(("micro", "small", "small"))
    if kind in ("company", "university", "research_institute"):
        return rng.choice(("small", "medium", "medium", "large"))
    return rng.choice(("micro", "small", None))


def _slug(name: str) -> str:
    return "-".join("".join(ch for ch in word.lower() if ch.isascii() and ch.isalnum()) for word in name.split()[:3])


def _description(kind: str, name_en: str, place: pools.Place, japanese: bool) -> str:
    word_en, word_ja = texts.KIND_WORDS[kind]
    english = f"{name_en} is a {word_en} based in {place.city_en}, {place.region_en}."
    return f"{english}\n{place.region_local}{place.city_local}を拠点とする{word_ja}です。" if japanese else english


def _profile_texts(country: str, kind: str, theme: str, rng: random.Random) -> tuple[str, str]:
    if kind in texts.OTHER_THEMES:
        need = texts.OTHER_THEMES[kind][1]
    else:
        need = rng.choice((texts.JP_NEEDS if country == "JP" else texts.IN_NEEDS)[theme])
    languages = ("ja", "en") if country == "JP" else ("hi", "en", "en")
    offer_language, seek_language = rng.choice(languages), rng.choice(languages)
    offers = texts.text_in(texts.OFFERS[theme], offer_language)
    closing = rng.choice(texts.CLOSINGS[offer_language])
    return f"{offers} {closing}".strip(), texts.text_in(texts.SEEKS[need], seek_language)


def _identifiers(
    index: int, country: str, kind: str, place: pools.Place, name_en: str, founded: int, theme: str,
    rng: random.Random,
) -> dict[str, str]:
    business = kind in ("company", "startup")
    if country == "JP":
        found = {"jp_corporate_number": corporate_number(index)}
        if business and rng.random() < 0.15:
            found["lei"] = lei(index, "5493")
        return found
    holder = {"government_body": "G", "university": "T", "research_institute": "J", "industry_association": "A",
              "cert": "G", "investor": "F"}.get(kind, "C")
    pan_value = pan(index, holder, name_en[0].upper() if name_en[0].isalpha() else "X")
    found = {"in_pan": pan_value}
    if business or kind == "investor":
        found["in_gstin"] = gstin(place, pan_value)
    if business:
        public = name_en.endswith(" Ltd") and not name_en.endswith(" Pvt Ltd")
        listed = "L" if public and rng.random() < 0.4 else "U"
        company_type = "PLC" if public else "PTC"
        nic = rng.choice(pools.NIC_CODES.get(theme, ("74999",)))
        serial = (index * STRIDE + 3) % 1_000_000
        found["in_cin"] = f"{listed}{nic}{place.letters}{founded}{company_type}{serial:06d}"
        if kind == "startup" or rng.random() < 0.3:
            found["in_udyam"] = f"UDYAM-{place.letters}-{rng.randint(1, 40):02d}-{(index * STRIDE) % 10_000_000:07d}"
        if rng.random() < 0.15:
            found["lei"] = lei(index, "3358")
    return found


def _contact(country: str, name_en: str, rng: random.Random) -> dict[str, Any]:
    person = rng.choice(pools.FIRST_NAMES_JP if country == "JP" else pools.FIRST_NAMES_IN)
    phone = (f"+81 {rng.randint(3, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}" if country == "JP"
             else f"+91 {rng.randint(20, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}")
    return {"name": person, "email": f"partnerships@{_slug(name_en)}.example", "phone": phone}
