"""What the web app keeps between requests: the open wallet (after unlocking), credentials
waiting for a 'keep anyway' decision, and the presentations being shown."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from vccore import Canonicalizer, Clock, Verifier

from ..holder import Wallet
from ..intake import Intake
from ..oid4vci import HttpClient
from ..present import Presentation

__all__ = ["WalletSession"]

MAX_PENDING = 16


@dataclass
class WalletSession:
    home: Path
    canon: Canonicalizer
    clock: Clock
    verifier: Verifier
    client: HttpClient
    kdf_n: int = 2 ** 15
    wallet: Wallet | None = None
    pending: dict[str, Intake] = field(default_factory=dict)
    shown: dict[str, Presentation] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def unlock(self, passphrase: str) -> Wallet:
        args = dict(verifier=self.verifier, clock=self.clock, canon=self.canon)
        with self.lock:
            if Wallet.exists(self.home):
                self.wallet = Wallet.open(self.home, passphrase, **args)
            else:
                self.wallet = Wallet.create(self.home, passphrase, kdf_n=self.kdf_n, **args)
            return self.wallet

    def lock_wallet(self) -> None:
        with self.lock:
            if self.wallet is not None:
                self.wallet.close()
            self.wallet, self.pending, self.shown = None, {}, {}

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
