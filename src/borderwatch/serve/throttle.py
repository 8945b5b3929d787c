"""Login attempts: failures limited per account and per address, and password hashing bounded.

Each argon2id check takes ~64 MiB and a good share of a core; 32 parallel guessers once took the
server from 66 MB to 1.97 GB (issue 9). At most HASHING checks run at once (others wait a little,
then get 503), and an account or address with too many recent failures is refused (429, with
the minutes to wait) before any hashing is done. Kept in memory: a restart forgets the counts,
which is acceptable for a one-process workbench.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

HASHING = 2  # password checks at once
WINDOW_S = 15 * 60
PER_ACCOUNT = 5  # failures per account within the window
PER_ADDRESS = 20  # failures per client address within the window
WAIT_FOR_SLOT_S = 10.0


class Refused(Exception):
    """A login attempt refused before checking the password; `status` and a message in words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class LoginThrottle:
    """Failure counts per account and address in a sliding window, and a hashing semaphore."""

    def __init__(self, per_account: int = PER_ACCOUNT, per_address: int = PER_ADDRESS,
                 window_s: float = WINDOW_S, hashing: int = HASHING) -> None:
        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(hashing)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def check(self, account: str, address: str) -> None:
        """Refuse (Refused 429) when the account or address failed too often lately."""
        now = time.monotonic()
        with self._lock:
            for key, limit in ((f"a:{account.lower()}", self.per_account), (f"ip:{address}", self.per_address)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    wait = max(1, int((self.window_s - (now - q[0])) / 60 + 0.999))
                    raise Refused(429, f"too many failed sign-ins; try again in {wait} minute"
                                       f"{'s' if wait != 1 else ''}")

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures[f"a:{account.lower()}"].append(now)
            self._failures[f"ip:{address}"].append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(f"a:{account.lower()}", None)

    def hashing(self) -> _Slot:
        """A context manager holding one of the hashing slots (Refused 503 when none frees up)."""
        return _Slot(self._slots)


class _Slot:
    def __init__(self, sem: threading.BoundedSemaphore) -> None:
        self._sem = sem

    def __enter__(self) -> None:
        if not self._sem.acquire(timeout=WAIT_FOR_SLOT_S):
            raise Refused(503, "the server is busy checking other sign-ins; try again shortly")

    def __exit__(self, *exc: object) -> None:
        self._sem.release()
