"""The agreement's lifecycle as a pure function of its concluded instruments (MoC P7).

Rules are data (`AgreementRules`); every date rule is written out in docs/agreement.md
("Lifecycle rules"). In short: an instant becomes a calendar date in the zone of the party it
matters to (a signature in its signer's zone, a notice in its recipient's zone); a term of N
years starting on day E covers E up to the day before the N-th anniversary; a 60-day notice
received on day N leaves the agreement in force through day N+60, discontinued from N+61.
`build_timeline` is also the validator: services call it with the candidate instrument added
and append nothing if it raises `LifecycleError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kakehashi.kernel.i18n import N_


class NoticeCounting(StrEnum):
    """Where the notice period starts counting."""

    EXCLUDE_RECEIPT_DAY = "exclude_receipt_day"  # day 1 is the day after receipt
    INCLUDE_RECEIPT_DAY = "include_receipt_day"  # day 1 is the day of receipt


class State(StrEnum):
    """States of an agreement on a given date."""

    DRAFT = "draft"
    SIGNED_BY_ONE = "signed_by_one"
    IN_FORCE = "in_force"
    RENEWED = "renewed"
    NOTICE_GIVEN = "notice_given"
    DISCONTINUED = "discontinued"
    EXPIRED = "expired"


@dataclass(frozen=True)
class AgreementRules:
    """Term, notice and renewal rules; the MoC's are the defaults."""

    term_years: int = 5
    notice_days: int = 60
    notice_counting: NoticeCounting = NoticeCounting.EXCLUDE_RECEIPT_DAY
    renewal_window_days: int | None = 180  # None: a renewal may be concluded any time in force


@dataclass(frozen=True)
class Party:
    """A participant and the IANA time zone its dates are read in."""

    code: str
    zone: str

    def date_of(self, instant: datetime) -> date:
        """Return the calendar date of an aware instant in this party's zone."""
        if instant.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        return instant.astimezone(ZoneInfo(self.zone)).date()


@dataclass(frozen=True)
class Signed:
    """One participant's signature of an instrument, at an instant."""

    participant: str
    at: datetime


@dataclass(frozen=True)
class AgreementSignature:
    """The signature instrument; may hold one signature (signed by one) or all."""

    signatures: tuple[Signed, ...]


@dataclass(frozen=True)
class Renewal:
    """A concluded renewal: a further term starting when the current one ends."""

    signatures: tuple[Signed, ...]
    term_years: int


@dataclass(frozen=True)
class Modification:
    """A concluded modification: paragraph texts replaced from `effective_date`."""

    signatures: tuple[Signed, ...]
    effective_date: date
    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Notice:
    """A discontinuation notice, delivered (appended to the log) at `delivered_at`."""

    sender: str
    recipient: str
    delivered_at: datetime
    notice_date: date
    discontinuation_date: date | None = None


Act = AgreementSignature | Renewal | Modification | Notice


class LifecycleError(ValueError):
    """An instrument does not fit the agreement's lifecycle; `code` names the rule broken."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def add_years(day: date, years: int) -> date:
    """Return the anniversary `years` later; 29 February falls on 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Deadline:
    """A date the participants must act by or that changes the agreement's state."""

    kind: str
    on: date
    title: str


