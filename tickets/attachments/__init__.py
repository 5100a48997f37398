"""Files people attach to messages: checked by their content, cleaned, and read back.

Nothing here trusts a file's name or the type a browser claims. A file is
accepted only when its bytes are one of the allowed kinds: an image Pillow
decodes (and which is then re-encoded, so metadata and anything appended
are dropped, and scaled down to STORED_MAX_SIDE), a PDF without scripts,
launch actions or embedded files, or UTF-8 plain text that is not markup.
Names are cleaned and given the extension of the detected type.

The package: ``limits`` (size, count, types, from settings), ``errors``,
``names`` (cleaning names), ``kinds`` (what the bytes are), ``check`` (a
sent set, before anything is written), ``reads`` and ``fields`` (the form
field).
"""

from __future__ import annotations

from tickets.attachments.check import CheckedFile, attachment_check, attachments_check
from tickets.attachments.errors import AttachmentNotFound, FileProblem, InvalidAttachment
from tickets.attachments.fields import AttachmentsField
from tickets.attachments.kinds import INLINE_TYPES
from tickets.attachments.limits import EXTENSIONS, attachment_limits, limits_text
from tickets.attachments.names import (
    NAME_STEM_MAX,
    WINDOWS_DEVICES,
    attachment_name_clean,
    display_name,
)
from tickets.attachments.reads import attachment_get_on_ticket

__all__ = [
    "EXTENSIONS",
    "INLINE_TYPES",
    "NAME_STEM_MAX",
    "WINDOWS_DEVICES",
    "AttachmentNotFound",
    "AttachmentsField",
    "CheckedFile",
    "FileProblem",
    "InvalidAttachment",
    "attachment_check",
    "attachment_get_on_ticket",
    "attachment_limits",
    "attachment_name_clean",
    "attachments_check",
    "display_name",
    "limits_text",
]
