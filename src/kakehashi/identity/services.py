"""Identity use cases: invite, sign up, sign in and out, sessions, API tokens, roles, profiles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.identity import passwords
from kakehashi.identity.errors import EmailTaken, InvalidCredentials, InvitationInvalid, LoginThrottled
from kakehashi.identity.models import ApiToken, Invitation, LoginAttempt, User, WebSession
from kakehashi.kernel import audit, text
from kakehashi.kernel.authz import (
    MINISTRY_SIDE,
    ROLES_WITH_SIDE,
    SYSTEM,
    Actor,
    Ministry,
    Role,
    Side,
    require,
)
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, NotFound, ValidationFailed
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


def create_user(
    session: Session, *, email: str, name: str, password: str | None, spec: RoleSpec,
    actor: Actor = SYSTEM, name_ja: str | None = None,
) -> User:
    """Create an account directly (CLI, demo, invitations); audited."""
    require(actor, "identity.invite", side=spec.side, org_id=spec.org_id)
    spec.check()
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(N_("An account with this e-mail already exists."), field="email")
    if not name.strip() or len(name) > 200:
        raise DomainError(N_("Give a name of 1 to 200 characters."), field="name")
    name = text.checked_name(name, field="name")  # NFC; zero-width and bidi look-alikes refused
    name_ja = text.checked_name(name_ja, field="name_ja") if name_ja else name_ja
    if password is not None and len(password) < passwords.MIN_LENGTH:
        raise DomainError(f"Use at least {passwords.MIN_LENGTH} characters.", field="password", code="password_short")
    user = User(
        email=email, name=name.strip(), name_ja=name_ja, role=spec.role.value,
        side=spec.side.value if spec.side else None, ministry=spec.ministry.value if spec.ministry else None,
        org_id=spec.org_id, password_hash=passwords.hash_password(password) if password else None,
        created_at=utcnow(), languages=[],
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "identity.user.created", target_type="user", target_id=user.id,
                 details={"role": spec.role.value, "side": user.side, "org_id": spec.org_id})
    return user


def invite(session: Session, *, email: str, spec: RoleSpec, actor: Actor, days: int = 14) -> tuple[Invitation, str]:
    """Invite someone to sign up with a role; returns the invitation and its one-time token."""
    require(actor, "identity.invite", side=spec.side, org_id=spec.org_id)
    spec.check()
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
                 details={"email": email, "role": spec.role.value})
    return invitation, token


def find_invitation(session: Session, token: str) -> Invitation:
    """The open invitation for a token, or InvitationInvalid."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        raise InvitationInvalid(N_("This invitation is unknown, expired or already used."))
    return invitation


def accept_invitation(session: Session, *, token: str, name: str, password: str) -> User:
    """Sign up through an invitation: the account gets exactly the invited role."""
    invitation = find_invitation(session, token)
    spec = RoleSpec(
        Role(invitation.role), Side(invitation.side) if invitation.side else None,
        Ministry(invitation.ministry) if invitation.ministry else None, invitation.org_id,
    )
    user = create_user(session, email=invitation.email, name=name, password=password, spec=spec)
    invitation.accepted_at = utcnow()
    return user


def authenticate(
    session: Session, *, email: str, password: str, client: str, max_failures: int, window: dt.timedelta,
) -> User:
    """Check credentials, throttled per account and per client; every attempt is kept."""
    email = email.strip().lower()
    now = utcnow()
    since = now - window
    failures = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False),
            (LoginAttempt.email == email) | (LoginAttempt.client == client),
        )
    ) or 0
    if failures >= max_failures:
        raise LoginThrottled(N_("Too many failed sign-ins. Wait a few minutes and try again."))
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


def create_api_token(session: Session, *, user: User, name: str = "cli", actor: Actor = SYSTEM) -> str:
    """Mint an API token for a user; returns the secret (shown once)."""
    secret = "kk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name[:100], token_hash=token_hash(secret), prefix=secret[:10],
                         created_at=utcnow()))
    audit.record(session, actor, "identity.token.created", target_type="user", target_id=user.id,
                 details={"name": name, "prefix": secret[:10]})
    return secret


def resolve_api_token(session: Session, secret: str) -> User | None:
    """The user behind a bearer token, or None if unknown or revoked."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    return user if user is not None and user.is_active else None


def change_role(session: Session, *, user_id: int, spec: RoleSpec, actor: Actor) -> User:
    """Give a user another role; audited, and their sessions end so the new rights apply at once."""
    require(actor, "identity.invite", side=spec.side, org_id=spec.org_id)
    spec.check()
    user = get_user(session, user_id)
    before = {"role": user.role, "side": user.side, "org_id": user.org_id}
    user.role, user.org_id = spec.role.value, spec.org_id
    user.side = spec.side.value if spec.side else None
    user.ministry = spec.ministry.value if spec.ministry else None
    for web_session in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        session.delete(web_session)
    audit.record(session, actor, "identity.role.changed", target_type="user", target_id=user.id,
                 details={"before": before, "after": {"role": user.role, "side": user.side, "org_id": user.org_id}})
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
