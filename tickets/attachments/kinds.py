"""What a file's bytes are: images (re-encoded), PDFs without scripts, plain text."""

from __future__ import annotations

import re
import zlib
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tickets.attachments.errors import Refused
from tickets.attachments.limits import MEGABYTE, attachment_limits

# Stored images are re-encoded into one of these; only they are ever shown inline.
INLINE_TYPES = ("image/jpeg", "image/png")
# An image larger than this many pixels is refused before it is decoded.
MAX_PIXELS = 40_000_000
# Images are stored no larger than this on their longer side. A JPEG at
# least twice as large is decoded at a half, quarter or eighth of its size
# (JPEG's own scaling), keeping at least half of this: a 40-megapixel photo
# then takes ~30 MB of a web worker's memory while it is checked, not ~120.
STORED_MAX_SIDE = 4096
# Other kinds (PNG, GIF, WebP) have no such scaling and are decoded whole, at
# up to 4 bytes a pixel and again as much while they are scaled down, so
# they are held to fewer pixels, 4096 x 4096 worth (a 5K screen's
# screenshot fits): under 180 MB of a worker's memory for a moment, where a
# 40-megapixel PNG took 620.
MAX_PIXELS_DECODED_WHOLE = STORED_MAX_SIDE * STORED_MAX_SIDE
# How much of a text file is searched for markup a browser could render.
MARKUP_SNIFF = 8192
# Decompressed PDF object streams are searched up to this many bytes in all.
PDF_INFLATE_BUDGET = 32 * MEGABYTE
# Pillow's formats, and the type each is allowed as (MPO: phones' multi-picture JPEG).
IMAGE_FORMATS = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


ARCHIVES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
    b"MSCF",
)
PROGRAMS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
)
JPEG_MAGIC = b"\xff\xd8\xff"
IMAGE_MAGIC = (JPEG_MAGIC, b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
MARKUP = (
    ("<svg", "svg"),
    ("<?xml", "xml"),
    ("<!doctype", "html"),
    ("<html", "html"),
    ("<script", "html"),
    ("<body", "html"),
    ("<iframe", "html"),
)
# Names of scripts, programs and embedded content in a PDF. XFA forms carry their own
# scripts in an XML stream that is compressed out of sight: the form's name is refused.
PDF_UNSAFE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%{}]|$)", re.ASCII
)
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _refuse_unsafe_kinds(data: bytes) -> None:
    """Refuse programs and archives by their signatures, whatever their name says."""
    is_windows_program = data[:2] == b"MZ" and b"\x00" in data[:64]
    if is_windows_program or data.startswith(PROGRAMS) or data[:2] == b"#!":
        raise Refused("program", _("programs and scripts are not accepted."))
    if data.startswith(ARCHIVES) or data[257:262] == b"ustar":
        raise Refused("archive", _("archives (ZIP, RAR, 7z…) and Office files are not accepted."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused("type_not_allowed", _("Office and installer files are not accepted."))


def _image(data: bytes) -> tuple[str, bytes]:
    """Decode an image and re-encode it: JPEG stays JPEG, every other kind becomes PNG."""
    damaged = Refused("damaged", _("the image is damaged or not really an image."))
    try:
        with Image.open(BytesIO(data)) as probe:
            found = probe.format or ""
            probe.verify()
        source_type = IMAGE_FORMATS.get(found)
        if source_type is None:
            raise Refused("type_not_allowed", _("this kind of image is not accepted."))
        _require_allowed(source_type)
        with Image.open(BytesIO(data)) as image:
            limit = _pixel_limit(jpeg=source_type == "image/jpeg")
            if image.width * image.height > limit:
                raise Refused("too_large", _too_many_pixels(limit))
            keep = STORED_MAX_SIDE // 2
            image.draft(None, (keep, 1) if image.width >= image.height else (1, keep))  # JPEG only
            image.load()
            # Scaled down first, in place, then turned upright: a full-size
            # copy of the decoded pixels is never made.
            image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            ImageOps.exif_transpose(image, in_place=True)
            return _encode(image, jpeg=source_type == "image/jpeg")
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise damaged from error
    except Image.DecompressionBombError as error:
        # Raised while opening, before the kind is known: told by its first bytes.
        limit = _pixel_limit(jpeg=data.startswith(JPEG_MAGIC))
        raise Refused("too_large", _too_many_pixels(limit)) from error


def _pixel_limit(*, jpeg: bool) -> int:
    return MAX_PIXELS if jpeg else MAX_PIXELS_DECODED_WHOLE


def _too_many_pixels(limit: int) -> str:
    return _("the image has too many pixels: at most %(megapixels)d megapixels for its kind.") % {
        "megapixels": limit // 1_000_000
    }


def _encode(image: Image.Image, *, jpeg: bool) -> tuple[str, bytes]:
    out = BytesIO()
    if jpeg:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
        return "image/jpeg", out.getvalue()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        transparent = "transparency" in image.info or image.mode in ("PA", "RGBa", "La")
        image = image.convert("RGBA" if transparent else "RGB")
    image.save(out, format="PNG")
    return "image/png", out.getvalue()


def _pdf(data: bytes) -> tuple[str, bytes]:
    """Accept a PDF that is whole and has no scripts, launch actions or embedded files."""
    if b"%%EOF" not in data[-2048:]:
        raise Refused("damaged", _("the PDF is cut off or damaged."))
    if re.search(rb"/Encrypt(?=[\s/<>\[\]()%{}])", _pdf_unescape(data)):
        raise Refused(
            "unsafe",
            _("password-protected PDFs cannot be checked; save it without protection."),
        )
    for text in (data, *_pdf_object_streams(data)):
        if PDF_UNSAFE.search(_pdf_unescape(text)):
            raise Refused(
                "unsafe", _("PDFs with scripts, actions or embedded files are not accepted.")
            )
    return "application/pdf", data


def _pdf_unescape(text: bytes) -> bytes:
    """Undo #xx escapes in names: /J#61vaScript is /JavaScript."""
    return PDF_HEX_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), text)


