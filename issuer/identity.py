"""The institution's signing keys: Ed25519, one file each (mode 0600) outside the database.

did:key by default; did:web as an option, with the DID document served at /.well-known/did.json.
Rotation makes a new current key and keeps the old ones: did:key credentials stay verifiable on
their own (the key is the DID), and a did:web document keeps listing retired keys as assertion
methods, so credentials signed before the rotation still verify.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from vccore import KeyPair
from vccore.did import DID_V1, MULTIKEY_V1
from vccore.errors import MalformedValueError

__all__ = ["Identity", "write_private_file"]

_DID_WEB = re.compile(r"^did:web:[A-Za-z0-9.\-%]+(:[A-Za-z0-9._\-%]+)*$")


def write_private_file(path: Path, data: bytes) -> None:
    """Create `path` readable by its owner only (0600) and write `data` (atomically replaced)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _bind(key: KeyPair, did_web: str | None) -> KeyPair:
    """The key as its DID method names it: did:key, or did:web with the multikey as fragment."""
    if did_web is None:
        return KeyPair.generate(key.seed)
    return KeyPair.generate(key.seed, controller=did_web, key_id=f"{did_web}#{key.public_multibase}")


class Identity:
    """Current signing key, retired keys and the DID they belong to."""

    def __init__(self, directory: Path, current: KeyPair, retired: list[KeyPair], did_web: str | None) -> None:
        self.directory = directory
        self.current = current
        self.retired = retired
        self.did_web = did_web

    @property
    def did(self) -> str:
        return self.current.controller

    @classmethod
    def open(cls, directory: Path, *, did_web: str | None = None, seed: bytes | None = None) -> "Identity":
        """Load the keys in `directory`, creating the first key (0600) when there is none."""
        if did_web is not None and not _DID_WEB.match(did_web):
            raise MalformedValueError(f"not a did:web: {did_web!r}", title="Invalid did:web")
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        index_path = directory / "index.json"
        if index_path.exists():
            index = json.loads(index_path.read_text(encoding="utf-8"))
        else:
            index = {"keys": []}
        if did_web is None:
            did_web = index.get("did_web")
        if not index["keys"]:
            name = "key-1.json"
            write_private_file(directory / name, json.dumps(KeyPair.generate(seed).to_multikey()).encode())
            index["keys"] = [name]
        index["did_web"] = did_web
        write_private_file(index_path, json.dumps(index, indent=2).encode())
        keys = [_bind(_load_private(directory / name), did_web) for name in index["keys"]]
        return cls(directory, keys[-1], keys[:-1], did_web)

    def rotate(self, seed: bytes | None = None) -> KeyPair:
        """A new current key; the previous ones stay (retired) so old credentials keep verifying."""
        index_path = self.directory / "index.json"
        index = json.loads(index_path.read_text(encoding="utf-8"))
        name = f"key-{len(index['keys']) + 1}.json"
        write_private_file(self.directory / name, json.dumps(KeyPair.generate(seed).to_multikey()).encode())
        index["keys"].append(name)
        write_private_file(index_path, json.dumps(index, indent=2).encode())
        self.retired.append(self.current)
        self.current = _bind(_load_private(self.directory / name), self.did_web)
        return self.current

    def did_document(self) -> dict[str, Any] | None:
        """DID document for did:web (/.well-known/did.json); None for did:key (self-describing)."""
        if self.did_web is None:
            return None
        keys = [*self.retired, self.current]
        methods = [{"id": k.id, "type": "Multikey", "controller": k.controller,
                    "publicKeyMultibase": k.public_multibase} for k in keys]
        ids = [k.id for k in keys]
        return {"@context": [DID_V1, MULTIKEY_V1], "id": self.did_web, "verificationMethod": methods,
                "assertionMethod": ids, "authentication": [self.current.id]}


def _load_private(path: Path) -> KeyPair:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MalformedValueError(f"{path} is readable by others; make it 0600 (chmod 600)",
                                  title="Key file not private")
    return KeyPair.load(path)
