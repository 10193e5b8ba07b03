"""OpenID4VCI delivery under load: the issuer app on waitress (loopback), N offers made the way
the staff UI makes them, then C concurrent simulated wallets each running the whole
pre-authorized flow (token -> nonce -> credential with an EdDSA JWT proof). Each delivery signs
one credential, allocates its two status entries and stores it.

Run: .venv/bin/python bench/bench_oid4vci.py [wallets] [offers]
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import pathlib
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import jwt  # noqa: E402
from waitress.server import create_server  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from vccore import KeyPair  # noqa: E402
from issuer import oid4vci  # noqa: E402
from issuer.app import create_app  # noqa: E402
from issuer.model import MicrocredentialDefinition, Participant  # noqa: E402
from tests.issuer.test_oid4vci import DEFINITION, INSTITUTION  # noqa: E402

logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def wallet_flow(port: int, issuer: str, code: str, key: KeyPair) -> float:
    """One wallet collecting one credential; returns seconds taken."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    form = urllib.parse.urlencode({"grant_type": oid4vci.GRANT_TYPE, "pre-authorized_code": code})
    conn.request("POST", "/oid4vci/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
    token = json.loads(conn.getresponse().read())["access_token"]
    conn.request("POST", "/oid4vci/nonce", b"")
    nonce = json.loads(conn.getresponse().read())["c_nonce"]
    proof = jwt.encode({"aud": issuer, "iat": int(time.time()), "nonce": nonce}, key.private_key,
                       algorithm="EdDSA", headers={"typ": "openid4vci-proof+jwt", "kid": key.id})
    body = json.dumps({"credential_configuration_id": "MicroCredential", "proofs": {"jwt": [proof]}})
    conn.request("POST", "/oid4vci/credential", body, {"Authorization": f"Bearer {token}",
                                                      "Content-Type": "application/json"})
    reply = conn.getresponse()
    data = reply.read()
    if reply.status != 200 or key.controller not in data.decode():
        raise RuntimeError(f"delivery failed: {reply.status} {data[:200]!r}")
    conn.close()
    return time.perf_counter() - start


def main(wallets: int = 8, offers: int = 400) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATA_DIR": tmp, "KEY": KeyPair.generate(), "INSTITUTION": INSTITUTION,
                          "USERS": {"staff": generate_password_hash("x")}, "SECRET_KEY": "bench"})
        server = create_server(app, host="127.0.0.1", port=0, threads=8)
        port = server.effective_port
        issuer = f"http://127.0.0.1:{port}"
        threading.Thread(target=server.run, daemon=True).start()
        service = app.extensions["issuer_service"]
        definition_id = service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
        pendings = [service.offer(definition_id, Participant(name=f"P{i}", result="7",
                                                             award_date=dt.date(2026, 6, 30)))
                    for i in range(offers)]
        made = oid4vci.create_offers(app.extensions["oid4vci_store"], pendings, credential_issuer=issuer,
                                     now=dt.datetime.now(dt.timezone.utc), ttl=3600)
        codes = [o.code for o in made]
        keys = [KeyPair.generate() for _ in range(wallets)]
        wallet_flow(port, issuer, codes.pop(), keys[0])  # warm-up: the first credential of its shape
        times: list[float] = []
        lock = threading.Lock()

        def worker(key: KeyPair) -> None:
            while True:
                with lock:
                    if not codes:
                        return
                    code = codes.pop()
                took = wallet_flow(port, issuer, code, key)
                with lock:
                    times.append(took)

        start = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(k,)) for k in keys]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start

    times.sort()
    print(f"{len(times)} deliveries by {wallets} concurrent wallets in {wall:.1f} s: "
          f"{len(times) / wall:.0f} credentials/s; flow latency median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
