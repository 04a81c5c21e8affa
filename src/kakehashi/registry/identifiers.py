"""National and global organisation identifiers: validation, normalisation and check characters.

python-stdnum does the arithmetic (Corporate Number check digit, Luhn mod 36, ISO 7064 MOD 97-10). Its gaps,
filled here: its GSTIN state list stops at 37 (no 38 Ladakh, 97 Other Territory, 99 Centre Jurisdiction),
its LEI check accepts any length and alphabet, its PAN accepts holder type K, and it has no CIN or Udyam.
Each validator returns the normalised value or raises DomainError on `identifiers.<scheme>` with a message
that says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from stdnum import luhn
from stdnum.iso7064 import mod_97_10
from stdnum.jp import cn

from kakehashi.kernel.errors import DomainError
from kakehashi.kernel.i18n import N_
from kakehashi.registry.models import IdScheme

ALNUM36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# GST state codes (GSTN list, incl. 38 Ladakh, 97 Other Territory and 99 Centre Jurisdiction).
GST_STATES: dict[str, str] = {
    "01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh", "05": "Uttarakhand",
    "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh", "10": "Bihar", "11": "Sikkim",
    "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur", "15": "Mizoram", "16": "Tripura",
    "17": "Meghalaya", "18": "Assam", "19": "West Bengal", "20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh",
    "23": "Madhya Pradesh", "24": "Gujarat", "25": "Daman and Diu", "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra", "28": "Andhra Pradesh (before division)", "29": "Karnataka", "30": "Goa",
    "31": "Lakshadweep", "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry", "35": "Andaman and Nicobar Islands",
    "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh", "97": "Other Territory", "99": "Centre Jurisdiction",
}

# Two-letter state/UT codes as the MCA (CIN) and the Udyam portal write them; some states have two spellings
# in use (ISO 3166-2:IN and the older vehicle/MCA codes), so both are accepted.
STATE_LETTERS: dict[str, str] = {
    "AN": "Andaman and Nicobar Islands", "AP": "Andhra Pradesh", "AR": "Arunachal Pradesh", "AS": "Assam",
    "BR": "Bihar", "CH": "Chandigarh", "CG": "Chhattisgarh", "CT": "Chhattisgarh", "DD": "Daman and Diu",
    "DH": "Dadra and Nagar Haveli and Daman and Diu", "DN": "Dadra and Nagar Haveli", "DL": "Delhi", "GA": "Goa",
    "GJ": "Gujarat", "HR": "Haryana", "HP": "Himachal Pradesh", "JK": "Jammu and Kashmir", "JH": "Jharkhand",
    "KA": "Karnataka", "KL": "Kerala", "LA": "Ladakh", "LD": "Lakshadweep", "MP": "Madhya Pradesh",
    "MH": "Maharashtra", "MN": "Manipur", "ML": "Meghalaya", "MZ": "Mizoram", "NL": "Nagaland", "OD": "Odisha",
    "OR": "Odisha", "PY": "Puducherry", "PB": "Punjab", "RJ": "Rajasthan", "SK": "Sikkim", "TN": "Tamil Nadu",
    "TG": "Telangana", "TS": "Telangana", "TR": "Tripura", "UP": "Uttar Pradesh", "UK": "Uttarakhand",
    "UR": "Uttarakhand", "UT": "Uttarakhand", "WB": "West Bengal",
}

# Company classes in the CIN (MCA): public/private limited, government and state-government companies,
# financial-lease, foreign subsidiaries, associations, not-for-profit, unlimited liability, one-person.
CIN_TYPES = frozenset({"PLC", "PTC", "GOI", "SGC", "FLC", "FTC", "GAP", "GAT", "NPL", "ULL", "ULT", "OPC"})

# Fourth character of a PAN: the holder's type (Income Tax Department).
PAN_HOLDERS: dict[str, str] = {
    "P": "Individual", "C": "Company", "H": "Hindu undivided family", "F": "Firm / LLP",
    "A": "Association of persons", "T": "Trust", "B": "Body of individuals", "L": "Local authority",
    "J": "Artificial juridical person", "G": "Government",
}

SCHEME_LABELS: dict[str, str] = {
    IdScheme.JP_CORPORATE_NUMBER: N_("Corporate Number (Japan)"), IdScheme.IN_CIN: N_("CIN (India)"),
    IdScheme.IN_GSTIN: N_("GSTIN (India)"), IdScheme.IN_PAN: N_("PAN (India)"),
    IdScheme.IN_UDYAM: N_("Udyam number (India)"), IdScheme.LEI: N_("LEI (global)"),
}
SCHEME_COUNTRY: dict[str, str | None] = {
    IdScheme.JP_CORPORATE_NUMBER: "JP", IdScheme.IN_CIN: "IN", IdScheme.IN_GSTIN: "IN", IdScheme.IN_PAN: "IN",
    IdScheme.IN_UDYAM: "IN", IdScheme.LEI: None,
}

_PAN_RE = re.compile(r"[A-Z]{5}[0-9]{4}[A-Z]")
_CIN_RE = re.compile(r"[A-Z][0-9]{5}[A-Z]{2}[0-9]{4}[A-Z]{3}[0-9]{6}")
_UDYAM_RE = re.compile(r"UDYAM([A-Z]{2})([0-9]{2})([0-9]{7})")


class InvalidIdentifier(DomainError):
    """An identifier failed validation; `field` is `identifiers.<scheme>`."""

    code = "invalid_identifier"


def _fail(scheme: str, message: str) -> InvalidIdentifier:
    return InvalidIdentifier(message, field=f"identifiers.{scheme}")


def _squeeze(value: str, keep_hyphens: bool = False) -> str:
    """NFKC (full-width digits typed in Japanese IMEs become ASCII), upper case, no spaces or dots."""
    text = unicodedata.normalize("NFKC", value).upper()
    drop = " \t.\u3000" if keep_hyphens else " \t.-\u3000"
    return "".join(ch for ch in text if ch not in drop)


def jp_corporate_number(value: str) -> str:
    """A Japanese Corporate Number (法人番号): 13 digits, the first a check digit over the other 12."""
    number = _squeeze(value)
    scheme = IdScheme.JP_CORPORATE_NUMBER
    if not number.isdigit() or not number.isascii():
        raise _fail(scheme, N_("A Corporate Number has digits only."))
    if len(number) != 13:
        raise _fail(scheme, N_("A Corporate Number has exactly 13 digits."))
    if cn.calc_check_digit(number[1:]) != number[0]:
        raise _fail(scheme, N_("The check digit (first digit) of this Corporate Number does not match: look for a typo."))
    return number


def in_pan(value: str, scheme: str = IdScheme.IN_PAN) -> str:
    """An Indian PAN: 5 letters, 4 digits, a letter; the 4th letter is the holder type, the serial is not 0000."""
    number = _squeeze(value)
    if len(number) != 10:
        raise _fail(scheme, N_("A PAN has exactly 10 characters (e.g. AAACR5055K)."))
    if not _PAN_RE.fullmatch(number):
        raise _fail(scheme, N_("A PAN is 5 letters, 4 digits and a letter (e.g. AAACR5055K)."))
    if number[3] not in PAN_HOLDERS:
        raise _fail(scheme, N_("The 4th character of a PAN (holder type) must be one of P, C, H, F, A, T, B, L, J, G."))
    if number[5:9] == "0000":
        raise _fail(scheme, N_("The serial number of a PAN (characters 6–9) cannot be 0000."))
    return number


def in_gstin(value: str) -> str:
    """An Indian GSTIN: state code, the holder's PAN, entity number, 'Z', Luhn mod 36 check character."""
    number = _squeeze(value)
    scheme = IdScheme.IN_GSTIN
    if len(number) != 15:
        raise _fail(scheme, N_("A GSTIN has exactly 15 characters."))
    if not number.isascii() or not number.isalnum():
        raise _fail(scheme, N_("A GSTIN has letters and digits only."))
    if number[:2] not in GST_STATES:
        raise _fail(scheme, N_("The first two digits of a GSTIN are a GST state code, and this one is unknown."))
    try:
        in_pan(number[2:12], scheme)
    except InvalidIdentifier:
        raise _fail(scheme, N_("Characters 3–12 of a GSTIN are the holder's PAN, and this PAN is not valid.")) from None
    if number[12] == "0":
        raise _fail(scheme, N_("The 13th character of a GSTIN (entity number) must be 1–9 or A–Z."))
    if number[13] != "Z":
        raise _fail(scheme, N_("The 14th character of a GSTIN must be Z."))
    if gstin_check_char(number[:14]) != number[14]:
        raise _fail(scheme, N_("The check character (last) of this GSTIN does not match: look for a typo."))
    return number


