"""Test material for the verifier: signed microcredentials with status entries, status lists,
trust lists and presentations, all from fixed seeds and a fixed clock."""

from __future__ import annotations

import copy
import datetime as dt
import json

from vccore import FixedClock, KeyPair, add_proof, create_presentation, sign_presentation
from vccore.statuslist import Bitstring
from vccore.transport import StaticTransport
from vccore.trustlist import TrustEntry, build_trust_list

from ..conftest import HOLDER_SEED, ISSUER_SEED, NOW, load_example

AUTHORITY_SEED = bytes.fromhex("c3" * 32)
STRANGER_SEED = bytes.fromhex("d4" * 32)
REVOCATION_URL = "https://status.hogeschool-voorbeeld.nl/lists/1"
SUSPENSION_URL = "https://status.hogeschool-voorbeeld.nl/lists/2"
REVOKED_INDEX, SUSPENDED_INDEX, CLEAN_INDEX = 7, 9, 42

issuer_key = KeyPair.generate(ISSUER_SEED)
holder_key = KeyPair.generate(HOLDER_SEED)
authority_key = KeyPair.generate(AUTHORITY_SEED)
stranger_key = KeyPair.generate(STRANGER_SEED)


def microcredential(*, index: int = CLEAN_INDEX, issuer: KeyPair = issuer_key, **changes) -> dict:
    vc = load_example()
    vc["issuer"]["id"] = issuer.controller
    vc["credentialSubject"]["id"] = holder_key.controller
    vc["credentialStatus"] = [
        {"id": f"{REVOCATION_URL}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
         "statusListIndex": str(index), "statusListCredential": REVOCATION_URL},
        {"id": f"{SUSPENSION_URL}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "suspension",
         "statusListIndex": str(index), "statusListCredential": SUSPENSION_URL},
    ]
    vc.update(changes)
    return vc


def sign(doc: dict, canon, key: KeyPair = issuer_key, created: str = "2026-06-30T09:00:00Z") -> dict:
    return add_proof(doc, key=key, canon=canon, created=created)


def status_list(canon, url: str, purpose: str, set_bits: tuple[int, ...], key: KeyPair = issuer_key) -> bytes:
    bits = Bitstring()
    for i in set_bits:
        bits.set(i, True)
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
           "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": key.controller,
           "validFrom": "2026-08-01T00:00:00Z",
           "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                                 "statusPurpose": purpose, "encodedList": bits.encode()}}
    return json.dumps(sign(doc, canon, key)).encode()


def status_transport(canon, key: KeyPair = issuer_key) -> StaticTransport:
    return StaticTransport({REVOCATION_URL: status_list(canon, REVOCATION_URL, "revocation", (REVOKED_INDEX,), key),
                            SUSPENSION_URL: status_list(canon, SUSPENSION_URL, "suspension", (SUSPENDED_INDEX,), key)})


def trust_list(canon, *, signer: KeyPair = authority_key, members: tuple[KeyPair, ...] = (issuer_key,),
               valid_until: dt.datetime | None = None, valid_from: dt.datetime | None = None) -> bytes:
    entries = [TrustEntry(did=m.controller, name="Hogeschool Voorbeeld", brin="99XX",
                          accredited_from=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
                          accredited_until=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
                          frameworks=("Kwaliteitskader microcredentials",)) for m in members]
    doc = build_trust_list(authority=signer.controller, authority_name="Stichting Kwaliteitskader",
                           entries=entries, valid_from=valid_from or dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                           valid_until=valid_until, list_id="urn:uuid:11111111-2222-4333-8444-555555555555")
    return json.dumps(sign(doc, canon, signer, created="2026-01-01T00:00:00Z")).encode()


def presentation(vcs: list[dict], canon, *, created: str = NOW, challenge: str | None = None,
                 domain: str | None = None, key: KeyPair = holder_key) -> dict:
    vp = create_presentation([copy.deepcopy(v) for v in vcs], holder=key.controller)
    return sign_presentation(vp, key=key, canon=canon, created=created, challenge=challenge, domain=domain)


def clock() -> FixedClock:
    return FixedClock(NOW)


def qr_image(text: str, *, box: int = 4):
    """A QR code as the wallet renders it: alphanumeric mode, error correction M (Pillow image)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    code.add_data(qrcode.util.QRData(text.encode("ascii"), mode=qrcode.util.MODE_ALPHA_NUM))
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


def photo_12mp(text: str) -> bytes:
    """A 4000x3000 JPEG 'photo': textured background, the code small-ish and slightly rotated."""
    import io
    import random

    from PIL import Image, ImageFilter

    rng = random.Random(7)
    noise = Image.frombytes("L", (400, 300), bytes(rng.randrange(90, 200) for _ in range(400 * 300)))
    photo = noise.resize((4000, 3000), Image.Resampling.BILINEAR).convert("RGB")
    code = qr_image(text, box=12).rotate(4, expand=True, fillcolor=255)
    photo.paste(code.convert("RGB"), (1500, 700))
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=88)
    return out.getvalue()


def forged_name(**issuer_changes) -> dict:
    """The reference microcredential, signed by the trusted key A, claiming another institution."""
    vc = microcredential()
    vc["issuer"]["name"] = issuer_changes.get("name", "Universiteit B")
    vc["issuer"]["otherIdentifier"][0]["identifier"] = issuer_changes.get("brin", "21BB")
    return vc
