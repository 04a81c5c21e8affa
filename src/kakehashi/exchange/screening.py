"""Upload screening before anything is stored: a safe name, an accepted type whose magic bytes match
the claim, no executable anywhere (also inside archives), no macros, and archive expansion bounded
by entry count, total size, expansion ratio and nesting depth (bytes are counted as they really
expand, so headers that lie about sizes do not matter).
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, BinaryIO, Protocol

from kakehashi.exchange.errors import UploadRejected
from kakehashi.exchange.filenames import check_entry_path, safe_file_name
from kakehashi.exchange.filetypes import ACCEPTED, GENERIC_CLAIMS, OFFICE_ZIP, FileType, content_kind, executable_kind

_HEAD = 4096
_READ = 1 << 16
_ARCHIVES = frozenset({"zip", "gzip", "tar"})
_UNINSPECTABLE = frozenset({"7z", "rar", "xz", "bzip2"})
_OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError,
            NotImplementedError, ValueError)


@dataclass(frozen=True, slots=True)
class ScreeningLimits:
    """Bounds on uploads; the size limit comes from settings, the archive ones guard against bombs."""

    max_upload_bytes: int = 100 << 20
    max_entries: int = 10_000
    max_expanded_bytes: int = 1 << 30
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 << 20  # tiny entries compress very well and harm nobody
    max_depth: int = 3  # archive layers, counting the upload itself (a .tgz is two)


@dataclass(frozen=True, slots=True)
class ScreenedUpload:
    """An upload that passed screening: its safe name and its recognised type."""

    file_name: str
    file_type: FileType
    size: int


def screen_upload(name: str, claimed_type: str, content: BinaryIO,
                  *, limits: ScreeningLimits = ScreeningLimits()) -> ScreenedUpload:
    """Screen one upload (a seekable file); raise UploadRejected with a code and reason if unsafe."""
    file_name = safe_file_name(name)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    file_type = ACCEPTED.get(extension)
    if file_type is None:
        raise UploadRejected(f"files of type .{extension} are not accepted", field="file",
                             code="file-type-not-accepted")
    size = content.seek(0, io.SEEK_END)
    if size > limits.max_upload_bytes:
        raise UploadRejected(f"the file is larger than {limits.max_upload_bytes} bytes", field="file",
                             code="file-too-large")
    content.seek(0)
    head = content.read(_HEAD)
    content.seek(0)
    _check_head(head, file_type)
    _check_claim(claimed_type, file_type)
    if file_type.magic in _ARCHIVES:
        _inspect_archive(file_type.magic, content, depth=1, budget=_Budget(limits, max(size, 1)),
                         office=extension in OFFICE_ZIP)
    elif file_type.magic == "ole":
        _check_ole_macros(content)
    content.seek(0)
    return ScreenedUpload(file_name, file_type, size)


def _check_head(head: bytes, file_type: FileType) -> None:
    exe = executable_kind(head)
    if exe is not None:
        raise UploadRejected(f"the file claims to be .{file_type.extension} but is a {exe}",
                             field="file", code="disguised-executable")
    kind = content_kind(head)
    if kind != file_type.magic:
        raise UploadRejected(f"the file claims to be .{file_type.extension} but its content is {kind}",
                             field="file", code="content-mismatch")


def _check_claim(claimed_type: str, file_type: FileType) -> None:
    claimed = claimed_type.split(";", 1)[0].strip().lower()
    if claimed not in GENERIC_CLAIMS | file_type.claimed | {file_type.media_type}:
        raise UploadRejected(f"the file was sent as {claimed} but named .{file_type.extension}",
                             field="file", code="claimed-type-mismatch")


class _Budget:
    """Entries and expanded bytes seen so far across all archive layers of one upload."""

    def __init__(self, limits: ScreeningLimits, compressed: int) -> None:
        self.limits, self.compressed = limits, compressed
        self.entries = self.expanded = 0

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise _bomb(f"the archive holds more than {self.limits.max_entries} entries")

    def expand(self, n: int) -> None:
        self.expanded += n
        if self.expanded > self.limits.max_expanded_bytes:
            raise _bomb(f"the archive expands beyond {self.limits.max_expanded_bytes} bytes")
        if self.expanded > self.limits.ratio_floor_bytes \
                and self.expanded > self.limits.max_ratio * self.compressed:
            raise _bomb(f"the archive expands more than {self.limits.max_ratio:g} times its size")


def _bomb(message: str) -> UploadRejected:
    return UploadRejected(message, field="file", code="archive-bomb")


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Metered(io.RawIOBase):
    """An archive entry's expanded bytes, each charged to the budget as it is read."""

    def __init__(self, source: _Readable, budget: _Budget) -> None:
        self.source, self.budget = source, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.source.read(len(buffer))
        self.budget.expand(len(data))
        buffer[: len(data)] = data
        return len(data)


