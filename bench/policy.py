"""Decision latency (p50/p99) and throughput of the compiled exchange policy engine on one core,
against a naive baseline in the same run: the same decisions made by interpreting the exported
ODRL JSON directly per request (walk the rules, parse the dates, scan the grants).

Both must agree on every decision. Exits non-zero if they disagree or a TARGETS.md bound is missed
(p99 <= 1 ms per decision, >= 10,000 decisions/s on one core).

    .venv/bin/python bench/policy.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from kakehashi.exchange.odrl import PROFILE, export_odrl
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

P99_BOUND_US = 1000.0
THROUGHPUT_BOUND = 10_000
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
PURPOSES = sorted(MOC_PURPOSE_CODES)
ORGS = [f"org-{i}" for i in range(40)] + ["meti", "meity"]
USERS = [f"user-{i}" for i in range(200)]
MINISTRIES = ["METI", "MeitY", "MIC", "MEXT", "DigitalAgency"]
ODRL_ACTION = {"view": "display", "download": "reproduce", "share_onward": "distribute"}
PREFIX = {"side": "urn:kakehashi:side:", "ministry": "urn:kakehashi:ministry:",
          "org": "urn:kakehashi:org:", "user": "urn:kakehashi:user:"}
REACH = {"CLEAR": {"side", "ministry", "org", "user"}, "GREEN": {"side", "ministry", "org", "user"},
         "AMBER": {"ministry", "org", "user"}, "AMBER+STRICT": {"ministry", "org", "user"}, "RED": {"user"}}


def random_conditions(rng: random.Random) -> Conditions:
    start = EPOCH + timedelta(days=rng.randint(0, 200))
    return Conditions(
        discloser=rng.choice(["meti", "meity"]),
        purposes=frozenset(rng.sample(PURPOSES, rng.randint(1, 4))),
        recipients=Recipients(sides=frozenset(rng.sample(["JP", "IN"], rng.randint(0, 1))),
                              ministries=frozenset(rng.sample(MINISTRIES, rng.randint(0, 2))),
                              organisations=frozenset(rng.sample(ORGS, rng.randint(0, 6))),
                              users=frozenset(rng.sample(USERS, rng.randint(0, 10)))),
        valid_from=start, valid_until=start + timedelta(days=rng.randint(30, 400)),
        tlp=rng.choice(list(Tlp)), onward_sharing=rng.random() < 0.3,
        access=rng.choice(list(AccessMode)),
        retain_until=None if rng.random() < 0.7 else start + timedelta(days=rng.randint(10, 500)),
    )


def random_request(rng: random.Random, conditions: Conditions) -> AccessRequest:
    """Mostly plausible requests (named recipients, permitted purposes, in time), some of every other kind."""
    r = conditions.recipients
    user = rng.choice(sorted(r.users)) if r.users and rng.random() < 0.6 else rng.choice(USERS)
    org = rng.choice(sorted(r.organisations)) if r.organisations and rng.random() < 0.6 else rng.choice(ORGS)
    ministry = rng.choice(sorted(r.ministries)) if r.ministries and rng.random() < 0.3 else rng.choice([None, *MINISTRIES])
    side = rng.choice(sorted(r.sides)) if r.sides and rng.random() < 0.6 else rng.choice(["JP", "IN"] * 10 + ["US"])
    purpose = rng.choice(sorted(conditions.purposes)) if rng.random() < 0.8 else rng.choice([*PURPOSES, "resale", ""])
    span = int((conditions.valid_until - conditions.valid_from).total_seconds())
    offset = rng.randint(0, span - 1) if rng.random() < 0.85 else rng.randint(-span, 2 * span)
    action = rng.choices(["view", "download", "share_onward", "print"], weights=[50, 30, 15, 5])[0]
    return AccessRequest(user, org, side, ministry, action, purpose, conditions.valid_from + timedelta(seconds=offset))


def random_grants(rng: random.Random, conditions: Conditions) -> list[ConsentGrant]:
    grants = []
    for i in range(rng.randint(0, 3)):
        kind = rng.choice(list(RecipientKind))
        grants.append(ConsentGrant(
            f"c-{i}", kind, rng.choice(USERS if kind is RecipientKind.USER else ORGS), rng.choice(PURPOSES),
            conditions.valid_from + timedelta(days=rng.randint(0, 30)), onward_sharing=rng.random() < 0.5,
            revoked_at=None if rng.random() < 0.7 else conditions.valid_from + timedelta(days=rng.randint(10, 90))))
    return grants


# --- the baseline: interpret the ODRL JSON per request --------------------------------------------

def naive_permit(doc: dict, req: AccessRequest, grants: list[ConsentGrant]) -> bool:
    """Evaluate the exported ODRL policy directly, rule by rule, for one request."""
    if req.action not in ODRL_ACTION or req.purpose not in MOC_PURPOSE_CODES or req.at.tzinfo is None:
        return False
    if doc.get("profile") != PROFILE or req.side not in ("JP", "IN"):
        return False
    for duty in doc.get("obligation", []):  # retention: after the delete date the content is gone
        if duty["action"] == "delete" and all(_holds(c, req, doc) for c in duty["constraint"]):
            return False
    action = ODRL_ACTION[req.action]
    if any(rule["action"] == action for rule in doc.get("prohibition", [])):
        return False
    onward_permitted = any(rule["action"] == "distribute" for rule in doc["permission"])
    for rule in doc["permission"]:
        if rule["action"] not in (action, "use") or not all(_holds(c, req, doc) for c in rule["constraint"]):
            continue
        if any(duty["action"] == "obtainConsent" for duty in rule.get("duty", [])):
            if _consent_given(grants, req, needs_onward=req.action == "share_onward" and not onward_permitted):
                return True
            continue
        return True
    return False


def _holds(constraint: dict, req: AccessRequest, doc: dict) -> bool:
    left, operator, right = constraint["leftOperand"], constraint["operator"], constraint["rightOperand"]
    if left == "dateTime":
        bound = datetime.fromisoformat(right["@value"])
        return req.at >= bound if operator == "gteq" else req.at < bound
    values = {item["@id"] for item in right}
    if left == "purpose":
        return "urn:kakehashi:purpose:" + req.purpose in values
    reach = REACH[doc["kh:tlp"]]
    mine = {"side": req.side, "ministry": req.ministry, "org": req.org_id, "user": req.user_id}
    return any(PREFIX[kind] + str(value) in values for kind, value in mine.items() if kind in reach)


def _consent_given(grants: list[ConsentGrant], req: AccessRequest, *, needs_onward: bool) -> bool:
    for g in grants:
        named = (g.recipient_kind is RecipientKind.USER and g.recipient_id == req.user_id) or \
                (g.recipient_kind is RecipientKind.ORG and g.recipient_id == req.org_id)
        active = g.granted_at <= req.at and (g.revoked_at is None or req.at < g.revoked_at)
        if named and active and g.purpose == req.purpose and (g.onward_sharing or not needs_onward):
            return True
    return False


# --- measurement ---------------------------------------------------------------------------------

def latencies(call, cases) -> list[float]:
    clock = time.perf_counter_ns
    out = []
    for case in cases:
        start = clock()
        call(*case)
        out.append((clock() - start) / 1000)
    return out


def throughput(call, cases) -> float:
    start = time.perf_counter()
    for case in cases:
        call(*case)
    return len(cases) / (time.perf_counter() - start)


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20,000 decisions instead of 200,000")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as TARGETS.md asks
    rng = random.Random(20260401)
    n_policies, n_requests = (200, 20_000) if args.quick else (1_000, 200_000)
    items = []
    for i in range(n_policies):
        conditions = random_conditions(rng)
        grants = random_grants(rng, conditions)
        items.append((conditions, export_odrl(conditions, item_id=str(i)), grants,
                      compile_policy(conditions), index_consents(grants)))
    chosen = [items[rng.randrange(n_policies)] for _ in range(n_requests)]
    requests = [random_request(rng, item[0]) for item in chosen]

    engine_cases = [(item[3], req, item[4]) for item, req in zip(chosen, requests, strict=True)]
    naive_cases = [(item[1], req, item[2]) for item, req in zip(chosen, requests, strict=True)]
    cold_cases = [(item[0], req, item[2]) for item, req in zip(chosen, requests, strict=True)]

    engine = [decide(*case).permit for case in engine_cases]
    naive = [naive_permit(*case) for case in naive_cases]
    disagreements = sum(a != b for a, b in zip(engine, naive, strict=True))

    def cold(conditions, req, grants):  # no cache: compile the policy and index grants per request
        return decide(compile_policy(conditions), req, index_consents(grants))

    lat_engine, lat_naive, lat_cold = (latencies(decide, engine_cases), latencies(naive_permit, naive_cases),
                                       latencies(cold, cold_cases))
    tp_engine, tp_naive, tp_cold = (throughput(decide, engine_cases), throughput(naive_permit, naive_cases),
                                    throughput(cold, cold_cases))
    print(f"{n_requests:,} decisions over {n_policies:,} policies, one core; {sum(engine) / len(engine):.0%} permitted")
    print(f"{'':34}{'p50 µs':>9}{'p99 µs':>9}{'decisions/s':>14}")
    for name, lat, tp in (("compiled engine", lat_engine, tp_engine),
                          ("compiled, compile per request", lat_cold, tp_cold),
                          ("baseline: interpret ODRL JSON", lat_naive, tp_naive)):
        print(f"{name:34}{p(lat, .5):9.2f}{p(lat, .99):9.2f}{tp:14,.0f}")
    print(f"speed-up over the baseline: throughput ×{tp_engine / tp_naive:.1f}, "
          f"p99 ×{p(lat_naive, .99) / p(lat_engine, .99):.1f}")
    print(f"against TARGETS.md: p99 {p(lat_engine, .99):.2f} µs = {p(lat_engine, .99) / P99_BOUND_US:.4f} of the "
          f"1 ms bound; throughput ×{tp_engine / THROUGHPUT_BOUND:.1f} the 10,000/s bound "
          f"(compile per request: ×{tp_cold / THROUGHPUT_BOUND:.1f})")
    print(f"disagreements with the baseline: {disagreements}")
    failed = disagreements or p(lat_engine, .99) > P99_BOUND_US or tp_engine < THROUGHPUT_BOUND
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
