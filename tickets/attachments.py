"""Files people attach to messages: checked by their content, cleaned, and read back.

Nothing here trusts a file's name or the type a browser claims. A file is
accepted only when its bytes are one of the allowed kinds: an image Pillow
decodes (and which is then re-encoded, so metadata and anything appended
are dropped, and scaled down to STORED_MAX_SIDE), a PDF without scripts,
launch actions or embedded files, or UTF-8 plain text that is not markup.
Names are cleaned and given the extension of the detected type.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django import forms
from django.conf import settings
from django.core.files import File
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from support_desk import security_log
from support_desk.errors import DomainError
from tickets.models import BUYER_VISIBLE_KINDS, Attachment, Ticket

MEGABYTE = 1024 * 1024
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
NAME_STEM_MAX = 100
# Names Windows keeps for devices, whatever extension follows them.
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]]
)
# Decompressed PDF object streams are searched up to this many bytes in all.
PDF_INFLATE_BUDGET = 32 * MEGABYTE

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "text/plain": "txt",
}
# Pillow's formats, and the type each is allowed as (MPO: phones' multi-picture JPEG).
IMAGE_FORMATS = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


# --- Limits -------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int
    max_files: int
    types: tuple[str, ...]


def attachment_limits() -> AttachmentLimits:
    """Return the limits of settings DESK_ATTACHMENT_MAX_BYTES, _MAX_FILES and _TYPES."""
    return AttachmentLimits(
        max_bytes=settings.DESK_ATTACHMENT_MAX_BYTES,
        max_files=settings.DESK_ATTACHMENT_MAX_FILES,
        types=tuple(settings.DESK_ATTACHMENT_TYPES),
    )


def _limits_text() -> str:
    limits = attachment_limits()
    kinds = []
    if any(kind.startswith("image/") for kind in limits.types):
        kinds.append(_("images"))
    if "application/pdf" in limits.types:
        kinds.append("PDF")
    if "text/plain" in limits.types:
        kinds.append(_("plain text"))
    return _("Up to %(files)d files of %(size)d MB each: %(kinds)s.") % {
        "files": limits.max_files,
        "size": max(1, limits.max_bytes // MEGABYTE),
        "kinds": ", ".join(str(kind) for kind in kinds),
    }


limits_text = lazy(_limits_text, str)


# --- Errors -------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    """Why one file (``index`` in what was sent, None for the whole set) was refused."""

    index: int | None
    name: str
    code: str
    reason: str

    @property
    def text(self) -> str:
        if not self.name:
            return self.reason
        return _("%(name)s: %(reason)s") % {"name": self.name, "reason": self.reason}


class InvalidAttachment(DomainError):
    """One or more files cannot be attached; ``details["files"]`` says which and why."""

    code = "invalid_attachment"

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            " ".join(problem.text for problem in self.problems),
            details={
                "files": [
                    {"index": p.index, "name": p.name, "code": p.code, "message": p.reason}
                    for p in self.problems
                ]
            },
        )

    def texts(self) -> list[str]:
        """Return one sentence per refused file, naming it."""
        return [problem.text for problem in self.problems]


class AttachmentNotFound(DomainError):
    code = "attachment_not_found"
    status = 404


class _Refused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- Names --------------------------------------------------------------------


def _visible_characters(name: str) -> str:
    # Control, format (e.g. right-to-left override), private and unassigned characters;
    # dropped before composing, so that what they separated composes (NFC) as it will
    # when the clean name is cleaned again.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = unicodedata.normalize("NFC", name)
    return " ".join(name.split())


def display_name(raw: str) -> str:
    """Return the last part of a sent name, printable, to name the file in an error."""
    name = _visible_characters(re.split(r"[/\\]", raw or "")[-1]).strip()
    return name[:80] or _("(file without a name)")


def _not_a_device(stem: str) -> str:
    """Rename a stem Windows reads as a device (``CON``, ``nul.tar``): saving it would fail."""
    head, dot, rest = stem.partition(".")
    if head.rstrip(" ").upper() in WINDOWS_DEVICES:
        return f"{head.rstrip(' ')}_file{dot}{rest}"
    return stem


def attachment_name_clean(*, name: str, extension: str) -> str:
    """Return a safe file name: no folders, no control characters, NFC, short, ``extension``.

    Cleaning a cleaned name again gives it back unchanged.
    """
    name = _visible_characters(re.split(r"[/\\]", name or "")[-1])
    name = re.sub(r'[<>:"|?*]', "_", name)
    stem, dot, old = name.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", old):
        name = stem
    stem = _not_a_device(name.strip(" ._-"))[:NAME_STEM_MAX].strip(" ._-")
    return f"{stem or 'file'}.{extension}"


# --- Content ------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, as it is to be stored."""

    name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


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
        raise _Refused("program", _("programs and scripts are not accepted."))
    if data.startswith(ARCHIVES) or data[257:262] == b"ustar":
        raise _Refused("archive", _("archives (ZIP, RAR, 7z…) and Office files are not accepted."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Refused("type_not_allowed", _("Office and installer files are not accepted."))


def _image(data: bytes) -> tuple[str, bytes]:
    """Decode an image and re-encode it: JPEG stays JPEG, every other kind becomes PNG."""
    damaged = _Refused("damaged", _("the image is damaged or not really an image."))
    try:
        with Image.open(BytesIO(data)) as probe:
            found = probe.format or ""
            probe.verify()
        source_type = IMAGE_FORMATS.get(found)
        if source_type is None:
            raise _Refused("type_not_allowed", _("this kind of image is not accepted."))
        _require_allowed(source_type)
        with Image.open(BytesIO(data)) as image:
            limit = _pixel_limit(jpeg=source_type == "image/jpeg")
            if image.width * image.height > limit:
                raise _Refused("too_large", _too_many_pixels(limit))
            keep = STORED_MAX_SIDE // 2
            image.draft(None, (keep, 1) if image.width >= image.height else (1, keep))  # JPEG only
            image.load()
            # Scaled down first, in place, then turned upright: a full-size
            # copy of the decoded pixels is never made.
            image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            ImageOps.exif_transpose(image, in_place=True)
            return _encode(image, jpeg=source_type == "image/jpeg")
    except _Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise damaged from error
    except Image.DecompressionBombError as error:
        # Raised while opening, before the kind is known: told by its first bytes.
        limit = _pixel_limit(jpeg=data.startswith(JPEG_MAGIC))
        raise _Refused("too_large", _too_many_pixels(limit)) from error


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
        raise _Refused("damaged", _("the PDF is cut off or damaged."))
    if re.search(rb"/Encrypt(?=[\s/<>\[\]()%{}])", _pdf_unescape(data)):
        raise _Refused(
            "unsafe",
            _("password-protected PDFs cannot be checked; save it without protection."),
        )
    for text in (data, *_pdf_object_streams(data)):
        if PDF_UNSAFE.search(_pdf_unescape(text)):
            raise _Refused(
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
            raise _Refused("damaged", _("the PDF is cut off or damaged.")) from error
        budget -= len(text)
        if budget < 0:
            raise _Refused("unsafe", _("the PDF is too complex to check."))
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
                raise _Refused(
                    "type_not_allowed",
                    _("SVG images can carry scripts and are not accepted; send a PNG or JPEG."),
                )
            if kind == "xml":
                raise _Refused("type_not_allowed", _("XML files are not accepted."))
            raise _Refused("type_not_allowed", _("web pages (HTML) are not accepted."))
    return "text/plain", data


def _require_allowed(content_type: str) -> None:
    if content_type not in attachment_limits().types:
        raise _Refused("type_not_allowed", _("this type of file is not accepted here."))


def _detect(data: bytes) -> tuple[str, bytes]:
    """Return the stored type and bytes of an accepted file; raise _Refused."""
    _refuse_unsafe_kinds(data)
    if _is_image(data):
        return _image(data)
    if data.startswith(b"%PDF-"):
        _require_allowed("application/pdf")
        return _pdf(data)
    found = _text(data)
    if found is None:
        raise _Refused(
            "type_not_allowed",
            _("this type of file is not accepted; send images, PDF or plain text."),
        )
    _require_allowed("text/plain")
    return found


def _read(file: File, limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    return data if isinstance(data, bytes) else str(data).encode()


def attachment_check(*, file: File, index: int = 0) -> CheckedFile:
    """Check one file by its content; return it cleaned (images re-encoded).

    Raises InvalidAttachment naming the file and why.
    """
    limits = attachment_limits()
    name = display_name(file.name or "")
    try:
        if file.size is not None and file.size > limits.max_bytes:
            raise _Refused("too_large", _too_large(limits))
        data = _read(file, limits.max_bytes)
        if not data:
            raise _Refused("empty", _("the file is empty."))
        if len(data) > limits.max_bytes:
            raise _Refused("too_large", _too_large(limits))
        content_type, stored = _detect(data)
    except _Refused as refused:
        raise InvalidAttachment([FileProblem(index, name, refused.code, refused.reason)]) from None
    return CheckedFile(
        name=attachment_name_clean(name=file.name or "", extension=EXTENSIONS[content_type]),
        content_type=content_type,
        data=stored,
    )


def _too_large(limits: AttachmentLimits) -> str:
    if limits.max_bytes >= MEGABYTE:
        return _("the file is larger than %(n)d MB.") % {"n": limits.max_bytes // MEGABYTE}
    return _("the file is larger than %(n)d KB.") % {"n": max(1, limits.max_bytes // 1024)}


def attachments_check(*, files: Sequence[File]) -> list[CheckedFile]:
    """Check every file before anything is written; return them cleaned.

    Raises InvalidAttachment listing each refused file and why (or that there
    are too many files).
    """
    limits = attachment_limits()
    if len(files) > limits.max_files:
        reason = _("Attach at most %(n)d files to one message.") % {"n": limits.max_files}
        raise InvalidAttachment([FileProblem(None, "", "too_many", reason)])
    checked: list[CheckedFile] = []
    problems: list[FileProblem] = []
    for index, file in enumerate(files):
        try:
            checked.append(attachment_check(file=file, index=index))
        except InvalidAttachment as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidAttachment(problems)
    return checked


# --- Reads --------------------------------------------------------------------


def attachment_get_on_ticket(*, ticket: Ticket, attachment_id: int, internal: bool) -> Attachment:
    """Return an attachment of ``ticket``; files of internal notes only with ``internal``.

    The caller has already checked the viewer may see the ticket. Raises
    AttachmentNotFound.
    """
    attachments = Attachment.objects.filter(ticket=ticket, pk=attachment_id)
    if not internal:
        attachments = attachments.filter(message__kind__in=BUYER_VISIBLE_KINDS)
    attachment = attachments.first()
    if attachment is None:
        security_log.log_if_someone_elses(
            Attachment.objects.filter(pk=attachment_id), what="attachment"
        )
        raise AttachmentNotFound(_("No such file."))
    return attachment


# --- Form field ---------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "accept": ",".join(attachment_limits().types)}
        return super().get_context(name, value, attrs)


class AttachmentsField(forms.FileField):
    """Several files in one input; the services check what they are and say which is wrong."""

    widget = MultipleFileInput

    def __init__(self, *, note: str | Promise = "", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Attach files"))
        # Read when shown: the limits come from settings.
        kwargs.setdefault(
            "help_text", format_lazy("{} {}", limits_text(), note) if note else limits_text()
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[File]:
        if isinstance(data, list | tuple):
            return [file for file in data if file]
        return [data] if data else []
