"""National identifiers: real public examples pass and come back normalised; every kind of mistake is named."""

from __future__ import annotations

import pytest
from stdnum.in_ import gstin as stdnum_gstin

from kakehashi.registry import identifiers as ids
from kakehashi.registry.identifiers import InvalidIdentifier

# Real, public identifiers: Toyota Motor, the National Tax Agency and Sony Group (NTA Corporate Number site).
CORPORATE_NUMBERS = ["1180301018771", "7000012050002", "5010401067252"]
# Reliance Industries and TCS (Maharashtra registrations), and python-stdnum's own GSTIN example.
GSTINS = ["27AAACR5055K1Z7", "27AAACT2727Q1ZW", "27AAPFU0939F1ZV"]
# Toyota Motor, GLEIF itself and Apple (GLEIF LEI search).
LEIS = ["5493006W3QUS5LMH6R84", "506700GE1G29325QX363", "HWUPKR0MPOU8FGXBT394"]
# Infosys, TCS and Reliance Industries (MCA master data).
CINS = ["L85110KA1981PLC013115", "L22210MH1995PLC084781", "L17110MH1973PLC019786"]


def message_of(scheme: str, value: str) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        ids.normalise(scheme, value)
    assert caught.value.field == f"identifiers.{scheme}"
    return caught.value.message


@pytest.mark.parametrize("number", CORPORATE_NUMBERS)
def test_real_corporate_numbers_are_valid(number: str) -> None:
    assert ids.jp_corporate_number(number) == number


def test_a_corporate_number_typed_with_hyphens_or_full_width_digits_is_normalised() -> None:
    assert ids.jp_corporate_number("1-1803-0101-8771") == "1180301018771"
    assert ids.jp_corporate_number("１１８０３０１０１８７７１") == "1180301018771"


@pytest.mark.parametrize(("value", "fragment"), [
    ("118030101877", "exactly 13 digits"),
    ("11803010187712", "exactly 13 digits"),
    ("2180301018771", "check digit"),
    ("1180301018772", "check digit"),
    ("118030101877X", "digits only"),
    ("١١٨٠٣٠١٠١٨٧٧١", "digits only"),  # Arabic-Indic digits are digits, but not ours
])
def test_a_wrong_corporate_number_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("jp_corporate_number", value)


def test_every_single_digit_typo_in_a_corporate_number_is_caught_except_0_for_9() -> None:
    number = CORPORATE_NUMBERS[0]
    for position in range(13):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            typo = number[:position] + digit + number[position + 1:]
            if {digit, number[position]} == {"0", "9"}:  # equal modulo 9: no mod-9 check digit can tell
                assert ids.jp_corporate_number(typo) == typo
            else:
                assert "check digit" in message_of("jp_corporate_number", typo)


def test_the_check_digit_helper_agrees_with_real_numbers() -> None:
    for number in CORPORATE_NUMBERS:
        assert ids.corporate_number_check_digit(number[1:]) == number[0]


@pytest.mark.parametrize("number", GSTINS)
def test_real_gstins_are_valid(number: str) -> None:
    assert ids.in_gstin(number.lower()) == number


@pytest.mark.parametrize(("state", "name"), [("38", "Ladakh"), ("97", "Other Territory"), ("99", "Centre Jurisdiction")])
def test_gst_state_codes_python_stdnum_lacks_are_accepted(state: str, name: str) -> None:
    body = f"{state}AAACR5055K1Z"
    number = body + ids.gstin_check_char(body)
    assert not stdnum_gstin.is_valid(number)  # the gap this module fills
    assert ids.in_gstin(number) == number and ids.GST_STATES[state] == name


@pytest.mark.parametrize(("value", "fragment"), [
    ("27AAACR5055K1Z", "exactly 15"),
    ("27AAACR5055K1Z77", "exactly 15"),
    ("40AAACR5055K1ZX", "state code"),
    ("00AAACR5055K1ZX", "state code"),
    ("27AAAXR5055K1ZX", "PAN"),          # holder type X
    ("27AAACR0000K1ZX", "PAN"),          # serial 0000
    ("2712345678901ZX", "PAN"),
    ("27AAACR5055K0Z7", "entity number"),
    ("27AAACR5055K1Y7", "must be Z"),
    ("27AAACR5055K1Z8", "check character"),
    ("27AAACR5055K1Z!", "letters and digits"),
])
def test_a_wrong_gstin_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("in_gstin", value)


