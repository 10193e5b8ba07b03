"""W3C VC API issuer endpoint: POST /credentials/issue (contract in docs/architecture.md).

VC 2.0 credentials get a revocation and a suspension BitstringStatusListEntry (IssuerService).
Outside test mode the endpoint needs `Authorization: Bearer <VC_API_TOKEN>`; with no token
configured it is closed (403), never open by accident.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from vccore.errors import MalformedValueError, ParsingError, VCError
from vccore.jsondoc import parse_json

from .public import problem, request_base_url

__all__ = ["bp", "problem"]

bp = Blueprint("vcapi", __name__)


class Unauthorized(VCError):
    code = "UNAUTHORIZED"
    title = "A valid bearer token is required"


def read_json_body() -> Any:
    """The request body as JSON, with the size and depth limits of untrusted input."""
    return parse_json(request.get_data(cache=False))


def _authorized() -> Response | None:
    """None when the caller may issue; else the problem response."""
    token = current_app.config.get("VC_API_TOKEN")
    if not token:
        if current_app.config.get("TESTING"):
            return None
        return problem(Unauthorized("the VC API is closed: no VC_API_TOKEN is configured",
                                    title="VC API not enabled"), 403)
    scheme, _, given = request.headers.get("Authorization", "").strip(" \t").partition(" ")
    # RFC 7235 §2.1 / RFC 6750 §2.1: the auth-scheme is case-insensitive; the token is not. Only
    # HTTP's own whitespace (SP, HTAB) separates: str.strip() would also drop e.g. U+00A0.
    if scheme.lower() == "bearer" and hmac.compare_digest(given.lstrip(" ").encode(), str(token).encode()):
        return None
    response = problem(Unauthorized("missing or wrong bearer token"), 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="vc-api"'
    return response


@bp.post("/credentials/issue")
def issue() -> Any:
    refused = _authorized()
    if refused is not None:
        return refused
    service = current_app.extensions["issuer_service"]
    try:
        body = read_json_body()
        if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
            raise MalformedValueError("the body must be {credential, options}", path="/credential",
                                      title="No credential in the request")
        options = body.get("options") if isinstance(body.get("options"), dict) else {}
        suite = options.get("cryptosuite", "eddsa-rdfc-2022")
        signed = service.issue_vc_api(body["credential"], suite=suite if isinstance(suite, str) else "",
                                      base_url=request_base_url(), options=options)
    except ParsingError as exc:
        return problem(exc, 400)
    except VCError as exc:
        return problem(exc, 400 if exc.code == "MALFORMED_VALUE_ERROR" else 422)
    return jsonify({"verifiableCredential": signed}), 201
