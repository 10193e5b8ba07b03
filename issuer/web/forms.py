"""HTML form fields -> the input dicts issuer.model validates (and errors back to fields)."""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import FieldError

__all__ = ["DEFINITION_DEFAULTS", "definition_input", "errors_by_field", "form_field", "participant_input"]

DEFINITION_FIELDS = ("title", "course_code", "description", "criteria", "nlqf_level", "ects",
                     "language", "assessment_type", "participation_form", "identity_check", "info_url")
PARTICIPANT_FIELDS = ("name", "result", "award_date", "valid_until", "holder_did")
DEFINITION_DEFAULTS = {"result_kind": "grade", "result_name": "Eindcijfer", "minimum": "1", "maximum": "10",
                       "pass_mark": "6", "pass_value": "Voldaan", "language": "nl"}
_SCALE_FIELDS = {"kind": "result_kind", "name": "result_name"}


def _outcomes(textarea: str) -> list[dict[str, str]]:
    """One learning outcome per line, 'name | description' (a line without '|' is its own description)."""
    outcomes = []
    for line in textarea.splitlines():
        if not line.strip():
            continue
        name, sep, description = line.partition("|")
        outcomes.append({"name": name.strip(), "description": (description if sep else name).strip()})
    return outcomes


def definition_input(form: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {name: form.get(name, "") for name in DEFINITION_FIELDS}
    data["learning_outcomes"] = _outcomes(form.get("learning_outcomes", ""))
    scale = {"kind": form.get("result_kind", "grade")}
    for name in ("result_name", "minimum", "maximum", "pass_mark", "pass_value"):
        if form.get(name, "").strip():  # empty: the model's default
            scale[name.removeprefix("result_")] = form[name]
    data["result_scale"] = scale
    return data


def participant_input(form: Mapping[str, str]) -> dict[str, Any]:
    return {name: form.get(name, "") for name in PARTICIPANT_FIELDS}


def form_field(model_field: str) -> str:
    """The form field a model error belongs to ('learning_outcomes.0.name' -> 'learning_outcomes')."""
    parts = model_field.split(".")
    if parts[0] == "result_scale":
        return _SCALE_FIELDS.get(parts[1], parts[1]) if len(parts) > 1 else "result_kind"
    return parts[0]


def errors_by_field(errors: list[FieldError]) -> dict[str, list[FieldError]]:
    grouped: dict[str, list[FieldError]] = {}
    for error in errors:
        grouped.setdefault(form_field(error.field), []).append(error)
    return grouped
