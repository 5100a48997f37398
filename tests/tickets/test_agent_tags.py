"""The workspace's row tags draw what the template language drew, faster."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date
from django.utils import translation

from tickets.templatetags.desk_agent import day_and_time


@pytest.mark.parametrize("language", ["en", "ru", "el"])
def test_day_and_time_reads_as_the_date_filter_in_every_language(language: str) -> None:
    with translation.override(language):
        for month in range(1, 13):
            at = datetime(2026, month, 3 + month, 9, 5, tzinfo=UTC)
            assert day_and_time(at) == date(at, "j M H:i")
