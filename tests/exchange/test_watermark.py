"""Visible marks of recipient and purpose on PDF, images, text and CSV downloads."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from kakehashi.exchange.watermark import WatermarkFailed, can_watermark, watermark

MARK = "Shared with 田中 Priya (MeitY) for ai · 2026-05-01"


def pdf(pages=2, rotate=0):
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page.rotation = rotate
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_pdf_page_carries_the_mark():
    marked = PdfReader(io.BytesIO(watermark(pdf(3), "application/pdf", MARK)))
    assert len(marked.pages) == 3
    assert all(MARK in page.extract_text() for page in marked.pages)


def test_a_rotated_pdf_page_is_marked_too():
    page = PdfReader(io.BytesIO(watermark(pdf(1, rotate=90), "application/pdf", MARK))).pages[0]
    assert MARK in page.extract_text()


def test_an_encrypted_pdf_is_refused_rather_than_served_unmarked():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(1))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(WatermarkFailed):
        watermark(out.getvalue(), "application/pdf", MARK)


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                                  ("WEBP", "image/webp")])
def test_an_image_is_marked_in_its_own_format_and_size(fmt, media_type):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (0, 90, 200)).save(buffer, fmt)
    marked = Image.open(io.BytesIO(watermark(buffer.getvalue(), media_type, MARK)))
    assert (marked.format, marked.size) == (fmt, (320, 200))
    bottom = marked.convert("RGB").crop((0, 190, 320, 200))
    red_range = bottom.getextrema()[0]
    assert red_range[1] > 150  # the light band shows where the image had no red at all


def test_every_frame_of_an_animation_is_kept_and_marked():
    frames = [Image.new("RGB", (100, 80), colour) for colour in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    marked = Image.open(io.BytesIO(watermark(buffer.getvalue(), "image/gif", MARK)))
    assert marked.n_frames == 3


def test_csv_gets_a_first_line_in_its_own_encoding_and_line_endings():
    assert watermark(b"a,b\r\n1,2\r\n", "text/csv", 'for "ai"') == b'"for ""ai"""\r\na,b\r\n1,2\r\n'
    assert watermark(b"\xef\xbb\xbfa,b\n", "text/csv", "m") == b'\xef\xbb\xbf"m"\na,b\n'
    japanese = "名前,値\n".encode("cp932")
    assert watermark(japanese, "text/csv", "共有").decode("cp932") == '"共有"\n名前,値\n'
    utf16 = "a\tb\n".encode("utf-16")
    assert watermark(utf16, "text/plain", "m").decode("utf-16") == "# m\na\tb\n"


def test_formats_without_a_place_for_a_mark_are_served_as_they_are():
    assert not can_watermark("application/zip")
    assert watermark(b"PK\x03\x04", "application/zip", MARK) == b"PK\x03\x04"
    assert can_watermark("application/pdf") and can_watermark("text/csv")
