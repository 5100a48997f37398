"""Pagination for every API list.

``DeskCursorPagination`` pages a list in a fixed order (DRF's cursor
pagination). ``SyncPagination`` pages what changed, oldest change first, for
an integrator keeping a copy in step: its cursor is a keyset over
``(updated_at, id)``, and each pass through the pages is bounded by the
moment its first page was asked for (``until``, a few seconds back so that
changes still being committed are not passed over). A record changed while
the pass runs leaves it and shows up in the next pass, asked with
``updated_since=<until>``: every change is seen at least once, and no record
twice in one pass.
"""

from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

# How the schema describes a sync list, for the operations that use one.
SYNC_LIST = (
    "a sync list (`{next, previous, until, results}`), oldest change first (`updated_at`, "
    "then `id`), read in passes: follow `next` to the end of the pass, then ask again with "
    "`updated_since` set to the pass's `until`. A record changed during a pass comes in the "
    "next one, so every change is seen, and none twice in one pass."
)


class InvalidCursor(APIException):
    status_code = 400
    default_detail = "The cursor is not one this list gave out; start again without it."
    default_code = "invalid_cursor"


class DeskCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

    def decode_cursor(self, request: Request) -> Any:
        # DRF answers a bad cursor 404, as if the list did not exist.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise InvalidCursor() from None


class SyncPageSerializer(serializers.Serializer):
    """The envelope of a page of a sync list (subclasses add ``results``)."""

    next = serializers.URLField(
        allow_null=True, help_text="The next page of this pass, or null at its end."
    )
    previous = serializers.URLField(
        allow_null=True, help_text="Always null: a pass is read forwards."
    )
    until = serializers.DateTimeField(
        help_text="The end of this pass: records changed after it come in the next pass; "
        "ask it with `updated_since` set to this value."
    )


class SyncPagination(BasePagination):
    """Forward pages over ``(updated_at, id)``, bounded by the pass's ``until``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"

    def paginate_queryset(  # type: ignore[override]  # a queryset only: it filters
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        size = self._page_size(request)
        token = request.query_params.get(self.cursor_query_param)
        if token:
            self.until, after = self._decode(token)
        else:
            lag = timedelta(seconds=settings.DESK_API_SYNC_LAG_SECONDS)
            self.until, after = timezone.now() - lag, None
        rows = queryset.filter(updated_at__lte=self.until)
        if after is not None:
            changed_at, pk = after
            rows = rows.filter(Q(updated_at__gt=changed_at) | Q(updated_at=changed_at, pk__gt=pk))
        page = list(rows.order_by("updated_at", "pk")[: size + 1])
        self.has_next = len(page) > size
        page = page[:size]
        self.last = page[-1] if page else None
        return page

    def _page_size(self, request: Request) -> int:
        wanted = request.query_params.get(self.page_size_query_param, "")
        if wanted.isdigit() and int(wanted) > 0:
            return min(int(wanted), self.max_page_size)
        return self.page_size

    def _decode(self, token: str) -> tuple[datetime, tuple[datetime, int]]:
        try:
            padded = token + "=" * (-len(token) % 4)
            fields = json.loads(urlsafe_b64decode(padded.encode("ascii")))
            until = datetime.fromisoformat(fields["u"])
            changed_at = datetime.fromisoformat(fields["t"])
            pk = int(fields["i"])
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as error:
            raise InvalidCursor() from error
        if timezone.is_naive(until) or timezone.is_naive(changed_at):
            raise InvalidCursor()
        return until, (changed_at, pk)

    def _encode(self, row: Any) -> str:
        changed_at = row["updated_at"] if isinstance(row, dict) else row.updated_at
        pk = row["id"] if isinstance(row, dict) else row.pk
        fields = {"u": self.until.isoformat(), "t": changed_at.isoformat(), "i": pk}
        raw = json.dumps(fields, separators=(",", ":")).encode("ascii")
        return urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def get_next_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(self.last))

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self.get_next_link(),
                "previous": None,
                "until": self.until.isoformat(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "until", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "until": {"type": "string", "format": "date-time"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page: from `next`. A pass starts without it.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page, at most {self.max_page_size}.",
                "schema": {"type": "integer"},
            },
        ]
