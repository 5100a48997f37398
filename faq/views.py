"""Pages of the help centre: topics, answers, search, suggestions, the assistant."""

from __future__ import annotations

from functools import partial

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from faq import selectors, services
from faq.models import FaqEntry, FaqEventKind
from faq.search import faq_content_version
from faq.visitors import visitor_key

CONTACT_WAYS = ("chat", "email", "hotline")


def _language() -> str:
    return get_language() or "en"


@require_safe
def help_home(request: HttpRequest) -> HttpResponse:
    """Show topic tiles, the search box and the most asked questions.

    The lists are read only when their cached fragment is missing (the
    template calls them); a content change moves ``faq_version``.
    """
    language = _language()
    return render(
        request,
        "faq/home.html",
        {
            "topics": partial(selectors.topic_list, language=language),
            "most_asked": partial(selectors.entry_list_most_asked, language=language),
            "faq_version": faq_content_version(),
        },
    )


@require_safe
def topic_detail(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """Show a page of a topic's questions, most asked first."""
    language = _language()
    topic = selectors.topic_get(slug=topic_slug, language=language)
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1
    entries: selectors.EntryPage | partial[selectors.EntryPage]
    if page == 1:
        # The first page is what most readers see: read only when its fragment is not cached.
        entries = partial(selectors.entry_list_for_topic, topic=topic.topic, language=language)
    else:
        entries = selectors.entry_list_for_topic(topic=topic.topic, language=language, page=page)
        if not entries.views:
            return redirect("help:topic", topic_slug)
    return render(
        request,
        "faq/topic.html",
        {"topic": topic, "entries": entries, "page": page, "faq_version": faq_content_version()},
    )


@require_safe
def entry_detail(request: HttpRequest, topic_slug: str, entry_slug: str) -> HttpResponse:
    """Show an answer, ask whether it solved the problem, and offer contact after a No."""
    language = _language()
    page = selectors.entry_page(topic_slug=topic_slug, entry_slug=entry_slug, language=language)
    services.faq_event_record(
        kind=FaqEventKind.VIEW,
        entry=FaqEntry(pk=page.entry_id, topic_id=page.topic_id),  # a reference: the id is enough
        language=language,
        visitor=visitor_key(request),
        now=timezone.now(),
    )
    solved = request.GET.get("solved")
    return render(
        request,
        "faq/entry.html",
        {"page": page, "solved": solved if solved in ("yes", "no") else None},
    )


@require_POST
def entry_feedback(request: HttpRequest, topic_slug: str, entry_slug: str) -> HttpResponse:
    """Record "Did this solve your problem?" and come back to the answer."""
    language = _language()
    view = selectors.entry_get(topic_slug=topic_slug, entry_slug=entry_slug, language=language)
    answer = request.POST.get("solved")
    url = reverse("help:entry", args=[topic_slug, entry_slug])
    if answer not in ("yes", "no"):
        return redirect(url)
    services.faq_feedback_record(
        entry=view.entry,
        visitor=visitor_key(request),
        language=language,
        helpful=answer == "yes",
        now=timezone.now(),
    )
    anchor = "#still-need-help" if answer == "no" else "#feedback"
    return HttpResponseRedirect(f"{url}?solved={answer}{anchor}")


@require_safe
def entry_contact(request: HttpRequest, topic_slug: str, entry_slug: str, way: str) -> HttpResponse:
    """Count a move from an answer to contacting support, then go to the contact step.

    Chat and email lead to the contact form of ``tickets``; the hotline to the contact page.
    """
    language = _language()
    view = selectors.entry_get(topic_slug=topic_slug, entry_slug=entry_slug, language=language)
    allowed = {
        "chat": view.entry.operator_resolvable,
        "email": view.entry.allows_email(),
        "hotline": True,
    }
    if not allowed.get(way, False):
        return redirect("help:entry", topic_slug, entry_slug)
    services.faq_event_record(
        kind=FaqEventKind.CONTACT,
        entry=view.entry,
        language=language,
        visitor=visitor_key(request),
        now=timezone.now(),
        channel=way,
    )
    if way in ("chat", "email"):
        # The contact form opens a ticket about this answer (log-in first if needed).
        return redirect("requests:new", view.entry.pk, way)
    return redirect(f"{reverse('help:contact')}?way={way}&entry={view.entry.pk}")


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    """Say how to reach support: chat and email hours and languages, and the hotline."""
    way = request.GET.get("way")
    entry_id = request.GET.get("entry", "")
    views = (
        selectors.entry_views_by_id(ids=[int(entry_id)], language=_language())
        if entry_id.isdigit() and len(entry_id) < 12
        else {}
    )
    entry = next(iter(views.values()), None)
    return render(
        request,
        "faq/contact.html",
        {"way": way if way in CONTACT_WAYS else None, "entry": entry},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help centre"), max_length=2000, required=False)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Show ranked answers for a query, with highlighted snippets."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = selectors.entry_search(query=query, language=_language()) if query else []
    return render(
        request,
        "faq/search.html",
        {"form": form, "query": query, "results": results, "too_long": not form.is_valid()},
    )


@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """Answer the search box as a buyer types: a short list of matching questions."""
    query = request.GET.get("q", "")[:200]
    suggestions = (
        selectors.entry_suggest(query=query, language=_language()) if query.strip() else []
    )
    response = render(
        request, "faq/_suggestions.html", {"suggestions": suggestions, "query": query}
    )
    response["Cache-Control"] = "private, max-age=30"
    return response


class AssistantForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe the problem in your own words, e.g. 'my refund has not arrived'."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    """Answer a free-text question with the best matching answers, or say none fits."""
    form = AssistantForm(request.POST or None)
    reply = None
    if request.method == "POST" and form.is_valid():
        reply = services.assistant_ask(
            question=form.cleaned_data["question"],
            language=_language(),
            visitor=visitor_key(request),
            now=timezone.now(),
        )
    answers = reply.hits if reply is not None else []  # hits carry what the list shows
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "faq/assistant.html",
        {"form": form, "reply": reply, "answers": answers},
        status=status,
    )


@require_POST
def assistant_feedback(request: HttpRequest, question_id: int) -> HttpResponse:
    """Record whether the assistant's answer helped."""
    helpful = request.POST.get("helpful") == "yes"
    try:
        services.assistant_feedback(
            question_id=question_id, visitor=visitor_key(request), helpful=helpful
        )
    except services.AssistantQuestionNotFound:
        return redirect("help:assistant")
    return redirect(f"{reverse('help:assistant')}?thanks={'yes' if helpful else 'no'}")
