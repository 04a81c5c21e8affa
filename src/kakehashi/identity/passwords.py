"""Argon2id password hashing (the cost profile is chosen once at start-up) and the password policy."""

from __future__ import annotations

import itertools
import re
import string
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kakehashi.kernel.i18n import N_

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


MAX_LENGTH = 200
_COMMON_FILE = Path(__file__).parent / "data" / "common_passwords.txt"
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "1234567890", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (see the header of data/common_passwords.txt for its source)."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_trivial(password: str) -> bool:
    """One character repeated, a short unit repeated, or a run of the alphabet, digits or a keyboard row."""
    text = password.lower()
    if len(set(text)) <= 2:
        return True
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    if steps <= {1} or steps <= {-1}:
        return True
    return any(text in run or text in run[::-1] for run in _SEQUENCES)


def _context_words(email: str, name: str) -> list[str]:
    local = email.lower().split("@")[0]
    words = [local, *re.split(r"[._+\-]", local), name.lower().replace(" ", ""), *name.lower().split()]
    return [word for word in words if len(word) >= 4]


def policy_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` is not acceptable (a translatable message), or None (NIST SP 800-63B 5.1.1.2).

    Length 10 to 200; not on the list of common passwords (also with leading or trailing digits and
    punctuation taken away); not one repeated or sequential run of characters; not containing the
    person's e-mail name or their name.
    """
    if len(password) < MIN_LENGTH:
        return N_("Use at least 10 characters.")
    if len(password) > MAX_LENGTH:
        return N_("Use at most 200 characters.")
    lowered = password.lower()
    core = lowered.strip(string.digits + string.punctuation + " ")
    common = common_passwords()
    if lowered in common or core in common or lowered.replace(" ", "") in common:
        return N_("This password is among the most common ones. Choose one that is harder to guess.")
    if _is_trivial(password) or (len(core) >= 6 and _is_trivial(core)):
        return N_("This password is a repeated or sequential run of characters. Choose one that is harder to guess.")
    compact = lowered.replace(" ", "")
    if any(word in compact for word in _context_words(email, name)):
        return N_("Do not use your e-mail address or your name in your password.")
    return None
