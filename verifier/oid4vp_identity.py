"""The verifier's own identity for OpenID4VP: a did:jwk of a P-256 key (ES256), as eduWallet's verifier
agent uses, so that a wallet resolves it offline (OpenID4VP 1.0 §5.9.3 `decentralized_identifier`).

The key is derived from a 32-byte seed kept in the data directory (`oid4vp-key.json`, 0600), made on
first use; without a data directory each process makes its own (fine for one process and for tests).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from vccore.josekeys import did_jwk, ec_key_from_seed
from vccore.oid4vp import DID_PREFIX, sign_request

__all__ = ["KEY_FILE", "VerifierIdentity"]

KEY_FILE = "oid4vp-key.json"
INFO = b"mc-verifier OpenID4VP P-256 v1"


@dataclass(frozen=True)
class VerifierIdentity:
    key: Any   # joserfc ECKey (private)
    did: str

    @property
    def kid(self) -> str:
        return self.did + "#0"

    @property
    def client_id(self) -> str:
        return DID_PREFIX + self.did

    def sign(self, claims: dict[str, Any]) -> str:
        return sign_request(claims, key=self.key, kid=self.kid, alg="ES256")

    @classmethod
    def from_seed(cls, seed: bytes) -> "VerifierIdentity":
        key = ec_key_from_seed(seed, info=INFO)
        return cls(key, did_jwk(key))

    @classmethod
    def load_or_create(cls, directory: Path | None, *,
                       random: Callable[[int], bytes] = os.urandom) -> "VerifierIdentity":
        if directory is None:
            return cls.from_seed(random(32))
        path = Path(directory) / KEY_FILE
        if not path.exists():
            draft = path.with_name(path.name + f".draft-{os.getpid()}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                json.dump({"seed": random(32).hex()}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(draft, path)  # never replaces a key another worker made meanwhile
            except FileExistsError:
                pass
            finally:
                os.unlink(draft)
        return cls.from_seed(bytes.fromhex(json.loads(path.read_text(encoding="ascii"))["seed"]))