def in_cin(value: str) -> str:
    """An Indian Corporate Identity Number: listing, NIC industry code, state, year, company type, number."""
    number = _squeeze(value)
    scheme = IdScheme.IN_CIN
    if len(number) != 21:
        raise _fail(scheme, N_("A CIN has exactly 21 characters (e.g. L85110KA1981PLC013115)."))
    if number[0] not in "LU":
        raise _fail(scheme, N_("A CIN starts with L (listed) or U (unlisted)."))
    if not _CIN_RE.fullmatch(number):
        raise _fail(scheme, N_("A CIN is L or U, a 5-digit industry code, a 2-letter state code, a 4-digit year, "
                               "a 3-letter company type and a 6-digit number."))
    if number[6:8] not in STATE_LETTERS:
        raise _fail(scheme, N_("The state code of this CIN (characters 7–8) is not an Indian state or territory."))
    if not 1850 <= int(number[8:12]) <= dt.date.today().year:
        raise _fail(scheme, N_("The year of incorporation in this CIN (characters 9–12) is not plausible."))
    if number[12:15] not in CIN_TYPES:
        raise _fail(scheme, N_("The company type of this CIN (characters 13–15) is unknown (e.g. PLC, PTC, GOI, SGC)."))
    return number


def in_udyam(value: str) -> str:
    """An Indian Udyam (MSME) registration number, written UDYAM-XX-00-0000000 with XX the state code."""
    squeezed = _squeeze(value)
    match = _UDYAM_RE.fullmatch(squeezed)
    scheme = IdScheme.IN_UDYAM
    if match is None:
        raise _fail(scheme, N_("A Udyam number is written UDYAM-XX-00-0000000 (state code, district, 7 digits)."))
    state, district, serial = match.groups()
    if state not in STATE_LETTERS:
        raise _fail(scheme, N_("The state code of this Udyam number is not an Indian state or territory."))
    return f"UDYAM-{state}-{district}-{serial}"


