"""Staff login throttling: failures counted per account and per client, then a temporary lockout.

OWASP Authentication Cheat Sheet ("account lockout") and NIST SP 800-63B §5.2.2 (rate limiting).
The counters live in the issuer's registry database (table `login_throttle`), not in the process:
every worker process and thread that serves one data directory sees the same counts, and a
restart does not reset them. Keys are hashes, so a password typed into the username field is
never stored. Unknown usernames are counted exactly like known ones, so the answers say nothing
about which accounts exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
from dataclasses import dataclass
from typing import Sequence

from vccore import Clock

from .registry import Registry

__all__ = ["LoginThrottle", "ThrottlePolicy", "account_key", "client_key"]


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures within `window` lock an account / a client out, and for how long."""

    account_failures: int = 5
    client_failures: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    lockout: dt.timedelta = dt.timedelta(minutes=15)


def account_key(username: str) -> str:
    return "account:" + hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def client_key(address: str | None) -> str:
    """The client's address; IPv6 by its /64 (one host usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return "client:unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"client:{ip.ipv4_mapped}"
        return "client:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return f"client:{ip}"


class LoginThrottle:
    """Counters in the registry; every method is one transaction (safe across processes)."""

    def __init__(self, registry: Registry, *, clock: Clock, policy: ThrottlePolicy | None = None) -> None:
        self.registry = registry
        self.clock = clock
        self.policy = policy or ThrottlePolicy()

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _limit(self, key: str) -> int:
        p = self.policy
        return p.account_failures if key.startswith("account:") else p.client_failures

    def retry_after(self, keys: Sequence[str]) -> int:
        """Seconds until every key is unlocked (rounded up); 0 when a login may be tried now."""
        now = self._now()
        marks = ",".join("?" * len(keys))
        rows = self.registry.query(f"SELECT locked_until FROM login_throttle WHERE key IN ({marks})", tuple(keys))
        until = max([r["locked_until"] for r in rows] + [now])
        return math.ceil(until - now)

    def failed(self, keys: Sequence[str]) -> int:
        """Count one failed login for each key; returns retry_after (> 0 when this failure locked)."""
        now, window, lockout = self._now(), self.policy.window.total_seconds(), self.policy.lockout.total_seconds()
        with self.registry.transaction() as db:
            db.execute("DELETE FROM login_throttle WHERE expires_at < ?", (now,))
            for key in keys:
                row = db.execute("SELECT failures, window_start, locked_until FROM login_throttle WHERE key = ?",
                                 (key,)).fetchone()
                failures, start, locked = (0, now, 0.0) if row is None else tuple(row)
                if now - start > window:
                    failures, start = 0, now
                failures += 1
                if failures >= self._limit(key):
                    failures, start, locked = 0, now, now + lockout
                db.execute("INSERT OR REPLACE INTO login_throttle (key, failures, window_start, locked_until, "
                           "expires_at) VALUES (?, ?, ?, ?, ?)",
                           (key, failures, start, locked, max(start + window, locked)))
        return self.retry_after(keys)

    def succeeded(self, key: str) -> None:
        """A successful login clears its account's count (not the client's: one valid account must
        not let a client reset its own budget while it guesses others)."""
        with self.registry.transaction() as db:
            db.execute("DELETE FROM login_throttle WHERE key = ?", (key,))
