"""Identity use cases: invite, sign up, sign in and out, sessions, API tokens, roles, profiles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.identity import passwords
from kakehashi.identity.errors import EmailTaken, InvalidCredentials, InvitationInvalid, InvitationUsed, LoginThrottled
from kakehashi.identity.models import ApiToken, Invitation, LoginAttempt, User, WebSession
from kakehashi.kernel import audit, text
from kakehashi.kernel.audit import AuditEvent
from kakehashi.kernel.authz import (
    MINISTRY_SIDE,
    ROLES_WITH_SIDE,
    SYSTEM,
    Actor,
    Ministry,
    Role,
    Side,
    can_grant,
    require,
)
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, Forbidden, NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_

ProfileListener = Callable[[Session, int], None]
_profile_listeners: list[ProfileListener] = []


def on_profile_saved(listener: ProfileListener) -> None:
    """Call `listener(session, user_id)` inside the transaction whenever a person saves their profile."""
    if listener not in _profile_listeners:
        _profile_listeners.append(listener)


def token_hash(token: str) -> str:
    """SHA-256 hex of a bearer secret: what we store instead of the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Validate syntax (no DNS lookup) and lower-case the address."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(str(exc), field="email", code="email_invalid") from exc


@dataclass(frozen=True)
class RoleSpec:
    """A role with the side, ministry and organisation it is tied to."""

    role: Role
    side: Side | None = None
    ministry: Ministry | None = None
    org_id: int | None = None

    def check(self) -> None:
        """Refuse combinations that make no sense (an officer without a side, a METI liaison in India)."""
        errors: dict[str, str] = {}
        if self.role in ROLES_WITH_SIDE and self.side is None:
            errors["side"] = N_("This role needs a side (JP or IN).")
        if self.role in (Role.NODAL_OFFICER, Role.MINISTRY_LIAISON) and self.ministry is None:
            errors["ministry"] = N_("Officers and liaisons belong to a ministry.")
        if self.ministry and self.side and MINISTRY_SIDE[self.ministry] != self.side:
            errors["ministry"] = N_("This ministry belongs to the other side.")
        if self.role in (Role.ORG_ADMIN, Role.ORG_MEMBER) and self.org_id is None:
            errors["org_id"] = N_("This role needs an organisation.")
        if errors:
            raise ValidationFailed(errors)


def _org_side(session: Session, org_id: int | None) -> str | None:
    """The country of organisation `org_id`, or None when there is none (or no such organisation)."""
    if org_id is None:
        return None
    org = registry.get_organisation(session, org_id)
    return org.country if org is not None else None


def may_grant(session: Session, actor: Actor, spec: RoleSpec) -> bool:
    """Whether `actor` may give `spec` (its role, side and organisation) to someone: kernel.authz.can_grant."""
    return can_grant(actor, spec.role, side=spec.side.value if spec.side else None, org_id=spec.org_id,
                     org_side=_org_side(session, spec.org_id))


def require_grant(session: Session, actor: Actor, spec: RoleSpec) -> None:
    """Refuse unless `actor` may grant `spec`; then refuse specs that make no sense or name no organisation."""
    if not actor.is_authenticated and actor is not SYSTEM:
        require(actor, "profile.edit_self")  # raises Unauthenticated
    if not may_grant(session, actor, spec):
        raise Forbidden(N_("You may not grant this role here."), field="role", code="grant_forbidden")
    spec.check()
    if spec.org_id is not None and _org_side(session, spec.org_id) is None:
        raise ValidationFailed({"org_id": N_("No such organisation.")})


def _grantor(actor: Actor) -> dict[str, object]:
    """The grantor as the audit trail keeps it (for `users review-grants`)."""
    return {"user_id": actor.user_id, "role": actor.role.value if actor.role else None,
            "side": actor.side.value if actor.side else None, "org_id": actor.org_id}


def check_password(password: str, *, email: str, name: str) -> None:
    """Apply the password policy (passwords.policy_problem); the message names the field."""
    problem = passwords.policy_problem(password, email=email, name=name)
    if problem is not None:
        raise DomainError(problem, field="password", code="password_weak")


