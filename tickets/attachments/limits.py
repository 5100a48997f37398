"""What may be attached, from the settings: how large, how many, which types."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024
# The types a file is stored as, and the extension its name is given.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "text/plain": "txt",
}


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