def lei(value: str) -> str:
    """A Legal Entity Identifier (ISO 17442): 18 letters or digits and 2 check digits (ISO 7064 MOD 97-10)."""
    number = _squeeze(value)
    scheme = IdScheme.LEI
    if len(number) != 20:
        raise _fail(scheme, N_("An LEI has exactly 20 characters."))
    if not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", number):
        raise _fail(scheme, N_("An LEI is 18 letters or digits followed by 2 check digits."))
    if mod_97_10.checksum(number) != 1:
        raise _fail(scheme, N_("The check digits of this LEI do not match (ISO 7064 MOD 97-10): look for a typo."))
    return number


VALIDATORS: dict[str, Callable[[str], str]] = {
    IdScheme.JP_CORPORATE_NUMBER: jp_corporate_number, IdScheme.IN_CIN: in_cin, IdScheme.IN_GSTIN: in_gstin,
    IdScheme.IN_PAN: in_pan, IdScheme.IN_UDYAM: in_udyam, IdScheme.LEI: lei,
}


def normalise(scheme: str, value: str) -> str:
    """The canonical form of `value` under `scheme`, or DomainError saying what is wrong."""
    validator = VALIDATORS.get(scheme)
    if validator is None:
        raise DomainError(N_("Unknown identifier scheme."), field="identifiers", code="unknown_scheme")
    return validator(value)


def corporate_number_check_digit(body: str) -> str:
    """The check digit of a Corporate Number whose other 12 digits are `body`."""
    return str(cn.calc_check_digit(body))


def gstin_check_char(first14: str) -> str:
    """The Luhn mod 36 check character of a GSTIN's first 14 characters."""
    return str(luhn.calc_check_digit(first14, ALNUM36))


def lei_check_digits(first18: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits of an LEI's first 18 characters."""
    return str(mod_97_10.calc_check_digits(first18))
