"""Reading the share form (or an uploaded ODRL policy) into Terms, and the words pages use for rules.

Web-layer code: dates are read in the viewer's time zone; a validity period runs from 00:00 of its
first day to 00:00 after its last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.exchange.errors import OdrlImportError
from kakehashi.exchange.odrl import import_odrl
from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
from kakehashi.exchange.terms import Terms, terms_from_conditions
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_

# What each rule means, for people (the engine's own reasons stay in English on the log).
RULE_MESSAGES = {
    "permitted-purpose": N_("Permitted: a named recipient, for a permitted purpose."),
    "discloser": N_("Permitted: your own organisation disclosed this item."),
    "consent": N_("Permitted under the discloser's written consent."),
    "policy-not-understood": N_("Denied: the conditions contain something Kakehashi does not understand."),
    "action-unknown": N_("Denied: unknown action."),
    "purpose-missing": N_("Denied: state the purpose of this access."),
    "purpose-unknown": N_("Denied: the purpose is not in the vocabulary."),
    "time-not-understood": N_("Denied: the time of the request is not understood."),
    "not-yet-valid": N_("Denied: the item is not available yet."),
    "expired": N_("Denied: the item's validity period has ended."),
    "retention-ended": N_("Denied: the item's retention date has passed."),
    "side-unknown": N_("Denied: your side is not a participant."),
    "consent-inactive": N_("Denied: your consent was revoked or is not in force."),
    "tlp-limits-recipients": N_("Denied: the TLP label limits who may receive this item."),
    "recipient-not-permitted": N_("Denied: you are not among the permitted recipients."),
    "purpose-needs-consent": N_("Denied: this purpose needs the discloser's prior written consent."),
    "onward-sharing-needs-consent": N_("Denied: onward sharing needs the discloser's prior written consent."),
    "view-only": N_("Denied: the discloser allows viewing only."),
    "item-withdrawn": N_("Denied: the discloser withdrew this item."),
    "item-purged": N_("Denied: the content was deleted at its retention date."),
    "not-viewable": N_("Denied: this format cannot be shown in the browser."),
    "watermark-failed": N_("Denied: this file cannot carry the recipient's mark."),
    "content-tampered": N_("Denied: the stored content failed its integrity check and is not served."),
    "key-unwrap-failed": N_("Denied: the item's key is damaged."),
    "master-key-unknown": N_("Denied: the item's master key is not configured."),
}
TLP_LABELS = {
    "CLEAR": N_("TLP:CLEAR — disclosure is not limited"),
    "GREEN": N_("TLP:GREEN — both participants' community, not public"),
    "AMBER": N_("TLP:AMBER — recipients' organisations and their clients, need-to-know"),
    "AMBER+STRICT": N_("TLP:AMBER+STRICT — recipients' organisations only"),
    "RED": N_("TLP:RED — named people only"),
}


def rule_message(rule: str) -> str:
    """The message for a rule code (consent rules share one)."""
    return RULE_MESSAGES.get(rule.split(":", 1)[0], rule)


def _day(value: str, zone: ZoneInfo, field: str, problems: dict[str, str]) -> dt.datetime | None:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), zone).astimezone(dt.UTC)
    except ValueError:
        problems[field] = N_("Give a date as YYYY-MM-DD.")
        return None


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip() for value in values for v in value.replace(";", ",").split(",") if v.strip())


def _people(session: Session, emails: str, problems: dict[str, str]) -> frozenset[str]:
    found = set()
    for email in _ids([emails]):
        user = identity.find_user_by_email(session, email)
        if user is None:
            problems["users"] = N_("A person is not known to the platform.")
        else:
            found.add(str(user.id))
    return frozenset(found)


def terms_from_form(session: Session, form: dict[str, list[str]], *, zone: ZoneInfo, today: dt.date) -> Terms:
    """Terms from the share form's fields (lists, as a multi-valued form gives them)."""
    def one(name: str, default: str = "") -> str:
        return (form.get(name) or [default])[0].strip()

    problems: dict[str, str] = {}
    start = _day(one("valid_from", today.isoformat()), zone, "valid_from", problems)
    last = _day(one("valid_until", (today + dt.timedelta(days=90)).isoformat()), zone, "valid_until", problems)
    retain = _day(one("retain_until"), zone, "retain_until", problems) if one("retain_until") else None
    tlp_value, access_value = one("tlp", "AMBER"), one("access", AccessMode.VIEW_ONLY.value)
    if tlp_value not in {t.value for t in Tlp}:
        problems["tlp"], tlp_value = N_("Not an allowed value."), Tlp.RED.value
    if access_value not in {a.value for a in AccessMode}:
        problems["access"], access_value = N_("Not an allowed value."), AccessMode.VIEW_ONLY.value
    recipients = Recipients(sides=_ids(form.get("sides", [])), ministries=_ids(form.get("ministries", [])),
                            organisations=_ids(form.get("organisations", [])),
                            users=_people(session, one("people"), problems))
    return Terms(
        purposes=_ids(form.get("purposes", [])), recipients=recipients,
        valid_from=start or dt.datetime.now(dt.UTC), valid_until=(last or dt.datetime.now(dt.UTC)) + dt.timedelta(days=1),
        tlp=Tlp(tlp_value), onward_sharing=one("onward_sharing") in ("1", "on", "true"),
        access=AccessMode(access_value), retain_until=retain, problems=problems,
    )


def terms_from_policy(document: bytes) -> Terms:
    """Terms from an uploaded ODRL policy (JSON); parts not understood refuse the share with reasons."""
    try:
        conditions = import_odrl(document)
    except OdrlImportError as exc:
        raise ValidationFailed({"policy": exc.message}) from exc
    return terms_from_conditions(conditions)
