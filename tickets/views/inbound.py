"""The HTTP endpoint a mail provider posts inbound mail to.

POST the raw MIME mail (``message/rfc822`` or ``text/plain``) or the
provider's parsed JSON (``application/json``) with the header
``X-Desk-Signature: sha256=<hex HMAC-SHA256 of the body with DESK_INBOUND_SECRET>``.
Answers JSON: ``{"outcome", "code", "ticket"}`` for every mail taken (also
rejected ones: they are recorded, and a retry would change nothing), or
``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from api.errors import error_body
from tickets.inbound.parsing import InboundMessage, UnreadableMail, mail_from_json, mail_parse
from tickets.inbound.service import inbound_mail_receive

SIGNATURE_HEADER = "X-Desk-Signature"
RAW_TYPES = ("message/rfc822", "text/plain", "application/octet-stream")


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


def signature_valid(*, body: bytes, header: str, secret: str) -> bool:
    """Return whether ``header`` is ``sha256=<hex>`` of ``body`` signed with ``secret``."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = header.strip().removeprefix("sha256=").lower()
    return hmac.compare_digest(expected, given)


# No CSRF token: the caller is a mail provider, not a browser with a session;
# every request must carry an HMAC-SHA256 of its body made with the shared secret.
@csrf_exempt
@require_POST
def inbound_mail(request: HttpRequest) -> JsonResponse:
    """Take one inbound mail signed with the shared secret."""
    secret = settings.DESK_INBOUND_SECRET
    if not secret:
        return _error("inbound_disabled", "Inbound mail is not configured.", 503)
    limit = settings.DESK_INBOUND_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _error("too_large", f"A mail may have at most {limit} bytes.", 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return _error("too_large", f"A mail may have at most {limit} bytes.", 413)
    if not signature_valid(
        body=body, header=request.headers.get(SIGNATURE_HEADER, ""), secret=secret
    ):
        return _error("bad_signature", f"{SIGNATURE_HEADER} does not match the body.", 403)
    content_type = request.content_type or ""
    try:
        mail: InboundMessage
        if content_type == "application/json":
            mail = mail_from_json(json.loads(body))
        elif content_type in RAW_TYPES:
            mail = mail_parse(body)
        else:
            return _error(
                "unsupported_media_type",
                "Send message/rfc822 (raw MIME) or application/json.",
                415,
            )
    except (UnreadableMail, ValueError) as error:
        return _error("unreadable_mail", str(error) or "The mail could not be read.", 400)
    result = inbound_mail_receive(mail=mail, now=timezone.now())
    return JsonResponse(
        {
            "outcome": result.outcome,
            "code": result.code,
            "ticket": result.ticket.reference if result.ticket is not None else None,
        }
    )
