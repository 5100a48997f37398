"""Serving evidence: only to the case's buyer, the case's seller or an agent, always as a download.

Anyone else signed in gets 404, as for a file that does not exist;
anonymous visitors are asked to log in. The file goes out with ``nosniff``
and a sandboxing CSP, so it can never run in the desk's origin.
"""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from accounts.models import User
from disputes import selectors
from disputes.models import Evidence
from disputes.services import CaseNotFound
from tickets.views.files import FILE_CSP, content_disposition

logger = logging.getLogger("disputes")


@require_safe
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """Send a piece of evidence to someone who may see its case."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if not isinstance(user, User):
        raise Http404("No such file.")
    try:
        evidence = selectors.evidence_get_for_viewer(viewer=user, evidence_id=evidence_id)
    except CaseNotFound as error:
        raise Http404(error.message) from error
    return evidence_response(evidence)


def evidence_response(evidence: Evidence) -> FileResponse:
    """Answer with the evidence file as a download that can run nothing; 404 if it is gone."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        logger.error("evidence %s: file missing from storage", evidence.pk)
        raise Http404("No such file.") from None
    content_type = evidence.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(evidence.name, inline=False)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, the desk's page policy is left off: the file may load nothing and run nothing.
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private"
    return response
