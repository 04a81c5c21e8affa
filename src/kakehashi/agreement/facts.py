"""What the log evidences, checked against the rows that claim it: the contract between `log verify` and the
contexts that append to the log.

A context that logs facts describes them with a `FactSource`: `stated(entry)` reads the facts an entry of
its kinds states (pure), `current(session, entries)` reads the same facts from today's rows. A later entry
about the same fact supersedes an earlier one (a consent requested, then granted). `log verify` compares the
two views and names each disagreement: the entry, the record and the fact, in plain words.

Sources are registered explicitly at start-up by the shell (`contexts.register_log_facts()`), never as a
side effect of an import; `verify_log` says which sources it checked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlalchemy.orm import Session


def new_salt() -> str:
    """A fresh random salt (hex) for a commitment; keep it where only auditors read (the audit row)."""
    return secrets.token_hex(16)


def commitment(salt: str, private: dict[str, Any]) -> str:
    """Commit to facts the public log must not show (who read, for which purpose): HMAC-SHA-256 keyed with the
    salt over their RFC 8785 canonical JSON. Whoever holds the salt opens it; nobody else can test guesses."""
    return hmac.new(bytes.fromhex(salt), rfc8785.dumps(private), hashlib.sha256).hexdigest()


class _Unchecked:
    """A fact the rows can no longer show (e.g. versions deleted later by a logged act): not compared."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()
ABSENT: Any = None  # as a stated value: the record should no longer exist (a logged deletion)


@dataclass(frozen=True)
class LoggedEntry:
    """One log entry of a source's kinds: index, kind and payload."""

    index: int
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """One fact about one record: `record` and `attribute` in plain words, and its value.

    `index` is the log entry that states it (stated facts), or that the row claims (current facts, if any).
    """

    record: str
    attribute: str
    value: Any
    index: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What two views of the same fact share."""
        return (self.record, self.attribute)


@dataclass(frozen=True)
class FactSource:
    """How one context's log entries are checked against its rows."""

    name: str
    kinds: tuple[str, ...]  # exact kinds, or prefixes ending with "."
    stated: Callable[[LoggedEntry], Iterable[Fact]]
    current: Callable[[Session, Sequence[LoggedEntry]], Iterable[Fact]]

    def covers(self, kind: str) -> bool:
        """Whether entries of `kind` are this source's."""
        return any(kind == k or (k.endswith(".") and kind.startswith(k)) for k in self.kinds)


_SOURCES: dict[str, FactSource] = {}


def register_fact_source(source: FactSource) -> None:
    """Register (or replace) a context's fact source; called by the shell at start-up."""
    _SOURCES[source.name] = source


def fact_sources() -> list[FactSource]:
    """The registered sources, in registration order."""
    return list(_SOURCES.values())


def _show(value: Any) -> str:
    if value is ABSENT:
        return "absent"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(value) if isinstance(value, str) else str(value)


def compare(stated: Iterable[Fact], current: Iterable[Fact]) -> list[str]:
    """Every disagreement between what the log states and what the rows show, in plain words."""
    logged: dict[tuple[str, str], Fact] = {}
    for fact in stated:  # in log order: a later entry supersedes an earlier one
        logged[fact.key] = fact
    now: dict[tuple[str, str], Fact] = {}
    for fact in current:
        now.setdefault(fact.key, fact)
    problems = []
    for key, fact in logged.items():
        row = now.pop(key, None)
        where = f"log entry {fact.index}"
        if row is None:
            if fact.value is not ABSENT:
                problems.append(f"{where}: {fact.record}: the log says its {fact.attribute} is {_show(fact.value)}, "
                                "but the database has no such record")
        elif row.value is UNCHECKED:
            continue
        elif fact.value is ABSENT:
            problems.append(f"{where}: {fact.record}: the log records its deletion, but the database still has it")
        elif row.value != fact.value:
            problems.append(f"{where}: {fact.record}: its {fact.attribute} is {_show(row.value)} in the database, "
                            f"but the log says {_show(fact.value)}")
    for fact in now.values():
        if fact.value is UNCHECKED:
            continue
        claimed = f" (it claims log entry {fact.index})" if fact.index is not None else ""
        problems.append(f"{fact.record}: its {fact.attribute} is {_show(fact.value)} in the database, "
                        f"but no log entry records it{claimed}")
    return problems
