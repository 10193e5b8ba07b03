"""HTML form fields <-> the input dicts issuer.model validates (and errors back to fields)."""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import FieldError
from ..model import MicrocredentialDefinition

__all__ = ["DEFINITION_DEFAULTS", "SCALE_FIELDS", "definition_form", "definition_input", "errors_by_field",
           "form_field", "kind_of", "participant_input", "rescaled"]

DEFINITION_FIELDS = ("title", "course_code", "description", "criteria", "nlqf_level", "ects",
                     "language", "assessment_type", "participation_form", "identity_check", "info_url")
PARTICIPANT_FIELDS = ("name", "result", "award_date", "valid_until", "holder_did")
# The fields each kind of result scale has (besides its name); the form shows only the chosen kind's.
SCALE_FIELDS = {"grade": ("minimum", "maximum", "pass_mark"), "passfail": ("pass_value",)}
SCALE_NAMES = {"grade": "Eindcijfer", "passfail": "Beoordeling"}  # default names of the result
DEFINITION_DEFAULTS = {"result_kind": "grade", "result_name": "Eindcijfer", "minimum": "1", "maximum": "10",
                       "pass_mark": "6", "pass_value": "Voldaan", "language": "nl"}
_SCALE_FIELDS = {"kind": "result_kind", "name": "result_name"}


def _outcomes(textarea: str) -> list[dict[str, str]]:
    """One learning outcome per line: 'name | description', optionally '| https://...' (its page).
    A line without '|' is its own description."""
    outcomes = []
    for line in textarea.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        outcome = {"name": parts[0], "description": parts[0]}
        if len(parts) >= 3 and parts[-1].startswith(("https://", "http://")):
            outcome["url"] = parts.pop()
        if len(parts) > 1:
            outcome["description"] = " | ".join(parts[1:])
        outcomes.append(outcome)
    return outcomes


def kind_of(form: Mapping[str, str]) -> str:
    kind = form.get("result_kind", "grade")
    return kind if kind in SCALE_FIELDS else "grade"


def definition_input(form: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {name: form.get(name, "") for name in DEFINITION_FIELDS}
    data["learning_outcomes"] = _outcomes(form.get("learning_outcomes", ""))
    scale: dict[str, str] = {"kind": form.get("result_kind", "grade")}
    for name in ("result_name", *SCALE_FIELDS.get(scale["kind"], ())):  # the other kind's fields are ignored
        if form.get(name, "").strip():  # empty: the model's default
            scale[name.removeprefix("result_")] = form[name]
    data["result_scale"] = scale
    return data


def rescaled(form: Mapping[str, str]) -> dict[str, str]:
    """The form after the staff member chose another kind of result (shown again, not saved): the
    result's default name follows the kind unless it was changed."""
    data = {**DEFINITION_DEFAULTS, **{k: v for k, v in form.items() if k != "csrf_token"}}
    kind = kind_of(data)
    if data.get("result_name", "").strip() in ("", *SCALE_NAMES.values()):
        data["result_name"] = SCALE_NAMES[kind]
    return data


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def definition_form(definition: MicrocredentialDefinition) -> dict[str, str]:
    """A stored definition as the form's fields (to edit it)."""
    data = {name: str(getattr(definition, name)) for name in DEFINITION_FIELDS}
    data["ects"] = _number(definition.ects)
    data["learning_outcomes"] = "\n".join(
        f"{o.name} | {o.description}" + (f" | {o.url}" if o.url else "") for o in definition.learning_outcomes)
    scale = definition.result_scale
    data.update(result_kind=scale.kind, result_name=scale.name, minimum=scale.minimum, maximum=scale.maximum,
                pass_mark=scale.pass_mark, pass_value=scale.pass_value)
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