@dataclass
class Timeline:
    """Everything dated about one agreement, built from its concluded instruments."""

    rules: AgreementRules
    parties: dict[str, Party]
    signed_on: dict[str, date] = field(default_factory=dict)
    in_force_on: date | None = None
    ends: list[tuple[date, date]] = field(default_factory=list)  # (known from, first day out)
    renewed_on: list[date] = field(default_factory=list)
    modifications: list[tuple[date, Modification]] = field(default_factory=list)
    notice_received_on: date | None = None
    discontinued_on: date | None = None

    def end_known_on(self, day: date) -> date | None:
        """First day out of force, as known on `day` (renewals concluded by then count)."""
        known = [end for since, end in self.ends if since <= day]
        return known[-1] if known else None

    def state_on(self, day: date) -> State:
        """Return the agreement's state during calendar date `day`."""
        if self.in_force_on is None or day < self.in_force_on:
            signed = [d for d in self.signed_on.values() if d <= day]
            return State.SIGNED_BY_ONE if signed else State.DRAFT
        end = self.end_known_on(day)
        stop = self.discontinued_on
        if stop is not None and day >= stop and (end is None or stop <= end):
            return State.DISCONTINUED
        if end is not None and day >= end:
            return State.EXPIRED
        if self.notice_received_on is not None and day >= self.notice_received_on:
            return State.NOTICE_GIVEN
        if any(renewal <= day for renewal in self.renewed_on):
            return State.RENEWED
        return State.IN_FORCE

    def text_on(self, base: Sequence[tuple[str, str]], day: date) -> list[tuple[str, str]]:
        """Return the paragraphs in effect on `day`: base text with modifications applied."""
        text, removed = dict(base), set()
        for _, modification in sorted(self.modifications, key=lambda m: m[1].effective_date):
            if modification.effective_date <= day:
                for paragraph, new_text in modification.changes:
                    text[paragraph] = new_text
                    if new_text:
                        removed.discard(paragraph)
                    else:
                        removed.add(paragraph)
        return [(paragraph, body) for paragraph, body in text.items() if paragraph not in removed]

    def deadlines(self, as_of: date) -> list[Deadline]:
        """Return the deadlines on or after `as_of`, earliest first.

        While a notice is pending only its end counts; otherwise the expiry of the current
        term and the opening of its renewal window.
        """
        if self.in_force_on is None or self.state_on(as_of) in (State.DISCONTINUED, State.EXPIRED):
            return []
        found: list[Deadline] = []
        if self.discontinued_on is not None:
            last = self.discontinued_on - timedelta(days=1)
            found.append(Deadline("notice_period_ends", last, N_("Last day before discontinuation")))
        end = self.end_known_on(max(as_of, self.in_force_on))
        if end is not None and (self.discontinued_on is None or end < self.discontinued_on):
            found.append(Deadline("expiry", end - timedelta(days=1), N_("Last day in force")))
            window = self.rules.renewal_window_days
            if window is not None and self.discontinued_on is None:
                opens = end - timedelta(days=window)
                found.append(Deadline("renewal_window_opens", opens, N_("Renewal window opens")))
        return sorted((d for d in found if d.on >= as_of), key=lambda d: (d.on, d.kind))


def text_diff(
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    *,
    old_label: str,
    new_label: str,
) -> str:
    """Return a unified diff of two versions of the text, paragraph headings included."""

    def lines(paragraphs: Sequence[tuple[str, str]]) -> list[str]:
        rendered: list[str] = []
        for paragraph, body in paragraphs:
            rendered += [f"## {paragraph}", *body.splitlines(), ""]
        return rendered

    diff = difflib.unified_diff(lines(old), lines(new), fromfile=old_label, tofile=new_label, lineterm="")
    return "\n".join(diff)


def _concluded_on(timeline: Timeline, signatures: Sequence[Signed], what: str) -> date:
    """Date of consent by all participants: the latest signature date, each in its signer's zone."""
    signers = [s.participant for s in signatures]
    unknown = sorted(set(signers) - set(timeline.parties))
    if unknown:
        raise LifecycleError("unknown_party", f"{', '.join(unknown)} is not a participant")
    missing = sorted(set(timeline.parties) - set(signers))
    if missing:
        raise LifecycleError("consent_missing", f"a {what} needs the written consent of {', '.join(missing)} too")
    return max(timeline.parties[s.participant].date_of(s.at) for s in signatures)


def _require_in_force(timeline: Timeline, day: date, what: str) -> None:
    if timeline.in_force_on is None or day < timeline.in_force_on:
        raise LifecycleError("not_in_force", f"a {what} needs the agreement in force on {day}")
    state = timeline.state_on(day)
    if state in (State.DISCONTINUED, State.EXPIRED):
        raise LifecycleError("not_in_force", f"the agreement is {state.value} on {day}")


def _apply_signature(timeline: Timeline, act: AgreementSignature) -> None:
    for signed in act.signatures:
        party = timeline.parties.get(signed.participant)
        if party is None:
            raise LifecycleError("unknown_party", f"{signed.participant} is not a participant")
        if signed.participant in timeline.signed_on:
            raise LifecycleError("already_signed", f"{signed.participant} has already signed")
        timeline.signed_on[signed.participant] = party.date_of(signed.at)
    if set(timeline.signed_on) == set(timeline.parties):
        start = max(timeline.signed_on.values())
        timeline.in_force_on = start
        timeline.ends.append((start, add_years(start, timeline.rules.term_years)))


