"""Look-alike names: zero-width, bidi and other invisible characters are refused in organisation and person
names (forms, API, CSV import, services), with a translated field message; names are stored in NFC.

ZWNJ/ZWJ stay legitimate inside Devanagari (and other Indic) words, where they pick a conjunct's form.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kakehashi.cyber import conformity
from kakehashi.identity import services as identity
from kakehashi.kernel import text
from kakehashi.kernel.authz import SYSTEM, Role
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.registry import csvfile, queries, services
from kakehashi.web.i18n import translations
from tests.factories.registry import org_input
from tests.fixtures.actors import Cast

INVISIBLES = {
    "zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
    "word joiner": "\u2060", "byte order mark": "\ufeff", "LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c",
    "LRO": "\u202d", "RLO": "\u202e", "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069",
    "LRM": "\u200e", "RLM": "\u200f", "Arabic letter mark": "\u061c", "soft hyphen": "\u00ad",
    "Hangul filler": "\u3164", "NUL": "\x00", "line separator": "\u2028",
}
KSHA_ZWJ = "क्\u200dष"  # KA, VIRAMA, ZWJ, SSA: the half form of KA before SSA
HINDI_ZWNJ = "क्\u200cष टेक्नोलॉजीज़"  # ZWNJ keeps KA's explicit virama
MESSAGE = text.INVISIBLE_IN_NAME


@pytest.mark.parametrize("char", INVISIBLES.values(), ids=INVISIBLES.keys())
def test_every_invisible_character_is_found_in_a_latin_name(char: str) -> None:
    assert text.invisible_character(f"Sony{char} Group") == char
    assert text.invisible_character(f"{char}Sony") == char


@pytest.mark.parametrize("name", [KSHA_ZWJ, HINDI_ZWNJ, "ソニーグループ株式会社", "山田　太郎", "Tata Consultancy Services",
                                  "Société Générale", "ರಾಮ\u200cಕೃಷ್ಣ"])
def test_names_in_every_script_pass_and_indic_joiners_inside_a_word_are_kept(name: str) -> None:
    assert text.invisible_character(name) is None


@pytest.mark.parametrize("name", ["क\u200d", "\u200dक", "Ka\u200dरा", "ソ\u200cニー", "क\u200d ष", "क\u200dক"])
def test_joiners_outside_one_indic_word_are_refused(name: str) -> None:
    assert text.invisible_character(name) is not None


def test_the_field_message_is_translated_into_japanese_and_hindi() -> None:
    for locale in ("ja", "hi"):
        assert translations(locale).gettext(MESSAGE) not in ("", MESSAGE)


def test_a_registry_organisation_with_a_bidi_override_is_refused_in_each_name_field(db: Session) -> None:
    for field in ("name_en", "name_ja", "name_hi"):
        value = "Sony Group\u202e" if field == "name_en" else "ソニー\u200bグループ"
        with pytest.raises(ValidationFailed) as refused:
            services.create_organisation(db, org_input(**{field: value}), actor=SYSTEM)
        assert refused.value.errors == {field: MESSAGE}


def test_a_hindi_name_with_a_conjunct_joiner_is_kept_and_names_are_stored_in_nfc(db: Session) -> None:
    decomposed = unicodedata.normalize("NFD", "Société Générale Kyōto")
    org = services.create_organisation(db, org_input(name_en=decomposed, name_hi=HINDI_ZWNJ), actor=SYSTEM)
    assert org.name_en == "Société Générale Kyōto" == unicodedata.normalize("NFC", decomposed)
    assert org.name_hi == HINDI_ZWNJ


def test_an_edit_cannot_slip_an_invisible_character_into_a_name(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(name_en="Honest Devices KK"), actor=SYSTEM)
    with pytest.raises(ValidationFailed) as refused:
        services.update_organisation(db, org.id, org_input(name_en="Honest\u2060 Devices KK"),
                                     expected_version=org.version, actor=SYSTEM)
    assert refused.value.errors == {"name_en": MESSAGE}
    assert org.name_en == "Honest Devices KK"


def test_the_csv_import_names_the_row_and_the_field(db: Session) -> None:
    data = ("kind,name_en,name_ja,country,sectors\n"
            "company,Plain Name KK,,JP,semi.fab\n"
            "company,Look\u200balike KK,,JP,semi.fab\n"
            "company,Other KK,ソニー\u202eグループ,JP,semi.fab\n")
    report = csvfile.import_csv(db, data.encode(), mode="good-rows", max_bytes=100_000, actor=SYSTEM)
    assert [(e.line, e.field, e.message) for e in report.errors] == [(3, "name_en", MESSAGE), (4, "name_ja", MESSAGE)]
    assert len(report.created) == 1 and queries.find_by_name(db, "Plain Name KK") is not None


def test_the_registry_form_shows_the_message_in_japanese(db: Session, cast: Cast, login: Any) -> None:
    form = {"kind": "company", "name_en": "Sakura\u200d Devices KK", "country": "JP", "sectors": ["semi.fab"]}
    response = login(cast.jp_org_admin).post_form("/organisations/new?lang=ja", form)
    assert response.status_code == 422
    assert translations("ja").gettext(MESSAGE) in response.text


def test_the_registry_api_refuses_it_as_a_field_problem(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.meti_officer)
    body = {"kind": "company", "name_en": "Sakura\u202e Devices KK", "country": "JP", "sectors": ["semi.fab"]}
    response = client.api("POST", "/api/v1/organisations", json=body)
    assert response.status_code == 422
    assert {"field": "name_en", "message": MESSAGE} in response.json()["errors"]


@pytest.mark.parametrize("field", ["name", "name_ja"])
def test_a_person_name_with_an_invisible_character_is_refused(db: Session, field: str) -> None:
    names = {"name": "Ravi Kumar", "name_ja": None, field: "Ravi\u200b Kumar"}
    with pytest.raises(ValidationFailed) as refused:
        identity.create_user(db, email=f"{field}@names.example", password="correct horse battery",
                             spec=identity.RoleSpec(Role.PLATFORM_ADMIN, None, None, None), **names)
    assert refused.value.errors == {field: MESSAGE}


def test_a_person_name_is_stored_in_nfc(db: Session) -> None:
    user = identity.create_user(db, email="nfc@names.example", name=unicodedata.normalize("NFD", "Jōji Ōta"),
                                name_ja="太田 譲二", password="correct horse battery",
                                spec=identity.RoleSpec(Role.PLATFORM_ADMIN, None, None, None))
    assert user.name == "Jōji Ōta"


def test_a_conformity_body_name_with_a_bidi_override_is_refused(db: Session) -> None:
    with pytest.raises(ValidationFailed) as refused:
        conformity.register_body(db, conformity.BodyInput(name_en="JQA\u202e", name_ja=None, country="JP",
                                                          kind=conformity.KINDS[0]), actor=SYSTEM)
    assert set(refused.value.errors) == {"name_en"}
