"""Selective Disclosure for JWTs (SD-JWT, RFC 9901) on vccore.jose: serialization (§4), disclosures
and digests (§4.2), processing (§7.1), key binding (§4.3, §7.3); the issuer's and holder's sides.

Only what a digest in the issuer-signed payload vouches for is read: a disclosure whose digest
is not in the payload, one referenced twice, or a name clash refuses the whole SD-JWT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Callable

from .errors import ParsingError, VCError
from .jose import (DisclosureError, Jws, KeyBindingError, LEEWAY, b64url_decode, b64url_encode, parse_compact,
                   sign_compact, verify_signature)
from .josekeys import PublicKey
from .jsondoc import parse_json

__all__ = ["Disclosure", "KB_TYP", "Processed", "SdJwt", "add_key_binding", "conceal", "decode_disclosure",
           "digest_of", "issue", "make_disclosure", "parse_sd_jwt", "process", "select", "verify_key_binding"]

KB_TYP = "kb+jwt"
HASHES: dict[str, Callable[[bytes], Any]] = {"sha-256": hashlib.sha256, "sha-384": hashlib.sha384,
                                             "sha-512": hashlib.sha512}
MAX_DISCLOSURES = 512
_RESERVED = ("_sd", "...")


@dataclass(frozen=True)
class Disclosure:
    text: str
    salt: str
    name: str | None   # None: an array element
    value: Any


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT as serialized (§4): the issuer-signed JWT, disclosures, optional KB-JWT."""

    jws: Jws
    disclosures: tuple[str, ...]
    kb: Jws | None

    @property
    def without_kb(self) -> str:
        """`<JWT>~<D.1>~...~<D.N>~`: what a KB-JWT's sd_hash covers (§4.3.1)."""
        return "~".join((self.jws.token, *self.disclosures)) + "~"


@dataclass(frozen=True)
class Processed:
    payload: dict[str, Any]
    disclosed: tuple[str, ...]   # JSON pointers (into the processed payload) of disclosed claims


def parse_sd_jwt(text: Any, *, path: str = "") -> SdJwt:
    """§4: split at `~`; the last part is empty or a KB-JWT. PARSING_ERROR if malformed."""
    if not isinstance(text, str) or "~" not in text:
        raise ParsingError("an SD-JWT is <JWT>~<disclosures>~[<KB-JWT>]", path=path, title="Malformed SD-JWT")
    parts = text.strip().split("~")
    if len(parts) - 2 > MAX_DISCLOSURES:
        raise ParsingError(f"more than {MAX_DISCLOSURES} disclosures", path=path, title="Malformed SD-JWT")
    if any(not p for p in parts[1:-1]):
        raise ParsingError("an empty disclosure", path=path, title="Malformed SD-JWT")
    kb = parse_compact(parts[-1], path=path + "/kb") if parts[-1] else None
    return SdJwt(parse_compact(parts[0], path=path), tuple(parts[1:-1]), kb)


def digest_of(disclosure: str, alg: str = "sha-256") -> str:
    """§4.2.3: base64url of the hash of the disclosure's ASCII text."""
    return b64url_encode(HASHES[alg](disclosure.encode("ascii")).digest())


def decode_disclosure(text: str, *, path: str) -> Disclosure:
    """§4.2.1/§4.2.2: base64url JSON array [salt, name, value] (object property) or [salt, value]."""
    try:
        item = parse_json(b64url_decode(text, path=path), max_depth=32)
    except VCError as exc:
        raise DisclosureError(f"not a disclosure: {exc.detail}", path=path) from exc
    if not isinstance(item, list) or len(item) not in (2, 3) or not isinstance(item[0], str):
        raise DisclosureError("a disclosure is [salt, name, value] or [salt, value]", path=path)
    if len(item) == 3:
        if not isinstance(item[1], str) or item[1] in _RESERVED:
            raise DisclosureError(f"invalid claim name {item[1]!r}", path=path)
        return Disclosure(text, item[0], item[1], item[2])
    return Disclosure(text, item[0], None, item[1])


