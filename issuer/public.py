"""Public endpoints of the issuer: status list credentials and the did:web DID document.

Blueprint 'public'; the app factory registers it and puts an IssuerService at
app.extensions['issuer_service']. Status lists are served with ETag and Cache-Control so
verifiers and caches can revalidate cheaply (Bitstring Status List v1.0 §5.4 on caching), as
`application/vc` or, when the client asks for it, a JSON media type (content negotiation).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, request

from vccore.errors import VCError
from vccore.problems import problem_document

from .errors import StatusListNotFound
from .status import etag

__all__ = ["CACHE_SECONDS", "STATUS_LIST_TYPES", "bp", "problem", "request_base_url"]

bp = Blueprint("public", __name__)
CACHE_SECONDS = 300
# Media types a status list credential is served as, chosen by the request's Accept (RFC 9110 §12.5.1):
# VC DM 2.0 §6.3's application/vc by default (also for */* and no Accept), the older JSON-LD names and
# plain JSON for clients that read only JSON media types (as the W3C test suites' document loaders do).
STATUS_LIST_TYPES = ("application/vc", "application/vc+ld+json", "application/ld+json", "application/json")
_LIST_ID = re.compile(r"^[0-9]{1,9}$")


def problem(error: VCError, status: int) -> Response:
    response = jsonify(problem_document(error, status))
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def request_base_url() -> str:
    """This request's base URL (behind a trusted proxy, the app's ProxyFix has set host and scheme)."""
    return request.host_url.rstrip("/") + request.script_root


@bp.get("/status/<list_id>")
def status_list(list_id: str) -> Response:
    service = current_app.extensions["issuer_service"]
    if not _LIST_ID.match(list_id):
        return problem(StatusListNotFound("no such status list"), 404)
    try:
        body = service.status_list_bytes(list_id, base_url=request_base_url())
    except StatusListNotFound as exc:
        return problem(exc, 404)
    media_type = request.accept_mimetypes.best_match(STATUS_LIST_TYPES, default=None) or STATUS_LIST_TYPES[0]
    # one entity tag per representation (RFC 9110 §8.8.3), so a cache never mixes up the media types
    tag = etag(body) if media_type == STATUS_LIST_TYPES[0] else etag(media_type.encode() + b"\n" + body)
    # no-cache: a cache may keep the list but must revalidate it (a 304 by ETag) before every use,
    # so a revocation is seen at once (Bitstring Status List §3.4 leaves freshness to the issuer)
    headers = {"ETag": tag, "Cache-Control": "public, no-cache", "Vary": "Accept",
               "Access-Control-Allow-Origin": "*"}
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=304, headers=headers)
    return Response(body, status=200, content_type=media_type, headers=headers)


@bp.get("/.well-known/did.json")
def did_document() -> Response:
    document = current_app.extensions["issuer_service"].did_document()
    if document is None:
        return problem(VCError("this issuer uses did:key, which needs no DID document",
                               title="No DID document"), 404)
    response = jsonify(document)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.mimetype = "application/did+json"
    return response
