"""Forms of the agent workspace: they check the shape of input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from tickets.attachments import AttachmentsField
from tickets.models import AgentProfile, Presence, Priority, Queue
from tickets.services.conversation import BODY_MAX
from tickets.status import Status

# How the workspace names statuses (the buyer's pages word them for buyers).
STATUS_LABELS = {
    Status.NEW: _("New"),
    Status.QUEUED: _("Queued"),
    Status.ASSIGNED: _("Assigned"),
    Status.PENDING: _("Pending"),
    Status.SOLVED: _("Solved"),
    Status.CLOSED: _("Closed"),
}

PUBLIC = "public"
NOTE = "note"


class PresenceForm(forms.Form):
    presence = forms.ChoiceField(choices=Presence.choices)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a message first.")},
    )
    attachments = AttachmentsField(note=_("Files on an internal note are seen by agents only."))
    visibility = forms.ChoiceField(
        label=_("Send as"),
        choices=[(PUBLIC, _("Public reply")), (NOTE, _("Internal note"))],
        initial=PUBLIC,
        widget=forms.RadioSelect,
    )
    then_status = forms.ChoiceField(
        label=_("Then"),
        choices=[
            ("", _("leave the status as it is")),
            (Status.PENDING, _("set pending (waiting on the buyer)")),
            (Status.SOLVED, _("set solved")),
        ],
        required=False,
    )
    # The ticket version the page was drawn at (tickets.live.TicketVersion);
    # a reply to a ticket changed since then asks before it goes out.
    loaded_version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @property
    def internal(self) -> bool:
        return bool(self.cleaned_data["visibility"] == NOTE)

    @property
    def status(self) -> Status | None:
        value = self.cleaned_data["then_status"]
        return Status(value) if value else None


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Status.PENDING, _("Pending (waiting on the buyer)")),
            (Status.SOLVED, _("Solved")),
        ],
    )


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)


def _agent_label(profile: AgentProfile) -> str:
    return f"{profile.user.display_name} ({profile.user.get_username()}) · {profile.get_presence_display()}"


class AssignForm(forms.Form):
    """Any active agent is accepted here; the service says whether they work the queue."""

    agent = forms.ModelChoiceField(
        label=_("Agent"),
        queryset=User.objects.filter(role__in=(Role.AGENT, Role.SUPERVISOR), is_active=True),
        empty_label=_("Choose an agent"),
        error_messages={"invalid_choice": _("Choose one of the desk's agents.")},
    )
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, queue: Queue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The list offers the agents of the ticket's queue.
        profiles = (
            AgentProfile.objects.filter(queues=queue, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
            if queue is not None
            else AgentProfile.objects.none()
        )
        self.fields["agent"].widget.choices = [("", _("Choose an agent"))] + [
            (profile.user_id, _agent_label(profile)) for profile in profiles
        ]


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.filter(is_active=True),
        empty_label=_("Choose a queue"),
        error_messages={"invalid_choice": _("Choose one of the active queues.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("The buyer sees this in the conversation."),
        error_messages={"required": _("Say why the ticket moves.")},
    )

    def __init__(self, *args: Any, current: Queue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:
            field = self.fields["queue"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Queue.objects.filter(is_active=True).exclude(pk=current.pk)