def _pdf_object_streams(data: bytes) -> list[bytes]:
    """Return the inflated object streams: dictionaries there are compressed out of sight."""
    found: list[bytes] = []
    budget = PDF_INFLATE_BUDGET
    for match in re.finditer(rb"(?<!end)stream\r?\n", data):
        start = match.end()
        head = data[max(0, match.start() - 2048) : match.start()]
        opening = head.rfind(b"obj")
        dictionary = head[opening:] if opening >= 0 else head
        if b"/ObjStm" not in dictionary or b"/FlateDecode" not in dictionary:
            continue
        end = data.find(b"endstream", start)
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(data[start : end if end > 0 else None], budget + 1)
        except zlib.error as error:
            raise Refused("damaged", _("the PDF is cut off or damaged.")) from error
        budget -= len(text)
        if budget < 0:
            raise Refused("unsafe", _("the PDF is too complex to check."))
        found.append(text)
    return found


def _text(data: bytes) -> tuple[str, bytes] | None:
    """Accept UTF-8 text without NUL bytes; refuse markup a browser would render."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    head = text[:MARKUP_SNIFF].lower()
    for marker, kind in MARKUP:
        if marker in head:
            if kind == "svg":
                raise Refused(
                    "type_not_allowed",
                    _("SVG images can carry scripts and are not accepted; send a PNG or JPEG."),
                )
            if kind == "xml":
                raise Refused("type_not_allowed", _("XML files are not accepted."))
            raise Refused("type_not_allowed", _("web pages (HTML) are not accepted."))
    return "text/plain", data


def _require_allowed(content_type: str) -> None:
    if content_type not in attachment_limits().types:
        raise Refused("type_not_allowed", _("this type of file is not accepted here."))


def detect(data: bytes) -> tuple[str, bytes]:
    """Return the stored type and bytes of an accepted file; raise Refused."""
    _refuse_unsafe_kinds(data)
    if _is_image(data):
        return _image(data)
    if data.startswith(b"%PDF-"):
        _require_allowed("application/pdf")
        return _pdf(data)
    found = _text(data)
    if found is None:
        raise Refused(
            "type_not_allowed",
            _("this type of file is not accepted; send images, PDF or plain text."),
        )
    _require_allowed("text/plain")
    return found
