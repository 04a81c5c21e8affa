"""Settings: one pydantic-settings object read from KAKEHASHI_* variables (and *_FILE secrets)."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path(os.environ.get("KAKEHASHI_VAR_DIR", "var"))
SECRET_FIELDS = ("secret_key", "master_key", "smtp_password")


class Settings(BaseSettings):
    """Every setting of the platform; documented in README ("Configuration")."""

    model_config = SettingsConfigDict(env_prefix="KAKEHASHI_", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = Field(default_factory=lambda: f"sqlite:///{VAR_DIR / 'kakehashi.db'}")
    secret_key: str = ""
    master_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    default_timezone: Literal["Asia/Tokyo", "Asia/Kolkata"] = "Asia/Tokyo"
    default_locale: Literal["en", "ja", "hi"] = "en"
    session_idle_minutes: int = Field(default=60, ge=5, le=24 * 60)
    session_absolute_hours: int = Field(default=12, ge=1, le=24 * 14)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    password_hash_profile: Literal["strong", "fast-for-tests"] = "strong"  # noqa: S105
    upload_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    csv_import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    smtp_url: str = ""
    smtp_password: str = ""
    mail_from: str = "kakehashi@localhost"
    demo_keys_server_side: bool = True
    # Where each signed checkpoint of the transparency log is also appended (outside the database, so a truncated
    # log shows): "" = $KAKEHASHI_VAR_DIR/checkpoints/<database>.jsonl (none in tests), "off" = nowhere.
    checkpoint_file: str = ""

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, data: Any) -> Any:
        """Support KAKEHASHI_<NAME>_FILE for secrets, as container orchestrators provide them."""
        if not isinstance(data, dict):
            data = {}
        for name in SECRET_FIELDS:
            path = os.environ.get(f"KAKEHASHI_{name.upper()}_FILE")
            if path and not data.get(name):
                data[name] = Path(path).read_text(encoding="utf-8").strip()
        return data

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def https(self) -> bool:
        """Whether the public URL is HTTPS (drives Secure cookies and HSTS)."""
        return self.base_url.startswith("https://")

    def checkpoint_path(self) -> Path | None:
        """The file each signed log checkpoint is appended to (one per database), or None."""
        if self.checkpoint_file == "off" or (not self.checkpoint_file and self.environment == "test"):
            return None
        if self.checkpoint_file:
            return Path(self.checkpoint_file)
        return VAR_DIR / "checkpoints" / f"{hashlib.sha256(self.database_url.encode()).hexdigest()[:16]}.jsonl"

    def resolved(self) -> Settings:
        """Fill development secrets, kept under var/; production must configure them."""
        if self.secret_key and self.master_key:
            return self
        if self.environment == "production":
            raise RuntimeError("KAKEHASHI_SECRET_KEY and KAKEHASHI_MASTER_KEY are required in production")
        updates = {}
        for name in ("secret_key", "master_key"):
            if not getattr(self, name):
                updates[name] = _dev_secret(name)
        return self.model_copy(update=updates)


def _dev_secret(name: str) -> str:
    path = VAR_DIR / f"{name}.txt"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def load_settings() -> Settings:
    """Read the environment once, at an edge (app factory, CLI)."""
    return Settings().resolved()
