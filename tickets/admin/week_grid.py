"""Weekly opening hours edited as a week: one row per day, opening and closing times per period.

The stored shape is the one ``tickets.hours`` reads: ``{"mon": [["09:00",
"13:00"], ["14:00", "18:00"]], ...}``, a closed day left out.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tickets.hours import WEEKDAYS, InvalidHours, parse_weekly_hours

# Periods offered per day beyond those already set: room for a lunch break and one more.
SPARE_PERIODS = 1
MIN_PERIODS = 2
_TIME = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*$")

Raw = dict[str, list[tuple[str, str]]]


def _periods(value: Any) -> Raw:
    """Return day -> [(opens, closes)] text from stored hours or from a re-shown form."""
    raw: Raw = {}
    source = value if isinstance(value, dict) else {}
    for day in WEEKDAYS:
        periods = source.get(day) or []
        raw[day] = [
            (str(period[0] or ""), str(period[1] or ""))
            for period in periods
            if isinstance(period, list | tuple) and len(period) == 2
        ]
    return raw


class WeekGridWidget(forms.Widget):
    """Seven rows of opening and closing times; a day with no times is closed."""

    template_name = "admin/tickets/week_grid.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Raw:
        raw: Raw = {}
        for day in WEEKDAYS:
            periods = []
            for index in itertools.count():
                opens = data.get(f"{name}_{day}_{index}_opens")
                closes = data.get(f"{name}_{day}_{index}_closes")
                if opens is None and closes is None:
                    break
                periods.append((opens or "", closes or ""))
            raw[day] = periods
        return raw

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(key.startswith(f"{name}_") for key in data)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Rendered with the project's templates (the form renderer only sees the apps').
        raw = {
            day: [period for period in periods if any(text.strip() for text in period)]
            for day, periods in _periods(value).items()
        }
        slots = max(MIN_PERIODS, *(len(periods) + SPARE_PERIODS for periods in raw.values()))
        rows = []
        for index, day in enumerate(WEEKDAYS):
            periods = raw[day] + [("", "")] * (slots - len(raw[day]))
            rows.append(
                {
                    "day": day,
                    "label": WEEKDAY_NAMES[index],
                    "periods": [
                        {
                            "index": number,
                            "opens": opens,
                            "closes": closes,
                            "opens_name": f"{name}_{day}_{number}_opens",
                            "closes_name": f"{name}_{day}_{number}_closes",
                        }
                        for number, (opens, closes) in enumerate(periods)
                    ],
                }
            )
        return render_to_string(
            self.template_name,
            {"name": name, "rows": rows, "slots": range(slots), "attrs": attrs or {}},
        )


def _clock(text: str, *, day: str, closing: bool) -> str:
    """Return ``text`` as HH:MM; a closing time of 00:00 is midnight at the end of the day."""
    match = _TIME.match(text)
    hours = int(match[1]) if match else -1
    minutes = int(match[2] or 0) if match else -1
    if not match or minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise forms.ValidationError(
            gettext("%(day)s: “%(value)s” is not a time like 09:00 or 24:00.")
            % {"day": _day_name(day), "value": text.strip()}
        )
    if closing and hours == 0 and minutes == 0:
        hours = 24
    return f"{hours:02d}:{minutes:02d}"


def _day_name(day: str) -> str:
    return str(WEEKDAY_NAMES[WEEKDAYS.index(day)])


class WeekGridField(forms.Field):
    """Weekly opening hours from a week grid, checked day by day with the desk's own rules."""

    widget = WeekGridWidget
    default_error_messages = {
        "half": _("%(day)s: give both the opening and the closing time."),
        "order": _("%(day)s: %(opens)s–%(closes)s closes before it opens."),
        "overlap": _("%(day)s: %(first)s and %(second)s overlap."),
    }

    def to_python(self, value: Any) -> dict[str, list[list[str]]]:
        raw = _periods(value)
        errors: list[forms.ValidationError] = []
        hours: dict[str, list[list[str]]] = {}
        for day in WEEKDAYS:
            spans: list[tuple[str, str]] = []
            for opens_text, closes_text in raw[day]:
                if not opens_text.strip() and not closes_text.strip():
                    continue
                if not opens_text.strip() or not closes_text.strip():
                    errors.append(self._error("half", day=_day_name(day)))
                    continue
                try:
                    opens = _clock(opens_text, day=day, closing=False)
                    closes = _clock(closes_text, day=day, closing=True)
                except forms.ValidationError as error:
                    errors.append(error)
                    continue
                if opens >= closes:
                    errors.append(
                        self._error("order", day=_day_name(day), opens=opens, closes=closes)
                    )
                    continue
                spans.append((opens, closes))
            spans.sort()
            for first, second in itertools.pairwise(spans):
                if second[0] < first[1]:
                    errors.append(
                        self._error(
                            "overlap",
                            day=_day_name(day),
                            first="–".join(first),
                            second="–".join(second),
                        )
                    )
            if spans:
                hours[day] = [list(span) for span in spans]
        if errors:
            raise forms.ValidationError(errors)
        try:
            parse_weekly_hours(hours)
        except InvalidHours as error:  # pragma: no cover - the checks above are the same rules
            raise forms.ValidationError(str(error)) from error
        return hours

    def _error(self, code: str, **params: str) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages[code] % params, code=code)

    def prepare_value(self, value: Any) -> Any:
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != _stored(initial)
        except forms.ValidationError:
            return True


def _stored(value: Any) -> dict[str, list[list[str]]]:
    raw = _periods(value)
    return {day: [list(period) for period in periods] for day, periods in raw.items() if periods}
