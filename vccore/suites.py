"""Cryptosuites: a tiny object each (name, proof type, how documents are canonicalized).

VC Data Integrity EdDSA Cryptosuites v1.0: eddsa-rdfc-2022 (§3.3) and eddsa-jcs-2022 (§3.4);
Ed25519Signature2020 (W3C CCG draft) for verifying older credentials only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

import rfc8785

from .canon import Canonicalizer
from .errors import ProofTransformationError

__all__ = ["Cryptosuite", "ED25519_2020", "EDDSA_JCS_2022", "EDDSA_RDFC_2022", "SUITES", "jcs"]


def jcs(value: Any) -> bytes:
    """RFC 8785 JSON Canonicalization Scheme.

    rfc8785 (pure Python) is the reference. For documents without the cases where the two could
    differ (non-integer or huge numbers, keys outside the Basic Multilingual Plane, lone
    surrogates), the standard library's C encoder gives the same bytes four times faster:
    sorted keys, no whitespace, UTF-8, the same escapes (tests cross-check both)."""
    try:
        if _plain(value):
            return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False).encode("utf-8")
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError, TypeError, RecursionError) as exc:
        raise ProofTransformationError(f"JCS canonicalization failed: {exc}") from exc


_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
_EXACT = 2 ** 53 - 1  # RFC 8785 (I-JSON) integers


def _plain(value: Any) -> bool:
    """No float, no integer beyond ±2^53, no non-BMP key (UTF-16 and code-point order agree),
    no lone surrogate: the cases where json.dumps and RFC 8785 are the same."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return False
        elif isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str) or _NON_BMP.search(key) or _SURROGATE.search(key):
                    return False
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if abs(node) > _EXACT:
                return False
        else:
            return False
    return True


@dataclass(frozen=True)
class Cryptosuite:
    name: str            # the `cryptosuite` value, or the proof type for legacy suites
    proof_type: str      # the proof's `type`
    rdf: bool            # RDFC-1.0 (True) or JCS (False)
    can_sign: bool = True
    proof_config_context: bool = False  # jcs: the proof carries the document's @context

    def canonicalize(self, document: dict[str, Any], canon: Canonicalizer) -> bytes:
        if self.rdf:
            return canon.canonicalize(document).encode("utf-8")
        return jcs(document)

    def matches(self, proof: dict[str, Any]) -> bool:
        if self.proof_type == "DataIntegrityProof":
            return proof.get("type") == "DataIntegrityProof" and proof.get("cryptosuite") == self.name
        return proof.get("type") == self.proof_type


EDDSA_RDFC_2022 = Cryptosuite("eddsa-rdfc-2022", "DataIntegrityProof", rdf=True)
EDDSA_JCS_2022 = Cryptosuite("eddsa-jcs-2022", "DataIntegrityProof", rdf=False, proof_config_context=True)
ED25519_2020 = Cryptosuite("Ed25519Signature2020", "Ed25519Signature2020", rdf=True, can_sign=False)

SUITES: dict[str, Cryptosuite] = {s.name: s for s in (EDDSA_RDFC_2022, EDDSA_JCS_2022, ED25519_2020)}

SuiteLookup = Callable[[dict[str, Any]], "Cryptosuite | None"]
