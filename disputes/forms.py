"""Forms of the dispute pages: shape only; the services decide what is allowed.

A service's refusal is put back on the form with
:meth:`CaseForm.add_service_error`, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes.models import DisputeReason, Remedy, WantedOutcome
from disputes.services import day_text
from orders.models import Order, OrderItem
from support_desk.errors import DomainError
from tickets.attachments import AttachmentsField, InvalidAttachment

TEXT_MAX = 5000
AMOUNT_WIDGET = forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"})


class CaseForm(forms.Form):
    def add_service_error(self, error: DomainError, *, field: str | None = None) -> None:
        """Show a service's refusal: its per-field details on the fields, its message on top.

        With ``field``, a refusal without details is put on that field instead.
        """
        details = error.details if isinstance(error.details, dict) else {}
        placed = False
        for name, message in details.items():
            if name in self.fields:
                self.add_error(name, str(message))
                placed = True
        if field is not None and not placed and field in self.fields:
            self.add_error(field, error.message)
        else:
            self.add_error(None, error.message)


# --- Buyer ----------------------------------------------------------------------


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount} {currency}"


def order_choices(orders: Iterable[Order]) -> list[tuple[str, str]]:
    """Name each order as the buyer knows it: number, shop, total and when it was placed."""
    choices = [("", _("Choose one of your orders"))]
    for order in orders:
        label = _("%(number)s · %(shop)s · %(total)s · %(date)s") % {
            "number": order.number,
            "shop": order.shop.name,
            "total": _money(order.total, order.currency),
            "date": day_text(timezone.localdate(order.created_at)),
        }
        choices.append((order.number, label))
    return choices


class DisputeOpenForm(CaseForm):
    """A buyer's dispute: which order, why, what they want, and what happened."""

    order_number = forms.CharField(label=gettext_lazy("Order"), max_length=40)
    reason = forms.ChoiceField(
        label=gettext_lazy("What went wrong?"),
        choices=[("", gettext_lazy("Choose a reason")), *DisputeReason.choices],
    )
    wanted_outcome = forms.ChoiceField(
        label=gettext_lazy("What do you want?"),
        choices=WantedOutcome.choices,
        widget=forms.RadioSelect,
    )
    partial_amount = forms.DecimalField(
        label=gettext_lazy("Refund amount you ask for"),
        help_text=gettext_lazy("In the order's currency; at most the order total."),
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=AMOUNT_WIDGET,
    )
    description = forms.CharField(
        label=gettext_lazy("What happened?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What you ordered, what arrived and what you did about it."),
    )
    evidence = AttachmentsField(
        label=gettext_lazy("Evidence (optional)"),
        note=gettext_lazy("Photos of the item or parcel, screenshots, receipts."),
    )

    def __init__(self, *args: Any, orders: Iterable[Order], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A select of the buyer's own orders; the service still checks what is sent.
        self.fields["order_number"].widget = forms.Select(choices=order_choices(orders))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wanted_outcome") == WantedOutcome.PARTIAL_REFUND and not data.get(
            "partial_amount"
        ):
            self.add_error("partial_amount", _("Say how much you ask for."))
        return data


def item_choices(
    items: Iterable[OrderItem], *, last_days: dict[int, date], today: date
) -> list[tuple[str, Any]]:
    """Name each item with its order and its warranty's last day, ended warranties apart.

    An item whose warranty has ended stays in the list, so that the buyer sees
    why it cannot be claimed before sending; the service refuses such a claim.
    """
    running: list[tuple[str, str]] = []
    ended: list[tuple[str, str]] = []
    for item in items:
        last_day = last_days[item.pk]
        names = {"title": item.title, "number": item.order.number, "day": day_text(last_day)}
        if last_day >= today:
            label, group = _("%(title)s · order %(number)s · warranty to %(day)s"), running
        else:
            label, group = _("%(title)s · order %(number)s · warranty ended on %(day)s"), ended
        group.append((str(item.pk), label % names))
    choices: list[tuple[str, Any]] = [("", _("Choose the item"))]
    if not ended:
        return choices + running
    if running:
        choices.append((_("Under warranty"), running))
    choices.append((_("Warranty ended"), ended))
    return choices


class WarrantyClaimForm(CaseForm):
    """A buyer's warranty claim: which item, what is wrong, and what they want done."""

    item = forms.IntegerField(label=gettext_lazy("Item"), min_value=1)
    defect = forms.CharField(
        label=gettext_lazy("What is wrong with it?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("When it started and what happens when you use it."),
    )
    remedy = forms.ChoiceField(
        label=gettext_lazy("What do you want?"),
        choices=Remedy.choices,
        widget=forms.RadioSelect,
    )
    evidence = AttachmentsField(
        label=gettext_lazy("Evidence (optional)"),
        note=gettext_lazy("Photos or a video still of the defect, the receipt."),
    )

    def __init__(
        self,
        *args: Any,
        items: Iterable[OrderItem],
        last_days: dict[int, date],
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].widget = forms.Select(
            choices=item_choices(items, last_days=last_days, today=today)
        )


# --- Either party ---------------------------------------------------------------


class EvidenceForm(CaseForm):
    """More files for an open case, from the buyer or the seller."""

    evidence = AttachmentsField(
        label=gettext_lazy("Files to add"),
        note=gettext_lazy("Photos, screenshots, receipts, proof of shipping."),
    )

    def add_refusal(self, error: DomainError) -> None:
        """Show why the files were not added beside the field: one line per refused file."""
        texts = error.texts() if isinstance(error, InvalidAttachment) else [error.message]
        for text in texts:
            self.add_error("evidence", text)


# --- Seller ---------------------------------------------------------------------


class StatementForm(CaseForm):
    """The seller's words with an answer; required where the answer is a refusal."""

    statement = forms.CharField(
        label=gettext_lazy("Your statement"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statement"].required = required
        if not required:
            self.fields["statement"].label = gettext_lazy("A note to the buyer (optional)")


class CounterOfferForm(CaseForm):
    """A partial refund the seller offers instead, with why."""

    amount = forms.DecimalField(
        label=gettext_lazy("Refund you offer"),
        max_digits=12,
        decimal_places=2,
        widget=AMOUNT_WIDGET,
    )
    statement = forms.CharField(
        label=gettext_lazy("Why this amount (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, currency: str, total: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.label = _("Refund you offer (%(currency)s)") % {"currency": currency}
        amount.help_text = _("At most the order total, %(total)s.") % {
            "total": _money(total, currency)
        }
        amount.widget.attrs["max"] = str(total)
