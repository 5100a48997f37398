"""Issue, use and revoke integrator API keys."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from api.keys import KEY_PREFIX, api_key_hash
from api.models import ApiKey
from api.scopes import scopes_validate
from audit.models import AuditAction
from audit.services import audit_change, audit_record
from support_desk.errors import DomainError

# How stale last_used_at may get before a request refreshes it: one write a
# minute per key instead of one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class SellerBinding(DomainError):
    code = "seller_binding"


def api_key_seller_check(*, scopes: list[str], seller: User | None) -> None:
    """Refuse a key with the scope ``seller`` but no seller, or a seller but not the scope."""
    if "seller" in scopes and seller is None:
        raise SellerBinding(_("Choose the seller a key with the scope `seller` acts as."))
    if seller is not None and "seller" not in scopes:
        raise SellerBinding(_("Only a key with the scope `seller` acts as a seller."))
    if seller is not None and not seller.is_seller:
        raise SellerBinding(_("%(name)s is not a seller account.") % {"name": seller.username})


@transaction.atomic
def api_key_issue(
    *,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    seller: User | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never shown again.

    A key acts as a seller exactly when it has the scope ``seller`` and is
    bound to a seller account. Raises UnknownScope for a scope not in
    api.scopes.SCOPES, SellerBinding when scope and seller do not go together.
    """
    scopes = scopes_validate(scopes)
    api_key_seller_check(scopes=scopes, seller=seller)
    while True:
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    raw_key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(raw_key),
        scopes=scopes,
        created_by=created_by,
        seller=seller,
    )
    audit_change(obj=api_key, before={}, label="issue", actor=created_by)
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey, now: datetime) -> bool:
    """Revoke a key for good; return False when it was already revoked."""
    with transaction.atomic():
        revoked = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if revoked:
            audit_record(
                obj=api_key,
                action=AuditAction.CUSTOM,
                label="revoke",
                changes={"revoked_at": [None, now.isoformat()]},
                now=now,
            )
    api_key.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def api_key_mark_used(*, api_key: ApiKey, now: datetime) -> None:
    """Record that the key was used, at most once per LAST_USED_RESOLUTION."""
    last = api_key.last_used_at
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
