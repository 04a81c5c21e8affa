"""Ed25519 keys and JWS General JSON Serialization, one signature per signing party.

Every signature carries the protected header ``{"alg": "Ed25519", "kid": <thumbprint>}``
(RFC 9864 names the algorithm; the kid is the RFC 7638 thumbprint of the signer's public
JWK, so a browser can compute it too). Signing and per-signature verification go through
joserfc; each signature is checked on its own so the report says exactly which one failed
and why, instead of "the JWS is invalid".
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from joserfc import jws as jose_jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"
ALLOWED_HEADER = frozenset({"alg", "kid"})


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url; raise ValueError on anything else."""
    if not isinstance(text, str) or "=" in text or any(c in text for c in "+/ \n"):
        raise ValueError("not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not unpadded base64url") from exc


def generate_key() -> Ed25519PrivateKey:
    """Return a new Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def public_jwk(key: Ed25519PublicKey | Ed25519PrivateKey) -> dict[str, str]:
    """Return the public JWK (RFC 8037) of a key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """Return the kid of a key: its RFC 7638 JWK thumbprint (SHA-256, base64url)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return str(OKPKey.import_key(public).thumbprint())


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    """Return the Ed25519 public key of a JWK; raise ValueError if it is not one."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("the key is not an Ed25519 OKP JWK")
    raw = b64url_decode(str(jwk.get("x", "")))
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """Serialise a private key as unencrypted PKCS#8 PEM (the CLI's key file)."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from PKCS#8 PEM or a private JWK; raise ValueError."""
    if data.lstrip().startswith(b"{"):
        jwk = json.loads(data)
        public_key_from_jwk(jwk)
        key = Ed25519PrivateKey.from_private_bytes(b64url_decode(str(jwk.get("d", ""))))
    else:
        loaded = serialization.load_pem_private_key(data, password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError("the key file does not hold an Ed25519 private key")
        key = loaded
    return key


def sign(payload: bytes, key: Ed25519PrivateKey) -> dict[str, str]:
    """Sign payload bytes; return one General JSON signature entry {protected, signature}."""
    header = {"alg": ALGORITHM, "kid": key_id(key)}
    flat = jose_jws.serialize_json({"protected": header}, payload, OKPKey.import_key(key), algorithms=[ALGORITHM])
    return {"protected": str(flat["protected"]), "signature": str(flat["signature"])}


def assemble(payload: bytes, entries: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Return the General JSON Serialization of a payload and its signature entries."""
    return {
        "payload": b64url(payload),
        "signatures": [{"protected": e["protected"], "signature": e["signature"]} for e in entries],
    }


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature of a JWS."""

    position: int
    kid: str | None
    valid: bool
    reason: str


def signature_kid(entry: Mapping[str, Any]) -> str | None:
    """Return the kid of a signature entry's protected header, or None if unreadable."""
    try:
        header = json.loads(b64url_decode(str(entry.get("protected", ""))))
    except ValueError:
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def _header_problem(entry: Mapping[str, Any]) -> str | None:
    if set(entry) - {"protected", "signature"}:
        return "unprotected header members are not allowed"
    try:
        header = json.loads(b64url_decode(str(entry.get("protected", ""))))
    except ValueError:
        return "protected header is not base64url-encoded JSON"
    if not isinstance(header, dict):
        return "protected header is not a JSON object"
    if header.get("alg") != ALGORITHM:
        return f"alg is {header.get('alg')!r}, not {ALGORITHM!r}"
    if not isinstance(header.get("kid"), str):
        return "protected header has no kid"
    if set(header) - ALLOWED_HEADER:
        return f"protected header has unexpected members {sorted(set(header) - ALLOWED_HEADER)}"
    return None


def check_signature(payload_b64: str, position: int, entry: Mapping[str, Any], key: Ed25519PublicKey | None) -> SignatureCheck:
    """Verify one signature entry against the payload with the key its kid names."""
    kid = signature_kid(entry)
    problem = _header_problem(entry)
    if problem is not None:
        return SignatureCheck(position, kid, False, problem)
    if key is None:
        return SignatureCheck(position, kid, False, f"no registered key has kid {kid!r}")
    if key_id(key) != kid:
        return SignatureCheck(position, kid, False, "kid is not the thumbprint of its key")
    flat = {
        "payload": payload_b64,
        "protected": entry["protected"],
        "signature": entry["signature"],
    }
    try:
        jose_jws.deserialize_json(flat, OKPKey.import_key(key), algorithms=[ALGORITHM])  # type: ignore[call-overload]
    except (JoseError, ValueError):
        return SignatureCheck(position, kid, False, "signature does not match this payload")
    return SignatureCheck(position, kid, True, "valid")


def check_signatures(
    document: Mapping[str, Any], find_key: Callable[[str], Ed25519PublicKey | None]
) -> tuple[bytes, list[SignatureCheck]]:
    """Return the payload bytes and a verdict per signature of a General JSON JWS.

    Raises ValueError when the document itself is not a General JSON JWS.
    """
    payload_b64 = document.get("payload")
    signatures = document.get("signatures")
    if not isinstance(payload_b64, str) or not isinstance(signatures, list):
        raise ValueError("not a JWS in General JSON Serialization (payload, signatures)")
    payload = b64url_decode(payload_b64)
    checks = []
    for position, entry in enumerate(signatures):
        if not isinstance(entry, dict):
            checks.append(SignatureCheck(position, None, False, "signature entry is not an object"))
            continue
        kid = signature_kid(entry)
        key = find_key(kid) if kid is not None else None
        checks.append(check_signature(payload_b64, position, entry, key))
    return payload, checks
