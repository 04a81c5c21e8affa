"""C2SP tlog-checkpoint bodies in C2SP signed notes, signed by the log and cosigned by witnesses.

* signed-note: text ending in a newline, a blank line, then lines
  ``— <key name> base64(key ID || signature)``; key ID = SHA-256(name || 0x0A || type ||
  public key)[:4]; type 0x01 is an Ed25519 signature over the text.
* tlog-checkpoint: origin line, decimal tree size, base64 root hash, optional extension lines.
* tlog-cosignature/v1 (type 0x04): the signature is ``u64 timestamp || Ed25519 signature`` over
  ``"cosignature/v1\\ntime <timestamp>\\n" || checkpoint text``. Each participant (METI, MeitY)
  runs a witness key, so a client holding both cosignatures knows both sides saw this tree.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 64
_DECIMAL = re.compile(r"^(0|[1-9][0-9]{0,19})$")


class NoteError(ValueError):
    """A note, checkpoint or signature is malformed or does not verify; the message says why."""


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"{text[:20]!r} is not standard base64") from exc


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} is empty or has a space or '+'")


def note_key_id(name: str, sig_type: int, public_key: Ed25519PublicKey) -> bytes:
    """Return the 4-byte key ID SHA-256(name || 0x0A || type || public key)[:4]."""
    material = name.encode() + b"\n" + bytes([sig_type]) + _raw_public(public_key)
    return hashlib.sha256(material).digest()[:4]


@dataclass(frozen=True)
class NoteKey:
    """A named Ed25519 key of one signature type (0x01 log, 0x04 witness cosignature)."""

    name: str
    public_key: Ed25519PublicKey
    sig_type: int = ED25519

    @property
    def key_id(self) -> bytes:
        """The 4-byte key ID that prefixes this key's signatures."""
        return note_key_id(self.name, self.sig_type, self.public_key)

    def vkey(self) -> str:
        """Return the verifier key string ``name+hexid+base64(type || public key)``."""
        material = bytes([self.sig_type]) + _raw_public(self.public_key)
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(material).decode()}"


def parse_vkey(vkey: str) -> NoteKey:
    """Parse a verifier key string; raise NoteError unless it is well formed and consistent."""
    name, _, rest = vkey.partition("+")
    hex_id, _, encoded = rest.partition("+")
    _check_name(name)
    material = _b64decode(encoded)
    if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("verifier key is not an Ed25519 or cosignature/v1 key")
    key = NoteKey(name, Ed25519PublicKey.from_public_bytes(material[1:]), material[0])
    if hex_id != key.key_id.hex():
        raise NoteError("verifier key ID does not match its name and key")
    return key


@dataclass(frozen=True)
class NoteSigner:
    """A private key that signs notes under a name (the log) or cosigns them (a witness)."""

    name: str
    private_key: Ed25519PrivateKey
    sig_type: int = ED25519

    @property
    def key(self) -> NoteKey:
        """The public side, for verifiers."""
        return NoteKey(self.name, self.private_key.public_key(), self.sig_type)

    def signature_line(self, text: str, timestamp: int = 0) -> str:
        """Return ``— name base64(...)`` over a note text (timestamp for cosignatures)."""
        _check_name(self.name)
        if self.sig_type == COSIGNATURE_V1:
            stamp = timestamp.to_bytes(8, "big")
            body = stamp + self.private_key.sign(_cosigned_message(text, timestamp))
        else:
            body = self.private_key.sign(text.encode())
        blob = base64.b64encode(self.key.key_id + body).decode()
        return f"{DASH} {self.name} {blob}\n"


