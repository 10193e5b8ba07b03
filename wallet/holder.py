"""The wallet as one library object: profiles, import (verified first), browse, present.
The CLI and the web app are thin shells around it; effects come in as parameters."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from vccore import Canonicalizer, Clock, KeyPair, Verifier, format_datetime
from vccore.qrcodec import PresentationRequest

from .browse import Filters, Record, search
from .crypto import Random
from .errors import NotFoundError
from .formats import disclosable, presentable, signed_body
from .intake import Intake, check_incoming
from .model import describe
from .present import ONE_WAY_MINUTES, Presentation, make_presentation
from .store import Profile, WalletStore

__all__ = ["DB_NAME", "ImportResult", "Wallet"]

DB_NAME = "wallet.db"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one incoming credential."""

    intake: Intake
    stored_id: str | None
    duplicate: bool = False

    @property
    def stored(self) -> bool:
        return self.stored_id is not None


class Wallet:
    """An open wallet: the data key is in memory until `close()`."""

    def __init__(self, store: WalletStore, *, verifier: Verifier, clock: Clock, canon: Canonicalizer,
                 random: Random = os.urandom) -> None:
        self.store = store
        self.verifier = verifier
        self.clock = clock
        self.canon = canon
        self.random = random
        self._records: list[Record] | None = None

    @classmethod
    def create(cls, home: str | os.PathLike[str], passphrase: str, *, verifier: Verifier, clock: Clock,
               canon: Canonicalizer, label: str = "default", random: Random = os.urandom,
               kdf_n: int = 2 ** 15, first_profile: bool = True,
               prepare: Callable[["Wallet"], None] | None = None) -> "Wallet":
        """A new wallet in `home`; its first profile and what `prepare` adds (a restored backup) are
        part of creating it: killed midway, `home` holds no wallet rather than half of one."""
        def fill(store: WalletStore) -> None:
            draft = cls(store, verifier=verifier, clock=clock, canon=canon, random=random)
            if first_profile:
                draft.add_profile(label)
            if prepare is not None:
                prepare(draft)
        store = WalletStore.create(Path(home) / DB_NAME, passphrase, random=random, kdf_n=kdf_n, fill=fill)
        return cls(store, verifier=verifier, clock=clock, canon=canon, random=random)

    @classmethod
    def open(cls, home: str | os.PathLike[str], passphrase: str, *, verifier: Verifier, clock: Clock,
             canon: Canonicalizer, random: Random = os.urandom) -> "Wallet":
        store = WalletStore.open(Path(home) / DB_NAME, passphrase, random=random)
        return cls(store, verifier=verifier, clock=clock, canon=canon, random=random)

    @property
    def store_path(self) -> Path:
        return self.store.path

    @staticmethod
    def exists(home: str | os.PathLike[str]) -> bool:
        return (Path(home) / DB_NAME).is_file()

    def close(self) -> None:
        self.store.close()

    # profiles

    def add_profile(self, label: str) -> Profile:
        key = KeyPair.generate(self.random(32))
        return self.store.add_profile(label, key, format_datetime(self.clock.now()))

    def profiles(self) -> list[Profile]:
        return self.store.profiles()

    def profile(self, ref: int | str | None = None) -> Profile:
        """By number, DID or label; the first profile when None."""
        for p in self.profiles():
            if ref is None or ref in (p.id, p.did, p.label) or str(ref) == str(p.id):
                return p
        raise NotFoundError(f"no profile {ref!r}")

    # receiving

    def check(self, body: bytes) -> Intake:
        return check_incoming(body, verifier=self.verifier)

    def import_bytes(self, body: bytes, *, keep_failed: bool = False, profile: int | str | None = None,
                     intake: Intake | None = None) -> ImportResult:
        """Verify, then store the exact bytes (a failing credential only when `keep_failed`)."""
        intake = intake or self.check(body)
        if intake.document is None or (not intake.verified and not keep_failed):
            return ImportResult(intake, None)
        target = self._owner(intake, profile)
        duplicate = self.store.find_duplicate(target.id, body)
        if duplicate:
            return ImportResult(intake, duplicate, duplicate=True)
        summary = {**intake.summary(), "added": format_datetime(self.clock.now())}
        cred_id = self.store.add_credential(target.id, body, summary)
        self._records = None
        return ImportResult(intake, cred_id)

    def _owner(self, intake: Intake, profile: int | str | None) -> Profile:
        if profile is not None:
            return self.profile(profile)
        holder = intake.summary().get("holder")
        return next((p for p in self.profiles() if p.did == holder), None) or self.profile()

    # browsing

    def records(self) -> list[Record]:
        if self._records is None:
            self._records = [Record.of(c.id, c.profile, c.summary) for c in self.store.credentials()]
        return self._records

    def find(self, filters: Filters = Filters(), *, profile: int | None = None) -> list[Record]:
        found = search(self.records(), filters)
        return [r for r in found if profile is None or r.profile == profile]

    def refresh(self) -> None:
        """Forget the in-memory list (after writes made directly on the store)."""
        self._records = None

    def record(self, cred_id: str) -> Record:
        for r in self.records():
            if r.id == cred_id:
                return r
        raise NotFoundError(f"no credential {cred_id}")

    def body(self, cred_id: str) -> bytes:
        return self.store.body(cred_id)

    def document(self, cred_id: str) -> dict[str, Any]:
        """The credential as JSON; for a JOSE credential the JSON its signature covers (wallet.formats)."""
        return signed_body(self.body(cred_id), self.verifier)[1]

    def hideable(self, cred_id: str) -> list[str]:
        """Subject members the holder may leave out when presenting (an SD-JWT VC's grade)."""
        return disclosable(self.body(cred_id))

    def details(self, cred_id: str) -> dict[str, Any]:
        return describe(self.document(cred_id))

    def recheck(self, cred_id: str) -> Intake:
        """Verify a stored credential again (status may have changed) and remember the outcome."""
        record = self.record(cred_id)
        intake = self.check(self.body(cred_id))
        self.store.update_summary(cred_id, {**record.summary, "verification": intake.verification()})
        self._records = None
        return intake

    def _types(self, cred_id: str) -> list[str]:
        types = self.document(cred_id).get("type", [])
        return types if isinstance(types, list) else [types]

    def delete(self, cred_id: str) -> None:
        self.store.delete_credential(cred_id)
        self._records = None

    # presenting

    def present(self, ids: Sequence[str] = (), *, request: PresentationRequest | None = None,
                challenge: str | None = None, domain: str | None = None, minutes: int = ONE_WAY_MINUTES,
                profile: int | str | None = None, hide: Sequence[str] = (),
                valid_for: str | None = None) -> Presentation:
        """Sign a presentation of `ids`; when empty, of the profile's credentials that have every
        type the verifier's request wants (all of them when it names none)."""
        holder = self.profile(profile) if profile is not None else \
            self.profile(self.record(ids[0]).profile) if ids else self.profile()
        wanted = set(request.types) if request is not None and request.types else set()
        chosen = list(ids) or [r.id for r in self.records()
                               if r.profile == holder.id and wanted <= set(self._types(r.id))]
        if not chosen and wanted:
            raise NotFoundError("no stored credential has the types the verifier asks for: "
                                + ", ".join(sorted(wanted)))
        for cred_id in chosen:
            if self.record(cred_id).profile != holder.id:
                raise NotFoundError(f"credential {cred_id} belongs to another profile")
        if request is not None:
            challenge, domain = request.challenge, request.domain
        items = [presentable(self.body(i), verifier=self.verifier, key=holder.key, clock=self.clock,
                             hide=tuple(hide), nonce=challenge, audience=domain, random=self.random) for i in chosen]
        return make_presentation(items, key=holder.key, canon=self.canon,
                                 clock=self.clock, request=request, challenge=challenge, domain=domain,
                                 minutes=minutes, valid_for=valid_for)
