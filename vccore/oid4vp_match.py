"""What a DCQL query reads of a credential (vccore.dcql.Held): the JSON its proof covers, and its types.

OpenID4VP 1.0 §B.1.1 compares `type_values` with the *fully expanded* types (IRIs after applying the
`@context`). We expand the type terms of a credential with its own contexts, through the context
loader over contexts/ (never the network). A credential whose contexts are not all known (SURF's
educredential context is not valid JSON-LD) keeps only its types as written. Leniently, the types as
written also count: eduWallet's verifier asks for `[["VerifiableCredential", "OpenBadgeCredential"]]`,
which a strict reading would match only against undefined types (docs/oid4vp-profile.md).
"""

from __future__ import annotations

from typing import Any, Callable

from pyld import jsonld

from .dcql import SD_JWT_FORMATS, Held

__all__ = ["held", "w3c_types"]


def w3c_types(document: dict[str, Any], loader: Callable[..., Any] | None) -> frozenset[str]:
    types = document.get("type")
    written = {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
    if loader is None or not written or "@context" not in document:
        return frozenset(written)
    try:
        expanded = jsonld.expand({"@context": document["@context"], "@type": sorted(written)},
                                 {"documentLoader": loader})
    except Exception:  # noqa: BLE001 - an unknown or invalid context: the written terms only
        return frozenset(written)
    iris = {t for node in expanded for t in node.get("@type", []) if isinstance(t, str)}
    return frozenset(written | iris)


def held(fmt: str, body: dict[str, Any], loader: Callable[..., Any] | None) -> Held:
    """The Held of a verified (or stored) credential in format `fmt` (ldp_vc, jwt_vc_json, dc+sd-jwt...)."""
    if fmt in SD_JWT_FORMATS:
        vct = body.get("vct")
        return Held(fmt, body, w3c_types(body, loader), vct if isinstance(vct, str) else None)
    return Held(fmt, body, w3c_types(body, loader))
