"""What every search backend returns."""

from __future__ import annotations

from typing import NamedTuple


class RawHit(NamedTuple):
    translation_id: int
    entry_id: int
    rank: float  # 0..1, higher is better
    question: str
    answer_text: str