def test_every_single_character_typo_in_the_check_region_of_a_gstin_is_caught() -> None:
    number = GSTINS[0]
    for position in (12, 14):  # entity number and check character: anything but the right one fails
        for char in ids.ALNUM36:
            if char != number[position]:
                typo = number[:position] + char + number[position + 1:]
                with pytest.raises(InvalidIdentifier):
                    ids.in_gstin(typo)


@pytest.mark.parametrize("pan", ["AAACR5055K", "AAACT2727Q", "AAPFU0939F", "ABCPE1234F"])
def test_valid_pans_pass(pan: str) -> None:
    assert ids.in_pan(pan.lower()) == pan


@pytest.mark.parametrize("holder", list("PCHFATBLJG"))
def test_each_pan_holder_type_is_accepted(holder: str) -> None:
    assert ids.in_pan(f"ABC{holder}D1234E")[3] == holder


@pytest.mark.parametrize(("value", "fragment"), [
    ("AAACR5055", "exactly 10"),
    ("AAACR5055KK", "exactly 10"),
    ("AAAC15055K", "5 letters, 4 digits"),
    ("AAACR50551", "5 letters, 4 digits"),
    ("AAAKR5055K", "holder type"),
    ("AAAXR5055K", "holder type"),
    ("AAACR0000K", "0000"),
])
def test_a_wrong_pan_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("in_pan", value)


@pytest.mark.parametrize("cin", CINS)
def test_real_cins_are_valid(cin: str) -> None:
    assert ids.in_cin(cin) == cin


@pytest.mark.parametrize(("value", "fragment"), [
    ("L85110KA1981PLC01311", "exactly 21"),
    ("X85110KA1981PLC013115", "starts with L"),
    ("L8511XKA1981PLC013115", "5-digit industry code"),
    ("L85110K11981PLC013115", "5-digit industry code"),
    ("L85110ZZ1981PLC013115", "state code"),
    ("L85110KA1700PLC013115", "year"),
    ("L85110KA2999PLC013115", "year"),
    ("L85110KA1981XYZ013115", "company type"),
    ("L85110KA1981PLC01311A", "6-digit number"),
])
def test_a_wrong_cin_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("in_cin", value)


def test_udyam_numbers_are_normalised_to_their_written_form() -> None:
    assert ids.in_udyam("udyam mh 26 0123456") == "UDYAM-MH-26-0123456"
    assert ids.in_udyam("UDYAM-KA-03-0000042") == "UDYAM-KA-03-0000042"


@pytest.mark.parametrize(("value", "fragment"), [
    ("UDYAM-MH-26-012345", "UDYAM-XX-00-0000000"),
    ("UDYOG-MH-26-0123456", "UDYAM-XX-00-0000000"),
    ("UDYAM-M1-26-0123456", "UDYAM-XX-00-0000000"),
    ("UDYAM-ZZ-26-0123456", "state code"),
    ("UDYAM-MH-2A-0123456", "UDYAM-XX-00-0000000"),
])
def test_a_wrong_udyam_number_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("in_udyam", value)


@pytest.mark.parametrize("number", LEIS)
def test_real_leis_are_valid(number: str) -> None:
    assert ids.lei(number.lower()) == number
    assert ids.lei_check_digits(number[:18]) == number[18:]


@pytest.mark.parametrize(("value", "fragment"), [
    ("5493006W3QUS5LMH6R8", "exactly 20"),
    ("5493006W3QUS5LMH6R845", "exactly 20"),
    ("5493006W3QUS5LMH6RA4", "2 check digits"),
    ("5493006W3QUS5LMH6R!4", "18 letters or digits"),
    ("5493006W3QUS5LMH6R85", "MOD 97-10"),
    ("5493006W3QUS5LMH7R84", "MOD 97-10"),
])
def test_a_wrong_lei_says_what_is_wrong(value: str, fragment: str) -> None:
    assert fragment in message_of("lei", value)


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(Exception) as caught:
        ids.normalise("us_ein", "12-3456789")
    assert "Unknown identifier scheme" in str(caught.value)
