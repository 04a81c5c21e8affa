"""The discloser's conditions on an item and the compiled engine that decides every access by them.

Deny by default: a request is permitted only when a rule permits it, and anything the engine does not
understand (an unknown action, purpose, side, a naive time, a policy with parts it cannot read) is a
denial that names the rule and the reason. Conditions are compiled once into frozensets so a decision
is a handful of set look-ups (microseconds).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kakehashi.exchange.vocabulary import MOC_PURPOSE_CODES

SIDES: frozenset[str] = frozenset({"JP", "IN"})


class Tlp(enum.StrEnum):
    """FIRST Traffic Light Protocol 2.0 labels (https://www.first.org/tlp/)."""

    CLEAR = "CLEAR"  # disclosure is not limited
    GREEN = "GREEN"  # the community (here: both participants), not public channels
    AMBER = "AMBER"  # the recipient's organisation and its clients, need-to-know
    AMBER_STRICT = "AMBER+STRICT"  # the recipient's organisation only
    RED = "RED"  # the named individual recipients only


class Action(enum.StrEnum):
    """What a recipient asks to do with an item."""

    VIEW = "view"
    DOWNLOAD = "download"
    SHARE_ONWARD = "share_onward"


class AccessMode(enum.StrEnum):
    """Whether recipients may only view an item in the browser or may also download it."""

    VIEW_ONLY = "view_only"
    DOWNLOAD = "download"


class RecipientKind(enum.StrEnum):
    """Whom a consent grant names: one person or a whole organisation."""

    USER = "user"
    ORG = "org"


# Under these labels a whole participant side is too broad to be a recipient (FIRST: AMBER reaches
# the recipient's organisation and clients, RED only named people), and under RED also ministries
# and organisations are.
_SIDE_TOO_BROAD = frozenset({Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED})
_ONWARD_NEEDS_CONSENT = frozenset({Tlp.AMBER_STRICT, Tlp.RED})
ACTIONS: frozenset[str] = frozenset(a.value for a in Action)


@dataclass(frozen=True, slots=True)
class Recipients:
    """Who may receive an item: anyone matching one of the sets (sides JP/IN, ministries, orgs, users)."""

    sides: frozenset[str] = frozenset()
    ministries: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Conditions:
    """The conditions a discloser sets on an item (MoC paragraph 5). Times are timezone-aware."""

    discloser: str
    purposes: frozenset[str]
    recipients: Recipients
    valid_from: datetime
    valid_until: datetime
    tlp: Tlp
    onward_sharing: bool = False
    access: AccessMode = AccessMode.VIEW_ONLY
    retain_until: datetime | None = None
    # Parts of an imported policy that were not understood: any entry makes every decision a denial.
    not_understood: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """One access: who (user, org, side, ministry), what action, for which stated purpose, when."""

    user_id: str
    org_id: str
    side: str
    ministry: str | None
    action: str
    purpose: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer: permit or deny, the rule that decided, and a reason a person can read."""

    permit: bool
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConsentGrant:
    """The discloser's prior written consent for one recipient and one other purpose (revocable)."""

    grant_id: str
    recipient_kind: RecipientKind
    recipient_id: str
    purpose: str
    granted_at: datetime
    onward_sharing: bool = False
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def is_active(self, at: datetime) -> bool:
        """True when the grant was given and neither expired nor revoked at `at`."""
        if at < self.granted_at:
            return False
        if self.revoked_at is not None and at >= self.revoked_at:
            return False
        return self.expires_at is None or at < self.expires_at


@dataclass(frozen=True, slots=True)
class Consents:
    """Consent grants of one item indexed by (kind, recipient id, purpose) for O(1) look-up."""

    by_key: dict[tuple[str, str, str], tuple[ConsentGrant, ...]] = field(default_factory=dict)

    def lookup(self, request: AccessRequest, *, onward: bool) -> tuple[ConsentGrant | None, ConsentGrant | None]:
        """(A grant usable for this requester, purpose and time, else None; the last inactive one).

        A grant is usable when active at the request's time and, if `onward`, covers onward sharing.
        """
        inactive: ConsentGrant | None = None
        for key in ((RecipientKind.USER, request.user_id, request.purpose),
                    (RecipientKind.ORG, request.org_id, request.purpose)):
            for grant in self.by_key.get(key, ()):
                if not grant.is_active(request.at):
                    inactive = grant
                elif grant.onward_sharing or not onward:
                    return grant, None
        return None, inactive


NO_CONSENTS = Consents()


def index_consents(grants: Iterable[ConsentGrant]) -> Consents:
    """Index grants for `decide`; grants with a purpose per recipient may repeat (history)."""
    by_key: dict[tuple[str, str, str], list[ConsentGrant]] = {}
    for grant in grants:
        by_key.setdefault((grant.recipient_kind, grant.recipient_id, grant.purpose), []).append(grant)
    return Consents({key: tuple(value) for key, value in by_key.items()})


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """Conditions reduced to what `decide` needs; recipients are the ones the TLP label leaves."""

    refusal: Decision | None
    vocabulary: frozenset[str]
    purposes: frozenset[str]
    sides: frozenset[str]
    ministries: frozenset[str]
    organisations: frozenset[str]
    users: frozenset[str]
    valid_from: datetime
    valid_until: datetime
    retain_until: datetime | None
    download: bool
    onward: bool
    tlp: Tlp
    broad: Recipients  # recipients the conditions name but the TLP label does not allow


def _deny(rule: str, reason: str) -> Decision:
    return Decision(False, rule, reason)


_ACTION_UNKNOWN = _deny("action-unknown", "the action is not one of view, download, share_onward")
_PURPOSE_MISSING = _deny("purpose-missing", "every access must state a purpose")
_PURPOSE_UNKNOWN = _deny("purpose-unknown", "the stated purpose is not in the purpose vocabulary")
_TIME_UNKNOWN = _deny("time-not-understood", "the access time has no timezone")
_NOT_YET_VALID = _deny("not-yet-valid", "the item's validity period has not started")
_EXPIRED = _deny("expired", "the item's validity period has ended")
_RETENTION = _deny("retention-ended", "the item's retention date has passed")
_SIDE_UNKNOWN = _deny("side-unknown", "the requester's side is neither JP nor IN")
_NOT_RECIPIENT = _deny("recipient-not-permitted", "the requester is not among the permitted recipients")
_TLP_RECIPIENT = _deny("tlp-limits-recipients",
                       "the TLP label allows only named organisations or people, not this match")
_PURPOSE_CONSENT = _deny("purpose-needs-consent", "this purpose is not permitted without the "
                         "discloser's prior written consent")
_VIEW_ONLY = _deny("view-only", "the discloser allows viewing only, not download")
_ONWARD_CONSENT = _deny("onward-sharing-needs-consent", "onward sharing needs the discloser's prior "
                        "written consent")
_PERMITTED = {action: Decision(True, "permitted-purpose",
                               f"{action} for a permitted purpose by a permitted recipient")
              for action in ACTIONS}


def compile_policy(conditions: Conditions, vocabulary: frozenset[str] = MOC_PURPOSE_CODES) -> CompiledPolicy:
    """Compile conditions once; a policy with parts not understood compiles to one that denies all."""
    problems = list(conditions.not_understood) + _problems(conditions, vocabulary)
    refusal = _deny("policy-not-understood", "; ".join(problems)) if problems else None
    tlp = conditions.tlp
    r = conditions.recipients
    side_ok = tlp not in _SIDE_TOO_BROAD
    named_ok = tlp != Tlp.RED
    return CompiledPolicy(
        refusal=refusal, vocabulary=vocabulary, purposes=conditions.purposes,
        sides=r.sides if side_ok else frozenset(),
        ministries=r.ministries if named_ok else frozenset(),
        organisations=r.organisations if named_ok else frozenset(),
        users=r.users, valid_from=conditions.valid_from, valid_until=conditions.valid_until,
        retain_until=conditions.retain_until, download=conditions.access is AccessMode.DOWNLOAD,
        onward=conditions.onward_sharing and tlp not in _ONWARD_NEEDS_CONSENT, tlp=tlp,
        broad=Recipients(sides=frozenset() if side_ok else r.sides,
                         ministries=frozenset() if named_ok else r.ministries,
                         organisations=frozenset() if named_ok else r.organisations),
    )


def _problems(conditions: Conditions, vocabulary: frozenset[str]) -> list[str]:
    """What makes conditions unreadable for the engine, as reasons."""
    problems = []
    unknown = sorted(conditions.purposes - vocabulary)
    if unknown:
        problems.append(f"purposes outside the vocabulary: {', '.join(unknown)}")
    sides = sorted(conditions.recipients.sides - SIDES)
    if sides:
        problems.append(f"unknown participant sides: {', '.join(sides)}")
    times = [conditions.valid_from, conditions.valid_until, conditions.retain_until]
    if any(t is not None and t.utcoffset() is None for t in times):
        problems.append("a date of the policy has no timezone")
    elif conditions.valid_from >= conditions.valid_until:
        problems.append("the validity period is empty")
    if not isinstance(conditions.tlp, Tlp):
        problems.append(f"unknown TLP label: {conditions.tlp}")
    if not isinstance(conditions.access, AccessMode):
        problems.append(f"unknown access mode: {conditions.access}")
    return problems


def decide(policy: CompiledPolicy, request: AccessRequest, consents: Consents = NO_CONSENTS) -> Decision:
    """Permit or deny one access by the compiled conditions and the item's consent grants."""
    if policy.refusal is not None:
        return policy.refusal
    refusal = _check_request(policy, request)
    if refusal is not None:
        return refusal
    is_recipient = (request.user_id in policy.users or request.org_id in policy.organisations
                    or request.ministry in policy.ministries or request.side in policy.sides)
    purpose_ok = request.purpose in policy.purposes
    action = request.action
    if is_recipient and purpose_ok and (action != Action.SHARE_ONWARD or policy.onward):
        if action == Action.DOWNLOAD and not policy.download:
            return _VIEW_ONLY
        return _PERMITTED[action]
    return _decide_by_consent(policy, request, consents, is_recipient, purpose_ok)


def _check_request(policy: CompiledPolicy, request: AccessRequest) -> Decision | None:
    """The checks every request must pass whatever the grants: action, purpose, time, side."""
    if request.action not in ACTIONS:
        return _ACTION_UNKNOWN
    if request.purpose not in policy.vocabulary:
        return _PURPOSE_MISSING if not request.purpose else _PURPOSE_UNKNOWN
    at = request.at
    if at.utcoffset() is None:
        return _TIME_UNKNOWN
    if at < policy.valid_from:
        return _NOT_YET_VALID
    if at >= policy.valid_until:
        return _EXPIRED
    if policy.retain_until is not None and at >= policy.retain_until:
        return _RETENTION
    if request.side not in SIDES:
        return _SIDE_UNKNOWN
    return None


def _decide_by_consent(policy: CompiledPolicy, request: AccessRequest, consents: Consents,
                       is_recipient: bool, purpose_ok: bool) -> Decision:
    """The slow path: the conditions alone do not permit, so only an active consent grant can."""
    onward = request.action == Action.SHARE_ONWARD and not policy.onward
    grant, inactive = consents.lookup(request, onward=onward)
    if grant is not None:
        if request.action == Action.DOWNLOAD and not policy.download:
            return _VIEW_ONLY
        return Decision(True, f"consent:{grant.grant_id}",
                        f"{request.action} under the discloser's consent {grant.grant_id}")
    if inactive is not None:
        state = "revoked" if inactive.revoked_at is not None and request.at >= inactive.revoked_at else "not active"
        return _deny("consent-inactive", f"consent {inactive.grant_id} is {state}")
    if not is_recipient:
        return _TLP_RECIPIENT if _matches_broad(policy.broad, request) else _NOT_RECIPIENT
    if not purpose_ok:
        return _PURPOSE_CONSENT
    return _ONWARD_CONSENT


def _matches_broad(broad: Recipients, request: AccessRequest) -> bool:
    return (request.side in broad.sides or request.ministry in broad.ministries
            or request.org_id in broad.organisations)
