"""The wallet side the veramo build lacks: an independent OpenID4VP 1.0 wallet library answers our
verifier's request on loopback, and with `--peer` eduWallet's verifier (developer machine only;
docs/interop.md, "OpenID4VP"; the loopback part is also a CI test, tests/interop/test_owf_wallet.py).

The wallet is the OpenWallet Foundation's `@openid4vc/openid4vp` (with `dcql` and `jose`), driven by
tests/interop/owf_wallet.mjs, the driver of the CI test tests/interop/test_owf_wallet.py; the versions
pinned in tests/interop/package-lock.json are installed by scripts/ensure-interop-node.sh:

    sh scripts/ensure-interop-node.sh
    .venv/bin/python scripts/interop_veramo_wallet.py [--peer] [--save FILE]

Our verifier runs in this process on 127.0.0.1 (a free port), with the test suite's trust list. The
library wallet presents, as jwt_vc_json: (1) a microcredential of an institution on that trust list,
(2) the credential eduWallet's agent issued (tests/vectors/veramo-verifier/credential.jwt). With
`--peer` it also answers the veramo verifier's request (the peer must run, see interop_veramo_vp.py).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from interop_veramo_vp import HOLDER_SEED, TOKEN, VERIFIER, outcome, verdict  # noqa: E402
from tests.verifier import factory  # noqa: E402
from vccore import Canonicalizer, KeyPair, SystemClock  # noqa: E402
from vccore.jose import sign_compact  # noqa: E402
from vccore.josekeys import okp_key  # noqa: E402
from vccore.transport import HttpTransport  # noqa: E402
from verifier.app import create_app  # noqa: E402
from verifier.oid4vp_identity import VerifierIdentity  # noqa: E402
from verifier.service import VerifierService  # noqa: E402
from verifier.trust import TrustStore  # noqa: E402

VECTORS = ROOT / "tests" / "vectors" / "veramo-verifier"
DRIVER = ROOT / "tests" / "interop" / "owf_wallet.mjs"
VERIFIER_SEED = bytes.fromhex("7a" * 32)


def holder() -> dict[str, Any]:
    key = KeyPair.generate(HOLDER_SEED)
    jwk = okp_key(key.private_key).as_dict(private=True)
    return {"jwk": jwk, "did": key.controller, "kid": key.id, "alg": "EdDSA"}


def microcredential_jwt(did: str, clock: SystemClock) -> str:
    """A microcredential of the trust list's institution as a jwt_vc_json, bound to `did`."""
    vc = copy.deepcopy(factory.microcredential())
    vc.pop("credentialStatus", None)
    vc["credentialSubject"]["id"] = did
    now = int(clock.now().timestamp())
    claims = {"iss": factory.issuer_key.controller, "sub": did, "nbf": now - 3600, "vc": vc}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": factory.issuer_key.id}, claims,
                        okp_key(factory.issuer_key.private_key))


class Quiet(WSGIRequestHandler):
    def log_request(self, *args: object) -> None:  # stdout is the run's JSON report
        pass


class Loopback:
    """Our verifier app on 127.0.0.1 (its base URL is known only once the port is)."""

    def __init__(self, canon: Canonicalizer, clock: SystemClock) -> None:
        self.app = None
        self.server = make_server("127.0.0.1", 0, lambda env, start: self.app(env, start), request_handler=Quiet)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
        service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
        service.trust.import_bytes(factory.trust_list(canon))
        self.app = create_app({"VERIFIER_SERVICE": service, "VERIFIER_DOMAIN": self.base,
                               "VERIFIER_NAME": "Werkgever BV (loopback)",
                               "OID4VP_IDENTITY": VerifierIdentity.from_seed(VERIFIER_SEED)})
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Loopback":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()

    def ask(self) -> tuple[str, str]:
        """(the page, its cross-device link), as the verifier page's "ask for a microcredential" makes them."""
        client = self.app.test_client()
        reply = client.post("/ask", data={}, headers={"Origin": self.base}, base_url=self.base)
        page = reply.headers["Location"].split("?")[0]
        html = client.get(page, base_url=self.base).get_data(as_text=True)
        link = re.search(r'id="request-link">([^<]+)<', html).group(1).replace("&amp;", "&")
        return page, link

    def status(self, page: str) -> dict[str, Any]:
        """The page's state and, once answered, the verdict our verifier reached."""
        status = self.app.test_client().get(page + "/status", base_url=self.base).get_json()
        key = (status.get("result") or "").split("/result/")[-1].split("?")[0]
        outcome = self.app.extensions["results"].get(key) if key else None
        if outcome is not None:
            status["verdict"] = outcome.verdict
            status["problems"] = sorted({p.code for p in outcome.report.problems})
        return status


def run_wallet(link: str, token: str) -> dict[str, Any]:
    """The library wallet answers `link` with `token` (at the wall clock: this runs against live peers)."""
    proc = subprocess.run(["node", str(DRIVER)], capture_output=True, text=True, timeout=120,
                          input=json.dumps({"link": link, "credential": {"format": "jwt_vc_json", "token": token},
                                            "holder": holder()}))
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-500:]}
    return json.loads(proc.stdout)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer", action="store_true", help="also answer the running veramo verifier")
    parser.add_argument("--save", metavar="FILE", help="write the report there too (tests/vectors/veramo-verifier)")
    args = parser.parse_args()
    canon, clock = Canonicalizer(), SystemClock()
    did = holder()["did"]
    credentials = {"microcredential": microcredential_jwt(did, clock),
                   "veramo-agent": (VECTORS / "credential.jwt").read_text().strip()}
    runs = []
    with Loopback(canon, clock) as ours:
        for name, token in credentials.items():
            page, link = ours.ask()
            run = {"verifier": "ours", "credential": name, "wallet": run_wallet(link, token)}
            run["our_verifier"] = ours.status(page)
            runs.append(run)
    if args.peer:
        raw = HttpTransport(allow_private=True)
        for instance in ("peer", "peereddsa"):
            reply = raw.request("POST", f"{VERIFIER}/{instance}/api/create-offer/OBC", data=b"{}",
                                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
            created = json.loads(reply.body)
            run = {"verifier": instance, "credential": "veramo-agent",
                   "wallet": run_wallet(created["requestUri"], credentials["veramo-agent"])}
            if run["wallet"].get("submitted"):
                run["peer"] = verdict(outcome(raw, instance, created["state"]))
            runs.append(run)
    report = json.dumps(runs, indent=2, ensure_ascii=False)
    if args.save:
        Path(args.save).write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0 if all("error" not in r["wallet"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