def create_user(
    session: Session, *, email: str, name: str, password: str | None, spec: RoleSpec,
    actor: Actor = SYSTEM, name_ja: str | None = None,
) -> User:
    """Create an account directly (CLI, demo, invitations); audited. The actor must be able to grant the role."""
    require_grant(session, actor, spec)
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(N_("An account with this e-mail already exists."), field="email")
    if not name.strip() or len(name) > 200:
        raise DomainError(N_("Give a name of 1 to 200 characters."), field="name")
    name = text.checked_name(name, field="name")  # NFC; zero-width and bidi look-alikes refused
    name_ja = text.checked_name(name_ja, field="name_ja") if name_ja else name_ja
    if password is not None:
        check_password(password, email=email, name=name)
    user = User(
        email=email, name=name.strip(), name_ja=name_ja, role=spec.role.value,
        side=spec.side.value if spec.side else None, ministry=spec.ministry.value if spec.ministry else None,
        org_id=spec.org_id, password_hash=passwords.hash_password(password) if password else None,
        created_at=utcnow(), languages=[],
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "identity.user.created", target_type="user", target_id=user.id,
                 details={"role": spec.role.value, "side": user.side, "org_id": spec.org_id,
                          "grantor": _grantor(actor)})
    return user


def invite(session: Session, *, email: str, spec: RoleSpec, actor: Actor, days: int = 14) -> tuple[Invitation, str]:
    """Invite someone to sign up with a role the actor may grant; returns the invitation and its one-time token."""
    require_grant(session, actor, spec)
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(N_("An account with this e-mail already exists."), field="email")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        token_hash=token_hash(token), email=email, role=spec.role.value,
        side=spec.side.value if spec.side else None, ministry=spec.ministry.value if spec.ministry else None,
        org_id=spec.org_id, invited_by=actor.user_id, created_at=now, expires_at=now + dt.timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    audit.record(session, actor, "identity.invitation.created", target_type="invitation", target_id=invitation.id,
                 details={"email": email, "role": spec.role.value, "side": invitation.side, "org_id": spec.org_id,
                          "grantor": _grantor(actor)})
    return invitation, token


def _invitation_spec(invitation: Invitation) -> RoleSpec:
    return RoleSpec(
        Role(invitation.role), Side(invitation.side) if invitation.side else None,
        Ministry(invitation.ministry) if invitation.ministry else None, invitation.org_id,
    )


def find_invitation(session: Session, token: str) -> Invitation:
    """The open invitation for a token, or InvitationInvalid.

    An invitation whose inviter may no longer grant its role (or never could: made before roles were bounded
    by the grantor) is invalid too.
    """
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        raise InvitationInvalid(N_("This invitation is unknown, expired or already used."))
    if invitation.invited_by is not None:
        inviter = session.get(User, invitation.invited_by)
        if inviter is None or not inviter.is_active or not may_grant(session, inviter.actor(),
                                                                      _invitation_spec(invitation)):
            raise InvitationInvalid(N_("This invitation is unknown, expired or already used."))
    return invitation


def accept_invitation(session: Session, *, token: str, name: str, password: str) -> User:
    """Sign up through an invitation: the account gets exactly the invited role.

    The invitation is claimed first with a conditional UPDATE (... WHERE accepted_at IS NULL): of two
    acceptances at once, the second waits for the first's row lock and then finds it used."""
    invitation = find_invitation(session, token)
    claimed = session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow()).execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise InvitationUsed(N_("This invitation is unknown, expired or already used."))
    spec = RoleSpec(
        Role(invitation.role), Side(invitation.side) if invitation.side else None,
        Ministry(invitation.ministry) if invitation.ministry else None, invitation.org_id,
    )
    user = create_user(session, email=invitation.email, name=name, password=password, spec=spec)
    session.refresh(invitation, ["accepted_at"])
    return user


THROTTLE_LOOKBACK = dt.timedelta(hours=24)
THROTTLE_MAX_DELAY = dt.timedelta(hours=1)
CLIENT_FAILURES_FACTOR = 4  # a client may fail this many times `max_failures`, over all accounts, before waiting


def _backoff(failures: int, threshold: int, last: dt.datetime | None, now: dt.datetime) -> int:
    """Seconds still to wait: none below `threshold` failures, then 2, 4, 8 ... seconds after the last one."""
    if failures < threshold or last is None:
        return 0
    delay = min(dt.timedelta(seconds=2 ** min(failures - threshold + 1, 30)), THROTTLE_MAX_DELAY)
    return max(0, int((last + delay - now).total_seconds() + 0.999))


