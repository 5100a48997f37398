"""The admin side of the audit trail: a mixin for every ModelAdmin that edits configuration."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from audit.context import audit_context, audit_request
from audit.services import audit_change
from audit.snapshot import audit_snapshot

_BEFORE = "_audit_before"


class AuditedAdminMixin:
    """Record every add, change and delete made in this admin, once, with before and after.

    When the admin saves through a service that records the change itself
    (API keys are issued that way), that entry stands and no second one is
    written. Put it first among the bases: ``class X(AuditedAdminMixin, admin.ModelAdmin)``.
    """

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with audit_request(request):
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Actions and list_editable save from here.
        with audit_request(request):
            return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with audit_request(request):
            return super().delete_view(request, *args, **kwargs)  # type: ignore[misc]

    def save_form(self, request: HttpRequest, form: ModelForm[Any], change: bool) -> Any:
        # Before the form's values reach the database: the stored row is still the old one.
        stored = None
        if change and form.instance.pk is not None:
            stored = type(form.instance)._default_manager.filter(pk=form.instance.pk).first()
        befores = request.__dict__.setdefault(_BEFORE, {})
        befores[id(form.instance)] = (audit_snapshot(stored), self._audit_mark())
        return super().save_form(request, form, change)  # type: ignore[misc]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        before, mark = request.__dict__.get(_BEFORE, {}).pop(id(obj), ({}, 0))
        if obj.pk is None or self._audit_recorded_since(mark, obj):
            return
        audit_change(obj=obj, before=before)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        before, mark, pk = audit_snapshot(obj), self._audit_mark(), obj.pk
        super().delete_model(request, obj)  # type: ignore[misc]
        obj.pk = pk
        if not self._audit_recorded_since(mark, obj):
            audit_change(obj=obj, before=before, deleted=True)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        gone = [(obj, audit_snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for obj, before in gone:
            audit_change(obj=obj, before=before, deleted=True)

    @staticmethod
    def _audit_mark() -> int:
        context = audit_context()
        return len(context.recorded) if context is not None else 0

    @staticmethod
    def _audit_recorded_since(mark: int, obj: models.Model) -> bool:
        """Return True when a service already recorded a change of ``obj`` in this request."""
        context = audit_context()
        if context is None:
            return False
        key = (ContentType.objects.get_for_model(obj, for_concrete_model=False).pk, str(obj.pk))
        return key in context.recorded[mark:]
