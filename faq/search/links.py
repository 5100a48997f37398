"""The address of an answer page, for lists of many answers.

``reverse()`` resolves the URL pattern on every call (~25 µs); a result list
shows ten answers. The pattern is reversed once per script prefix and URLconf
and the slugs are put into it, quoted as ``reverse()`` quotes them.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins that no slug of the pattern's prefix contains.
_TOPIC, _ENTRY = "topic-slug-x0", "entry-slug-x0"
_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted (RFC 3986 sub-delimiters and more)


@functools.lru_cache(maxsize=16)
def _entry_pattern(script_prefix: str, urlconf: str | None) -> tuple[str, str, str]:
    path = reverse("help:entry", args=[_TOPIC, _ENTRY], urlconf=urlconf)
    head, rest = path.split(_TOPIC, 1)
    middle, tail = rest.split(_ENTRY, 1)
    return head, middle, tail


def entry_path(topic_slug: str, entry_slug: str) -> str:
    """Return the path of an entry's answer page, as ``reverse("help:entry", ...)`` would."""
    head, middle, tail = _entry_pattern(get_script_prefix(), get_urlconf())
    return head + quote(topic_slug, safe=_SAFE) + middle + quote(entry_slug, safe=_SAFE) + tail
