"""OpenID4VP interop run against eduWallet's veramo-verifier rebuilt as a loopback peer (developer
machine only: the peer of ../shared/peers/veramo must run, the agent on 127.0.0.1:5000 and the
verifier on 127.0.0.1:5001; see docs/interop.md, "OpenID4VP").

The agent issues a jwt_vc_json credential to our wallet (OpenID4VCI, as scripts/interop_veramo.py);
then for each verifier instance and request kind (a configured presentation, an ad-hoc DCQL query)
the verifier's admin API makes a request, our wallet (the library, then `mc-wallet answer`) fetches
it, matches and posts the vp_token, and the verifier's check-offer API says what it made of it.
`--diagnose` also posts a JWT VP whose `aud` is the bare DID the peer compares with (not what our
wallet sends: OpenID4VP 1.0 §B.1.3.1.5 and §5.9.1 want the full Client Identifier).
`--save DIR` writes what was exchanged (tests/vectors/veramo-verifier).

    VC_ALLOW_PRIVATE_NETWORK=1 .venv/bin/python scripts/interop_veramo_vp.py [--diagnose] [--save DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from interop_veramo import create_offer  # noqa: E402
from vccore import Canonicalizer, KeyPair, SystemClock, Verifier, format_datetime  # noqa: E402
from vccore.jose import parse_compact  # noqa: E402

from vccore.jwtvp import sign_jwt_vp  # noqa: E402
from vccore.oid4vp import encode_vp_token  # noqa: E402
from vccore.transport import HttpTransport  # noqa: E402
from wallet.holder import Wallet  # noqa: E402
from wallet.holderkeys import holder_keys  # noqa: E402
from wallet.oid4vci import parse_offer, redeem_offer  # noqa: E402
from wallet.oid4vp import answer, fetch_request, matches, options  # noqa: E402

VERIFIER = "http://127.0.0.1:5001"
TOKEN = "peer-admin-token"
HOLDER_SEED = bytes.fromhex("48" * 32)   # a published test key: the saved vectors need the holder's key
PASSPHRASE = "interop passphrase"
AD_HOC_DCQL = {"credentials": [{"id": "OBC", "format": "jwt_vc_json",
                                "meta": {"type_values": [["VerifiableCredential", "OpenBadgeCredential"]]},
                                "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]}
# messages of the peer's check-offer result that say what it found, not that something is wrong
INFORMATIONAL = {"VCDM1.1", "VCDM2"}


class Recorder:
    """The transport, keeping every exchange (the saved vectors are exactly what went over the wire)."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner, self.log = inner, []

    def request(self, method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
        response = self.inner.request(method, url, data=data, headers=headers)
        self.log.append({"method": method, "url": url, "sent": data, "status": response.status,
                         "headers": response.headers, "body": response.body})
        return response


def admin(client: HttpTransport, instance: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    reply = client.request("POST" if body is not None else "GET", f"{VERIFIER}/{instance}{path}", data=data,
                           headers=headers)
    if reply.status != 200:
        raise RuntimeError(f"{instance}{path}: HTTP {reply.status} {reply.body[:200]!r}")
    return json.loads(reply.body)


def new_request(client: HttpTransport, instance: str, kind: str) -> dict[str, Any]:
    if kind == "dcql":
        return admin(client, instance, "/api/create-dcql-offer", {"dcql": AD_HOC_DCQL})
    return admin(client, instance, f"/api/create-offer/{kind}", {})


def outcome(client: HttpTransport, instance: str, state: str, *, seconds: float = 15.0) -> dict[str, Any]:
    """The peer checks the vp_token after it answered the POST: wait until its session says so."""
    deadline = time.monotonic() + seconds
    while True:
        status = admin(client, instance, f"/api/check-offer/{state}")
        if status["status"] == "RESPONSE_RECEIVED" or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def verdict(status: dict[str, Any]) -> dict[str, Any]:
    messages = (status.get("result") or {}).get("messages") or []
    refusals = [m for m in messages if m.get("code") not in INFORMATIONAL]
    return {"status": status["status"], "accepted": status["status"] == "RESPONSE_RECEIVED" and not refusals,
            "messages": [f"{m.get('code')}: {m.get('message')}" for m in messages],
            "credentials": sorted((status.get("result") or {}).get("credentials") or {})}


def decoded(token: str) -> dict[str, Any]:
    jws = parse_compact(token)
    return {"header": jws.header, "claims": jws.claims()}


def run_library(wallet: Wallet, client: Recorder, instance: str, kind: str) -> dict[str, Any]:
    created = new_request(client.inner, instance, kind)
    run: dict[str, Any] = {"instance": instance, "request": kind, "uri": created["requestUri"], "by": "library"}
    start = len(client.log)
    asked = fetch_request(created["requestUri"], client=client, wallet=wallet, allow_http=True)
    fetched = client.log[start]
    run.update(request_object=fetched["body"].decode("ascii"), content_type=fetched["headers"].get("content-type"),
               fetched_at=int(time.time()), client_id=asked.client_id, signed_by=asked.signed_by)
    found = matches(wallet, asked)
    run["matches"] = {q: [m.cred_id for m in ms] for q, ms in found.items()}
    chosen = [m for option in options(asked, found)[:1] for q in option for m in found[q][:1]]
    if not chosen:
        run["peer"] = {"accepted": False, "status": "not answered: no credential fits the request"}
        return run
    reply = answer(wallet, asked, chosen, client=client)
    posted = client.log[-1]
    form = urllib.parse.parse_qs(posted["sent"].decode())
    run.update(answered=reply, response_status=posted["status"],
               response_body=posted["body"].decode("utf-8", "replace"),
               vp_token=form["vp_token"][0], form_fields=sorted(form))
    run["presentation"] = decoded(json.loads(form["vp_token"][0])[chosen[0].query.id][0])
    run["check_offer"] = outcome(client.inner, instance, created["state"])
    run["peer"] = verdict(run["check_offer"])
    return run


def run_cli(home: str, client: HttpTransport, instance: str, kind: str) -> dict[str, Any]:
    created = new_request(client, instance, kind)
    env = {**os.environ, "WALLET_PASSPHRASE": PASSPHRASE, "VC_ALLOW_PRIVATE_NETWORK": "1", "LANGUAGE": "en"}
    proc = subprocess.run([sys.executable, "-m", "wallet", "--home", home, "answer", created["requestUri"], "--yes"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    run = {"instance": instance, "request": kind, "by": "mc-wallet answer", "exit": proc.returncode,
           "stderr": proc.stderr.strip()[-300:]}
    run["peer"] = verdict(outcome(client, instance, created["state"])) if proc.returncode == 0 else \
        {"accepted": False, "status": "not answered"}
    return run


def run_bare_aud(wallet: Wallet, client: HttpTransport, instance: str) -> dict[str, Any]:
    """Diagnosis only: the same presentation with `aud` = the DID without its prefix."""
    created = new_request(client, instance, "OBC")
    asked = fetch_request(created["requestUri"], client=client, wallet=wallet, allow_http=True)
    record = wallet.records()[0]
    holder = next(h for h in holder_keys(wallet.profile().key) if h.did == wallet.profile().did)
    vp = sign_jwt_vp([wallet.body(record.id).decode("ascii").strip()], key=holder.signing, alg=holder.alg,
                     kid=holder.kid, holder=holder.did, audience=asked.did or "", nonce=asked.nonce,
                     now=wallet.clock.now())
    form = {"vp_token": encode_vp_token({"OBC": [vp]}), "state": asked.state or ""}
    client.request("POST", asked.response_uri, data=urllib.parse.urlencode(form).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    return {"instance": instance, "request": "OBC", "by": "diagnosis: aud = bare DID (not our wallet's answer)",
            "peer": verdict(outcome(client, instance, created["state"]))}


def save(folder: Path, credential: bytes, runs: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "credential.jwt").write_bytes(credential.strip() + b"\n")
    for run in runs:
        if run.get("by") != "library":
            continue
        name = f"{run['instance']}-{run['request']}"
        (folder / f"{name}.uri.txt").write_text(run["uri"] + "\n")
        (folder / f"{name}.request.jwt").write_text(run["request_object"].strip() + "\n")
        claims = decoded(run["request_object"])["claims"]
        (folder / f"{name}.dcql.json").write_text(json.dumps(claims["dcql_query"], indent=2) + "\n")
        if "vp_token" in run:
            kept = {k: run[k] for k in ("fetched_at", "content_type", "form_fields", "response_status",
                                        "response_body", "vp_token", "presentation", "check_offer", "peer")}
            (folder / f"{name}.response.json").write_text(json.dumps(kept, indent=2, ensure_ascii=False) + "\n")
    summary = [{k: v for k, v in r.items() if k not in ("request_object", "vp_token", "presentation", "check_offer")}
               for r in runs]
    (folder / "run.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", default="peer,peereddsa",
                        help="verifier instances (peer: as the recipe configures it; peereddsa: see docs/interop.md)")
    parser.add_argument("--diagnose", action="store_true")
    parser.add_argument("--save", metavar="DIR")
    args = parser.parse_args()
    raw = HttpTransport(allow_private=True)
    client = Recorder(raw)
    clock, canon = SystemClock(), Canonicalizer()
    verifier = Verifier(canon=canon, clock=clock)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as home:
        def first(draft: Wallet) -> None:
            draft.store.add_profile("interop", KeyPair.generate(HOLDER_SEED), format_datetime(clock.now()))
        wallet = Wallet.create(home, PASSPHRASE, verifier=verifier, clock=clock, canon=canon, kdf_n=2 ** 12,
                               first_profile=False, prepare=first)
        offer = create_offer(raw, False)
        credential = redeem_offer(parse_offer(offer["uri"]), key=wallet.profile().key, client=raw, clock=clock)
        wallet.import_bytes(credential)
        for instance in args.instances.split(","):
            for kind in ("OBC", "dcql"):
                try:
                    runs.append(run_library(wallet, client, instance, kind))
                except Exception as exc:  # noqa: BLE001 - a field report: say what failed, go on
                    runs.append({"instance": instance, "request": kind, "by": "library",
                                 "error": f"{type(exc).__name__}: {exc}"})
            if args.diagnose:
                runs.append(run_bare_aud(wallet, raw, instance))
        wallet.close()
        for instance in args.instances.split(","):
            runs.append(run_cli(home, raw, instance, "OBC"))
    if args.save:
        save(Path(args.save), credential, runs)
    shown = [{k: v for k, v in r.items() if k not in ("request_object", "vp_token", "check_offer")} for r in runs]
    print(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
    return 0 if all("error" not in r for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
