"""W3C VC API issuer endpoint: POST /credentials/issue (contract in ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from vccore.errors import MalformedValueError, ParsingError, VCError
from vccore.jsondoc import parse_json
from vccore.problems import problem_document

from .signing import CredentialSigner

bp = Blueprint("vcapi", __name__)


def problem(error: VCError, status: int):
    response = jsonify(problem_document(error, status))
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def read_json_body() -> Any:
    """The request body as JSON, with the size and depth limits of untrusted input."""
    return parse_json(request.get_data(cache=False))


@bp.post("/credentials/issue")
def issue():
    signer: CredentialSigner = current_app.extensions["credential_signer"]
    try:
        body = read_json_body()
        if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
            raise MalformedValueError("the body must be {credential, options}", path="/credential",
                                      title="No credential in the request")
        options = body.get("options") if isinstance(body.get("options"), dict) else {}
        suite = options.get("cryptosuite", "eddsa-rdfc-2022")
        signed = signer.sign(body["credential"], suite=suite if isinstance(suite, str) else "")
    except ParsingError as exc:
        return problem(exc, 400)
    except VCError as exc:
        return problem(exc, 400 if exc.code in ("MALFORMED_VALUE_ERROR",) else 422)
    return jsonify({"verifiableCredential": signed}), 201
