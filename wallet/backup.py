"""Encrypted backup files: every profile (key included) and credential (exact bytes), sealed
with a key from the backup passphrase. Restoring skips what the wallet already holds."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

from vccore import KeyPair
from vccore.errors import ParsingError, VCError
from vccore.jsondoc import parse_json

from .crypto import DEFAULT_N, KdfParams, Random, Sealer, derive_key
from .errors import CorruptWalletError, WrongPassphraseError
from .holder import Wallet

__all__ = ["BACKUP_FORMAT", "RestoreResult", "make_backup", "restore_backup", "restore_into_new"]

BACKUP_FORMAT = "mc-wallet-backup-1"
MAX_BACKUP = 256 * 1024 * 1024


@dataclass(frozen=True)
class RestoreResult:
    profiles_added: int
    credentials_added: int
    credentials_skipped: int


def make_backup(wallet: Wallet, passphrase: str, *, random: Random = os.urandom, kdf_n: int = DEFAULT_N) -> bytes:
    """The backup file's bytes (JSON envelope around one AES-256-GCM sealed payload)."""
    profiles = wallet.profiles()
    dids = {p.id: p.did for p in profiles}
    content = {
        "profiles": [{"label": p.label, "key": p.key.to_multikey(), "created": p.created} for p in profiles],
        "credentials": [{"profile": dids[r.profile], "summary": r.summary,
                         "body": base64.b64encode(wallet.body(r.id)).decode("ascii")} for r in wallet.records()],
    }
    params = KdfParams.new(random, n=kdf_n)
    sealed = Sealer(derive_key(passphrase, params), random=random).seal(
        json.dumps(content).encode("utf-8"), BACKUP_FORMAT)
    return json.dumps({"format": BACKUP_FORMAT, "kdf": params.to_json(),
                       "sealed": base64.b64encode(sealed).decode("ascii")}).encode("utf-8")


def _open(data: bytes, passphrase: str) -> dict[str, Any]:
    envelope = parse_json(data, max_bytes=MAX_BACKUP)
    if not isinstance(envelope, dict) or envelope.get("format") != BACKUP_FORMAT:
        raise ParsingError(f"not a wallet backup of format {BACKUP_FORMAT}", title="Not a wallet backup")
    try:
        sealed = base64.b64decode(envelope.get("sealed", ""), validate=True)
    except (ValueError, TypeError) as exc:
        raise ParsingError("the backup payload is not base64", title="Damaged backup") from exc
    # Checked before deriving: a crafted backup must not make scrypt take gigabytes.
    params = KdfParams.from_json(envelope.get("kdf") if isinstance(envelope.get("kdf"), dict) else {})
    try:
        plain = Sealer(derive_key(passphrase, params)).open(sealed, BACKUP_FORMAT)
    except CorruptWalletError as exc:
        raise WrongPassphraseError("the passphrase does not open this backup (or it is damaged)") from exc
    try:
        return json.loads(plain)
    except ValueError as exc:
        raise CorruptWalletError("the backup content is not JSON") from exc


def restore_backup(wallet: Wallet, data: bytes, passphrase: str) -> RestoreResult:
    """Add the backup's profiles (matched by DID) and credentials (skipping duplicates), all in one
    transaction: a restore that fails or is killed midway adds nothing."""
    content = _open(data, passphrase)
    try:
        with wallet.store.batch():
            return _add(wallet, content)
    except (KeyError, TypeError, ValueError, VCError) as exc:
        raise CorruptWalletError(f"the backup content is malformed: {type(exc).__name__}") from exc
    finally:
        wallet.refresh()


def _add(wallet: Wallet, content: dict[str, Any]) -> RestoreResult:
    by_did = {p.did: p for p in wallet.profiles()}
    profiles_added = added = skipped = 0
    for entry in content["profiles"]:
        key = KeyPair.from_multikey(entry["key"])
        if key.controller not in by_did:
            by_did[key.controller] = wallet.store.add_profile(entry["label"], key, entry["created"])
            profiles_added += 1
    for entry in content["credentials"]:
        profile = by_did[entry["profile"]]
        body = base64.b64decode(entry["body"])
        if wallet.store.find_duplicate(profile.id, body):
            skipped += 1
            continue
        wallet.store.add_credential(profile.id, body, entry["summary"])
        added += 1
    return RestoreResult(profiles_added, added, skipped)


def restore_into_new(home: str | os.PathLike[str], data: bytes, passphrase: str, *, wallet_passphrase: str,
                     **wallet_args: Any) -> tuple[Wallet, RestoreResult]:
    """Create a wallet in `home` from a backup, as one step: the wallet is published only when
    the whole backup is in it (a killed restore leaves `home` without a wallet, never half of one)."""
    results: list[RestoreResult] = []
    wallet = Wallet.create(home, wallet_passphrase, first_profile=False,
                           prepare=lambda draft: results.append(restore_backup(draft, data, passphrase)),
                           **wallet_args)
    return wallet, results[0]
