"""Input models of the agreement API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown members are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class InstrumentDraft(Strict):
    """A new instrument: its type and the type's members (the platform adds type, agreement and ref)."""

    type: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict)


class SignatureEntry(Strict):
    """One JWS signature entry, as `kakehashi instruments sign` or the browser produces it."""

    protected: str = Field(min_length=1, max_length=2000)
    signature: str = Field(min_length=1, max_length=200)


class KeyRegistration(Strict):
    """The public half of a key the signer holds."""

    jwk: dict[str, str]
    label: str = Field(default="", max_length=200)


class Revocation(Strict):
    """Why a key is revoked."""

    reason: str = Field(default="", max_length=500)


class CosignatureLine(Strict):
    """A cosignature/v1 signature line (``— <name> <base64>``) over a checkpoint."""

    line: str = Field(min_length=1, max_length=500)


class WitnessKey(Strict):
    """A participant's cosignature/v1 verifier key."""

    vkey: str = Field(min_length=1, max_length=300)