def process(payload: dict[str, Any], disclosures: tuple[str, ...], *, path: str = "") -> Processed:
    """§7.1 steps 3-5: replace digests by their disclosed claims; refuse anything unaccounted for."""
    alg = payload.get("_sd_alg", "sha-256")
    if alg not in HASHES:
        raise DisclosureError(f"unsupported _sd_alg {alg!r}", path="/payload/_sd_alg")
    by_digest: dict[str, tuple[int, Disclosure]] = {}
    for i, text in enumerate(disclosures):
        d = decode_disclosure(text, path=f"{path}/disclosures/{i}")
        digest = digest_of(text, alg)
        if digest in by_digest:
            raise DisclosureError("the same disclosure is given twice", path=f"{path}/disclosures/{i}")
        by_digest[digest] = (i, d)
    used: set[str] = set()
    disclosed: list[str] = []

    def take(digest: Any, where: str) -> tuple[int, Disclosure] | None:
        if not isinstance(digest, str):
            raise DisclosureError("a digest must be a string", path=where)
        if digest in used:
            raise DisclosureError("a digest appears more than once", path=where)
        used.add(digest)
        return by_digest.get(digest)

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, dict):
            out = {k: walk(v, f"{where}/{_escape(k)}") for k, v in value.items() if k != "_sd"}
            digests = value.get("_sd", [])
            if not isinstance(digests, list):
                raise DisclosureError("_sd must be an array", path=f"{where}/_sd")
            for digest in digests:
                found = take(digest, f"{where}/_sd")
                if found is None:
                    continue  # a decoy, or a claim the holder did not disclose
                i, d = found
                if d.name is None:
                    raise DisclosureError("an array-element disclosure referenced from an object",
                                          path=f"{path}/disclosures/{i}")
                if d.name in out:
                    raise DisclosureError(f"claim {d.name!r} is both disclosed and plain",
                                          path=f"{path}/disclosures/{i}")
                out[d.name] = walk(d.value, f"{where}/{_escape(d.name)}")
                disclosed.append(f"{where}/{_escape(d.name)}")
            return out
        if isinstance(value, list):
            items = []
            for element in value:
                if isinstance(element, dict) and "..." in element:
                    if len(element) != 1:
                        raise DisclosureError("an array digest object has only '...'", path=where)
                    found = take(element["..."], f"{where}/{len(items)}")
                    if found is None:
                        continue
                    i, d = found
                    if d.name is not None:
                        raise DisclosureError("an object-property disclosure referenced from an array",
                                              path=f"{path}/disclosures/{i}")
                    disclosed.append(f"{where}/{len(items)}")
                    items.append(walk(d.value, f"{where}/{len(items)}"))
                else:
                    items.append(walk(element, f"{where}/{len(items)}"))
            return items
        return value

    processed = walk(payload, "")
    processed.pop("_sd_alg", None)
    unused = [i for digest, (i, _d) in by_digest.items() if digest not in used]
    if unused:
        raise DisclosureError("a disclosure whose digest is not in the signed payload",
                              path=f"{path}/disclosures/{unused[0]}")
    return Processed(processed, tuple(disclosed))


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def verify_key_binding(sd: SdJwt, holder: PublicKey, *, now: dt.datetime, nonce: str | None,
                       audience: str | None, max_age: dt.timedelta = dt.timedelta(minutes=10),
                       path: str = "/kb") -> dict[str, Any]:
    """§7.3: the KB-JWT is signed by the holder's key, is fresh, names the expected nonce and
    audience, and its sd_hash covers exactly the SD-JWT and the disclosures presented."""
    if sd.kb is None:
        raise KeyBindingError("no key binding JWT was presented", path=path)
    if sd.kb.header.get("typ") != KB_TYP:
        raise KeyBindingError(f"the KB-JWT's typ must be {KB_TYP}", path=path + "/header/typ")
    try:
        verify_signature(sd.kb, holder, path=path)
    except VCError as exc:
        raise KeyBindingError(f"not signed by the holder's key: {exc.detail}", path=exc.path) from exc
    claims = sd.kb.claims(path=path + "/payload")
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)) or not 0 <= iat < 253402300800:
        raise KeyBindingError("the KB-JWT has no valid iat", path=path + "/payload/iat")
    issued = dt.datetime.fromtimestamp(iat, dt.timezone.utc)
    if issued > now + LEEWAY or now - issued > max_age:
        raise KeyBindingError(f"the KB-JWT was made at {issued.isoformat()}, not within {max_age} of now",
                              path=path + "/payload/iat")
    for name, expected in (("nonce", nonce), ("aud", audience)):
        if not isinstance(claims.get(name), str) or (expected is not None and claims[name] != expected):
            raise KeyBindingError(f"the KB-JWT's {name} is not the expected one", path=f"{path}/payload/{name}")
    alg = sd.jws.claims().get("_sd_alg", "sha-256")
    expected_hash = b64url_encode(HASHES.get(alg, hashlib.sha256)(sd.without_kb.encode("ascii")).digest())
    if claims.get("sd_hash") != expected_hash:
        raise KeyBindingError("sd_hash does not cover the presented SD-JWT and disclosures",
                              path=path + "/payload/sd_hash")
    return claims


