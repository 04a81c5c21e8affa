"""The file types an item may be, recognised by magic bytes, not by what the uploader claims."""

from __future__ import annotations

from dataclasses import dataclass

# Magic numbers of things that run: Windows PE (also .com/.scr/.dll), ELF, Mach-O (32/64-bit, both
# byte orders, and fat binaries, whose magic Java classes share), scripts with a shebang, WebAssembly,
# Android dex, Windows shortcuts.
EXECUTABLE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O universal binary or Java class"),
    (b"#!", "script"),
    (b"\x00asm", "WebAssembly module"),
    (b"dex\n", "Android executable"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "Windows shortcut"),
)

CONTENT_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\xfd7zXZ\x00", "xz"),
)


@dataclass(frozen=True, slots=True)
class FileType:
    """An accepted extension, the media type it is served as, and the magic its content must show."""

    extension: str
    media_type: str
    magic: str  # a kind from CONTENT_MAGIC, or "text", or "tar"
    claimed: frozenset[str] = frozenset()  # media types browsers send for it, besides media_type


def _t(ext: str, media: str, magic: str, *claimed: str) -> FileType:
    return FileType(ext, media, magic, frozenset(claimed))


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
ACCEPTED: dict[str, FileType] = {t.extension: t for t in (
    _t("pdf", "application/pdf", "pdf"),
    _t("png", "image/png", "png"),
    _t("jpg", "image/jpeg", "jpeg"),
    _t("jpeg", "image/jpeg", "jpeg"),
    _t("gif", "image/gif", "gif"),
    _t("webp", "image/webp", "webp"),
    _t("tif", "image/tiff", "tiff"),
    _t("tiff", "image/tiff", "tiff"),
    _t("csv", "text/csv", "text", "text/plain", "application/vnd.ms-excel", "application/csv"),
    _t("tsv", "text/tab-separated-values", "text", "text/plain"),
    _t("txt", "text/plain", "text"),
    _t("md", "text/markdown", "text", "text/plain", "text/x-markdown"),
    _t("json", "application/json", "text", "text/plain"),
    _t("docx", _OOXML + "wordprocessingml.document", "zip"),
    _t("xlsx", _OOXML + "spreadsheetml.sheet", "zip"),
    _t("pptx", _OOXML + "presentationml.presentation", "zip"),
    _t("odt", _ODF + "text", "zip"),
    _t("ods", _ODF + "spreadsheet", "zip"),
    _t("odp", _ODF + "presentation", "zip"),
    _t("doc", "application/msword", "ole"),
    _t("xls", "application/vnd.ms-excel", "ole"),
    _t("ppt", "application/vnd.ms-powerpoint", "ole"),
    _t("zip", "application/zip", "zip", "application/x-zip-compressed", "application/x-zip"),
    _t("gz", "application/gzip", "gzip", "application/x-gzip"),
    _t("tgz", "application/gzip", "gzip", "application/x-gzip", "application/x-compressed-tar"),
    _t("tar", "application/x-tar", "tar"),
)}
OFFICE_ZIP = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
# Claims that say nothing about the content (browsers send these for unknown types).
GENERIC_CLAIMS = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def executable_kind(head: bytes) -> str | None:
    """Name the kind of executable `head` starts with, or None."""
    for magic, kind in EXECUTABLE_MAGIC:
        # "MZ" alone also starts ordinary text; a real PE header holds binary fields.
        if head.startswith(magic) and not (magic == b"MZ" and _looks_like_text(head)):
            return kind
    return None


def content_kind(head: bytes) -> str:
    """The content kind shown by the first bytes ("pdf", "zip", "tar", "text"...), or "unknown"."""
    for magic, kind in CONTENT_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
        return "bzip2"
    if head[257:262] == b"ustar":
        return "tar"
    return "text" if _looks_like_text(head) else "unknown"


def _looks_like_text(head: bytes) -> bool:
    """Text in UTF-8, UTF-16 with a BOM, or Shift_JIS (CP932, common in Japanese CSV exports),
    a character cut at the end allowed, without NUL or control characters other than layout."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoded = _decode(head, "utf-16")
    else:
        decoded = _decode(head.removeprefix(b"\xef\xbb\xbf"), "utf-8")
        if decoded is None:
            decoded = _decode(head, "cp932")
    if decoded is None:
        return False
    return not any((ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\x7f" for ch in decoded)


_CUT_AT_END = frozenset({"unexpected end of data", "incomplete multibyte sequence", "truncated data"})


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        # Only a multi-byte character cut by the end of the sampled head is forgiven.
        if exc.reason not in _CUT_AT_END:
            return None
        try:
            return data[: exc.start].decode(encoding)
        except UnicodeDecodeError:
            return None
