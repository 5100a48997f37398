"""Why files are refused: per file, and for a whole set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from support_desk.errors import DomainError


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


class Refused(Exception):
    """One file refused by a check: a stable code and the reason shown (the package's own)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
