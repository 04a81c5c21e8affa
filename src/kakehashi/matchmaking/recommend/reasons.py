"""Turn a scored pair of profiles into reasons as data (the web layer words and translates them)."""

from __future__ import annotations

import numpy as np

from kakehashi.matchmaking.recommend.language import neutral_rows
from kakehashi.matchmaking.recommend.records import ProfileText, ProfileVectors, Reason, ReasonCode
from kakehashi.matchmaking.recommend.rules import STARTUP, is_stage_pair

SNIPPET_CHARS = 160
NOTABLE_Z = 1.0  # a direction is cited once it is a standard deviation above this query's average


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The text cut at a word boundary (or at `limit` for scripts without spaces), with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def neutral(texts: tuple[ProfileText, ...]) -> np.ndarray:
    """The texts' language-neutral vectors, one row each (0 rows for no texts)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return neutral_rows([item.text for item in texts], np.stack([item.vector for item in texts]))


def best_pair(mine: tuple[ProfileText, ...], theirs: tuple[ProfileText, ...], *,
              mine_rows: np.ndarray | None = None) -> tuple[str, str] | None:
    """The (my text, their text) pair with the highest cosine, or None when either side is empty."""
    found = best_match(mine, theirs, mine_rows=mine_rows)
    return None if found is None else (snippet(mine[found[0]].text), snippet(theirs[found[1]].text))


def best_match(mine: tuple[ProfileText, ...], theirs: tuple[ProfileText, ...], *,
               mine_rows: np.ndarray | None = None) -> tuple[int, int] | None:
    """Positions (in mine, in theirs) of the pair with the highest cosine, or None when either side is empty."""
    if not mine or not theirs:
        return None
    similarity = (neutral(mine) if mine_rows is None else mine_rows) @ neutral(theirs).T
    i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
    return int(i), int(j)


class Explainer:
    """Reasons for one requester's results; the requester's own vectors are neutralised once per query.

    A person's `expertise` lines count on both sides next to their organisation's lines; when the best
    quoted line is theirs, the reason says so (`expertise_offer`, `seek_expertise`).
    """

    def __init__(self, me: ProfileVectors, expertise: tuple[ProfileText, ...] = ()) -> None:
        self.me = me
        self._expertise = expertise
        self._seek_texts, self._offer_texts = expertise + me.seeks, expertise + me.offers
        self._seeks, self._offers = neutral(self._seek_texts), neutral(self._offer_texts)

    def explain(self, them: ProfileVectors, *, forward: float, backward: float) -> list[Reason]:
        """Reasons for recommending `them`, strongest evidence first."""
        if not self._expertise:
            return explain(self.me, them, forward=forward, backward=backward, rows=(self._seeks, self._offers))
        reasons: list[Reason] = []
        cited = [(forward, ReasonCode.SEEK_OFFER, ReasonCode.EXPERTISE_OFFER, self._seek_texts, them.offers,
                  self._seeks),
                 (backward, ReasonCode.OFFER_SEEK, ReasonCode.SEEK_EXPERTISE, self._offer_texts, them.seeks,
                  self._offers)]
        for z, code, personal, mine, theirs, rows in sorted(cited, key=lambda item: -item[0]):
            if z < NOTABLE_Z:
                continue
            found = best_match(mine, theirs, mine_rows=rows)
            if found is not None:
                i, j = found
                reasons.append(Reason(personal if i < len(self._expertise) else code,
                                      (snippet(mine[i].text), snippet(theirs[j].text))))
        return reasons + _rule_reasons(self.me, them)


def explain(me: ProfileVectors, them: ProfileVectors, *, forward: float, backward: float,
            rows: tuple[np.ndarray, np.ndarray] | None = None) -> list[Reason]:
    """Reasons for recommending `them` to `me`, strongest evidence first."""
    reasons: list[Reason] = []
    seeks, offers = rows if rows is not None else (None, None)
    cited = [(forward, ReasonCode.SEEK_OFFER, me.seeks, them.offers, seeks),
             (backward, ReasonCode.OFFER_SEEK, me.offers, them.seeks, offers)]
    for z, code, mine, theirs, mine_rows in sorted(cited, key=lambda item: -item[0]):
        if z < NOTABLE_Z:
            continue
        pair = best_pair(mine, theirs, mine_rows=mine_rows)
        if pair is not None:
            reasons.append(Reason(code, pair))
    return reasons + _rule_reasons(me, them)


def _rule_reasons(me: ProfileVectors, them: ProfileVectors) -> list[Reason]:
    """Shared sectors and stage fit."""
    reasons: list[Reason] = []
    shared = sorted(me.sectors & them.sectors)
    if shared:
        reasons.append(Reason(ReasonCode.SHARED_SECTORS, tuple(shared)))
    if is_stage_pair(me.kind, them.kind):
        stage = me.stage if me.kind == STARTUP else them.stage
        investor_stages = them.investment_stages if me.kind == STARTUP else me.investment_stages
        if stage is not None and stage in investor_stages:
            reasons.append(Reason(ReasonCode.STAGE_FIT, (stage,)))
    return reasons
