"""A fast recogniser for the STIX patterns indicators carry most often.

`certainly_valid(pattern)` answers True only for patterns in a deliberately small subset of the STIX 2.1
patterning grammar: bracketed comparisons of a known cyber-observable type's known property with a plain
literal, joined by AND / OR (and, between observations, FOLLOWEDBY), without qualifiers, comments or
parentheses. For those it applies the same extra checks as `stix2-patterns` and `stix2-validator` (hash
formats, observable types and properties). Anything else answers False, meaning "not decided here": the
caller then asks `stix2-patterns` (an ANTLR parser, ~0.5 ms a pattern). The test suite proves, on a
generated corpus, that every pattern accepted here is accepted by the reference validator.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from stix2patterns.v21.object_validator import HASHES_REGEX


@functools.cache
def observables() -> tuple[Any, dict[str, Any]]:
    """The validator's observable types and their properties, imported on first use (importing
    stix2-validator takes seconds, see validation._reference)."""
    from stix2validator.v21.enums import OBSERVABLE_PROPERTIES, OBSERVABLE_TYPES
    return OBSERVABLE_TYPES, OBSERVABLE_PROPERTIES


# Keywords of the grammar (and the boolean literals); identifiers equal to one, in any case, are left to
# the reference parser rather than reasoning about how its lexer splits them.
KEYWORDS = frozenset({
    "and", "or", "not", "followedby", "like", "matches", "issuperset", "issubset", "exists", "last", "in",
    "start", "stop", "seconds", "within", "repeats", "times", "true", "false",
})

_STRING = r"'(?:[^'\\]|\\['\\])*'"
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_TIMESTAMP = (r"t'[0-9]{4}-(?:0[1-9]|1[012])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:"
              r"(?:[0-5][0-9]|60)(?:\.[0-9]+)?Z'")
_INT = r"-?(?:0|[1-9][0-9]*)"
_STEP = rf"(?:\.(?:{_IDENT}|{_STRING})|\[(?:\*|0|[1-9][0-9]*)\])"  # stix2-patterns crashes on negative indexes
_COMPARISON = re.compile(
    rf"(?P<type>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<first>{_IDENT})(?P<steps>{_STEP}*)"
    rf"(?:(?: *(?P<op>!=|<=|>=|=|<|>) *(?P<literal>{_STRING}|{_TIMESTAMP}|{_INT}(?![0-9.])|true|false))"
    rf"|(?: +(?P<word>LIKE|MATCHES) +(?P<text>{_STRING})))"
)
_STEP_ITEM = re.compile(_STEP)
_JOIN_COMPARISON = re.compile(r" +(AND|OR) +(?=[a-z0-9])")
_JOIN_OBSERVATION = re.compile(r" +(AND|OR|FOLLOWEDBY) +\[")


def _path_is_plain(type_name: str, first: str, steps: str) -> tuple[bool, list[str]]:
    """Whether the property path names a known property without keywords; returns its components."""
    types, properties = observables()
    if type_name not in types or first not in properties.get(type_name, ()):
        return False, []
    components = [first]
    for step in _STEP_ITEM.findall(steps):
        if step.startswith("["):
            components.append(step[1:-1])
        elif step.startswith(".'"):
            components.append(step[1:])
        else:
            if step[1:].lower() in KEYWORDS:
                return False, []
            components.append(step[1:])
    return first.lower() not in KEYWORDS, components


def _hash_ok(components: list[str], literal: str) -> bool:
    """The hash check of stix2-patterns' object validator, applied to the literal's source text."""
    if "hashes" not in components or components[-1] == "*":
        return True
    hash_type = components[-1].upper().replace("-", "").replace("'", "")
    if hash_type not in HASHES_REGEX:
        return True
    return re.match(HASHES_REGEX[hash_type][0], literal.replace("'", "")) is not None


def _comparison_ok(match: re.Match[str]) -> tuple[bool, str]:
    type_name = match.group("type")
    plain, components = _path_is_plain(type_name, match.group("first"), match.group("steps"))
    if not plain:
        return False, type_name
    literal = match.group("literal") or match.group("text") or ""
    if match.group("op") in ("<", ">", "<=", ">=") and literal in ("true", "false"):
        return False, type_name  # booleans are not orderable in the grammar
    return _hash_ok(components, literal), type_name


def _observation_end(pattern: str, pos: int) -> int:
    """Parse `[cmp (AND|OR cmp)*]` starting just after "["; the position after "]", or -1."""
    first_type = None
    while True:
        match = _COMPARISON.match(pattern, pos)
        if match is None:
            return -1
        ok, type_name = _comparison_ok(match)
        # Mixed object types inside one observation are left to the reference parser.
        if not ok or (first_type is not None and type_name != first_type):
            return -1
        first_type, pos = type_name, match.end()
        if pattern.startswith("]", pos):
            return pos + 1
        join = _JOIN_COMPARISON.match(pattern, pos)
        if join is None:
            return -1
        pos = join.end()


def certainly_valid(pattern: str) -> bool:
    """True when `pattern` is in the fast subset and valid; False means "ask the reference validator"."""
    if not pattern.startswith("["):
        return False
    pos = 1
    while True:
        pos = _observation_end(pattern, pos)
        if pos < 0:
            return False
        if pos == len(pattern):
            return True
        join = _JOIN_OBSERVATION.match(pattern, pos)
        if join is None:
            return False
        pos = join.end()
