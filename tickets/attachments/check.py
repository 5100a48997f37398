"""Check sent files before anything is written: size, count and content."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files import File
from django.utils.translation import gettext as _

from tickets.attachments.errors import FileProblem, InvalidAttachment, Refused
from tickets.attachments.kinds import detect
from tickets.attachments.limits import EXTENSIONS, MEGABYTE, AttachmentLimits, attachment_limits
from tickets.attachments.names import attachment_name_clean, display_name


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
            raise Refused("too_large", _too_large(limits))
        data = _read(file, limits.max_bytes)
        if not data:
            raise Refused("empty", _("the file is empty."))
        if len(data) > limits.max_bytes:
            raise Refused("too_large", _too_large(limits))
        content_type, stored = detect(data)
    except Refused as refused:
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
