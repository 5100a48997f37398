"""Macros (canned replies) for agents' tools, optionally filled in for one ticket."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tickets import macro_selectors
from tickets.api import access
from tickets.api import schema as doc
from tickets.api.views import AgentOnlyApi
from tickets.macro_selectors import MacroOption

MACROS = (
    "The active macros: canned replies with the placeholders `{buyer_name}`, `{reference}`, "
    "`{order_number}`, `{agent_name}` and `{subject}`, each for one topic or all and in one "
    "language, optionally setting the ticket `pending` or `solved` when sent "
    "(`set_status`). With `ticket`, only the macros offered on that ticket (its topic or all, "
    "its language, else the desk's default language), each with `text` filled in for it and "
    "for the signed-in agent (keys leave `{agent_name}` as is).\n\n"
    "**Access:** scope `agents:read`; signed-in agents and supervisors."
)


class MacroQuerySerializer(serializers.Serializer):
    """Query of macros_list."""

    ticket = serializers.IntegerField(
        required=False, help_text="Only the macros offered on this ticket, filled in for it."
    )
    language = serializers.CharField(required=False, help_text="Only this language's macros.")
    topic = serializers.SlugField(required=False, help_text="Only this topic's (and all-topic).")


class MacroOutputSerializer(serializers.Serializer):
    """A macro (a MacroOption); ``text`` only when asked for one ticket."""

    id = serializers.IntegerField(source="macro.pk")
    name = serializers.CharField(source="macro.name")
    topic = serializers.SerializerMethodField(help_text="The topic's slug; null: every topic.")
    language = serializers.CharField(source="macro.language")
    body = serializers.CharField(source="macro.body", help_text="With its placeholders.")
    set_status = serializers.CharField(
        source="macro.set_status", help_text="`pending`, `solved`, or empty: leave the status."
    )
    text = serializers.CharField(
        allow_null=True, help_text="Filled in for `ticket`; null without it."
    )

    def get_topic(self, option: MacroOption) -> str | None:
        topic = option.macro.topic
        return topic.slug if topic is not None else None


class MacroListOutputSerializer(serializers.Serializer):
    results = MacroOutputSerializer(many=True)


class _Unfilled:
    """A macro listed without a ticket: nothing filled in."""

    def __init__(self, macro: Any) -> None:
        self.macro = macro
        self.text = None


class MacroListApi(AgentOnlyApi):
    """List the macros, or those offered on one ticket."""

    required_scopes = {"GET": ["agents:read"]}

    @extend_schema(
        operation_id="macros_list",
        summary="List macros",
        description=MACROS,
        parameters=[MacroQuerySerializer],
        responses={200: MacroListOutputSerializer, **doc.errors(400, 401, 403, 404)},
        tags=["macros"],
    )
    def get(self, request: Request) -> Response:
        params = MacroQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        caller = access.caller_of(request)
        rows: list[Any]
        if query.get("ticket") is not None:
            ticket = access.ticket_visible(caller, query["ticket"])
            rows = macro_selectors.macro_options(ticket=ticket, agent=caller.agent)
        else:
            rows = [
                _Unfilled(macro)
                for macro in macro_selectors.macro_list(
                    language=query.get("language"), topic_slug=query.get("topic")
                )
            ]
        return Response(MacroListOutputSerializer({"results": rows}).data)
