"""Safe file names: nothing that climbs out of a directory, hides its type or breaks another system."""

from __future__ import annotations

import unicodedata

from kakehashi.exchange.errors import UnsafeFileName

MAX_NAME_BYTES = 255
# Windows device names stay devices with any extension ("CON.txt"), so they are refused outright.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
    | {"COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
)
_FORBIDDEN = frozenset('/\\:*?"<>|')


def safe_file_name(name: str, *, field: str = "file") -> str:
    """Return `name` (NFC-normalised) if it is a safe single file name; raise UnsafeFileName if not."""
    name = unicodedata.normalize("NFC", name)
    _check_component(name, field=field, whole=name)
    return name


def check_entry_path(path: str, *, field: str = "file") -> None:
    """Refuse an archive entry path that is absolute, climbs up, or has an unsafe component."""
    if path.startswith(("/", "\\")) or "\\" in path:
        raise UnsafeFileName(f"archive entry {path!r} is an absolute or Windows path", field=field,
                             code="path-traversal")
    parts = path.rstrip("/").split("/")
    for part in parts:
        if part in ("..", "."):
            raise UnsafeFileName(f"archive entry {path!r} climbs out of its folder", field=field,
                                 code="path-traversal")
        _check_component(unicodedata.normalize("NFC", part), field=field, whole=path)


def _check_component(name: str, *, field: str, whole: str) -> None:
    if not name or name in (".", ".."):
        raise UnsafeFileName(f"{whole!r} has an empty or relative name", field=field,
                             code="path-traversal")
    if any(ch in _FORBIDDEN for ch in name):
        raise UnsafeFileName(f"{whole!r} contains a path separator or a character Windows forbids",
                             field=field, code="path-traversal" if set(name) & set("/\\:") else None)
    # Cc: control characters; Cf: format characters, e.g. U+202E RIGHT-TO-LEFT OVERRIDE, which makes
    # "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UnsafeFileName(f"{whole!r} contains control or invisible formatting characters",
                             field=field, code="file-name-control-characters")
    if name != name.strip() or name.endswith("."):
        raise UnsafeFileName(f"{whole!r} begins or ends with a space, or ends with a dot", field=field)
    if name.split(".", 1)[0].strip().upper() in _RESERVED:
        raise UnsafeFileName(f"{whole!r} is a reserved device name on Windows", field=field,
                             code="file-name-reserved")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UnsafeFileName(f"file name longer than {MAX_NAME_BYTES} bytes", field=field)
