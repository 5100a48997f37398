"""Macros in the admin: canned replies per topic and language, with their placeholders checked."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.mixins import AuditedAdminMixin
from tickets.admin.config import ADMIN_CSS
from tickets.models import Macro
from tickets.services.macros import PLACEHOLDERS, macro_unknown_placeholders


class MacroForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = ("name", "topic", "language", "body", "set_status", "is_active", "sort_order")
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 80})}

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        unknown = macro_unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(
                gettext("Unknown placeholder(s): %(unknown)s. Known: %(known)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                }
            )
        return body


@admin.register(Macro)
class MacroAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MacroForm
    list_display = ("name", "topic_name", "language", "set_status", "is_active", "sort_order")
    list_display_links = ("name",)
    list_editable = ("is_active", "sort_order")
    list_filter = ("language", "topic", "is_active", "set_status")
    search_fields = ("name", "body")
    list_select_related = ("topic",)
    ordering = ("language", "sort_order", "name")
    save_as = True

    class Media:
        css = ADMIN_CSS

    @admin.display(description=_("topic"), ordering="topic__name")
    def topic_name(self, obj: Macro) -> str:
        return obj.topic.name if obj.topic is not None else gettext("All topics")
