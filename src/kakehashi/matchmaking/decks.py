"""Pitch deck uploads: judged by their bytes (PDF, PPTX, ODP), never by the name or the claimed type."""

from __future__ import annotations

import io
import zipfile

from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.errors import UploadRejected

MAX_DECK_BYTES = 15 * 1024 * 1024
PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"
EXTENSIONS = {PDF: "pdf", PPTX: "pptx", ODP: "odp"}


def sniff_deck(data: bytes, *, max_bytes: int = MAX_DECK_BYTES) -> str:
    """The media type of a pitch deck's bytes, or UploadRejected (empty, too large, or another kind of file)."""
    if not data:
        raise UploadRejected(N_("The file is empty."), field="deck")
    if len(data) > max_bytes:
        raise UploadRejected(N_("The file is larger than the limit."), field="deck")
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind is not None:
            return kind
    raise UploadRejected(N_("Upload a PDF, PowerPoint (.pptx) or OpenDocument (.odp) presentation."), field="deck")


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "ppt/presentation.xml" in names and "[Content_Types].xml" in names:
                return PPTX
            if "mimetype" in names and archive.read("mimetype").strip() == ODP.encode():
                return ODP
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def safe_filename(name: str, content_type: str) -> str:
    """A download name without path parts or odd characters, with the extension of the sniffed type."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    cleaned = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in stem).strip() or "pitch-deck"
    return f"{cleaned[:100]}.{EXTENSIONS[content_type]}"
