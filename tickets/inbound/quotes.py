"""Cut the quoted history out of a reply, keeping only what the buyer wrote now.

Mail clients put the earlier mail under the reply in different ways: an
attribution line ("On … wrote:", "… пишет:", "… έγραψε:", or Gmail's
Russian "…, Support <x@y>:"), Outlook's "-----Original Message-----" or a
"From:/Sent:" header block, lines starting with ">", and a signature after
"-- ". Everything from the first of these on is dropped; ">" lines are
dropped wherever they are, so answers written between quotes are kept.
"""

from __future__ import annotations

import re

_ATTRIBUTION = [
    # English clients (Gmail, Apple Mail, Thunderbird): "On Mon, 3 Nov 2026 at 10:00, X <x@y> wrote:"
    re.compile(r"^\s*On\b.{0,400}\bwrote:\s*$", re.IGNORECASE),
    # Russian: "3 нояб. 2026 г., в 10:00, X <x@y> написал(а):", "X пишет:"
    re.compile(r"^.{0,400}\b(пишет|написал|написала|написал\(а\))\s*:\s*$", re.IGNORECASE),
    # Greek: "Στις Πέμ 12 Νοε 2026 στις 10:15, ο/η X <x@y> έγραψε:"
    re.compile(r"^.{0,400}\bέγραψε\s*:\s*$", re.IGNORECASE),
    # Gmail in Russian and other languages, Yandex, Mail.ru: a date and an address, then ":".
    re.compile(r"^.{0,300}<[^<>@\s]+@[^<>\s]+>\s*:\s*$"),
]
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение|Αρχικό μήνυμα)"
    r"\s*-{2,}|_{20,})\s*$",
    re.IGNORECASE,
)
# Outlook's header block of the quoted mail: "From:" followed closely by "Sent:"/"Date:"/...
_HEADER_FROM = re.compile(r"^\s*\*?(From|От|Από)\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|To|Subject|Отправлено|Дата|Кому|Тема|Στάλθηκε|Ημερομηνία|Προς|Θέμα)\s*:",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^(-- ?|—)$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(Sent from my|Get Outlook for|Отправлено с|Отправлено из|Αποστολή από)\b", re.IGNORECASE
)


def _is_attribution(line: str) -> bool:
    return any(pattern.match(line) for pattern in _ATTRIBUTION)


def _history_starts(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _SEPARATOR.match(line) or _SIGNATURE.match(line.rstrip("\r")):
        return True
    if _is_attribution(line):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    # Clients wrap a long attribution: "On Mon, … Support <x@y>" / "wrote:".
    wrapped = len(following.strip()) <= 40 and following.rstrip().endswith(":")
    if line.strip() and wrapped and _is_attribution(f"{line.rstrip()} {following.strip()}"):
        return True
    if _HEADER_FROM.match(line):
        return any(_HEADER_NEXT.match(later) for later in lines[index + 1 : index + 4])
    return False


def reply_strip(text: str) -> str:
    """Return ``text`` without quoted history, signature and blank edges."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _history_starts(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    while kept and (not kept[-1].strip() or _MOBILE_FOOTER.match(kept[-1])):
        kept.pop()
    body = "\n".join(kept).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", body)
