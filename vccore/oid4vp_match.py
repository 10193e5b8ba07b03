"""What a DCQL query reads of a credential (vccore.dcql.Held): the JSON its proof covers, and its types.

OpenID4VP 1.0 §B.1.1 compares `type_values` with the *fully expanded* types (IRIs after applying the
`@context`). We expand the type terms of a credential with its own contexts, through the context
loader over contexts/ (never the network). A credential whose contexts are not all known (SURF's
educredential context is not valid JSON-LD) keeps only its types as written. Leniently, the types as
written also count: eduWallet's verifier asks for `[["VerifiableCredential", "OpenBadgeCredential"]]`,
which a strict reading would match only against undefined types (docs/oid4vp-profile.md).

`formats_fit` applies the verifier's `vp_formats_supported` (Appendix B): where it names algorithms,
proof types or cryptosuites for a format, the presented credential and the presentation MUST use one
of them, so a wallet does not offer a credential the verifier said it cannot check.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from pyld import jsonld

from .dcql import SD_JWT_FORMATS, Held

__all__ = ["formats_fit", "held", "proofs_of", "w3c_types"]


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


def _one_of(values: Any, value: str | None) -> bool:
    """An absent or malformed list restricts nothing; `EdDSA` over our Ed25519 keys is the fully
    specified `Ed25519` (RFC 9864) that §B.3.4's SD-JWT lists name."""
    if not isinstance(values, list) or not values:
        return True
    return value in values or (value == "EdDSA" and "Ed25519" in values) or (value == "Ed25519" and "EdDSA" in values)


def proofs_of(document: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(type, cryptosuite) of each Data Integrity proof of a JSON credential."""
    proofs = document.get("proof")
    items = proofs if isinstance(proofs, list) else [proofs]
    return [(p.get("type"), p.get("cryptosuite")) for p in items if isinstance(p, dict)]


def formats_fit(vp_formats: Any, fmt: str, *, credential_alg: str | None = None, presentation_alg: str | None = None,
                credential_proofs: Sequence[tuple[str | None, str | None]] = (),
                presentation_proof: tuple[str | None, str | None] = (None, None)) -> bool:
    """Whether a credential of format `fmt`, signed with `credential_alg` (JOSE) or carrying
    `credential_proofs` (Data Integrity), presented with `presentation_alg` (JWT VP, KB-JWT) or
    `presentation_proof`, is what the verifier's metadata accepts: jwt_vc_json `alg_values` (both, §B.1.3.1.3),
    ldp_vc `proof_type_values` / `cryptosuite_values` (both, §B.1.3.2.3), SD-JWT `sd-jwt_alg_values` (the
    issuer's) and `kb-jwt_alg_values` (the KB-JWT's, §B.3.4). A format the metadata does not list is
    not restricted here (the DCQL query asked for it)."""
    params = vp_formats.get(fmt) if isinstance(vp_formats, dict) else None
    if not isinstance(params, dict):
        return True
    if fmt in SD_JWT_FORMATS:
        return _one_of(params.get("sd-jwt_alg_values"), credential_alg) and \
            _one_of(params.get("kb-jwt_alg_values"), presentation_alg)
    if fmt == "ldp_vc":
        def fits(proof: tuple[str | None, str | None]) -> bool:
            return _one_of(params.get("proof_type_values"), proof[0]) and \
                (proof[1] is None or _one_of(params.get("cryptosuite_values"), proof[1]))
        return any(fits(p) for p in credential_proofs) and fits(presentation_proof)
    return _one_of(params.get("alg_values"), credential_alg) and _one_of(params.get("alg_values"), presentation_alg)
