"""Forms of the buyer's pages: the contact form and the reply box.

They check shape only (types, lengths). What a topic requires is decided by
``tickets.services.ticket_open``; its per-field errors are put back on the
form with :meth:`ContactForm.add_service_errors`, so the buyer keeps what
they typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import BoundField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from support_desk.errors import DomainError
from tickets.attachments import AttachmentsField
from tickets.services import topic_fields
from tickets.services.conversation import BODY_MAX
from tickets.services.opening import DESCRIPTION_MAX, ORDER_NUMBER_MAX, SUBJECT_MAX

# Fields a topic may ask for beyond subject and description, in form order.
TOPIC_FIELD_NAMES = ("order_number", "transaction_id", "amount", "product", "purchase_date")


class ContactForm(forms.Form):
    """What a buyer asks about; the topic decides which extra fields are shown."""

    order_number = forms.CharField(
        label=_("Order number"),
        max_length=ORDER_NUMBER_MAX,
        required=False,
        help_text=_("You find it on your order page, e.g. MP-1001."),
    )
    transaction_id = forms.CharField(
        label=_("Transaction id"),
        max_length=80,
        required=False,
        help_text=_("From your bank statement or payment app."),
    )
    amount = forms.DecimalField(
        label=_("Amount paid"),
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )
    product = forms.CharField(
        label=_("Product"),
        max_length=200,
        required=False,
        help_text=_("As it is named on your order."),
    )
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX,
        required=False,
        help_text=_("A few words; answers that may help appear as you type."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you did, what you expected and what happened instead."),
    )
    attachments = AttachmentsField(label=_("Photos or documents (optional)"))

    def __init__(self, *args: Any, topic_slug: str, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = set(topic_fields(topic_slug))
        for name in TOPIC_FIELD_NAMES:
            if name not in needs:
                del self.fields[name]
        # Marked required for the browser and screen readers; the service says what is missing.
        for field in self.fields.values():
            field.widget.attrs["required"] = True
        self.fields["attachments"].widget.attrs.pop("required")
        self.fields["subject"].widget.attrs.update(
            {
                # Suggested answers as the buyer types (static/js/desk.js).
                "data-suggest-url": reverse("help:suggest"),
                "data-suggest-target": "subject-suggestions",
                "aria-controls": "subject-suggestions",
                "aria-autocomplete": "list",
            }
        )
        if "purchase_date" in self.fields:
            self.fields["purchase_date"].widget.attrs["max"] = today.isoformat()

    def topic_bound_fields(self) -> list[BoundField]:
        """Return the topic's own fields, in form order."""
        return [self[name] for name in TOPIC_FIELD_NAMES if name in self.fields]

    def add_service_errors(self, error: DomainError) -> None:
        """Show a service's refusal: its per-field details on the fields, the rest on top."""
        details = error.details if isinstance(error.details, dict) else {}
        unplaced = not details
        for name, message in details.items():
            if name in self.fields:
                self.add_error(name, str(message))
            else:
                unplaced = True
        if unplaced:
            self.add_error(None, error.message)


class ReplyForm(forms.Form):
    """The buyer's reply under the thread."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "required": True}),
    )
    attachments = AttachmentsField()
