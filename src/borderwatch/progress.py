"""Progress for long runs: a bar (count, rate, ETA) on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


class Progress:
    """Counts inputs as they are done; `note` sets the running tallies shown beside the bar."""

    def __init__(self, total: int | None, stream: TextIO | None = None, label: str = "ingest",
                 log_every: float = 10.0, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self._last_log = self.started
        self._log_every = log_every
        self._tallies = ""
        self.enabled = enabled
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar = (
            tqdm(total=total, file=self.stream, unit="input", desc=label, dynamic_ncols=True)
            if enabled and is_tty else None
        )

    def note(self, tallies: str) -> None:
        """Running counts (stored, duplicate, failed…) shown with the bar or in the log line."""
        self._tallies = tallies
        if self._bar is not None:
            self._bar.set_postfix_str(tallies, refresh=False)

    def advance(self, n: int = 1) -> None:
        """One more input done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if self.enabled and now - self._last_log >= self._log_every:
            self._last_log = now
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def _line(self, now: float) -> str:
        rate = self.done / max(now - self.started, 1e-9)
        parts = [f"{self.label}: {self.done}" + (f"/{self.total}" if self.total else "") + " inputs",
                 f"{rate:.1f}/s"]
        if self.total and rate > 0:
            parts.append(f"eta {max(self.total - self.done, 0) / rate:.0f}s")
        if self._tallies:
            parts.append(self._tallies)
        return ", ".join(parts)

    def close(self) -> None:
        """End the bar (the final summary is printed by the caller)."""
        if self._bar is not None:
            self._bar.close()
