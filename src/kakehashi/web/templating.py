"""The Jinja environment shared by every context's pages."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from kakehashi.contexts import CONTEXTS
from kakehashi.web import flash, i18n


def template_packages() -> list[str]:
    """Every context package, or sub-package one level down (e.g. matchmaking.recommend), with templates."""
    found = []
    for context in CONTEXTS:
        root = files(f"kakehashi.{context}")
        if (root / "templates").is_dir():
            found.append(f"kakehashi.{context}")
        for child in root.iterdir():
            if child.is_dir() and (child / "__init__.py").is_file() and (child / "templates").is_dir():
                found.append(f"kakehashi.{context}.{child.name}")
    return found


def _fill(text: Markup, variables: dict[str, Any]) -> Markup:
    """`%(name)s` placeholders filled with escaped values; a message whose placeholders do not match is shown as is."""
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return text


def template_gettext(message: object, **variables: Any) -> Markup:
    """`_()` in templates: the translation is escaped like any other text, so a message that came from data (a
    status, a stored title, a query parameter) can never become markup; parameters are escaped too."""
    text = str(message)
    translated = i18n.translations(i18n.current_locale.get()).gettext(text) if text else ""
    return _fill(escape(translated), variables)


def template_ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
    """Plural-aware `ngettext()` in templates, escaped like `_()`; `%(num)s` is always available."""
    translated = i18n.translations(i18n.current_locale.get()).ngettext(singular, plural, n)
    return _fill(escape(translated), {"num": n, **variables})


def build_environment() -> jinja2.Environment:
    """Autoescaping Jinja with i18n, our formatting filters, and every context's templates."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("kakehashi.web", "templates")]
    for package in template_packages():
        loaders.append(jinja2.PackageLoader(package, "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Jinja's own newstyle wrappers mark every translation as safe markup (and %-format even without
    # parameters), which turns `_(untrusted)` into an injection: ours escape instead.
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    for unused in ("pgettext", "npgettext"):  # not used by our templates: better absent than unescaped
        env.globals.pop(unused, None)
    env.filters.update(
        datetime=i18n.fmt_datetime, both_zones=i18n.fmt_both, date=i18n.fmt_date, time=i18n.fmt_time,
        number=i18n.fmt_number, money=i18n.fmt_money, zip_pairs=lambda values: [(v, v) for v in values],
    )
    env.globals.update(
        current_csrf_token=i18n.current_csrf.get, LOCALES=i18n.LOCALES, LOCALE_NAMES=i18n.LOCALE_NAMES,
        TIMEZONES=i18n.TIMEZONES,
    )
    return env


templates = Jinja2Templates(env=build_environment())


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render a page (or an htmx partial) with the shell's standard context."""
    values = {
        "actor": getattr(request.state, "actor", None),
        "unread": getattr(request.state, "unread", 0),
        "locale": i18n.current_locale.get(),
        "timezone": i18n.current_timezone.get(),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "htmx": request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true",
        "flash": flash.message(request.query_params.get("flash")),
        "path": request.url.path,
        "query": request.url.query,
    }
    values.update(context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)
