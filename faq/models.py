"""Topics, FAQ entries and their translations, and the deflection funnel's records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Paths under /help/ that a topic slug may not take.
RESERVED_TOPIC_SLUGS = frozenset(
    {"search", "suggest", "assistant", "requests", "contact", "static", "disputes", "orders"}
)


class Topic(models.Model):
    """A subject buyers come with: payment, refund, dispute, warranty, …"""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name (English)"), max_length=80)
    description = models.CharField(_("description (English)"), max_length=200, blank=True)
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("One emoji."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    email_contact = models.BooleanField(
        _("email contact by default"),
        default=False,
        help_text=_("Offer 'Email us' on this topic's answers unless an answer says otherwise."),
    )
    is_active = models.BooleanField(_("shown in the help centre"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ("sort_order", "slug")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug__in=sorted(RESERVED_TOPIC_SLUGS)),
                name="faq_topic_slug_not_reserved",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TopicTranslation(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("topic translation")
        verbose_name_plural = _("topic translations")
        constraints = [
            models.UniqueConstraint(
                fields=("topic", "language"), name="faq_topic_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class FaqEntry(models.Model):
    """One question of a topic; its text lives in one translation per language."""

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="entries", verbose_name=_("topic")
    )
    slug = models.SlugField(_("slug"), max_length=120)
    sort_weight = models.IntegerField(
        _("sort weight"), default=0, help_text=_("Higher comes first in its topic.")
    )
    operator_resolvable = models.BooleanField(
        _("an agent can solve it in chat"),
        default=False,
        help_text=_("Offer 'Chat now' under this answer."),
    )
    email_contact = models.BooleanField(
        _("email contact"),
        null=True,
        blank=True,
        help_text=_("Offer 'Email us' under this answer; empty follows the topic's default."),
    )
    published = models.BooleanField(_("published"), default=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ("topic__sort_order", "-sort_weight", "-view_count", "pk")
        constraints = [
            models.UniqueConstraint(fields=("topic", "slug"), name="faq_entry_slug_unique_in_topic")
        ]
        indexes = [
            # A topic's questions, most asked first (the topic page).
            models.Index(
                fields=("topic", "-sort_weight", "-view_count", "id"), name="faq_entry_topic_order"
            ),
            # The most asked questions across topics (the help centre's front page).
            models.Index(
                fields=("-view_count", "-sort_weight", "id"),
                name="faq_entry_most_asked",
                condition=models.Q(published=True),
            ),
            # Suggestions as you type: matches in weight order.
            models.Index(
                fields=("-sort_weight", "-view_count", "id"),
                name="faq_entry_by_weight",
                condition=models.Q(published=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic.slug}/{self.slug}"

    def allows_email(self) -> bool:
        """Return whether 'Email us' is offered: the entry's choice, else its topic's."""
        return self.topic.email_contact if self.email_contact is None else self.email_contact


class FaqTranslation(models.Model):
    """The question and answer of an entry in one language.

    ``answer`` is Markdown as written; ``answer_html`` (sanitised) and
    ``answer_text`` (plain, for search and snippets) are derived from it by
    the service that saves a translation.
    """

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer (Markdown)"))
    answer_html = models.TextField(editable=False, default="")
    answer_text = models.TextField(editable=False, default="")
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=("entry", "language"), name="faq_translation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} [{self.language}]"


class FaqEventKind(models.TextChoices):
    VIEW = "view", _("answer viewed")
    CONTACT = "contact", _("went on to contact support")
    TICKET = "ticket", _("opened a ticket")
    DEFLECTED = "deflected", _("the assistant's answer solved a new ticket")


class FaqEvent(models.Model):
    """One step of a buyer through the funnel: viewed an answer, went to contact, opened a ticket."""

    kind = models.CharField(max_length=16, choices=FaqEventKind.choices)
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="events")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    language = models.CharField(max_length=8)
    visitor = models.CharField(max_length=64, help_text="user:<id> or session:<key>")
    channel = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=("topic", "kind", "created_at"), name="faq_event_topic_kind"),
            models.Index(fields=("entry", "kind"), name="faq_event_entry_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id} by {self.visitor}"


class FaqFeedback(models.Model):
    """A visitor's answer to "Did this solve your problem?"; the latest one counts."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="feedback")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="feedback")
    visitor = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    helpful = models.BooleanField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("entry", "visitor"), name="faq_feedback_once_per_visitor"
            )
        ]
        indexes = [models.Index(fields=("topic", "helpful"), name="faq_feedback_topic")]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.entry_id} by {self.visitor}"


class AssistantQuestion(models.Model):
    """What a buyer asked the assistant, what it offered, and whether that helped."""

    question = models.TextField()
    language = models.CharField(max_length=8)
    visitor = models.CharField(max_length=64)
    best_entry = models.ForeignKey(
        FaqEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confidence = models.FloatField(default=0.0)
    answered = models.BooleanField(help_text="False when the assistant found nothing good enough.")
    helpful = models.BooleanField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("assistant question")
        verbose_name_plural = _("assistant questions")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.question[:80]
