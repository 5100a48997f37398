"""Mail about accounts: sign-up links, "you already have an account", password resets.

Sent at once through the configured mail backend, as Django's own password
reset does: the person is waiting for it. Links point at DESK_BASE_URL, never
at the Host a request named.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def site_url(path: str) -> str:
    """Return the absolute address of ``path`` on the desk."""
    return f"{settings.DESK_BASE_URL.rstrip('/')}{path}"


def account_mail_send(
    *, template: str, to: str, subject: str, context: dict[str, Any], language: str
) -> None:
    """Render ``accounts/emails/<template>.txt`` and ``.html`` in ``language`` and send them to ``to``.

    Raises what the mail backend raises.
    """
    with translation.override(language):
        context = {"site_name": settings.DESK_SITE_NAME, "language": language, **context}
        text = render_to_string(f"accounts/emails/{template}.txt", context)
        markup = render_to_string(f"accounts/emails/{template}.html", context)
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]
    mail = EmailMultiAlternatives(
        subject=" ".join(str(subject).split())[:200],
        body=re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # RFC 3834: out-of-office responders do not answer automatic mail.
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    mail.attach_alternative(markup, "text/html")
    mail.send()
