from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.mixins import AuditedAdminMixin
from faq import selectors, services
from faq.models import AssistantQuestion, FaqEntry, FaqTranslation, Topic, TopicTranslation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TopicTranslationInline(admin.TabularInline):
    model = TopicTranslation
    extra = 0


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "icon",
        "name",
        "slug",
        "sort_order",
        "email_contact",
        "is_active",
        "entry_count",
    )
    list_display_links = ("name",)
    list_editable = ("sort_order", "email_contact", "is_active")
    list_filter = ("is_active", "email_contact")
    search_fields = ("name", "slug", "translations__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (TopicTranslationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description=_("entries"), ordering="n_entries")
    def entry_count(self, obj: Topic) -> int:
        return obj.n_entries  # type: ignore[attr-defined]


class FaqTranslationInline(admin.StackedInline):
    model = FaqTranslation
    extra = 0
    fields = ("language", "published", "question", "answer", "preview")
    readonly_fields = ("preview",)
    classes = ("faq-translation",)

    @admin.display(description=_("preview"))
    def preview(self, obj: FaqTranslation) -> StrOrPromise:
        if not obj.pk:
            return _("Shown after saving.")
        # answer_html is produced by faq.markdown: raw HTML off, then sanitised by nh3.
        return format_html('<div class="faq-preview">{}</div>', mark_safe(obj.answer_html))  # noqa: S308  # nosec B308 B703  # HTML from faq.markdown, sanitised by nh3


class LanguageListFilter(admin.SimpleListFilter):
    title = _("has translation")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from django.conf import settings

        return [(code, str(name)) for code, name in settings.LANGUAGES]

    def queryset(self, request: HttpRequest, queryset: QuerySet[FaqEntry]) -> QuerySet[FaqEntry]:
        if self.value():
            return queryset.filter(translations__language=self.value())
        return queryset


@admin.register(FaqEntry)
class FaqEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "question",
        "topic",
        "languages",
        "published",
        "views",
        "helpful_rate",
        "contacts",
        "tickets",
    )
    list_filter = ("topic", LanguageListFilter, "published", "operator_resolvable", "email_contact")
    list_select_related = ("topic",)
    search_fields = ("slug", "translations__question", "translations__answer")
    fields = ("topic", "slug", "sort_weight", "published", "operator_resolvable", "email_contact")
    inlines = (FaqTranslationInline,)
    ordering = ("topic__sort_order", "-sort_weight", "pk")

    class Media:
        css = {"all": ("css/admin-faq.css",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[FaqEntry]:
        return (
            super()
            .get_queryset(request)
            .annotate(**selectors.entry_funnel_annotations())
            .prefetch_related("translations")
        )

    @admin.display(description=_("question"))
    def question(self, obj: FaqEntry) -> str:
        texts = {t.language: t.question for t in obj.translations.all()}
        return texts.get("en") or next(iter(texts.values()), obj.slug)

    @admin.display(description=_("languages"))
    def languages(self, obj: FaqEntry) -> str:
        return " ".join(sorted(t.language for t in obj.translations.all()))

    @admin.display(description=_("views"), ordering="n_views")
    def views(self, obj: FaqEntry) -> int:
        return obj.n_views  # type: ignore[attr-defined]

    @admin.display(description=_("solved it"), ordering="n_helpful")
    def helpful_rate(self, obj: FaqEntry) -> str:
        answered = obj.n_helpful + obj.n_not_helpful  # type: ignore[attr-defined]
        if not answered:
            return "—"
        rate = f"{obj.n_helpful / answered:.0%}"  # type: ignore[attr-defined]
        return _("%(rate)s of %(count)d") % {"rate": rate, "count": answered}

    @admin.display(description=_("to contact"), ordering="n_contacts")
    def contacts(self, obj: FaqEntry) -> int:
        return obj.n_contacts  # type: ignore[attr-defined]

    @admin.display(description=_("tickets"), ordering="n_tickets")
    def tickets(self, obj: FaqEntry) -> int:
        return obj.n_tickets  # type: ignore[attr-defined]

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        """Save translations through the service, which renders and sanitises the answer."""
        if formset.model is not FaqTranslation:
            super().save_formset(request, form, formset, change)
            return
        translations = formset.save(commit=False)
        for translation in translations:
            services.faq_translation_save(translation=translation)
        for gone in formset.deleted_objects:
            gone.delete()
        services.faq_search_refresh_on_commit()


@admin.register(AssistantQuestion)
class AssistantQuestionAdmin(admin.ModelAdmin):
    list_display = (
        "question",
        "language",
        "answered",
        "confidence",
        "best_entry",
        "helpful",
        "created_at",
    )
    list_filter = ("answered", "helpful", "language")
    # The best entry is shown as topic/slug.
    list_select_related = ("best_entry__topic",)
    search_fields = ("question",)
    readonly_fields = [f.name for f in AssistantQuestion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
