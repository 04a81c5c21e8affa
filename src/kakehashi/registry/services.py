"""Use cases of the registry: create, update, verify and unverify organisations, set their identifiers.

Each takes the session, plain values and the acting `actor`; none commits. Every identifier edit and every
verification writes an audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from kakehashi.db import lock_keys
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.registry import profile, queries
from kakehashi.registry.errors import DuplicateIdentifier, NotOwnSide, StaleVersion
from kakehashi.registry.models import Organisation, OrganisationIdentifier, OrganisationSector
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.search_index import refresh_text, write_grams
from kakehashi.registry.taxonomy import area_mask, area_of, sector_mask

# Fields whose change by someone who may not verify withdraws a verification (who the organisation is).
IDENTITY_FIELDS = ("name_en", "name_ja", "name_hi", "country")

ProfileListener = Callable[[Session, int], None]
_listeners: list[ProfileListener] = []


def on_profile_saved(listener: ProfileListener) -> None:
    """Call `listener(session, org_id)` inside the transaction whenever a profile is created or changed."""
    if listener not in _listeners:
        _listeners.append(listener)


def _saved(session: Session, org: Organisation) -> None:
    queries.forget_totals()
    for listener in _listeners:
        listener(session, org.id)


def get_for_update(session: Session, org_id: int) -> Organisation:
    """The organisation, row-locked until the transaction ends and re-read (so of two saves at once the second
    sees the first's version and is refused as stale), or NotFound."""
    loaded = session.identity_map.get(identity_key(Organisation, org_id))
    if loaded is not None and session.is_modified(loaded):  # changed in this transaction: keep its pending changes
        org: Organisation | None = loaded
    else:
        org = session.get(Organisation, org_id, with_for_update=True, populate_existing=True)
    if org is None:
        raise NotFound(N_("There is no such organisation."), field="org_id")
    return org


def create_organisation(session: Session, data: OrganisationInput, *, actor: Actor) -> Organisation:
    """Register an organisation with its sectors and identifiers (unverified); audited."""
    require(actor, "registry.org.create")
    clean = profile.clean(data)
    _refuse_duplicates(session, clean.identifiers, org_id=None)
    now = utcnow()
    org = Organisation(**clean.values, created_by=actor.user_id, created_at=now, updated_at=now, sort_name="",
                       areas=[])
    _apply_sectors(org, clean.sectors)
    org.identifiers = [OrganisationIdentifier(scheme=s, value=v) for s, v in sorted(clean.identifiers.items())]
    refresh_text(org)
    session.add(org)
    _flush_guarded(session, org, clean.identifiers)
    write_grams(session, org)
    audit.record(session, actor, "registry.org.created", target_type="organisation", target_id=org.id,
                 details={"name_en": org.name_en, "country": org.country,
                          "identifiers": dict(sorted(clean.identifiers.items()))})
    _saved(session, org)
    return org


def update_organisation(
    session: Session, org_id: int, data: OrganisationInput, *, expected_version: int, actor: Actor,
) -> Organisation:
    """Change a profile; refused with StaleVersion if it changed since `expected_version` was read."""
    org = get_for_update(session, org_id)
    require(actor, "registry.org.edit", side=org.country, org_id=org.id)
    if org.version != expected_version:
        raise StaleVersion()
    clean = profile.clean(data)
    _refuse_duplicates(session, clean.identifiers, org_id=org.id)
    with session.no_autoflush:  # one UPDATE (one version step) for the whole change
        changed = [name for name, value in clean.values.items() if getattr(org, name) != value]
        for name in changed:
            setattr(org, name, clean.values[name])
        if set(clean.sectors) != {sector.sector for sector in org.sectors}:
            _apply_sectors(org, clean.sectors)
            changed.append("sectors")
        identifier_changes = _replace_identifiers(session, org, clean.identifiers, actor=actor)
        if identifier_changes:
            changed.append("identifiers")
        if not changed:
            return org
        org.updated_at = utcnow()
        audit.record(session, actor, "registry.org.updated", target_type="organisation", target_id=org.id,
                     details={"fields": sorted(changed)})
        if org.is_verified and not _may_verify(actor, org) and (
                identifier_changes or any(name in IDENTITY_FIELDS for name in changed)):
            _withdraw(session, org, actor=actor, reason="identity changed by someone who may not verify")
        refresh_text(org)
    _flush_guarded(session, org, clean.identifiers)
    write_grams(session, org)
    _saved(session, org)
    return org


def set_identifiers(session: Session, org_id: int, identifiers: Mapping[str, str], *, actor: Actor) -> Organisation:
    """Replace an organisation's identifiers (blank values remove); one audit row per change."""
    org = get_for_update(session, org_id)
    require(actor, "registry.org.edit", side=org.country, org_id=org.id)
    errors: dict[str, str] = {}
    clean = profile.clean_identifiers(identifiers, org.country, errors)
    if errors:
        raise ValidationFailed(errors)
    _refuse_duplicates(session, clean, org_id=org.id)
    with session.no_autoflush:
        if not _replace_identifiers(session, org, clean, actor=actor):
            return org
        org.updated_at = utcnow()
        if org.is_verified and not _may_verify(actor, org):
            _withdraw(session, org, actor=actor, reason="identifiers changed by someone who may not verify")
        refresh_text(org)
    _flush_guarded(session, org, clean)
    write_grams(session, org)
    _saved(session, org)
    return org


def verify_organisation(session: Session, org_id: int, *, actor: Actor) -> Organisation:
    """Mark an organisation verified; only an officer of its own country's side may (recorded with who and when)."""
    org = get_for_update(session, org_id)
    require(actor, "registry.org.verify", side=org.country)
    if not _may_verify(actor, org):
        raise NotOwnSide()
    org.verified_at, org.verified_by = utcnow(), actor.user_id
    queries.forget_totals()
    audit.record(session, actor, "registry.org.verified", target_type="organisation", target_id=org.id,
                 details={"country": org.country, "ministry": actor.ministry.value if actor.ministry else None},
                 side=org.country)
    return org


def unverify_organisation(session: Session, org_id: int, *, actor: Actor, reason: str = "") -> Organisation:
    """Withdraw a verification (same officers as verify); audited with the reason."""
    org = get_for_update(session, org_id)
    require(actor, "registry.org.verify", side=org.country)
    if not _may_verify(actor, org):
        raise NotOwnSide()
    _withdraw(session, org, actor=actor, reason=" ".join(reason.split())[:500])
    return org


def _may_verify(actor: Actor, org: Organisation) -> bool:
    if actor is SYSTEM:
        return True
    return actor.is_officer and actor.side is not None and actor.side.value == org.country


def _withdraw(session: Session, org: Organisation, *, actor: Actor, reason: str) -> None:
    if not org.is_verified:
        return
    details: dict[str, Any] = {"reason": reason, "was_verified_by": org.verified_by,
                               "was_verified_at": org.verified_at.isoformat() if org.verified_at else None}
    org.verified_at, org.verified_by = None, None
    queries.forget_totals()
    audit.record(session, actor, "registry.org.unverified", target_type="organisation", target_id=org.id,
                 details=details, side=org.country)


def _apply_sectors(org: Organisation, sectors: tuple[str, ...]) -> None:
    keep = {sector.sector: sector for sector in org.sectors}
    org.sectors = [keep.get(code) or OrganisationSector(sector=code, area=area_of(code)) for code in sectors]
    org.areas = sorted({area_of(code) for code in sectors})
    org.area_mask, org.sector_mask = area_mask(sectors), sector_mask(sectors)


def _replace_identifiers(
    session: Session, org: Organisation, wanted: Mapping[str, str], *, actor: Actor,
) -> list[str]:
    """Make the organisation hold exactly `wanted`; audit each change; return the schemes that changed."""
    current = {identifier.scheme: identifier for identifier in org.identifiers}
    changed: list[str] = []
    for scheme in sorted(set(current) | set(wanted)):
        before = current[scheme].value if scheme in current else None
        after = wanted.get(scheme)
        if before == after:
            continue
        if scheme in current and after is None:
            org.identifiers.remove(current[scheme])
        elif scheme in current and after is not None:
            current[scheme].value = after
        elif after is not None:
            org.identifiers.append(OrganisationIdentifier(scheme=scheme, value=after))
        verb = "added" if before is None else "removed" if after is None else "changed"
        audit.record(session, actor, f"registry.identifier.{verb}", target_type="organisation", target_id=org.id,
                     details={"scheme": scheme, "before": before, "after": after})
        changed.append(scheme)
    return changed


def _refuse_duplicates(session: Session, identifiers: Mapping[str, str], *, org_id: int | None) -> None:
    """DuplicateIdentifier if another organisation holds one of `identifiers` (query before any change).

    Each identifier is locked first (until the transaction ends), so two registrations of one identifier at
    once queue and the second is refused here rather than by the unique constraint at flush."""
    lock_keys(session, *(f"registry.identifier:{scheme}:{value}" for scheme, value in identifiers.items()))
    for scheme, value in identifiers.items():
        owner = session.scalar(select(OrganisationIdentifier.org_id).where(
            OrganisationIdentifier.scheme == scheme, OrganisationIdentifier.value == value))
        if owner is not None and owner != org_id:
            raise DuplicateIdentifier(scheme, value, owner)


def _flush_guarded(session: Session, org: Organisation, identifiers: Mapping[str, str]) -> None:
    """Flush; a concurrent registration of the same identifier surfaces as DuplicateIdentifier, not a 500."""
    org_id = org.id
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        _refuse_duplicates(session, identifiers, org_id=org_id)
        raise
