"""Message extraction per context, for keeping each context's ja/hi catalogues complete.

`kakehashi i18n update CONTEXT` adds new messages to `<context>/locale/{ja,hi}/LC_MESSAGES/messages.po`
(keeping existing translations); `kakehashi i18n missing` lists what still lacks a Japanese translation.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE_ROOT = Path(__file__).parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None}


def extract(context: str) -> Catalog:
    """Every translatable message in one context's templates and web code."""
    catalog = Catalog(project="kakehashi")
    directory = PACKAGE_ROOT / context
    for filename, lineno, message, comments, msgctxt in extract_from_dir(
        str(directory), METHODS, keywords=KEYWORDS, options_map=OPTIONS,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=msgctxt)
    return catalog


def po_path(context: str, locale: str) -> Path:
    return PACKAGE_ROOT / context / "locale" / locale / "LC_MESSAGES" / "messages.po"


def load(context: str, locale: str) -> Catalog:
    path = po_path(context, locale)
    if not path.exists():
        return Catalog(locale=locale, project="kakehashi")
    return read_po(io.BytesIO(path.read_bytes()), locale=locale)


def update(context: str, locales: tuple[str, ...] = ("ja", "hi")) -> dict[str, int]:
    """Merge newly extracted messages into each catalogue; returns untranslated counts."""
    template = extract(context)
    result = {}
    for locale in locales:
        catalog = load(context, locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path = po_path(context, locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, omit_header=False, sort_output=True, width=0)
        path.write_bytes(buffer.getvalue())
        result[locale] = sum(1 for message in catalog if message.id and not message.string)
    return result


def missing(context: str, locale: str = "ja") -> list[str]:
    """Messages of a context with no translation in `locale`."""
    catalog = load(context, locale)
    translated = {message.id for message in catalog if message.id and message.string and not message.fuzzy}
    return sorted(str(message.id) for message in extract(context) if message.id and message.id not in translated)


def fill(context: str, locale: str, translations: dict[str, str]) -> int:
    """Set translations for messages of a context's catalogue; returns how many were set."""
    catalog = load(context, locale)
    count = 0
    for message in catalog:
        if message.id in translations:
            message.string = translations[str(message.id)]
            message.flags.discard("fuzzy")
            count += 1
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, width=0)
    po_path(context, locale).write_bytes(buffer.getvalue())
    return count
