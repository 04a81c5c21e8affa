"""The decision table, exhaustively: conditions × requester × purpose × time × action × consent.

The expected rule comes from `expected`, the specification written out plainly (FIRST's TLP 2.0
meanings, deny by default, prior written consent), and must equal the compiled engine's rule for
every one of the ~320,000 combinations.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from kakehashi.exchange.policy import (
    AccessMode,
    AccessRequest,
    Conditions,
    ConsentGrant,
    RecipientKind,
    Recipients,
    Tlp,
    compile_policy,
    decide,
    index_consents,
)
from kakehashi.exchange.vocabulary import MOC_PURPOSE_CODES

START = datetime(2026, 4, 1, tzinfo=UTC)
END = START + timedelta(days=180)
RETAIN = START + timedelta(days=90)
MID = START + timedelta(days=30)
MICRO = timedelta(microseconds=1)

RECIPIENT_SETS = {
    "side IN": Recipients(sides=frozenset({"IN"})),
    "MeitY org + MIC ministry": Recipients(organisations=frozenset({"meity"}), ministries=frozenset({"MIC"})),
    "named alice": Recipients(users=frozenset({"alice"})),
}
REQUESTERS = [  # (user, org, side, ministry)
    ("alice", "iisc", "IN", None),
    ("bob", "meity", "IN", "MeitY"),
    ("carol", "mic", "JP", "MIC"),
    ("dave", "startup-in", "IN", None),
    ("erin", "toyota", "JP", None),
    ("frank", "acme", "US", None),
]
PURPOSES = ["ai", "talent", "crypto-mining", ""]
TIMES = [START - MICRO, START, MID, RETAIN - MICRO, RETAIN, END - MICRO, END, MID.replace(tzinfo=None)]
ACTIONS = ["view", "download", "share_onward", "print"]
CONSENT_SETS = {
    "none": [],
    "talent for each user": [ConsentGrant(f"u-{u}", RecipientKind.USER, u, "talent", START)
                             for u, *_ in REQUESTERS],
    "ai with onward for each org": [ConsentGrant(f"o-{o}", RecipientKind.ORG, o, "ai", START, onward_sharing=True)
                                    for _, o, *_ in REQUESTERS],
    "talent revoked mid-way": [ConsentGrant(f"r-{u}", RecipientKind.USER, u, "talent", START, revoked_at=MID)
                               for u, *_ in REQUESTERS],
}
POLICIES = [
    Conditions(discloser="meti", purposes=frozenset({"ai", "research"}), recipients=recipients,
               valid_from=START, valid_until=END, tlp=tlp, onward_sharing=onward, access=access,
               retain_until=retain)
    for tlp, access, onward, recipients, retain in itertools.product(
        Tlp, AccessMode, (False, True), RECIPIENT_SETS.values(), (None, RETAIN))
]

# FIRST TLP 2.0: who a label lets the conditions reach.
REACH = {
    Tlp.CLEAR: {"side", "ministry", "org", "user"},
    Tlp.GREEN: {"side", "ministry", "org", "user"},  # the community: both participants
    Tlp.AMBER: {"ministry", "org", "user"},  # the recipient's organisation (and its clients)
    Tlp.AMBER_STRICT: {"ministry", "org", "user"},  # the recipient's organisation only
    Tlp.RED: {"user"},  # named individuals only
}


def matches(recipients: Recipients, request: AccessRequest) -> set[str]:
    """By which kinds of recipient the requester is named in the conditions."""
    found = set()
    if request.side in recipients.sides:
        found.add("side")
    if request.ministry in recipients.ministries:
        found.add("ministry")
    if request.org_id in recipients.organisations:
        found.add("org")
    if request.user_id in recipients.users:
        found.add("user")
    return found


def expected(c: Conditions, r: AccessRequest, grants: list[ConsentGrant]) -> str:
    """The rule that must decide `r` under `c` and `grants`."""
    if r.action not in ("view", "download", "share_onward"):
        return "action-unknown"
    if r.purpose == "":
        return "purpose-missing"
    if r.purpose not in MOC_PURPOSE_CODES:
        return "purpose-unknown"
    if r.at.tzinfo is None:
        return "time-not-understood"
    if r.at < c.valid_from:
        return "not-yet-valid"
    if r.at >= c.valid_until:
        return "expired"
    if c.retain_until is not None and r.at >= c.retain_until:
        return "retention-ended"
    if r.side not in ("JP", "IN"):
        return "side-unknown"
    named = matches(c.recipients, r)
    recipient = bool(named & REACH[c.tlp])
    onward_allowed = c.onward_sharing and c.tlp in (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)
    wants_onward = r.action == "share_onward" and not onward_allowed
    if recipient and r.purpose in c.purposes and not wants_onward:
        return "view-only" if r.action == "download" and c.access is AccessMode.VIEW_ONLY else "permitted-purpose"
    mine = [g for g in grants if g.purpose == r.purpose and (
        (g.recipient_kind is RecipientKind.USER and g.recipient_id == r.user_id)
        or (g.recipient_kind is RecipientKind.ORG and g.recipient_id == r.org_id))]
    active = [g for g in mine if g.granted_at <= r.at and (g.revoked_at is None or r.at < g.revoked_at)]
    usable = [g for g in active if g.onward_sharing or not wants_onward]
    if usable:
        return "view-only" if r.action == "download" and c.access is AccessMode.VIEW_ONLY \
            else f"consent:{usable[0].grant_id}"
    if len(active) < len(mine):
        return "consent-inactive"
    if not recipient:
        return "tlp-limits-recipients" if named else "recipient-not-permitted"
    if r.purpose not in c.purposes:
        return "purpose-needs-consent"
    return "onward-sharing-needs-consent"


@pytest.mark.parametrize("conditions", POLICIES, ids=lambda c: f"{c.tlp}-{c.access}-onward{c.onward_sharing}-"
                         f"{sorted(c.recipients.sides | c.recipients.organisations | c.recipients.users)}-"
                         f"retain{c.retain_until is not None}")
def test_every_combination_is_decided_by_the_specified_rule(conditions):
    policy = compile_policy(conditions)
    mismatches = []
    for grants in CONSENT_SETS.values():
        consents = index_consents(grants)
        for (user, org, side, ministry), purpose, at, action in itertools.product(
                REQUESTERS, PURPOSES, TIMES, ACTIONS):
            request = AccessRequest(user, org, side, ministry, action, purpose, at)
            decision = decide(policy, request, consents)
            rule = expected(conditions, request, grants)
            if decision.rule != rule or decision.permit != (rule == "permitted-purpose" or rule.startswith("consent:")):
                mismatches.append((request, decision.rule, rule))
    assert mismatches == []


def test_the_table_reaches_every_rule():
    """Guard: the grid is rich enough that every rule of the engine decides some combination."""
    seen = set()
    for conditions in POLICIES[::3]:
        policy = compile_policy(conditions)
        for grants in CONSENT_SETS.values():
            consents = index_consents(grants)
            for (user, org, side, ministry), purpose, at, action in itertools.product(
                    REQUESTERS, PURPOSES, TIMES, ACTIONS):
                rule = decide(policy, AccessRequest(user, org, side, ministry, action, purpose, at), consents).rule
                seen.add(rule.split(":")[0])
    assert seen == {"action-unknown", "purpose-missing", "purpose-unknown", "time-not-understood",
                    "not-yet-valid", "expired", "retention-ended", "side-unknown", "recipient-not-permitted",
                    "tlp-limits-recipients", "purpose-needs-consent", "view-only", "onward-sharing-needs-consent",
                    "consent-inactive", "permitted-purpose", "consent"}
