"""Reads of integrator keys."""

from __future__ import annotations

import hmac

from django.views.decorators.debug import sensitive_variables

from api.keys import api_key_hash, api_key_prefix
from api.models import ApiKey


@sensitive_variables("raw_key")
def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    """Return the active key matching ``raw_key``, or None (unknown, malformed or revoked)."""
    prefix = api_key_prefix(raw_key)
    if prefix is None:
        return None
    api_key = ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, api_key_hash(raw_key)):
        return None
    return api_key
