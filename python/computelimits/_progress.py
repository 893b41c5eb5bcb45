"""A minimal progress bar for long work: drawn on a terminal, silent otherwise."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    """Progress over ``total`` units; ``enabled=None`` means "only on a TTY".

    Use as a context manager and call ``advance(k)`` after each finished chunk.
    """

    def __init__(
        self, total: int, description: str, enabled: Optional[bool] = None, stream: Optional[TextIO] = None
    ) -> None:
        self.total = max(int(total), 0)
        self.description = description
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.done = 0
        self._start = time.perf_counter()
        self._last_draw = 0.0

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, units: int = 1) -> None:
        self.done = min(self.total, self.done + units)
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last_draw < 0.1 and self.done < self.total:
            return
        self._last_draw = now
        fraction = self.done / self.total if self.total else 1.0
        width = 30
        filled = round(width * fraction)
        elapsed = now - self._start
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.description} [{bar}] {self.done}/{self.total} {elapsed:6.1f}s")
        self.stream.flush()
