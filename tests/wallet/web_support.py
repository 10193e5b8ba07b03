"""Helpers for the wallet web tests: CSRF tokens from pages, unlocking, a client's session."""

from __future__ import annotations

import re

from wallet.web import create_app
from wallet.web.session import Unlocked
from wallet.web.views import COOKIE

from .conftest import PASS, TEST_KDF_N


def make_app(home, canon, clock, transport, **config):
    return create_app({"WALLET_HOME": home, "CANONICALIZER": canon, "CLOCK": clock, "TRANSPORT": transport,
                       "KDF_N": TEST_KDF_N, "TESTING": True, **config})


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def unlock(client, passphrase: str = PASS, **kwargs):
    token = csrf(client.get("/unlock", **kwargs).get_data(as_text=True))
    return client.post("/unlock", data={"passphrase": passphrase, "csrf": token}, **kwargs)


def session_of(app, client) -> Unlocked:
    """The server-side session the client's cookie names (fails if it has none)."""
    cookie = client.get_cookie(COOKIE)
    found = app.extensions["wallet"].sessions.get(cookie.value if cookie else None)
    assert found is not None, "the client has no unlocked session"
    return found