def retry_after(session: Session, *, email: str, client: str, max_failures: int,
                now: dt.datetime | None = None) -> int:
    """Seconds before `client` may try to sign in to `email` again (0: now).

    Failures count per (account, client) pair since that pair's last success, and per client over all
    accounts; each throttle backs off exponentially. Failures from other clients never delay this one, so a
    stranger cannot lock the owner out. State is in the database: it holds across app processes.
    """
    now = now or utcnow()
    email, client = email.strip().lower(), client[:64]
    since = now - THROTTLE_LOOKBACK
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.client == client, LoginAttempt.succeeded.is_(True),
        LoginAttempt.at >= since))
    pair_since = max(since, last_success) if last_success is not None else since
    pair_failures, pair_last = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.client == client, LoginAttempt.succeeded.is_(False),
        LoginAttempt.at > pair_since)).one()
    client_failures, client_last = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.client == client, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)).one()
    return max(_backoff(pair_failures or 0, max_failures, pair_last, now),
               _backoff(client_failures or 0, max_failures * CLIENT_FAILURES_FACTOR, client_last, now))


def authenticate(
    session: Session, *, email: str, password: str, client: str, max_failures: int,
    window: dt.timedelta | None = None, now: dt.datetime | None = None,
) -> User:
    """Check credentials, throttled per (account, client) and per client with exponential back-off.

    The one place where passwords are checked (sign-in page, TAXII Basic). Every checked attempt is kept;
    an attempt refused by the throttle checks no password and is not counted. `window` is accepted for
    callers of the former lock-out and no longer used.
    """
    del window
    email = email.strip().lower()
    now = now or utcnow()
    wait = retry_after(session, email=email, client=client, max_failures=max_failures, now=now)
    if wait > 0:
        raise LoginThrottled(wait)
    user = session.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(email=email, client=client[:64], at=now, succeeded=ok and user is not None))
    if not ok or user is None:
        raise InvalidCredentials(N_("E-mail or password is not right."))
    audit.record(session, user.actor(), "identity.signed_in", target_type="user", target_id=user.id)
    return user


def start_session(session: Session, user: User, *, idle: dt.timedelta, user_agent: str = "") -> str:
    """Open a browser session; returns the cookie token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(WebSession(id=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                           expires_at=now + idle, user_agent=user_agent[:300]))
    return token


def resolve_session(session: Session, token: str, *, idle: dt.timedelta, absolute: dt.timedelta) -> User | None:
    """The user of a live session, sliding its idle expiry; None when expired or unknown."""
    found = session.execute(  # one statement for both rows: every page request asks
        select(WebSession, User).join(User, User.id == WebSession.user_id).where(WebSession.id == token_hash(token))
    ).first()
    now = utcnow()
    if found is None:
        return None
    web_session, user = found
    if web_session.expires_at < now or web_session.created_at + absolute < now or not user.is_active:
        return None
    if now - web_session.last_seen_at > dt.timedelta(minutes=1):  # avoid a write per request
        web_session.last_seen_at = now
        web_session.expires_at = now + idle
    return user


def end_session(session: Session, token: str) -> None:
    """Sign out: the session row is deleted, so the cookie is worthless everywhere."""
    web_session = session.get(WebSession, token_hash(token))
    if web_session is not None:
        user = session.get(User, web_session.user_id)
        if user is not None:
            audit.record(session, user.actor(), "identity.signed_out", target_type="user", target_id=user.id)
        session.delete(web_session)


DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)  # at most one write of last_used_at per token per minute


def issue_api_token(
    session: Session, *, user: User, name: str, days: int = DEFAULT_TOKEN_DAYS, actor: Actor = SYSTEM,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Mint a named API token for `user` valid for `days` (1 to 365); returns it and the secret (shown once).

    Only the user themself (or the platform, from the CLI) mints a user's tokens.
    """
    if actor is not SYSTEM:
        require(actor, "profile.edit_self")
        if actor.user_id != user.id:
            raise Forbidden(N_("You may create API tokens only for yourself."))
    errors: dict[str, str] = {}
    name = name.strip()
    if not name or len(name) > 100:
        errors["name"] = N_("Give a name of 1 to 100 characters.")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        errors["days"] = N_("A token lives 1 to 365 days.")
    if errors:
        raise ValidationFailed(errors)
    now = now or utcnow()
    secret = "kk_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret), prefix=secret[:10],
                     created_at=now, expires_at=now + dt.timedelta(days=days))
    session.add(token)
    session.flush()
    audit.record(session, actor, "identity.token.created", target_type="user", target_id=user.id,
                 details={"token_id": token.id, "name": name, "prefix": token.prefix,
                          "expires_at": token.expires_at.isoformat()})
    return token, secret


