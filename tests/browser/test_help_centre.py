"""The help centre as a buyer walks it in a real browser: topics, answers, "No" and
the contact ways, languages, suggestions, search, sanitised answers, the assistant,
and the phone layout."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from faq import services
from faq.models import FaqEntry
from tests.faq.conftest import HelpCentre, build_help_centre

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

PAYMENT_FAILED_EN = "My payment failed but the money was taken from my card"
PAYMENT_FAILED_RU = "Оплата не прошла, но деньги списаны с карты"
REFUND_MISSING_EN = "I have not received my refund after the seller cancelled my order"
REFUND_TIMING_EN = "How long does a refund take for each payment method?"
EXPIRED_CARD_EN = "My card expired: where does my refund go?"
CONTACT_WAYS = ("chat", "email", "hotline")


@pytest.fixture
def help_centre(transactional_db: None) -> HelpCentre:
    """The help-centre content of the FAQ tests, committed so the live server sees it."""
    return build_help_centre()


def entry_path(entry: FaqEntry) -> str:
    return f"/help/{entry.topic.slug}/{entry.slug}/"


def contact_ways_shown(page: Any) -> set[str]:
    """The contact ways offered in the "Still need help?" block."""
    block = page.locator("[data-testid=still-need-help]")
    return {way for way in CONTACT_WAYS if block.locator(f"[data-contact-way={way}]").count()}


def answer_no(page: Any) -> None:
    """Answer "No" to "Did this solve your problem?" and wait for the contact block."""
    feedback = page.locator("#feedback")
    expect(feedback.get_by_role("heading", name="Did this solve your problem?")).to_be_visible()
    with page.expect_navigation():
        feedback.get_by_role("button", name="No", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?solved=no#still-need-help$"))
    expect(page.locator("[data-testid=still-need-help]")).to_be_visible()
    expect(page.get_by_role("heading", name="Still need help?")).to_be_visible()


def log_in_here(page: Any, username: str, password: str) -> None:
    """Fill in the log-in page the browser is on and wait for where it leads."""
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(page.locator('[data-testid="signed-in-as"]')).to_be_attached()


def settle_suggestions(page: Any) -> None:
    """Wait until the suggestions request for what was typed has come back.

    Leaving the page while it is in flight aborts it, which the harness would
    count as a failed sub-resource.
    """
    expect(
        page.locator("#help-suggestions").locator(".suggestions__list, .suggestions__empty")
    ).to_be_visible()


def no_horizontal_scroll(page: Any) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"], f"horizontal scroll: {sizes}"


# --- 1. Topic → answer → "No" → exactly the allowed contact ways ------------


def test_buyer_walks_from_a_topic_to_an_answer_and_on_to_chat(
    page: Any,
    desk_url: Callable[[str], str],
    help_centre: HelpCentre,
    demo_people: dict[str, Any],
    artifact_path: Any,
) -> None:
    page.goto(desk_url("/help/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help you?")
    tiles = page.locator(".tile__link")
    expect(tiles).to_have_count(2)
    page.screenshot(path=str(artifact_path("help-home")), full_page=True)

    tiles.filter(has_text="Payment").click()
    expect(page).to_have_url(desk_url("/help/payment/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payment")
    questions = page.locator("[data-testid=topic-questions]")
    expect(questions.get_by_role("link")).to_have_count(1)
    page.screenshot(path=str(artifact_path("help-topic-payment")), full_page=True)

    questions.get_by_role("link", name=PAYMENT_FAILED_EN).click()
    expect(page).to_have_url(desk_url(entry_path(help_centre.payment_failed)))
    answer = page.locator("article.answer")
    expect(answer.get_by_role("heading", level=1)).to_have_text(PAYMENT_FAILED_EN)
    expect(answer.locator(".answer__label")).to_have_text("Our suggestion")
    expect(answer.locator(".answer__body strong")).to_have_text("hold")  # Markdown rendered
    expect(answer.locator("[data-testid=fallback-notice]")).to_have_count(0)
    # Nothing is offered before the buyer says the answer did not help.
    expect(page.locator("[data-testid=still-need-help]")).to_have_count(0)

    answer_no(page)
    # operator_resolvable=True and the topic's email default (True): all three ways.
    assert contact_ways_shown(page) == {"chat", "email", "hotline"}
    chat = page.locator("[data-contact-way=chat]")
    expect(chat).to_have_text("Chat now")
    expect(chat).to_be_visible()
    expect(page.locator("[data-contact-way=email]")).to_have_text("Email us")
    expect(page.locator("[data-contact-way=hotline]")).to_have_text("Call the hotline")
    page.screenshot(path=str(artifact_path("help-answer-after-no")), full_page=True)

    # The click goes through the answer's contact step, which counts it in the funnel.
    expect(chat).to_have_attribute("href", f"{entry_path(help_centre.payment_failed)}contact/chat/")
    chat.click()
    # Chat opens a request, so an anonymous visitor logs in first and comes back.
    form_path = f"/help/requests/new/{help_centre.payment_failed.pk}/chat/"
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    assert parse_qs(urlsplit(page.url).query)["next"] == [form_path]
    log_in_here(page, "buyer", DEMO_PASSWORD)

    expect(page).to_have_url(desk_url(form_path))
    contact_form = page.locator("[data-testid=contact-form]")
    expect(contact_form.get_by_role("heading", level=1)).to_have_text("Chat with support")
    expect(contact_form.locator("[data-testid=came-from]")).to_have_text(
        f"About: {PAYMENT_FAILED_EN}"
    )
    page.screenshot(path=str(artifact_path("help-contact-chat")), full_page=True)


def test_an_answer_without_chat_or_email_offers_only_the_hotline(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    page.goto(desk_url("/help/refund/"))
    page.locator("[data-testid=topic-questions]").get_by_role("link", name=EXPIRED_CARD_EN).click()
    expect(page).to_have_url(desk_url(entry_path(help_centre.english_only)))
    expect(page.get_by_role("heading", level=1)).to_have_text(EXPIRED_CARD_EN)

    answer_no(page)
    # operator_resolvable=False and email_contact=False (overriding the topic): hotline only.
    assert contact_ways_shown(page) == {"hotline"}
    page.screenshot(path=str(artifact_path("help-answer-after-no-hotline-only")), full_page=True)

    page.locator("[data-contact-way=hotline]").click()
    contact_page = page.locator("[data-testid=contact-page]")
    expect(contact_page).to_contain_text(f"About: {EXPIRED_CARD_EN}")
    expect(contact_page.locator("dt.is-chosen")).to_have_text("Hotline")

    # A hand-made link to a way the entry does not offer leads back to the answer.
    for way in ("chat", "email"):
        page.goto(desk_url(f"{entry_path(help_centre.english_only)}contact/{way}/"))
        expect(page).to_have_url(desk_url(entry_path(help_centre.english_only)))
        expect(page.locator("[data-testid=contact-page]")).to_have_count(0)


# --- 2. Languages ---------------------------------------------------------


def test_buyer_reads_answers_and_topics_in_russian_with_an_english_fallback(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    page.goto(desk_url(entry_path(help_centre.payment_failed)))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAYMENT_FAILED_EN)

    with page.expect_navigation():
        page.locator("#language-select").select_option("ru")

    # Back on the same answer, now in Russian.
    expect(page).to_have_url(desk_url(entry_path(help_centre.payment_failed)))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#language-select")).to_have_value("ru")
    answer = page.locator("article.answer")
    expect(answer).to_have_attribute("lang", "ru")
    expect(answer.get_by_role("heading", level=1)).to_have_text(PAYMENT_FAILED_RU)
    expect(answer.locator(".answer__body")).to_contain_text("Блокировка снимается в течение 7 дней")
    expect(answer.locator(".answer__body strong")).to_have_text("заблокировать")
    expect(answer.locator("[data-testid=fallback-notice]")).to_have_count(0)
    expect(page.locator(".breadcrumbs")).to_contain_text("Оплата")
    page.screenshot(path=str(artifact_path("help-answer-russian")), full_page=True)

    # The topic page names the topic in Russian and marks the untranslated entry.
    page.goto(desk_url("/help/refund/"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Возврат средств")
    expect(page.locator(".page-header .lead")).to_have_text("Как вернуть деньги")
    questions = page.locator("[data-testid=topic-questions]")
    expect(
        questions.get_by_role("link", name="Сколько идёт возврат для каждого способа оплаты?")
    ).to_be_visible()
    fallback_item = questions.locator("li", has_text=EXPIRED_CARD_EN)
    expect(fallback_item.locator(".badge")).to_have_text("EN")
    page.screenshot(path=str(artifact_path("help-topic-russian")), full_page=True)

    # An entry with no Russian text is shown in English, with a notice saying so.
    fallback_item.get_by_role("link", name=EXPIRED_CARD_EN).click()
    expect(page).to_have_url(desk_url(entry_path(help_centre.english_only)))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    answer = page.locator("article.answer")
    expect(answer).to_have_attribute("lang", "en")
    expect(answer.get_by_role("heading", level=1)).to_have_text(EXPIRED_CARD_EN)
    expect(answer.locator(".answer__body")).to_contain_text("Your bank forwards the refund")
    expect(answer.locator("[data-testid=fallback-notice]")).to_be_visible()
    page.screenshot(path=str(artifact_path("help-answer-fallback-notice")), full_page=True)


# --- 3. Suggestions and search --------------------------------------------


def test_suggestions_as_you_type_lead_to_the_answer_and_search_highlights(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    page.goto(desk_url("/help/"))
    search_box = page.locator("#help-search")
    search_box.press_sequentially("how long does a ref", delay=50)

    suggestions = page.locator("[data-testid=suggestions]")
    expect(suggestions).to_be_visible()
    suggestion = suggestions.get_by_role("link", name=REFUND_TIMING_EN)
    expect(suggestion).to_be_visible()
    page.screenshot(path=str(artifact_path("help-suggestions")))

    suggestion.click()
    expect(page).to_have_url(desk_url(entry_path(help_centre.refund_timing)))
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUND_TIMING_EN)

    # Submitting the form shows ranked results with the words highlighted.
    page.goto(desk_url("/help/"))
    search_box = page.locator("#help-search")
    search_box.fill("refund card")
    settle_suggestions(page)
    with page.expect_navigation():
        search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/help/search/\?q=refund\+card$"))
    results = page.locator("[data-testid=search-results]")
    expect(results).to_be_visible()
    expect(results.get_by_role("link", name=REFUND_MISSING_EN)).to_be_visible()
    marks = results.locator("mark")
    expect(marks.first).to_be_visible()
    for word in marks.all_inner_texts():
        assert word.lower().startswith(("refund", "card")), word
    expect(page.locator("#help-search")).to_have_value("refund card")
    page.screenshot(path=str(artifact_path("help-search-results")), full_page=True)


# --- 4. Sanitised answers and a hostile query -----------------------------

HOSTILE_ANSWER = """\
Read this first.

