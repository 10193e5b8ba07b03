"""Interop run against eduWallet's veramo-agent rebuilt as a loopback peer (developer machine only:
it needs the peer of ../shared/peers/veramo running on 127.0.0.1:5000; see docs/interop.md).

Our wallet redeems the agent's offers (without and with a tx_code), stores what it issued, presents
it as a QR presentation, and our verifier verifies both the credential and the presentation.
Prints a JSON summary; `--save DIR` writes the issued credentials (test vectors).

    .venv/bin/python scripts/interop_veramo.py [--save tests/vectors/veramo-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer, SystemClock, Verifier  # noqa: E402
from vccore.jose import parse_compact  # noqa: E402
from vccore.transport import HttpTransport  # noqa: E402
from verifier.service import VerifierService  # noqa: E402
from wallet.holder import Wallet  # noqa: E402
from wallet.oid4vci import parse_offer, redeem_offer  # noqa: E402

ADMIN = "http://127.0.0.1:5000/peer/api/create-offer"
OFFER_BODY = {
    "credentials": ["OpenBadgeCredential"],
    "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "generate",
                                                                         "tx_code": False}},
    "credentialDataSupplierInput": {"credential": {"validFrom": "2025-01-01T00:00:00Z", "credentialSubject": {
        "achievement": {"id": "https://example.org/achievements/interop-1", "type": ["Achievement"],
                        "name": "Interop peer badge", "description": "Issued by eduwallet veramo-agent on loopback",
                        "criteria": {"narrative": "Redeem an OpenID4VCI offer"}}}}},
    "credentialMetadata": {"enableStatusLists": False},
}


def create_offer(client: HttpTransport, tx_code: bool) -> dict:
    body = json.loads(json.dumps(OFFER_BODY))
    body["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"] = tx_code
    reply = client.request("POST", ADMIN, data=json.dumps(body).encode(),
                           headers={"Authorization": "Bearer peer-issuer-admin-token", "Content-Type": "application/json"})
    return json.loads(reply.body)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--save", metavar="DIR")
    args = parser.parse_args()
    client = HttpTransport(allow_private=True)
    clock, canon = SystemClock(), Canonicalizer()
    verifier = Verifier(canon=canon, clock=clock)
    service = VerifierService(canon=canon, clock=clock)
    runs = []
    with tempfile.TemporaryDirectory() as home:
        wallet = Wallet.create(home, "interop passphrase", verifier=verifier, clock=clock, canon=canon, kdf_n=2 ** 12)
        for with_pin in (False, True):
            offer = create_offer(client, with_pin)
            run = {"tx_code": with_pin, "offer_uri": offer["uri"]}
            try:
                body = redeem_offer(parse_offer(offer["uri"]), key=wallet.profile().key, client=client, clock=clock,
                                    tx_code=offer.get("txCode"))
            except Exception as exc:  # noqa: BLE001 - reported, not raised: this is a field report
                run["error"] = f"{type(exc).__name__}: {exc}"
                runs.append(run)
                continue
            token = parse_compact(body.decode("ascii"))
            result = wallet.import_bytes(body)
            shown = wallet.present([result.stored_id])
            outcome = service.verify_document(shown.document)
            run.update(header=token.header, claims=sorted(token.claims()), stored_exactly=wallet.body(result.stored_id) == body,
                       wallet_verified=result.intake.verified, wallet_problems=sorted(result.intake.report.codes()),
                       credential_verified=verifier.verify(body.decode("ascii")).verified,
                       presentation_verdict=outcome.verdict,
                       presentation_problems=sorted({p.code for p in outcome.report.problems}),
                       qr_frames=len(shown.texts))
            if args.save:
                name = "issued-with-tx-code.jwt" if with_pin else "issued.jwt"
                Path(args.save).mkdir(parents=True, exist_ok=True)
                (Path(args.save) / name).write_bytes(body + b"\n")
            runs.append(run)
    print(json.dumps(runs, indent=2))
    return 0 if all("error" not in r and r["credential_verified"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
