"""Writing the audit trail: one entry per change, from the services and from the admin.

Call ``audit_change`` with the object's snapshot from before the change and
it compares with the stored row; nothing is written when nothing changed, so
an upsert run twice leaves one entry. Entries join the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.context import audit_context
from audit.models import AuditAction, AuditEntry, AuditSource
from audit.snapshot import audit_diff, audit_snapshot
from support_desk.clients import client_address


def _source(request: HttpRequest) -> AuditSource:
    if request.path.startswith("/admin/"):
        return AuditSource.ADMIN
    if request.path.startswith("/api/"):
        return AuditSource.API
    return AuditSource.SERVICE


def object_repr(obj: models.Model) -> str:
    """Name ``obj`` for the trail; a buyer by number only, so the trail holds no buyer's name."""
    if isinstance(obj, User) and obj.is_buyer:
        return f"buyer #{obj.pk}"
    return str(obj)[:200]


def audit_record(
    *,
    obj: models.Model,
    action: AuditAction,
    changes: dict[str, list[Any]] | None = None,
    label: str = "",
    note: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Write one entry about ``obj``.

    The actor, source, address and request id come from the request being
    served (see audit.context) unless ``actor`` is given; outside a request
    the source is the desk itself.
    """
    context = audit_context()
    source = AuditSource.SERVICE
    request_id = ""
    ip_address = None
    actor_name = actor.get_username() if actor is not None else ""
    if context is not None:
        request = context.request
        source = _source(request)
        request_id = context.request_id
        ip_address = client_address(request) or None
        caller = getattr(request, "user", None)
        if actor is None and caller is not None and caller.is_authenticated:
            actor_name = str(getattr(caller, "username", ""))[:150]
            actor = caller if isinstance(caller, User) else None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    entry = AuditEntry.objects.create(
        created_at=now or timezone.now(),
        actor=actor,
        actor_name=actor_name,
        action=action,
        label=label,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=object_repr(obj),
        changes=changes or {},
        note=note[:300],
        source=source,
        request_id=request_id,
        ip_address=ip_address,
    )
    if context is not None:
        context.recorded.append((content_type.pk, entry.object_id))
    return entry


def audit_change(
    *,
    obj: models.Model,
    before: dict[str, Any],
    deleted: bool = False,
    label: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> AuditEntry | None:
    """Record how ``obj`` changed since ``before`` (its snapshot); None when nothing did.

    ``before`` empty means the object was just created; ``deleted`` that it is
    gone (``obj`` still names it). The object's state now is read from the
    database, not from ``obj``.
    """
    after: dict[str, Any] = {}
    if not deleted:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        after = audit_snapshot(stored)
    changes = audit_diff(before, after)
    if deleted:
        action = AuditAction.DELETE
    elif not before:
        action = AuditAction.CREATE
    else:
        action = AuditAction.UPDATE
        if not changes:
            return None
    return audit_record(obj=obj, action=action, changes=changes, label=label, actor=actor, now=now)


def audit_before(model: type[models.Model], **lookup: Any) -> dict[str, Any]:
    """Return the snapshot of the row ``lookup`` finds, or {} when there is none yet."""
    return audit_snapshot(model._default_manager.filter(**lookup).first())
