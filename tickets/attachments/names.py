"""Files' names: cleaned to store, and shown in errors."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

NAME_STEM_MAX = 100
# Names Windows keeps for devices, whatever extension follows them.
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]]
)


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
