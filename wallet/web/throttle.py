"""Unlock throttling: after a few wrong passphrases from one client (or many for one wallet home),
further attempts are refused for a while, doubling with each failure up to a cap, without ever
deriving a key. The clock is a parameter, so tests move time instead of waiting."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

from vccore import Clock

from ..errors import UnlockThrottledError

__all__ = ["Limit", "Throttle"]


@dataclass(frozen=True)
class Limit:
    """`free` failures are allowed; each one after that locks out for base * 2^(extra), capped."""

    free: int
    base: dt.timedelta = dt.timedelta(seconds=30)
    cap: dt.timedelta = dt.timedelta(minutes=15)

    def lockout(self, failures: int) -> dt.timedelta:
        if failures < self.free:
            return dt.timedelta(0)
        return min(self.cap, self.base * 2 ** min(failures - self.free, 32))


@dataclass
class _Count:
    failures: int = 0
    until: dt.datetime | None = None


class Throttle:
    """Counts failures per key ("client:ADDR", "home:PATH"); an attempt is counted as failed when
    it starts (so parallel guesses cannot slip past the limit) and forgiven when it succeeds."""

    def __init__(self, *, clock: Clock, client: Limit = Limit(5), home: Limit = Limit(20),
                 max_keys: int = 4096) -> None:
        self.clock = clock
        self.limits = {"client": client, "home": home}
        self.max_keys = max_keys
        self._counts: OrderedDict[str, _Count] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, **keys: str) -> None:
        """Raise UNLOCK_THROTTLED if any key is locked out; else count this attempt as a failure."""
        now = self.clock.now()
        with self._lock:
            counts = {kind: self._count(f"{kind}:{value}") for kind, value in keys.items()}
            waits = [c.until - now for c in counts.values() if c.until is not None and c.until > now]
            if waits:
                raise UnlockThrottledError(max(1, math.ceil(max(waits).total_seconds())))
            for kind, count in counts.items():
                count.failures += 1
                lockout = self.limits[kind].lockout(count.failures)
                count.until = now + lockout if lockout else None

    def succeeded(self, **keys: str) -> None:
        with self._lock:
            for kind, value in keys.items():
                self._counts.pop(f"{kind}:{value}", None)

    def _count(self, key: str) -> _Count:
        count = self._counts.pop(key, None) or _Count()
        self._counts[key] = count  # most recently used last
        while len(self._counts) > self.max_keys:
            self._counts.popitem(last=False)
        return count