# issuer and holder


def make_disclosure(name: str | None, value: Any, *, random: Callable[[int], bytes] = os.urandom) -> Disclosure:
    """§4.2.1: a disclosure with a 128-bit random salt (name None for an array element)."""
    salt = b64url_encode(random(16))
    item = [salt, value] if name is None else [salt, name, value]
    text = b64url_encode(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return Disclosure(text, salt, name, value)


def conceal(claims: dict[str, Any], names: tuple[str, ...] | list[str], *,
            random: Callable[[int], bytes] = os.urandom) -> tuple[dict[str, Any], list[Disclosure]]:
    """The object with `names` replaced by digests in `_sd` (sorted, §4.2.4.1), and their disclosures."""
    out = {k: v for k, v in claims.items() if k not in names}
    made = [make_disclosure(n, claims[n], random=random) for n in names if n in claims]
    if made:
        out["_sd"] = sorted(digest_of(d.text) for d in made)
    return out, made


def issue(header: dict[str, Any], payload: dict[str, Any], disclosures: list[Disclosure], key: Any) -> str:
    """§4: sign the payload (with `_sd_alg`) and append every disclosure."""
    token = sign_compact(header, {**payload, "_sd_alg": "sha-256"}, key)
    return "~".join((token, *(d.text for d in disclosures))) + "~"


def select(text: str, keep: Callable[[Disclosure], bool]) -> str:
    """The holder's choice (§4): the SD-JWT with only the disclosures `keep` accepts, no KB-JWT yet."""
    sd = parse_sd_jwt(text)
    kept = [d for i, d in enumerate(sd.disclosures) if keep(decode_disclosure(d, path=f"/disclosures/{i}"))]
    return "~".join((sd.jws.token, *kept)) + "~"


def add_key_binding(sd_jwt: str, key: Any, *, alg: str, nonce: str, audience: str, iat: int) -> str:
    """§4.3: the holder's KB-JWT over the chosen presentation (`sd_jwt` ends with `~`)."""
    alg_name = parse_sd_jwt(sd_jwt).jws.claims().get("_sd_alg", "sha-256")
    sd_hash = b64url_encode(HASHES[alg_name](sd_jwt.encode("ascii")).digest())
    kb = sign_compact({"typ": KB_TYP, "alg": alg}, {"iat": iat, "aud": audience, "nonce": nonce,
                                                    "sd_hash": sd_hash}, key)
    return sd_jwt + kb