def _apply_renewal(timeline: Timeline, act: Renewal) -> None:
    day = _concluded_on(timeline, act.signatures, "renewal")
    _require_in_force(timeline, day, "renewal")
    if timeline.discontinued_on is not None:
        raise LifecycleError("notice_pending", "a discontinuation notice is pending")
    end = timeline.end_known_on(day)
    assert end is not None  # in force implies a known end
    window = timeline.rules.renewal_window_days
    if window is not None and day < end - timedelta(days=window):
        opens = end - timedelta(days=window)
        raise LifecycleError("renewal_window", f"a renewal may be concluded from {opens}")
    timeline.renewed_on.append(day)
    timeline.ends.append((day, add_years(end, act.term_years)))


def _apply_modification(timeline: Timeline, act: Modification) -> None:
    day = _concluded_on(timeline, act.signatures, "modification")
    _require_in_force(timeline, day, "modification")
    if act.effective_date < day:
        raise LifecycleError(
            "effective_before_signed",
            f"the modification takes effect on {act.effective_date}, before both signed ({day})",
        )
    end = timeline.end_known_on(day)
    stop = min(d for d in (end, timeline.discontinued_on) if d is not None)
    if act.effective_date >= stop:
        raise LifecycleError("effective_after_end", f"the agreement is no longer in force on {act.effective_date}")
    timeline.modifications.append((day, act))


def _earliest_discontinuation(rules: AgreementRules, received: date) -> date:
    extra = 1 if rules.notice_counting is NoticeCounting.EXCLUDE_RECEIPT_DAY else 0
    return received + timedelta(days=rules.notice_days + extra)


def _apply_notice(timeline: Timeline, act: Notice) -> None:
    sender, recipient = timeline.parties.get(act.sender), timeline.parties.get(act.recipient)
    if sender is None or recipient is None or sender == recipient:
        raise LifecycleError("unknown_party", "a notice goes from one participant to the other")
    sent, received = sender.date_of(act.delivered_at), recipient.date_of(act.delivered_at)
    if act.notice_date < min(sent, received):
        raise LifecycleError("notice_in_past", f"the notice is dated {act.notice_date}, before it was given ({sent})")
    if act.notice_date > max(sent, received):
        raise LifecycleError("notice_in_future", f"the notice is dated {act.notice_date}, after it was given")
    _require_in_force(timeline, received, "notice")
    if timeline.discontinued_on is not None:
        raise LifecycleError("notice_pending", "a discontinuation notice is already pending")
    earliest = _earliest_discontinuation(timeline.rules, received)
    requested = act.discontinuation_date or earliest
    if requested < earliest:
        raise LifecycleError(
            "notice_too_short",
            f"{timeline.rules.notice_days} days' notice received on {received} allows "
            f"discontinuation from {earliest}, not {requested}",
        )
    timeline.notice_received_on, timeline.discontinued_on = received, requested


def _instant(act: Act) -> datetime:
    if isinstance(act, Notice):
        return act.delivered_at
    return max(s.at for s in act.signatures)


def build_timeline(parties: Sequence[Party], rules: AgreementRules, acts: Sequence[Act]) -> Timeline:
    """Fold concluded instruments, in the order they were concluded, into a timeline.

    Raises LifecycleError at the first instrument the rules do not allow.
    """
    timeline = Timeline(rules, {p.code: p for p in parties})
    signatures = [a for a in acts if isinstance(a, AgreementSignature)]
    if len(signatures) > 1:
        raise LifecycleError("already_signed", "the agreement has one signature instrument")
    if signatures:
        _apply_signature(timeline, signatures[0])
    for act in sorted((a for a in acts if not isinstance(a, AgreementSignature)), key=_instant):
        if isinstance(act, Renewal):
            _apply_renewal(timeline, act)
        elif isinstance(act, Modification):
            _apply_modification(timeline, act)
        elif isinstance(act, Notice):
            _apply_notice(timeline, act)
    return timeline
