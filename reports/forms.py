"""The reports' filters: a range of days, a topic, a queue, a language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.selectors import MAX_DAYS, Names, ReportFilters

# The range shown when none is chosen: the last 30 days, today included.
DEFAULT_DAYS = 30
_EARLIEST = date(2000, 1, 1)
_LATEST = date(2100, 12, 31)


class ReportFilterForm(forms.Form):
    """Validate the filters of the query string; ``filters()`` turns them into ReportFilters."""

    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    queue = forms.ChoiceField(label=gettext_lazy("Queue"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, data: Any, *, names: Names, today: date) -> None:
        values = {key: data.get(key, "") for key in self.base_fields} if data else {}
        # Missing dates mean the default range; anything typed is validated as typed.
        if not values.get("end"):
            values["end"] = today.isoformat()
        if not values.get("start"):
            values["start"] = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        super().__init__(values)
        self.names = names
        everything = [("", _("All"))]
        self._choices(
            "topic",
            [*everything, *((slug, names.topics[pk]) for slug, pk in names.topic_slugs.items())],
        )
        self._choices(
            "queue",
            [*everything, *((slug, names.queues[pk]) for slug, pk in names.queue_slugs.items())],
        )
        self._choices(
            "language", [*everything, *((code, str(name)) for code, name in settings.LANGUAGES)]
        )

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        for name, day in (("start", start), ("end", end)):
            if not _EARLIEST <= day <= _LATEST:
                self.add_error(
                    name,
                    _("Choose a day between %(first)s and %(last)s.")
                    % {"first": _EARLIEST.isoformat(), "last": _LATEST.isoformat()},
                )
        if self.errors:
            return cleaned
        if end < start:
            self.add_error("end", _("The end comes before the start."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("Choose at most %(days)d days at a time.") % {"days": MAX_DAYS})
        return cleaned

    def filters(self, *, agent_id: int | None = None) -> ReportFilters:
        """Return the valid filters (call after ``is_valid()``); the end day is included."""
        data = self.cleaned_data
        return ReportFilters(
            first=data["start"],
            until=data["end"] + timedelta(days=1),
            topic_id=self.names.topic_slugs.get(data["topic"]) if data["topic"] else None,
            queue_id=self.names.queue_slugs.get(data["queue"]) if data["queue"] else None,
            language=data["language"] or None,
            agent_id=agent_id,
        )

    def query_string(self) -> str:
        """Return the valid filters as a query string, for the CSV links."""
        data = self.cleaned_data
        params = {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            **{key: data[key] for key in ("topic", "queue", "language") if data.get(key)},
        }
        return urlencode(params)
