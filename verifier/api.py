"""W3C VC API verifier endpoints: POST /credentials/verify and /presentations/verify."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from vccore import Verifier
from vccore.errors import MalformedValueError, ParsingError, VCError
from vccore.jsondoc import parse_json
from vccore.problems import problem_document, report_response

bp = Blueprint("vcapi", __name__)


def problem(error: VCError, status: int):
    response = jsonify(problem_document(error, status))
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _body(member: str) -> tuple[Any, dict[str, Any]]:
    body = parse_json(request.get_data(cache=False))
    if not isinstance(body, dict) or not isinstance(body.get(member), dict):
        raise MalformedValueError(f"the body must be {{{member}, options}}", path=f"/{member}",
                                  title=f"No {member} in the request")
    options = body.get("options")
    return body[member], options if isinstance(options, dict) else {}


def _answer(report) -> Any:  # noqa: ANN001
    return jsonify(report_response(report)), 200 if report.verified else 400


@bp.post("/credentials/verify")
def verify_credential():
    verifier: Verifier = current_app.extensions["vc_verifier"]
    try:
        credential, _options = _body("verifiableCredential")
    except (ParsingError, MalformedValueError) as exc:
        return problem(exc, 400)
    return _answer(verifier.verify_credential(credential))


@bp.post("/presentations/verify")
def verify_presentation():
    verifier: Verifier = current_app.extensions["vc_verifier"]
    try:
        presentation, options = _body("verifiablePresentation")
    except (ParsingError, MalformedValueError) as exc:
        return problem(exc, 400)
    challenge = options.get("challenge") if isinstance(options.get("challenge"), str) else None
    domain = options.get("domain") if isinstance(options.get("domain"), str) else None
    return _answer(verifier.verify_presentation(presentation, challenge=challenge, domain=domain))
