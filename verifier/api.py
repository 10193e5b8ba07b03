"""W3C VC API verifier endpoints: POST /credentials/verify and /presentations/verify.

Responses keep the VC API shape `{verified, checks, warnings, errors}` (+ `report`), 200 when
verified, 400 otherwise; the checks include this verifier's policy, trust list and status checks.
As VC DM 2.0 has it, a presentation whose holder is not a credential's subject verifies here, with a
`holder-binding` check and a HOLDER_BINDING_ERROR warning, unless the policy file sets
`require_holder_binding` (verifier.policy.vcapi_policy); the page and the CLI keep requiring it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from vccore.errors import MalformedValueError, ParsingError, VCError
from vccore.jsondoc import parse_json
from vccore.problems import problem_document, report_response
from vccore.report import VerificationReport

from .policy import vcapi_policy

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


def _answer(report: VerificationReport) -> Any:
    return jsonify(report_response(report)), 200 if report.verified else 400


def _string(options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    return value if isinstance(value, str) else None


@bp.post("/credentials/verify")
def verify_credential():
    try:
        credential, _options = _body("verifiableCredential")
    except (ParsingError, MalformedValueError) as exc:
        return problem(exc, 400)
    plain = current_app.extensions.get("vc_verifier")
    if plain is not None:
        return _answer(plain.verify_credential(credential))
    return _answer(current_app.extensions["verifier"].verify_document(credential).report)


@bp.post("/presentations/verify")
def verify_presentation():
    try:
        presentation, options = _body("verifiablePresentation")
    except (ParsingError, MalformedValueError) as exc:
        return problem(exc, 400)
    challenge, domain = _string(options, "challenge"), _string(options, "domain")
    plain = current_app.extensions.get("vc_verifier")
    if plain is not None:
        return _answer(plain.verify_presentation(presentation, challenge=challenge, domain=domain))
    service = current_app.extensions["verifier"]
    service = service.with_holder_binding(vcapi_policy(service.policy).require_holder_binding)
    return _answer(service.verify_document(presentation, challenge=challenge, domain=domain).report)
