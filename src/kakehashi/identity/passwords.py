"""Argon2id password hashing; the cost profile is chosen once at start-up."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_PROFILES = {
    "strong": PasswordHasher(),  # argon2-cffi defaults: RFC 9106 low-memory profile
    "fast-for-tests": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = _PROFILES["strong"]
MIN_LENGTH = 10


def configure(profile: str) -> None:
    """Choose the cost profile (tests use a cheap one; production keeps 'strong')."""
    global _hasher
    _hasher = _PROFILES[profile]


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing or malformed hash never matches."""
    if not password_hash:
        _hasher.hash(password)  # spend the same time, so timing does not reveal unknown accounts
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
