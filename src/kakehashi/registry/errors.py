"""The registry's domain errors."""

from __future__ import annotations

from kakehashi.kernel.errors import Conflict, DomainError, Forbidden
from kakehashi.kernel.i18n import N_
from kakehashi.registry.identifiers import InvalidIdentifier

__all__ = ["DuplicateIdentifier", "ImportRefused", "InvalidIdentifier", "NotOwnSide", "StaleVersion"]


class DuplicateIdentifier(Conflict):
    """An identifier is already registered for another organisation; carries that organisation's id and link."""

    code = "duplicate_identifier"
    page_message = N_("This identifier is already registered for another organisation:")

    def __init__(self, scheme: str, value: str, existing_org_id: int) -> None:
        self.existing_org_id = existing_org_id
        self.link = f"/organisations/{existing_org_id}"
        super().__init__(
            f"{value} is already registered for organisation {existing_org_id} ({self.link}).",
            field=f"identifiers.{scheme}",
        )


class StaleVersion(Conflict):
    """The organisation changed since the editor loaded it (optimistic locking)."""

    code = "stale_version"

    def __init__(self) -> None:
        super().__init__(
            N_("Someone else changed this organisation after you opened it. Reload it to see their changes, "
               "then make yours again."),
            field="version",
        )


class NotOwnSide(Forbidden):
    """Only an officer of the organisation's own country may verify it."""

    def __init__(self) -> None:
        super().__init__(N_("Only an officer of the organisation's own country may verify it."), code="not_own_side")


class ImportRefused(DomainError):
    """A CSV file was refused as a whole (too large, not UTF-8, missing columns); `detail` names specifics."""

    code = "import_refused"

    def __init__(self, message: str, *, detail: str = "", field: str | None = "file") -> None:
        super().__init__(f"{message} {detail}".strip(), field=field)
        self.base_message = message
        self.detail = detail
