"""A one-line progress bar on stderr, redrawn with carriage returns (no dependency)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


class Progress:
    """Draw ``label [#####.....]  45%  45,000/100,000  0:12 elapsed, eta 0:15``.

    On a terminal the line is redrawn at most ten times a second; elsewhere
    (a log file, CI) a plain line is printed every 10 %.
    """

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(1, total), 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = self._drawn_at = time.perf_counter()
        self._last_tenth = -1

    def update(self, n: int) -> None:
        self.done = min(self.total, self.done + n)
        now = time.perf_counter()
        if self.tty:
            if now - self._drawn_at >= 0.1 or self.done == self.total:
                self._drawn_at = now
                self.stream.write("\r" + self._line(now))
                self.stream.flush()
        elif (tenth := self.done * 10 // self.total) > self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def close(self) -> float:
        """Finish the line; return the seconds it took."""
        now = time.perf_counter()
        if self.tty:
            self.stream.write("\r" + self._line(now) + "\n")
            self.stream.flush()
        return now - self.started

    def _line(self, now: float) -> str:
        fraction = self.done / self.total
        filled = int(fraction * self.WIDTH)
        elapsed = now - self.started
        eta = elapsed / fraction - elapsed if fraction > 0 else 0.0
        bar = "#" * filled + "." * (self.WIDTH - filled)
        return (
            f"{self.label} [{bar}] {fraction:4.0%}  {self.done:,}/{self.total:,}  "
            f"{_clock(elapsed)} elapsed, eta {_clock(eta)}  "
        )
