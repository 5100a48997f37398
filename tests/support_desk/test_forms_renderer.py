"""The desk's form renderer draws selects exactly as Django's templates do, only faster.

Every case renders the same widget twice: with Django's own template
renderer and with the desk's, and the markup must be equal character for
character.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from support_desk import forms_renderer
from support_desk.forms_renderer import DeskFormRenderer
from tests.factories import AgentFactory
from tickets.forms.agent import AssignForm, MoveForm, PriorityForm, ReplyForm
from tickets.models import AgentProfile, Queue

DJANGO = DjangoTemplates()
DESK = DeskFormRenderer()


def both(
    widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any] | None = None
) -> tuple[str, str]:
    return (
        widget.render(name, value, attrs=attrs, renderer=DJANGO),
        widget.render(name, value, attrs=attrs, renderer=DESK),
    )


def test_the_desk_renders_forms_with_its_renderer() -> None:
    assert isinstance(get_default_renderer(), DeskFormRenderer)


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.Select(choices=[("", "Choose"), (1, "One"), (2, "Two")]), 2, {"id": "id_f"}),
        (forms.Select(choices=[(1, "One")]), None, None),
        (forms.Select(choices=[]), None, {"required": True}),
        # Optgroups, and an option outside any group after them.
        (
            forms.Select(choices=[("Group <g>", [(1, "a&b"), (2, "c")]), (3, "d")]),
            "2",
            {"id": "id_f", "data-x": 'q"', "disabled": False, "autofocus": True},
        ),
        (forms.SelectMultiple(choices=[(1, "a"), (2, "b"), (3, "c")]), [1, 3], {"id": "m"}),
        (forms.NullBooleanSelect(), True, None),
        (forms.NullBooleanSelect(), None, {"class": "x y"}),
        # Labels and values the template converts: safe text, numbers, dates, lazy text.
        (
            forms.Select(
                choices=[
                    (mark_safe("<b>safe</b>"), mark_safe("<i>kept</i>")),
                    (Decimal("1234.5"), 1234567),
                    (date(2026, 11, 23), datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
                    ("lazy", gettext_lazy("Solved")),
                    ((1, 2), "a tuple's value"),
                ]
            ),
            "lazy",
            {"aria-describedby": "help <x>", "size": 4},
        ),
    ],
)
def test_a_select_is_the_same_markup_as_djangos(
    widget: forms.Widget, value: Any, attrs: Any
) -> None:
    django_markup, desk_markup = both(widget, "f<n>", value, attrs)
    assert desk_markup == django_markup


def test_in_another_language_and_time_zone_too(settings) -> None:
    settings.USE_THOUSAND_SEPARATOR = True
    widget = forms.Select(
        choices=[
            ("s", gettext_lazy("Solved")),
            (5, 1234567),
            (6, datetime(2026, 11, 23, 22, 30, tzinfo=UTC)),
        ]
    )
    with translation.override("ru"), timezone.override("Europe/Athens"):
        django_markup, desk_markup = both(widget, "status", "s")
    assert desk_markup == django_markup
    assert "Решено" in desk_markup  # the label was translated, not only copied


def test_an_option_template_of_its_own_is_left_to_the_template() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[(1, "one")])
    assert forms_renderer.draw_select(widget.get_context("f", 1, None)["widget"]) is None
    django_markup, desk_markup = both(widget, "f", 1)
    assert desk_markup == django_markup


@pytest.mark.django_db
def test_the_agent_workspace_forms_render_as_before() -> None:
    queue = Queue.objects.create(name="Refunds <EU>", slug="refunds-eu")
    Queue.objects.create(name="Payments & cards", slug="payments")
    agent = AgentFactory(first_name='Ana <"Q">')
    AgentProfile.objects.create(user=agent).queues.add(queue)
    forms_to_draw = [
        AssignForm(queue=queue),
        MoveForm(current=queue),
        PriorityForm(initial={"priority": 2}),
        ReplyForm(),
        MoveForm(data={"queue": "not a queue", "reason": ""}),
    ]
    for form in forms_to_draw:
        for field in form:
            widget, value = field.field.widget, field.value()
            attrs = field.build_widget_attrs({"id": field.auto_id})
            django_markup, desk_markup = both(widget, field.html_name, value, attrs)
            assert desk_markup == django_markup, field.html_name
    assert "Ana &lt;&quot;Q&quot;&gt;" in str(AssignForm(queue=queue)["agent"])


@pytest.mark.django_db
def test_an_admin_select_wrapped_with_its_links_is_the_same() -> None:
    from django.contrib import admin

    AgentFactory()
    field = User._meta.get_field("groups")
    inner = forms.Select(choices=[(1, "Group <1>"), (2, "Group 2")])
    wrapper = RelatedFieldWidgetWrapper(inner, field.remote_field, admin.site)
    assert wrapper.render("group", 1, {"id": "id_group"}, renderer=DESK) == wrapper.render(
        "group", 1, {"id": "id_group"}, renderer=DJANGO
    )


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
choices = st.lists(st.tuples(texts, texts), max_size=6)
groups = st.lists(st.tuples(texts, choices), max_size=3)
attributes = st.dictionaries(
    st.sampled_from(["class", "data-a", "aria-label", "title", "required", "disabled"]),
    st.one_of(texts, st.booleans(), st.integers()),
    max_size=4,
)


@given(
    groups=groups,
    loose=choices,
    attrs=attributes,
    chosen=st.lists(texts, max_size=2),
    multiple=st.booleans(),
)
def test_any_select_is_the_same_markup_as_djangos(
    groups: list[tuple[str, list[tuple[str, str]]]],
    loose: list[tuple[str, str]],
    attrs: dict[str, Any],
    chosen: list[str],
    multiple: bool,
) -> None:
    all_choices: list[Any] = [*loose, *groups]
    values = [value for value, _ in loose] + [v for _, options in groups for v, _ in options]
    picked: Any = (chosen + values[:1]) if multiple else (values[0] if values else None)
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=all_choices)
    django_markup, desk_markup = both(widget, "field", picked, attrs)
    assert desk_markup == django_markup