def _inspect_archive(kind: str, stream: IO[bytes], *, depth: int, budget: _Budget,
                     office: bool = False) -> None:
    try:
        if kind == "zip":
            _inspect_zip(stream, depth=depth, budget=budget, office=office)
        elif kind == "gzip":
            with gzip.GzipFile(fileobj=stream, mode="rb") as member:
                budget.entry()
                _inspect_member(member, "(gzip content)", depth=depth, budget=budget)
        else:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for info in tar:
                    _inspect_tar_member(tar, info, depth=depth, budget=budget)
    except _DAMAGED as exc:
        raise UploadRejected(f"the archive is damaged or uses an unsupported method: {exc}",
                             field="file", code="archive-damaged") from exc


def _inspect_zip(stream: IO[bytes], *, depth: int, budget: _Budget, office: bool) -> None:
    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        if office and not names & {"[Content_Types].xml", "mimetype"}:
            raise UploadRejected("the office document has no content-type manifest", field="file",
                                 code="content-mismatch")
        for info in archive.infolist():
            budget.entry()
            check_entry_path(info.filename)
            _check_zip_entry(info)
            if not info.is_dir():
                with archive.open(info) as member:
                    _inspect_member(member, info.filename, depth=depth, budget=budget)


def _check_zip_entry(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise UploadRejected(f"entry {info.filename!r} is encrypted and cannot be inspected",
                             field="file", code="archive-encrypted")
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        raise UploadRejected(f"entry {info.filename!r} is a symbolic link", field="file",
                             code="archive-link")
    lowered = info.filename.lower()
    if lowered.endswith("vbaproject.bin") or lowered.startswith(("basic/", "scripts/")):
        raise UploadRejected("macro-enabled documents are not accepted", field="file",
                             code="macros")


def _inspect_tar_member(tar: tarfile.TarFile, info: tarfile.TarInfo, *, depth: int,
                        budget: _Budget) -> None:
    budget.entry()
    check_entry_path(info.name)
    if not (info.isreg() or info.isdir()):
        raise UploadRejected(f"entry {info.name!r} is a link or device", field="file",
                             code="archive-link")
    member = tar.extractfile(info)
    if member is not None:
        _inspect_member(member, info.name, depth=depth, budget=budget)


def _inspect_member(source: _Readable, name: str, *, depth: int, budget: _Budget) -> None:
    """Read one entry through the meter: refuse executables, open nested archives, or drain it."""
    reader = io.BufferedReader(_Metered(source, budget), _READ)
    head = reader.peek(_HEAD)[:_HEAD]
    exe = executable_kind(head)
    if exe is not None:
        raise UploadRejected(f"the archive holds a {exe}: {name!r}", field="file",
                             code="disguised-executable")
    kind = content_kind(head)
    if kind in _UNINSPECTABLE:
        raise UploadRejected(f"{name!r} is a {kind} archive, which cannot be inspected", field="file",
                             code="archive-unsupported")
    if kind not in _ARCHIVES:
        while reader.read(_READ):
            pass
        return
    if depth + 1 > budget.limits.max_depth:
        raise _bomb(f"archives nested deeper than {budget.limits.max_depth} levels")
    if kind == "zip":  # zip needs seeking: spool it (bounded by the budget already charged)
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            while chunk := reader.read(_READ):
                spool.write(chunk)
            spool.seek(0)
            _inspect_archive(kind, spool, depth=depth + 1, budget=budget)
    else:
        _inspect_archive(kind, reader, depth=depth + 1, budget=budget)


def _check_ole_macros(content: BinaryIO) -> None:
    """Legacy Word/Excel files keep VBA in a `_VBA_PROJECT` stream, whose UTF-16 name we look for."""
    tail = b""
    while chunk := content.read(1 << 20):
        if _OLE_MACROS in tail + chunk:
            raise UploadRejected("macro-enabled documents are not accepted", field="file", code="macros")
        tail = chunk[-len(_OLE_MACROS):]