def create_api_token(session: Session, *, user: User, name: str = "cli", days: int = DEFAULT_TOKEN_DAYS,
                     actor: Actor = SYSTEM) -> str:
    """Mint an API token for a user; returns the secret (shown once)."""
    return issue_api_token(session, user=user, name=name, days=days, actor=actor)[1]


def list_api_tokens(session: Session, *, user_id: int, actor: Actor = SYSTEM) -> list[ApiToken]:
    """A user's API tokens, newest first (their own, or anyone's for the platform and its admins)."""
    if actor is not SYSTEM:
        require(actor, "profile.edit_self")
        if actor.user_id != user_id and not actor.is_admin:
            raise Forbidden(N_("You may see only your own API tokens."))
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token(session: Session, *, token_id: int, actor: Actor = SYSTEM,
                     now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token at once (its owner, a platform admin, or the CLI); audited. Revoking twice is harmless."""
    if actor is not SYSTEM:
        require(actor, "profile.edit_self")
    token = session.get(ApiToken, token_id)
    if token is None or (actor is not SYSTEM and not actor.is_admin and token.user_id != actor.user_id):
        raise NotFound(N_("No such API token."))  # another person's token: its existence is private
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        audit.record(session, actor, "identity.token.revoked", target_type="user", target_id=token.user_id,
                     details={"token_id": token.id, "name": token.name, "prefix": token.prefix})
    return token


def resolve_api_token(session: Session, secret: str, *, now: dt.datetime | None = None) -> User | None:
    """The user behind a bearer token, or None if unknown, revoked or expired; notes its last use."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = now or utcnow()
    if token is None or not token.is_live(now):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    return user


def change_role(session: Session, *, user_id: int, spec: RoleSpec, actor: Actor) -> User:
    """Give a user another role; audited, and their sessions end so the new rights apply at once.

    The actor must be able to grant both the user's present role (where it is) and the new one.
    """
    user = get_user(session, user_id)
    present = RoleSpec(Role(user.role), Side(user.side) if user.side else None,
                       Ministry(user.ministry) if user.ministry else None, user.org_id)
    if not may_grant(session, actor, present):
        raise Forbidden(N_("You may not grant this role here."), field="role", code="grant_forbidden")
    require_grant(session, actor, spec)
    before = {"role": user.role, "side": user.side, "org_id": user.org_id}
    user.role, user.org_id = spec.role.value, spec.org_id
    user.side = spec.side.value if spec.side else None
    user.ministry = spec.ministry.value if spec.ministry else None
    for web_session in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        session.delete(web_session)
    audit.record(session, actor, "identity.role.changed", target_type="user", target_id=user.id,
                 details={"before": before, "after": {"role": user.role, "side": user.side, "org_id": user.org_id},
                          "grantor": _grantor(actor)})
    return user


def get_user(session: Session, user_id: int) -> User:
    """A user by id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    """A user by e-mail (case-insensitive), or None."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def users_of_org(session: Session, org_id: int) -> list[User]:
    """The members of an organisation, by name."""
    return list(session.scalars(select(User).where(User.org_id == org_id).order_by(User.name)))


def update_profile(
    session: Session, *, actor: Actor, title: str | None, languages: list[str], jlpt_level: str | None,
    expertise: str | None, preferred_locale: str | None, preferred_timezone: str | None,
) -> User:
    """Edit one's own profile (title, languages with JLPT level, expertise, locale, time zone)."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    user = get_user(session, actor.user_id)
    if jlpt_level not in (None, "", "N1", "N2", "N3", "N4", "N5"):
        raise DomainError(N_("JLPT level is N1 to N5."), field="jlpt_level")
    if preferred_locale not in (None, "", "en", "ja", "hi"):
        raise DomainError(N_("Unknown language."), field="preferred_locale")
    if preferred_timezone not in (None, "", "Asia/Tokyo", "Asia/Kolkata"):
        raise DomainError(N_("Choose JST or IST."), field="preferred_timezone")
    if title and len(title) > 200:
        raise DomainError(N_("At most 200 characters."), field="title")
    user.title, user.languages, user.jlpt_level = title or None, languages[:10], jlpt_level or None
    user.expertise = (expertise or "")[:4000] or None
    user.preferred_locale, user.preferred_timezone = preferred_locale or None, preferred_timezone or None
    session.flush()
    for listener in _profile_listeners:
        listener(session, user.id)
    return user


def list_people(session: Session, *, actor: Actor, org_id: int | None = None, side: str | None = None,
                limit: int = 200) -> list[User]:
    """People the actor may manage: an org admin sees their organisation, officers their side, admins all."""
    query = select(User).order_by(User.name).limit(limit)
    if actor.is_admin:
        if org_id is not None:
            query = query.where(User.org_id == org_id)
        return list(session.scalars(query))
    if actor.role is Role.ORG_ADMIN:
        require(actor, "identity.invite", org_id=actor.org_id)
        return list(session.scalars(query.where(User.org_id == actor.org_id)))
    require(actor, "identity.invite", side=side or (actor.side.value if actor.side else None))
    return list(session.scalars(query.where(User.side == (actor.side.value if actor.side else None))))


def invitation_link(token: str) -> str:
    """The path at which an invited person signs up."""
    return f"/invitations/{token}"


def officers_of_side(session: Session, side: str, *, nodal_only: bool = False) -> list[User]:
    """Active nodal officers (and, unless `nodal_only`, ministry liaisons) of one side, by name."""
    roles = [Role.NODAL_OFFICER.value] if nodal_only else [Role.NODAL_OFFICER.value, Role.MINISTRY_LIAISON.value]
    query = select(User).where(User.side == side, User.role.in_(roles), User.is_active.is_(True)).order_by(User.name)
    return list(session.scalars(query))


@dataclass(frozen=True)
class GrantToReview:
    """An account whose role was given by someone who may not grant it (under GRANTABLE_ROLES)."""

    user: User
    grantor_id: int | None
    grantor_role: str | None
    via: str


def _grantor_actor(session: Session, user_id: int | None, snapshot: object) -> Actor | None:
    """The grantor as they were when granting (audit snapshot), else as they are now; None if unknown."""
    if isinstance(snapshot, dict) and snapshot.get("role"):
        return Actor(user_id=snapshot.get("user_id") or user_id, role=Role(snapshot["role"]),
                     side=Side(snapshot["side"]) if snapshot.get("side") else None, org_id=snapshot.get("org_id"))
    grantor = session.get(User, user_id) if user_id is not None else None
    return grantor.actor() if grantor is not None else None


def review_grants(session: Session) -> list[GrantToReview]:
    """Accounts whose present role came from someone who could not grant it under the present rule.

    The grant is the latest role change, else the account's creation by a person, else the accepted
    invitation. Grants by the platform itself (CLI, demo, SYSTEM) are not listed.
    """
    events: dict[str, list[AuditEvent]] = {}
    for event in session.scalars(select(AuditEvent).where(
            AuditEvent.target_type == "user",
            AuditEvent.action.in_(("identity.role.changed", "identity.user.created"))).order_by(AuditEvent.id)):
        events.setdefault(event.target_id, []).append(event)
    invitations: dict[str, Invitation] = {}
    for invitation in session.scalars(select(Invitation).where(Invitation.accepted_at.is_not(None))
                                      .order_by(Invitation.accepted_at)):
        invitations[invitation.email] = invitation
    found = []
    for user in session.scalars(select(User).order_by(User.id)):
        own = events.get(str(user.id), [])
        changes = [e for e in own if e.action == "identity.role.changed"]
        created = [e for e in own if e.action == "identity.user.created"]
        grantor_id: int | None
        if changes:
            event = changes[-1]
            grantor_id, snapshot, via = event.actor_user_id, event.details.get("grantor"), "role change"
        elif created and created[-1].actor_user_id is not None:
            event = created[-1]
            grantor_id, snapshot, via = event.actor_user_id, event.details.get("grantor"), "account creation"
        elif user.email in invitations:
            invitation = invitations[user.email]
            created_event = session.scalar(select(AuditEvent).where(
                AuditEvent.action == "identity.invitation.created", AuditEvent.target_type == "invitation",
                AuditEvent.target_id == str(invitation.id)))
            grantor_id = invitation.invited_by
            snapshot = created_event.details.get("grantor") if created_event is not None else None
            via = f"invitation {invitation.id}"
        else:
            continue
        if grantor_id is None:
            continue  # the platform itself
        grantor = _grantor_actor(session, grantor_id, snapshot)
        spec = RoleSpec(Role(user.role), Side(user.side) if user.side else None,
                        Ministry(user.ministry) if user.ministry else None, user.org_id)
        if grantor is None or not may_grant(session, grantor, spec):
            found.append(GrantToReview(user, grantor_id, grantor.role.value if grantor and grantor.role else None,
                                       via))
    return found
