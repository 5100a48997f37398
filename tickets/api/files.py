"""Files in the tickets API: reading uploads off a multipart request, and downloads."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Role
from api.permissions import ScopedAccess
from tickets.api import access
from tickets.api import schema as doc
from tickets.attachments import FileProblem, InvalidAttachment, attachment_get_on_ticket
from tickets.views.files import attachment_response

FILES_FIELD = "files"


def uploaded_files(request: Request) -> list[UploadedFile]:
    """Return the files sent in the ``files`` parts; refuse files sent under any other name."""
    others = sorted(name for name in request.FILES if name != FILES_FIELD)
    if others:
        reason = _("Send files in the `files` field (got: %(fields)s).") % {
            "fields": ", ".join(others)
        }
        raise InvalidAttachment([FileProblem(None, "", "unknown_field", reason)])
    return list(request.FILES.getlist(FILES_FIELD))


class TicketAttachmentApi(APIView):
    """Download a file of a ticket the caller may read."""

    permission_classes = [ScopedAccess]
    allowed_roles = (Role.BUYER, Role.AGENT, Role.SUPERVISOR)
    required_scopes = {"GET": ["tickets:read"]}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is the file itself, whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="tickets_attachment_retrieve",
        summary="Download a file of a ticket",
        description=doc.ATTACHMENT,
        responses={
            **doc.download_responses(
                "The file, as a download, with the type found by its content."
            ),
            **doc.errors(401, 403),
            **doc.ATTACHMENT_ERRORS,
        },
        tags=["tickets"],
    )
    def get(self, request: Request, ticket_id: int, attachment_id: int) -> HttpResponseBase:
        caller = access.caller_of(request)
        ticket = access.ticket_visible(caller, ticket_id)
        attachment = attachment_get_on_ticket(
            ticket=ticket, attachment_id=attachment_id, internal=caller.has_agent_scope
        )
        return attachment_response(attachment, inline=False)