<script>window.__xss=1</script>

<img src=x onerror="window.__xss=2">

[click me](javascript:window.__xss=3)

An inline <svg onload="window.__xss=4"><circle r="5"/></svg> picture.

See [our refund rules](https://example.com/refund-rules) for more.
"""


def test_hostile_markdown_and_a_hostile_query_run_nothing(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    hostile = services.faq_entry_upsert(
        topic=help_centre.refund,
        slug="hostile-answer",
        texts={"en": ("Is this answer safe to read?", HOSTILE_ANSWER)},
    )
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)

    page.goto(desk_url(entry_path(hostile)))
    body = page.locator("article.answer .answer__body")
    expect(body).to_contain_text("Read this first.")

    click_me = body.locator("a", has_text="click me")
    if click_me.count():
        click_me.first.click()
        page.wait_for_timeout(200)

    assert page.evaluate("() => window.__xss") is None
    assert page.locator(".answer__body script, .answer__body img, .answer__body svg").count() == 0
    assert page.locator("a[href^=javascript], a[href^=JAVASCRIPT]").count() == 0
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    for href in body.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(("http://", "https://", "mailto:")), href
    # The ordinary link survives, opening nothing it should not.
    normal = body.get_by_role("link", name="our refund rules")
    expect(normal).to_have_attribute("href", "https://example.com/refund-rules")
    expect(normal).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    page.screenshot(path=str(artifact_path("help-answer-sanitised")), full_page=True)

    # A hostile query, typed and submitted, is shown as text only.
    query = "<img src=x onerror=alert(1)>"
    page.goto(desk_url("/help/"))
    search_box = page.locator("#help-search")
    search_box.fill(query)
    settle_suggestions(page)
    with page.expect_navigation():
        search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/help/search/\?q="))
    expect(page.locator("#help-search")).to_have_value(query)
    page.wait_for_timeout(200)
    assert page.locator("img").count() == 0
    assert page.locator("main [onerror]").count() == 0
    assert page.evaluate("() => window.__xss") is None
    # Snippets of whatever it matches are escaped text plus <mark> only. (SQLite's
    # index keeps the tag-like words of the hostile answer; PostgreSQL's parser
    # drops HTML tags, so there it may match nothing.)
    assert page.locator(".result__snippet *:not(mark)").count() == 0
    page.screenshot(path=str(artifact_path("help-search-hostile-query")), full_page=True)

    # A hostile query that matches nothing is echoed back as text.
    query = '"><b class=injected onmouseover=alert(2)>zzqx</b>'
    page.goto(desk_url("/help/"))
    search_box = page.locator("#help-search")
    search_box.fill(query)
    settle_suggestions(page)
    with page.expect_navigation():
        search_box.press("Enter")
    expect(page.locator("#help-search")).to_have_value(query)
    expect(page.locator("[data-testid=no-results]")).to_contain_text(query)
    assert page.locator(".injected, main [onmouseover]").count() == 0

    assert dialogs == [], f"a dialog opened: {dialogs}"


# --- 5. The assistant -----------------------------------------------------


def test_assistant_answers_with_a_match_or_honestly_finds_nothing(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    page.goto(desk_url("/help/"))
    page.get_by_role("link", name=re.compile("Or ask our assistant")).click()
    expect(page).to_have_url(desk_url("/help/assistant/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the assistant")

    question = page.get_by_label("Your question")
    question.fill("The seller cancelled my order and I have not received my refund")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask", exact=True).click()
    reply = page.locator("[data-testid=assistant-reply]")
    expect(reply.get_by_role("heading", name="These answers may help")).to_be_visible()
    first = reply.locator(".result").first
    expect(first.locator(".result__question")).to_have_text(REFUND_MISSING_EN)
    confidence = first.locator(".confidence")
    expect(confidence).to_have_text(re.compile(r"^\d{1,3}% match$"))
    percent = int(confidence.inner_text().split("%")[0])
    assert 45 <= percent <= 100, percent
    expect(reply.locator("[data-testid=assistant-no-answer]")).to_have_count(0)
    page.screenshot(path=str(artifact_path("help-assistant-answer")), full_page=True)

    first.locator(".result__question").click()
    expect(page).to_have_url(desk_url(entry_path(help_centre.refund_missing)))

    page.goto(desk_url("/help/assistant/"))
    page.get_by_label("Your question").fill("xyzzy plugh")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask", exact=True).click()
    reply = page.locator("[data-testid=assistant-reply]")
    expect(reply.locator("[data-testid=assistant-no-answer]")).to_be_visible()
    expect(reply.locator(".result")).to_have_count(0)
    contact_link = reply.get_by_role("link", name="How to contact us")
    expect(contact_link).to_have_attribute("href", "/help/contact/")
    page.screenshot(path=str(artifact_path("help-assistant-no-answer")), full_page=True)

    contact_link.click()
    expect(page.locator("[data-testid=contact-page]")).to_be_visible()


# --- 6. The phone ---------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_phone_answer_after_no_fits_the_screen(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre, artifact_path: Any
) -> None:
    page.goto(desk_url(entry_path(help_centre.payment_failed)))
    expect(page.get_by_role("heading", level=1)).to_have_text(PAYMENT_FAILED_EN)
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifact_path("phone-help-answer")), full_page=True)

    answer_no(page)
    no_horizontal_scroll(page)
    width = page.viewport_size["width"]
    for way in CONTACT_WAYS:
        button = page.locator(f"[data-contact-way={way}]")
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (way, box)
    page.screenshot(path=str(artifact_path("phone-help-answer-after-no")), full_page=True)

    # The home page with its tiles and search box fits as well.
    page.goto(desk_url("/help/"))
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifact_path("phone-help-home")), full_page=True)


# --- The suggestion list behaves ----------------------------------------------


def test_clearing_the_search_box_leaves_no_stale_suggestions(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre
) -> None:
    # A slow network: suggestions answer 800 ms after they are asked for.
    page.add_init_script(
        """
        const realFetch = window.fetch.bind(window);
        window.fetch = (url, options) => String(url).includes("/help/suggest/")
          ? new Promise((done) => setTimeout(done, 800)).then(() => realFetch(url, options))
          : realFetch(url, options);
        """
    )
    page.goto(desk_url("/help/"))
    search_box = page.locator("#help-search")
    search_box.fill("refund")
    page.wait_for_timeout(350)  # past the 200 ms pause: the request is on its way
    search_box.fill("")  # the buyer changes their mind
    page.wait_for_timeout(1200)  # the late answer has arrived
    expect(search_box).to_have_value("")
    expect(page.locator("#help-suggestions")).to_be_empty()


def test_suggestions_close_when_the_buyer_clicks_elsewhere(
    page: Any, desk_url: Callable[[str], str], help_centre: HelpCentre
) -> None:
    page.goto(desk_url("/help/"))
    page.locator("#help-search").fill("refund")
    suggestions = page.locator("[data-testid=suggestions]")
    expect(suggestions).to_be_visible()

    page.get_by_role("heading", level=1).click()  # click outside the search box
    expect(suggestions).to_be_hidden(timeout=2000)
    page.get_by_role("link", name=re.compile("Or ask our assistant")).click(timeout=2000)
    expect(page).to_have_url(desk_url("/help/assistant/"))
