"""vccore.oid4vp_match.formats_fit: the verifier's vp_formats_supported (OpenID4VP 1.0 Appendix B)
decides which credentials a wallet may present, and how it may sign the presentation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vccore.oid4vp_match import formats_fit, proofs_of

SPEC = Path(__file__).resolve().parents[1] / "vectors" / "openid4vp"
PEER = {"jwt_vc_json": {"alg_values": ["ES256"]},                         # eduWallet's verifier
        "dc+sd-jwt": {"sd-jwt_alg_values": ["ES256"], "kb-jwt_alg_values": ["ES256"]}}


@pytest.mark.parametrize(("vc", "vp", "fits"), [
    ("ES256", "ES256", True), ("EdDSA", "ES256", False), ("ES256", "EdDSA", False), ("EdDSA", "EdDSA", False)])
def test_jwt_vc_json_alg_values_bind_the_credential_and_the_presentation(vc, vp, fits):
    """§B.1.3.1.3: 'the alg JOSE header of the presented VC or VP MUST match one of the array values'."""
    assert formats_fit(PEER, "jwt_vc_json", credential_alg=vc, presentation_alg=vp) is fits


@pytest.mark.parametrize(("issuer", "kb", "fits"), [
    ("ES256", "ES256", True), ("EdDSA", "ES256", False), ("ES256", "EdDSA", False)])
def test_sd_jwt_lists_bind_the_issuer_signature_and_the_key_binding(issuer, kb, fits):
    assert formats_fit(PEER, "dc+sd-jwt", credential_alg=issuer, presentation_alg=kb) is fits


def test_the_fully_specified_ed25519_names_an_eddsa_signature_over_ed25519():
    """§B.3.4 lists fully specified algorithms (RFC 9864): Ed25519 is what our EdDSA keys sign with."""
    formats = {"dc+sd-jwt": {"sd-jwt_alg_values": ["Ed25519"], "kb-jwt_alg_values": ["EdDSA"]}}
    assert formats_fit(formats, "dc+sd-jwt", credential_alg="EdDSA", presentation_alg="Ed25519")


@pytest.mark.parametrize("formats", [None, {}, {"ldp_vc": {}}, {"jwt_vc_json": {}},
                                     {"jwt_vc_json": {"alg_values": []}}, {"jwt_vc_json": "ES256"}, ["jwt_vc_json"]])
def test_what_the_metadata_does_not_say_restricts_nothing(formats):
    """Parameters are OPTIONAL; a malformed value names no algorithm (the DCQL query asked for the format)."""
    assert formats_fit(formats, "jwt_vc_json", credential_alg="EdDSA", presentation_alg="EdDSA")


def test_ldp_vc_proof_types_and_cryptosuites_from_the_specs_example():
    """§B.1.3.2.3 with the specification's own example metadata (tests/vectors/openid4vp): it lists
    ECDSA and BBS suites only, so our eddsa-rdfc-2022 credentials and presentations do not fit it;
    Ed25519Signature2020 has no cryptosuite and fits by its proof type."""
    formats = json.loads((SPEC / "client_metadata-w3c_ldp_verifier_metadata.json").read_text())["vp_formats_supported"]
    ours, ecdsa = ("DataIntegrityProof", "eddsa-rdfc-2022"), ("DataIntegrityProof", "ecdsa-rdfc-2019")
    assert formats_fit(formats, "ldp_vc", credential_proofs=[ecdsa], presentation_proof=ecdsa)
    assert formats_fit(formats, "ldp_vc", credential_proofs=[("Ed25519Signature2020", None)], presentation_proof=ecdsa)
    assert not formats_fit(formats, "ldp_vc", credential_proofs=[ours], presentation_proof=ecdsa)
    assert not formats_fit(formats, "ldp_vc", credential_proofs=[ecdsa], presentation_proof=ours)
    assert not formats_fit(formats, "ldp_vc", credential_proofs=[("BbsSignature2020", None)], presentation_proof=ecdsa)


def test_a_credential_with_one_fitting_proof_of_several_fits():
    formats = {"ldp_vc": {"proof_type_values": ["DataIntegrityProof"], "cryptosuite_values": ["eddsa-rdfc-2022"]}}
    doc = {"proof": [{"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"},
                     {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}]}
    assert proofs_of(doc) == [("DataIntegrityProof", "ecdsa-rdfc-2019"), ("DataIntegrityProof", "eddsa-rdfc-2022")]
    assert formats_fit(formats, "ldp_vc", credential_proofs=proofs_of(doc),
                       presentation_proof=("DataIntegrityProof", "eddsa-rdfc-2022"))
    assert not formats_fit(formats, "ldp_vc", credential_proofs=proofs_of({"proof": "x"}),
                           presentation_proof=("DataIntegrityProof", "eddsa-rdfc-2022"))
