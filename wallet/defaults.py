"""Defaults chosen at the edges (CLI, app factory): clock, network transport, verifier."""

from __future__ import annotations

import os

from vccore import Canonicalizer, Clock, DidResolver, SystemClock, Verifier
from vccore.josekeys import JoseKeys
from vccore.statuscheck import StatusChecker
from vccore.tokenstatus import TokenStatusChecker
from vccore.transport import HttpTransport, NoNetwork, Transport

__all__ = ["allow_private_network", "build_verifier", "default_transport", "online"]


def allow_private_network() -> bool:
    return os.environ.get("VC_ALLOW_PRIVATE_NETWORK") == "1"


def online() -> bool:
    """Status lists and did:web are fetched only when the learner turns it on (WALLET_ONLINE=1 or
    `--online`): nothing reaches the network unless configured. Redeeming an offer link is itself
    the learner's request to contact that issuer."""
    return os.environ.get("WALLET_ONLINE") == "1"


def default_transport(enabled: bool | None = None) -> Transport:
    if not (online() if enabled is None else enabled):
        return NoNetwork()
    return HttpTransport(allow_private=allow_private_network())


def build_verifier(*, canon: Canonicalizer, clock: Clock | None = None,
                   transport: Transport | None = None) -> Verifier:
    """A verifier for incoming credentials that also checks their status lists via `transport`."""
    clock = clock or SystemClock()
    transport = transport if transport is not None else default_transport()
    resolver = DidResolver(transport=transport)
    jose = JoseKeys(resolver=resolver, transport=transport)  # JOSE credentials (docs/jose-formats.md)
    lists = Verifier(canon=canon, resolver=resolver, clock=clock, jose=jose)
    return Verifier(canon=canon, resolver=resolver, clock=clock, jose=jose,
                    status=StatusChecker(transport=transport, list_verifier=lists, clock=lists.clock),
                    token_status=TokenStatusChecker(keys=jose, transport=transport, clock=clock))
