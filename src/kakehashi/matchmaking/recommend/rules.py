"""Hard rules: who may be recommended to whom at all (before any scoring)."""

from __future__ import annotations

from dataclasses import dataclass, field

STARTUP = "startup"
INVESTOR = "investor"


@dataclass(frozen=True, slots=True)
class PartnerRules:
    """Which kinds may meet which: every pair is allowed except the listed ones (investor↔investor by default).

    The other hard rules are fixed: partners come from another country, and a startup meets an investor
    only when the startup's stage is among the investor's stages (unknown on either side passes).
    """

    forbidden_pairs: frozenset[frozenset[str]] = field(
        default_factory=lambda: frozenset({frozenset({INVESTOR})})
    )

    def allows(self, mine: str, theirs: str) -> bool:
        """True when an organisation of kind `mine` may be shown one of kind `theirs`."""
        return frozenset({mine, theirs}) not in self.forbidden_pairs


def is_stage_pair(mine: str, theirs: str) -> bool:
    """True for startup↔investor, the pairs where stage fit is a hard rule."""
    return {mine, theirs} == {STARTUP, INVESTOR}
