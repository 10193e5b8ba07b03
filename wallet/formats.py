"""Credentials the wallet keeps in other formats than Data Integrity JSON: JOSE-secured ones
(jwt_vc_json, vc+jwt, SD-JWT VC), stored as the compact text the issuer sent. Reading one means
verifying its signature again (offline, no status lists): what a screen shows is what it signs."""

from __future__ import annotations

import json
import os
from typing import Any, Callable

from vccore import Clock, KeyPair, Verifier
from vccore.errors import MalformedValueError
from vccore.joseverify import envelope, is_jose_text, verify_jose
from vccore.report import VerificationReport
from vccore.sdjwt import add_key_binding, decode_disclosure, parse_sd_jwt, select

from .holderkeys import holder_keys

__all__ = ["HIDEABLE", "disclosable", "is_jose", "presentable", "signed_body"]

# What a holder may leave out of an SD-JWT VC presentation of a microcredential (the grade).
HIDEABLE = ("result",)


def is_jose(body: bytes) -> bool:
    return is_jose_text(body.strip()) if not body.lstrip().startswith(b"{") else False


def signed_body(body: bytes, verifier: Verifier) -> tuple[str, dict[str, Any]]:
    """(format, the JSON its signature covers); raises if the signature no longer verifies."""
    if not is_jose(body):
        return "ldp_vc", json.loads(body)
    report = VerificationReport()
    result = verify_jose(body.decode("ascii"), keys=verifier.jose, now=verifier.clock.now(), report=report)
    if result is None:
        raise MalformedValueError("the stored credential's signature does not verify", title="Damaged credential")
    return result.format, result.body


def disclosable(body: bytes) -> list[str]:
    """The credentialSubject members of an SD-JWT VC that the holder can hide when presenting."""
    if not is_jose(body) or b"~" not in body:
        return []
    sd = parse_sd_jwt(body.decode("ascii"))
    names = [decode_disclosure(d, path="").name for d in sd.disclosures]
    return [n for n in HIDEABLE if n in names]


def presentable(body: bytes, *, verifier: Verifier, key: KeyPair, clock: Clock, hide: tuple[str, ...] = (),
                nonce: str | None = None, audience: str | None = None,
                random: Callable[[int], bytes] = os.urandom) -> dict[str, Any]:
    """What goes into a presentation: the JSON credential as stored, or an enveloped JOSE credential
    (VC DM 2.0 §4.13.1). An SD-JWT VC leaves out the `hide` members and gets a KB-JWT with the
    holder's key in cnf, bound to the verifier's challenge (nonce) and domain (audience)."""
    if not is_jose(body):
        return json.loads(body)
    fmt, signed = signed_body(body, verifier)
    text = body.decode("ascii").strip()
    if "~" not in text:
        return envelope(text, fmt)
    chosen = select(text, lambda d: d.name not in hide)
    cnf = (signed.get("cnf") or {}).get("jwk")
    holder = next((h for h in holder_keys(key) if h.public_jwk == cnf), None) if cnf else None
    if holder is not None:
        from vccore.jose import b64url_encode
        chosen = add_key_binding(chosen, holder.signing, alg=holder.alg, nonce=nonce or b64url_encode(random(16)),
                                 audience=audience or key.controller, iat=int(clock.now().timestamp()))
    return envelope(chosen, fmt)
