"""Checks on text shared by every context: control characters in stored text, invisible characters in names.

Names are shown next to one another (directories, recommendations, TAXII identities), so a name that looks
like another one is an impersonation: zero-width characters, direction overrides and other invisible
format characters are refused in names, and names are stored in Unicode NFC so that "the same letters"
are the same code points.
"""

from __future__ import annotations

import re
import unicodedata

from kakehashi.kernel.errors import ValidationFailed

# C0 controls except TAB, LF and CR (JSON and free text carry those legitimately), DEL and the C1 controls.
# PostgreSQL cannot store NUL at all; the others are never intended in text people exchange.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

ZWNJ, ZWJ = "\u200c", "\u200d"
# Invisible characters that are not of a format/control category but render as nothing (fillers, the
# combining grapheme joiner, Khmer inherent vowels, the Braille blank): as good as a zero-width space.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
# Cc controls, Cf format characters (zero-width space U+200B, ZWNJ/ZWJ, word joiner U+2060, BOM U+FEFF, the
# bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069, LRM/RLM U+200E/U+200F, the Arabic
# letter mark U+061C, soft hyphen, tags...), line/paragraph separators, surrogates and private-use code points.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
# The field message. Deliberately not marked here (the kernel keeps no catalogue): registry/profile.py marks
# the same text, so the merged catalogues translate it wherever it is raised.
INVISIBLE_IN_NAME = ("A name may not contain invisible characters (zero-width spaces, direction marks or "
                     "overrides); retype it without them.")


def control_character(text: str) -> str | None:
    """The first control character (other than TAB, LF, CR) in `text`, or None."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def _indic_block(char: str) -> int | None:
    """The 128-code-point block of an Indic script (Devanagari U+0900 … Sinhala U+0D80), or None."""
    code = ord(char)
    return code >> 7 if 0x0900 <= code <= 0x0DFF else None


def _joiner_allowed(text: str, index: int) -> bool:
    """ZWNJ/ZWJ choose the conjunct or half form inside an Indic word (क्‍ष, क्‌ष): legitimate there.

    Decision: allow them only between two characters of the same Indic script block (Devanagari for
    Hindi, and the other scripts of India — Bengali to Sinhala — which use them the same way). Anywhere
    else (Latin, Japanese, the ends of a name, between scripts) they are invisible padding and refused.
    """
    if index == 0 or index == len(text) - 1:
        return False
    before, after = _indic_block(text[index - 1]), _indic_block(text[index + 1])
    return before is not None and before == after


def invisible_character(text: str) -> str | None:
    """The first invisible or control character `text` must not hold as a name, or None."""
    for index, char in enumerate(text):
        if char in (ZWNJ, ZWJ):
            if not _joiner_allowed(text, index):
                return char
        elif char in _INVISIBLE or unicodedata.category(char) in _REFUSED_CATEGORIES:
            return char
    return None


def normalise_name(text: str) -> str:
    """A name as stored: Unicode NFC, surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def checked_name(text: str, *, field: str, message: str = INVISIBLE_IN_NAME) -> str:
    """`text` normalised as a name; ValidationFailed({field: message}) when it holds invisible characters."""
    name = normalise_name(text)
    if invisible_character(name) is not None:
        raise ValidationFailed({field: message}, message)
    return name
