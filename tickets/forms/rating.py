"""The buyer's rating form: shape only; ``tickets.services.rating`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from support_desk.errors import DomainError
from tickets.services.rating import COMMENT_MAX, SCORE_MAX, SCORE_MIN

SCORE_ERROR = _("Choose a rating from 1 (poor) to 5 (excellent).")


class StarsWidget(forms.RadioSelect):
    """Radios whose group label and error summary point at the first star."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How did we do?"),
        choices=[(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)],
        coerce=int,
        widget=StarsWidget,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def add_service_error(self, error: DomainError) -> None:
        """Put a refusal of the service on the field it names, else on the whole form."""
        details = error.details if isinstance(error.details, dict) else {}
        field = next((name for name in details if name in self.fields), None)
        self.add_error(field, error.message)
