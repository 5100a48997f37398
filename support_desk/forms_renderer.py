"""The desk's form renderer: Django's, with ``<select>`` lists drawn in Python.

Django draws a select from a template that includes one template per
option and one more per option for its attributes. On the agent's ticket
page (a list of the queue's agents, a list of queues and three short lists)
those includes took about a fifth of the page's time under cProfile. This
renderer writes the same markup, character for character, with
``html.escape`` and the template engine's own value conversion
(``render_value_in_context``'s local time and localisation); every other
template, and a select whose options use another template than Django's,
is drawn by Django's renderer as before. ``tests/support_desk/test_forms_renderer.py`` holds the output
equal to Django's templates. The desk overrides neither template; one that
did would have to leave ``draw_select`` out.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _shown(value: Any) -> str:
    """Return ``value`` as ``{{ value }}`` writes it (local time, localised, escaped)."""
    return str(conditional_escape(localize(template_localtime(value))))


def _formatted(value: Any) -> str:
    """Return ``value`` as ``{{ value|stringformat:'s' }}`` writes it."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting, tuples included)
    return text if isinstance(value, SafeData) else html.escape(text)


def _attributes(attrs: Mapping[str, Any]) -> str:
    """Return the attributes as ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _options(options: Iterable[Mapping[str, Any]]) -> str:
    return "".join(
        f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
        for option in options
    )


def draw_select(widget: Mapping[str, Any]) -> str | None:
    """Return ``select.html``'s markup for a widget's context, or None to leave it to the template."""
    groups = widget["optgroups"]
    if any(
        option["template_name"] != OPTION_TEMPLATE for _, options, _ in groups for option in options
    ):
        return None
    parts = [f'<select name="{_shown(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _ in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        parts.append(_options(options))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # The template renderer strips what it draws; nothing here starts or ends with space.
    return "".join(parts)


class DeskFormRenderer(DjangoTemplates):
    """Django's template form renderer; selects are drawn by ``draw_select``."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == SELECT_TEMPLATE:
            drawn = draw_select(context["widget"])
            if drawn is not None:
                return drawn
        return str(super().render(template_name, context, request=request))
