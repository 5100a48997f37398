"""The form field that takes several files in one input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files import File
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from tickets.attachments.limits import attachment_limits, limits_text


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