def _cosigned_message(text: str, timestamp: int) -> bytes:
    if not 0 <= timestamp < 2**63:
        raise NoteError("cosignature timestamp is out of range")
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note."""

    name: str
    key_id: bytes
    body: bytes

    def timestamp(self) -> int:
        """The cosignature timestamp (first 8 bytes of the body, big-endian)."""
        if len(self.body) != 72:
            raise NoteError(f"signature by {self.name} is not a cosignature/v1")
        return int.from_bytes(self.body[:8], "big")


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text does not end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("note has control characters")


def _parse_signature_line(line: str) -> NoteSignature:
    prefix, _, rest = line.partition(" ")
    name, _, blob = rest.partition(" ")
    if prefix != DASH or not blob:
        raise NoteError(f"malformed signature line {line[:40]!r}")
    _check_name(name)
    raw = _b64decode(blob)
    if len(raw) < 5:
        raise NoteError(f"signature by {name} is too short")
    return NoteSignature(name, raw[:4], raw[4:])


def split_note(note: str) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its text and signature lines; raise NoteError if malformed."""
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("note has no signature block")
    text, block = note[: cut + 1], note[cut + 2 :]
    _check_text(text)
    lines = block[:-1].split("\n") if block else []
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError("note has no signatures or too many")
    return text, [_parse_signature_line(line) for line in lines]


def _verify_one(key: NoteKey, text: str, signature: NoteSignature) -> None:
    try:
        if key.sig_type == COSIGNATURE_V1:
            message = _cosigned_message(text, signature.timestamp())
            key.public_key.verify(signature.body[8:], message)
        else:
            key.public_key.verify(signature.body, text.encode())
    except InvalidSignature:
        raise NoteError(f"signature by {key.name} does not verify") from None


def open_note(note: str, keys: Sequence[NoteKey]) -> tuple[str, list[NoteSignature]]:
    """Verify a note against known keys; return its text and the verified signatures.

    As the signed-note spec asks: lines from unknown keys are ignored, a line from a known key
    that fails rejects the whole note, and a note with no verified known signature is rejected.
    """
    text, signatures = split_note(note)
    verified = []
    for signature in signatures:
        for key in keys:
            if key.name == signature.name and key.key_id == signature.key_id:
                _verify_one(key, text, signature)
                verified.append(signature)
    if not verified:
        raise NoteError("note carries no signature from a known key")
    return text, verified


@dataclass(frozen=True)
class Checkpoint:
    """A C2SP tlog-checkpoint: origin, tree size, root hash and optional extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """Return the checkpoint body, the text a signed note signs."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        return "".join(line + "\n" for line in [*lines, *self.extensions])

    def sign(self, signer: NoteSigner) -> str:
        """Return the checkpoint as a note signed by the log."""
        return self.text() + "\n" + signer.signature_line(self.text())


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body; raise NoteError with the first thing that is wrong."""
    _check_text(text)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("checkpoint has fewer than three lines")
    origin, size, root, *extensions = lines
    if not origin:
        raise NoteError("checkpoint origin line is empty")
    if not _DECIMAL.match(size):
        raise NoteError(f"checkpoint tree size {size!r} is not a decimal number")
    root_hash = _b64decode(root)
    if len(root_hash) != 32:
        raise NoteError("checkpoint root hash is not 32 bytes")
    if any(not line for line in extensions):
        raise NoteError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))


def add_cosignature(note: str, witness: NoteSigner, timestamp: int) -> str:
    """Append a witness's cosignature/v1 line to a signed checkpoint note."""
    if witness.sig_type != COSIGNATURE_V1:
        raise NoteError("a witness signs with a cosignature/v1 key")
    text, _ = split_note(note)
    return note + witness.signature_line(text, timestamp)


def verify_checkpoint(note: str, log_key: NoteKey, witnesses: Sequence[NoteKey] = (), *, origin: str | None = None) -> Checkpoint:
    """Verify the log's signature and a cosignature by every witness given; return the checkpoint.

    Raises NoteError naming the missing or failing signature, or the wrong origin.
    """
    text, verified = open_note(note, [log_key, *witnesses])
    names = {(s.name, s.key_id) for s in verified}
    for key in [log_key, *witnesses]:
        if (key.name, key.key_id) not in names:
            raise NoteError(f"checkpoint is not signed by {key.name}")
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint origin is {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint
