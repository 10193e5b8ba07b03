"""`python -m verifier serve --workers 2`: gunicorn worker processes sharing challenges and
result pages through the data directory."""

from __future__ import annotations

import http.client
import subprocess
import sys
import urllib.parse

from ..browser_support import free_port, wait_for_port
from ..conftest import ROOT


def test_two_workers_serve_and_share_result_pages(tmp_path, loopback):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--workers", "2", "--port", str(port),
                               "--data-dir", str(tmp_path), "--offline"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        for attempt in range(6):  # several round trips: POST and GET land on either worker
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            form = urllib.parse.urlencode({"text": "MC1D1:not really"})
            conn.request("POST", "/verify", form, {"Content-Type": "application/x-www-form-urlencoded"})
            reply = conn.getresponse()
            reply.read()
            assert reply.status == 303
            location = reply.getheader("Location")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("GET", location)
            page = conn.getresponse()
            body = page.read().decode()
            assert page.status == 200 and "PARSING_ERROR" in body
            conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("POST", "/presentations/verify", b"{", {"Content-Type": "application/json"})
        reply = conn.getresponse()
        assert reply.status == 400 and b"PARSING_ERROR" in reply.read()
    finally:
        server.terminate()
        server.wait(10)


def test_workers_need_a_data_dir():
    out = subprocess.run([sys.executable, "-m", "verifier", "serve", "--workers", "2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--data-dir" in out.stderr
