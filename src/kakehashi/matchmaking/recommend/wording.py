"""Reasons in words, in the viewer's language (web layer only: services return reasons as data)."""

from __future__ import annotations

from kakehashi import registry
from kakehashi.matchmaking.recommend.records import Reason, ReasonCode
from kakehashi.web.i18n import current_locale
from kakehashi.web.i18n import gettext as _

_SECTOR_NAMES = {sector.code: sector for sector in registry.SECTORS}


def sector_name(code: str) -> str:
    """A sector's name in the viewer's language, or its code when the taxonomy does not know it."""
    sector = _SECTOR_NAMES.get(code)
    return sector.name(current_locale.get()) if sector else code


def reason_text(reason: Reason) -> str:
    """One sentence for a reason."""
    if reason.code is ReasonCode.SEEK_OFFER:
        return _("You seek “%(mine)s”; they offer “%(theirs)s”.", mine=reason.values[0], theirs=reason.values[1])
    if reason.code is ReasonCode.OFFER_SEEK:
        return _("They seek “%(theirs)s”; you offer “%(mine)s”.", mine=reason.values[0], theirs=reason.values[1])
    if reason.code is ReasonCode.EXPERTISE_OFFER:
        return _("Your expertise in “%(mine)s”; they offer “%(theirs)s”.", mine=reason.values[0],
                 theirs=reason.values[1])
    if reason.code is ReasonCode.SEEK_EXPERTISE:
        return _("They seek “%(theirs)s”; your expertise in “%(mine)s” fits.", mine=reason.values[0],
                 theirs=reason.values[1])
    if reason.code is ReasonCode.SHARED_SECTORS:
        return _("Shared sectors: %(sectors)s.", sectors=", ".join(sector_name(code) for code in reason.values))
    return _("Stage fit: %(stage)s.", stage=reason.values[0])
