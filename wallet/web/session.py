"""Unlocked sessions: unlocking opens the wallet for one browser only, under an unguessable token
(its cookie); every other client, even on the same machine, still sees the unlock page. A
session ends when locked or after a time without requests, and the wallet it held is closed."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from vccore import Clock

from ..holder import Wallet
from ..intake import Intake
from ..oid4vci import HttpClient
from ..oid4vci_auth import SignInError
from ..present import Presentation
from .throttle import Throttle

__all__ = ["MAX_SESSIONS", "Sessions", "Unlocked", "WalletApp"]

MAX_PENDING = 16
MAX_SESSIONS = 8
SIGN_IN_TIME = dt.timedelta(minutes=10)  # how long a sign-in at an issuer may take
MAX_STATE = 200

Opener = Callable[[str], Wallet]  # passphrase -> the wallet (opened, or created when there is none)


@dataclass
class Unlocked:
    """One browser's open wallet, the credentials waiting for 'keep anyway', its presentations, the
    offers being collected."""

    wallet: Wallet
    seen: dt.datetime
    pending: dict[str, Intake] = field(default_factory=dict)
    shown: dict[str, Presentation] = field(default_factory=dict)
    asked: dict[str, Any] = field(default_factory=dict)       # OpenID4VP requests waiting for consent
    signing_in: dict[str, tuple[dt.datetime, Any]] = field(default_factory=dict)  # OpenID4VCI sign-ins by state
    coding: dict[str, Any] = field(default_factory=dict)      # OpenID4VCI offers waiting for a transaction code
    lock: threading.RLock = field(default_factory=threading.RLock)  # one request at a time
    closed: bool = False

    def _keep(self, table: dict, value: object) -> str:
        token = secrets.token_urlsafe(16)
        table[token] = value
        while len(table) > MAX_PENDING:
            table.pop(next(iter(table)))
        return token

    def hold(self, intake: Intake) -> str:
        return self._keep(self.pending, intake)

    def show(self, presentation: Presentation) -> str:
        return self._keep(self.shown, presentation)

    def ask(self, request: Any) -> str:
        return self._keep(self.asked, request)

    def wait_for_code(self, prepared: Any) -> str:
        return self._keep(self.coding, prepared)

    def sign_in(self, pending: Any, *, now: dt.datetime) -> str:
        """Keep a sign-in until the browser comes back, under its OAuth `state` (unguessable): at most
        MAX_PENDING, for SIGN_IN_TIME, once. A used one stays known (as None) until it would expire."""
        self.signing_in = {s: v for s, v in self.signing_in.items() if now - v[0] < SIGN_IN_TIME}
        self.signing_in[pending.state] = (now, pending)
        while len(self.signing_in) > MAX_PENDING:
            self.signing_in.pop(next(iter(self.signing_in)))
        return pending.state

    def signed_in(self, state: str, *, now: dt.datetime) -> Any:
        """The sign-in `state` names, taken once; SignInError `unknown`, `used` or `expired` otherwise."""
        started, pending = self.signing_in.get(state, (None, None)) if len(state) <= MAX_STATE else (None, None)
        if started is None:
            raise SignInError("no sign-in of this session has this state", reason="unknown")
        self.signing_in[state] = (started, None)
        if pending is None:
            raise SignInError("this sign-in has already come back", reason="used")
        if now - started >= SIGN_IN_TIME:
            raise SignInError("this sign-in took too long", reason="expired")
        return pending

    def close(self) -> None:
        with self.lock:
            if not self.closed:
                self.closed = True
                self.wallet.close()
                self.pending, self.shown, self.asked, self.signing_in, self.coding = {}, {}, {}, {}, {}


class Sessions:
    """The token table. Tokens are 256-bit random; only the browser holding one reaches its wallet."""

    def __init__(self, *, home: Path, opener: Opener, clock: Clock, throttle: Throttle,
                 idle: dt.timedelta = dt.timedelta(minutes=15)) -> None:
        self.home = home
        self.opener = opener
        self.clock = clock
        self.throttle = throttle
        self.idle = idle
        self._table: dict[str, Unlocked] = {}
        self._lock = threading.Lock()  # the table
        self._opening = threading.Lock()  # keeps two first visits from both creating the wallet

    def unlock(self, passphrase: str, *, client: str) -> str:
        """A new session's token; UNLOCK_THROTTLED without trying when too many attempts failed."""
        keys = {"client": client, "home": str(self.home)}
        self.throttle.begin(**keys)
        with self._opening:
            wallet = self.opener(passphrase)
        self.throttle.succeeded(**keys)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._table[token] = Unlocked(wallet, self.clock.now())
            stale = sorted(self._table, key=lambda t: self._table[t].seen)[:-MAX_SESSIONS]
            evicted = [self._table.pop(t) for t in stale]
        for session in evicted:
            session.close()
        return token

    def get(self, token: str | None) -> Unlocked | None:
        """The live session of `token` (its idle time restarts), or None."""
        self.sweep()
        with self._lock:
            session = self._table.get(token or "")
            if session is not None:
                session.seen = self.clock.now()
        return session

    def end(self, token: str | None) -> None:
        with self._lock:
            session = self._table.pop(token or "", None)
        if session is not None:
            session.close()

    def sweep(self) -> None:
        """Close every session idle longer than allowed (so data keys do not linger in memory)."""
        limit = self.clock.now() - self.idle
        with self._lock:
            expired = [t for t, s in self._table.items() if s.seen <= limit]
            ended = [self._table.pop(t) for t in expired]
        for session in ended:
            session.close()

    def __len__(self) -> int:
        return len(self._table)


@dataclass(frozen=True)
class WalletApp:
    """What the app keeps (`app.extensions["wallet"]`): where the wallet lives, the OpenID4VCI
    client, and the sessions (no wallet is open outside a session)."""

    home: Path
    client: HttpClient
    sessions: Sessions
