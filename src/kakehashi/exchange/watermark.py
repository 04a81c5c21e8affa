"""Visible marks of recipient and purpose on downloads: PDF (a WeasyPrint overlay merged with pypdf),
images (Pillow), text and CSV (a first line). Other formats are served unmarked (`can_watermark`).
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, ImageSequence
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from kakehashi.exchange.errors import ExchangeError

_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/tab-separated-values"})
_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"})


class WatermarkFailed(ExchangeError):
    """The file could not be marked (e.g. an encrypted PDF): do not serve it unmarked."""

    code = "watermark-failed"


def can_watermark(media_type: str) -> bool:
    """True for the formats a visible mark can be put on."""
    return media_type in _TEXT_TYPES | _IMAGE_TYPES | {"application/pdf", "text/csv"}


def watermark(content: bytes, media_type: str, mark: str) -> bytes:
    """Return `content` carrying `mark` visibly where the format allows it, else unchanged."""
    if media_type == "application/pdf":
        return watermark_pdf(content, mark)
    if media_type in _IMAGE_TYPES:
        return watermark_image(content, mark)
    if media_type == "text/csv":
        return watermark_text(content, mark, csv=True)
    if media_type in _TEXT_TYPES:
        return watermark_text(content, mark, csv=False)
    return content


def watermark_pdf(content: bytes, mark: str) -> bytes:
    """Merge an overlay page with the mark (top, bottom, diagonal) onto every page of a PDF."""
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise WatermarkFailed("an encrypted PDF cannot be marked", field="file")
        writer = PdfWriter(clone_from=reader)
        overlays: dict[tuple[float, float], object] = {}
        for page in writer.pages:
            page.transfer_rotation_to_content()
            box = page.mediabox
            size = (round(float(box.width), 2), round(float(box.height), 2))
            if size not in overlays:
                overlays[size] = PdfReader(io.BytesIO(_overlay_pdf(*size, mark))).pages[0]
            page.merge_translated_page(overlays[size], float(box.left), float(box.bottom))  # type: ignore[arg-type]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (PyPdfError, ValueError, KeyError) as exc:
        raise WatermarkFailed(f"the PDF could not be marked: {exc}", field="file") from exc


def _overlay_pdf(width: float, height: float, mark: str) -> bytes:
    """One transparent page of the given size (points) with the mark, rendered by WeasyPrint."""
    import weasyprint  # imported here: loading it costs ~1 s, only PDFs need it

    text = html.escape(mark)
    diagonal = min(width, height) / 22
    page = f"""<html><head><style>
      @page {{ size: {width}pt {height}pt; margin: 0 }}
      body {{ margin: 0; font-family: "Noto Sans CJK JP", "IPAGothic", "DejaVu Sans", sans-serif;
              color: rgb(190, 20, 20); }}
      .line {{ position: absolute; left: 0; width: {width}pt; text-align: center; font-size: 8pt; }}
      .top {{ top: 6pt }} .bottom {{ top: {height - 16}pt }}
      .diagonal {{ position: absolute; top: {height / 2 - diagonal}pt; left: 0; width: {width}pt;
                   text-align: center; font-size: {diagonal:.1f}pt; opacity: 0.18;
                   transform: rotate(-30deg); }}
    </style></head><body>
      <div class="line top">{text}</div><div class="diagonal">{text}</div>
      <div class="line bottom">{text}</div>
    </body></html>"""
    pdf: bytes = weasyprint.HTML(string=page).write_pdf()
    return pdf


def watermark_image(content: bytes, mark: str) -> bytes:
    """Draw the mark on a band at the bottom of every frame, keeping the image's format."""
    try:
        image = Image.open(io.BytesIO(content))
        fmt = image.format or "PNG"
        frames = [_mark_frame(ImageOps.exif_transpose(frame.copy()) or frame.copy(), mark)
                  for frame in ImageSequence.Iterator(image)]
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise WatermarkFailed(f"the image could not be marked: {exc}", field="file") from exc
    out = io.BytesIO()
    if fmt == "JPEG":
        frames[0].convert("RGB").save(out, fmt, quality=92)
    elif len(frames) > 1:
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], **_animation(image))
    else:
        frames[0].save(out, fmt)
    return out.getvalue()


def _animation(image: Image.Image) -> dict[str, object]:
    return {key: image.info[key] for key in ("duration", "loop") if key in image.info}


def _mark_frame(frame: Image.Image, mark: str) -> Image.Image:
    base = frame.convert("RGBA")
    band = max(14, base.height // 25)
    font = _font(max(10, band * 2 // 3))
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rectangle((0, base.height - band, base.width, base.height), fill=(255, 255, 255, 170))
    draw.text((4, base.height - band + 1), mark, font=font, fill=(190, 20, 20, 255))
    return Image.alpha_composite(base, layer)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def watermark_text(content: bytes, mark: str, *, csv: bool) -> bytes:
    """Prepend the mark as a first line, in the file's own encoding, BOM and line ending."""
    line = '"' + mark.replace('"', '""') + '"' if csv else f"# {mark}"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if content.startswith(b"\xff\xfe") else "utf-16-be"
        return content[:2] + (line + _newline(content.decode(codec, "replace"))).encode(codec) + content[2:]
    bom = b"\xef\xbb\xbf" if content.startswith(b"\xef\xbb\xbf") else b""
    body = content.removeprefix(bom)
    for codec in ("utf-8", "cp932"):  # Japanese CSV exports are often Shift_JIS
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        return bom + (line + _newline(text)).encode(codec, errors="replace") + body
    raise WatermarkFailed("the text is in an encoding we cannot mark", field="file")


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text[:4096] else "\n"
