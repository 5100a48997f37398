"""The base of every domain error; the API maps them to JSON by ``code``."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the desk refused an operation.

    Subclasses set a stable ``code`` (snake_case, part of the API contract)
    and the HTTP ``status`` the API answers with.
    """

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
