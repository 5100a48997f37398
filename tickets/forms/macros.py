"""The macro picker of the agent's reply box: it checks the choice; the selector offers them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.macro_selectors import MacroOption

CHOOSE_ERROR = _("Choose one of the macros offered for this ticket.")


class MacroPickForm(forms.Form):
    macro = forms.TypedChoiceField(
        label=_("Insert macro"),
        coerce=int,
        error_messages={"required": CHOOSE_ERROR, "invalid_choice": CHOOSE_ERROR},
    )

    def __init__(self, *args: Any, options: list[MacroOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {option.macro.pk: option for option in options}
        field = self.fields["macro"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a macro"))] + [
            (option.macro.pk, option.macro.name) for option in options
        ]

    @property
    def option(self) -> MacroOption:
        """The chosen macro, filled in; only after ``is_valid()``."""
        return self.options[self.cleaned_data["macro"]]
