"""Whatever name a browser or a mail client sends with a file, the name kept for it is safe.

``attachment_name_clean`` names the stored attachment or evidence file in
the desk (the file on disk has a random name): it must not carry folders,
control or invisible characters, characters Windows refuses, or a leading
dot; it must fit the database column, end in the extension of the type the
content was found to be, and be left alone when cleaned a second time.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

from disputes.models import Evidence
from tickets import attachments
from tickets.attachments import EXTENSIONS, NAME_STEM_MAX, attachment_name_clean, display_name
from tickets.models import Attachment

STORED_EXTENSIONS = sorted(set(EXTENSIONS.values()))
WINDOWS_REFUSED = set('<>:"|?*')

# Characters that break names in one way or another, weighted up against plain text.
TROUBLE = (
    "/", "\\", ".", "..", " ", "\t", "\n", "\r", "\x00", "\x1b", "\x7f", "\u0085",
    "\u00a0", "\u2028", "\u2029", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
    "\ue000", "\U000e0001", "\u0301", "\u0308", "\u0323", "\u1100", "\u1161", "\u11a8",
    "e", "A", "\u00e9", "\u212b", "\u2126", "\u0958", "\u0915\u093c", "-", "_", "~",
    *WINDOWS_REFUSED, "%2f", "%00", "\uff0f", "\u2215", "CON", "nul", "com1", "LPT9",
    ".txt", ".jpg", ".pdf", ".png", ".exe", ".html", ".svg", ".JPG", ".tar.gz",
)  # fmt: skip
names = st.one_of(
    st.text(),
    st.lists(st.sampled_from(TROUBLE) | st.characters(), max_size=30).map("".join),
    st.lists(
        st.sampled_from(TROUBLE) | st.characters(categories=["Mn", "Me", "Cf", "Cc", "Zs"]),
        max_size=12,
    ).map("".join),
    st.text(min_size=90, max_size=400),
)
extensions = st.sampled_from(STORED_EXTENSIONS)


def _stem(cleaned: str, extension: str) -> str:
    assert cleaned.endswith(f".{extension}"), (cleaned, extension)
    return cleaned[: -len(extension) - 1]


@given(names, extensions)
def test_a_cleaned_name_is_safe_to_store_and_serve(name: str, extension: str) -> None:
    cleaned = attachment_name_clean(name=name, extension=extension)
    note(f"cleaned={cleaned!r}")
    stem = _stem(cleaned, extension)
    assert stem, "the name keeps something before its extension"
    assert "/" not in cleaned and "\\" not in cleaned, "no folders"
    assert not WINDOWS_REFUSED & set(cleaned), "no character Windows refuses in a name"
    assert not [ch for ch in cleaned if unicodedata.category(ch).startswith("C")], (
        "no control, format, private-use or unassigned character"
    )
    assert not [ch for ch in cleaned if ch.isspace() and ch != " "], "spaces only, no other blank"
    assert "  " not in cleaned
    assert stem == stem.strip(" ._-"), "no leading dot (hidden file) and no ragged ends"
    assert len(stem) <= NAME_STEM_MAX
    for model in (Attachment, Evidence):
        assert len(cleaned) <= model._meta.get_field("name").max_length


@given(names, extensions)
# A zero-width joiner or a control character between a letter and its mark.
@example("e\u200d\u0301.txt", "txt")
@example("cafe\x00\u0301 menu.pdf", "pdf")
def test_cleaning_a_cleaned_name_changes_nothing(name: str, extension: str) -> None:
    once = attachment_name_clean(name=name, extension=extension)
    assert unicodedata.is_normalized("NFC", once), "composed, as the docstring promises"
    assert attachment_name_clean(name=once, extension=extension) == once


safe_stems = st.from_regex(
    r"[A-Za-z0-9](?:[A-Za-z0-9_\-]|[ ](?=[^ ])){0,40}[A-Za-z0-9]", fullmatch=True
)


def _is_device(stem: str) -> bool:
    devices = getattr(attachments, "WINDOWS_DEVICES", frozenset())
    return stem.partition(".")[0].rstrip(" ").upper() in devices


@given(safe_stems, extensions, st.sampled_from(("", "C:\\Users\\ana\\", "/home/ana/", "../../")))
def test_a_plain_name_with_the_right_extension_is_kept(
    stem: str, extension: str, folder: str
) -> None:
    assume(not _is_device(stem))  # renamed on purpose: see the device names' test
    assert attachment_name_clean(name=f"{folder}{stem}.{extension}", extension=extension) == (
        f"{stem}.{extension}"
    )


@given(
    safe_stems,
    extensions,
    st.sampled_from(("exe", "html", "svg", "php", "js", "jpg", "PDF", "txt", "bat", "htm")),
)
def test_the_extension_is_always_the_one_of_the_found_type(
    stem: str, extension: str, sent: str
) -> None:
    """A name claiming another type (``invoice.html`` that is text) ends in the found type."""
    assume(not _is_device(stem))
    assert attachment_name_clean(name=f"{stem}.{sent}", extension=extension) == (
        f"{stem}.{extension}"
    )


@pytest.mark.skipif(
    not hasattr(attachments, "WINDOWS_DEVICES"),
    reason="the cleaner does not claim to rename Windows device names",
)
@given(
    st.sampled_from(("CON", "prn", "Aux", "NUL", "COM1", "lpt9", "COM\u00b9")),
    st.sampled_from(("", ".tar", " ", "  .", ".")),
    extensions,
)
def test_windows_device_names_are_never_kept(device: str, tail: str, extension: str) -> None:
    cleaned = attachment_name_clean(name=f"{device}{tail}.{extension}", extension=extension)
    head = cleaned.partition(".")[0].rstrip(" ").upper()
    assert head not in attachments.WINDOWS_DEVICES, cleaned


@given(names)
def test_the_name_shown_in_an_error_is_printable_short_and_never_empty(name: str) -> None:
    shown = display_name(name)
    assert shown
    assert len(shown) <= 80
    assert not re.search(r"[/\\]", shown)
    assert not [ch for ch in shown if unicodedata.category(ch).startswith("C")]
