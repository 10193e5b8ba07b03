"""The microcredential as an institution fills it in (form, CSV, API input) — never a signed document.

Pydantic checks types and shapes; `quality_findings` applies the national quality framework for
microcredentials (3–30 ECTS; universities from 1 ECTS between 2025-05-01 and 2027-04-30 as a
warning; NLQF Entry, 1–8). Every problem is a FieldError: an English message marked with N_ (its
Dutch is in issuer/translations), translated where it is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from vccore.l10n import N_

from .errors import FieldError, InvalidInput

__all__ = ["DID_PATTERN", "InstitutionProfile", "LearningOutcome", "MicrocredentialDefinition", "NLQF_LEVELS",
           "Participant", "ResultScale", "eqf_level", "field_errors", "parse", "quality_findings",
           "result_value"]

NLQF_LEVELS = ("Entry", "1", "2", "3", "4", "5", "6", "7", "8")
MIN_ECTS, MAX_ECTS, UNIVERSITY_MIN_ECTS = 3, 30, 1
UNIVERSITY_WINDOW = (dt.date(2025, 5, 1), dt.date(2027, 4, 30))
_URL = re.compile(r"^https?://[^\s/]+[^\s]*$")
DID_PATTERN = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._%:\-]+$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def eqf_level(nlqf: str) -> str | None:
    """NLQF Entry has no EQF level; NLQF n is EQF n for 1..8."""
    return None if nlqf == "Entry" else nlqf


def _rule(message: str) -> PydanticCustomError:
    """A rule of ours broken inside a validator: pydantic keeps the message for field_errors."""
    return PydanticCustomError("mc_rule", "{message}", {"message": message})


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise _rule(N_("must be a web address (https://...)"))
    return value


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class InstitutionProfile(_Input):
    """Who issues: name, BRIN code, website, country and kind (wo = university, hbo = UAS).

    `suspension`: also give every credential a suspension status entry (credentialStatus becomes an
    array of two). Off by default: 1EdTech's OB 3.0 JSON Schema allows one credentialStatus object.
    """

    name: str = Field(min_length=1, max_length=200)
    brin: str = Field(pattern=r"^[0-9]{2}[A-Z0-9]{2}$")
    url: str
    country: str = Field(default="NL", pattern=r"^[A-Z]{2}$")
    kind: Literal["wo", "hbo", "other"] = "hbo"
    did: str | None = None
    suspension: bool = False

    _url = field_validator("url")(_check_url)

    @field_validator("did")
    @classmethod
    def _did(cls, value: str | None) -> str | None:
        if value is not None and not DID_PATTERN.match(value):
            raise _rule(N_("must be a DID (did:key:... or did:web:...)"))
        return value


class LearningOutcome(_Input):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=2000)
    url: str | None = None  # OB3 Alignment needs a targetUrl; default: the info page #loN

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)


class ResultScale(_Input):
    """A grade scale (e.g. 1–10, pass mark 6) or pass/fail (the passing value, e.g. 'Voldaan')."""

    kind: Literal["grade", "passfail"] = "grade"
    name: str = Field(default="Eindcijfer", min_length=1, max_length=100)
    minimum: str = "1"
    maximum: str = "10"
    pass_mark: str = "6"
    pass_value: str = "Voldaan"

    @model_validator(mode="after")
    def _bounds(self) -> "ResultScale":
        if self.kind == "grade":
            try:
                low, high, mark = (_number(v) for v in (self.minimum, self.maximum, self.pass_mark))
            except ValueError:
                raise _rule(N_("minimum, maximum and pass mark must be numbers")) from None
            if not low <= mark <= high:
                raise _rule(N_("the pass mark must lie between minimum and maximum"))
        return self


class MicrocredentialDefinition(_Input):
    """One microcredential offering (a unit of study): what every participant's credential shares."""

    title: str = Field(min_length=1, max_length=200)
    course_code: str = Field(min_length=1, max_length=50)
    description: str = Field(min_length=1, max_length=2000)
    criteria: str = Field(min_length=1, max_length=2000)
    nlqf_level: str
    ects: float = Field(gt=0, le=60)
    learning_outcomes: list[LearningOutcome] = Field(min_length=1, max_length=30)
    result_scale: ResultScale = Field(default_factory=ResultScale)
    language: str = "nl"
    assessment_type: str = Field(min_length=1, max_length=200)
    participation_form: str = Field(min_length=1, max_length=200)
    identity_check: str = Field(min_length=1, max_length=200)
    info_url: str

    _info = field_validator("info_url")(_check_url)

    @field_validator("nlqf_level", mode="before")
    @classmethod
    def _nlqf(cls, value: Any) -> str:
        text = str(value).strip()
        text = "Entry" if text.lower() in ("entry", "instap", "instapniveau") else text
        if text not in NLQF_LEVELS:
            raise _rule(N_("NLQF level must be Entry or 1 to 8"))
        return text

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if not _LANG.match(value):
            raise _rule(N_("must be a language code (e.g. nl or en)"))
        return value

    def outcome_url(self, index: int) -> str:
        return self.learning_outcomes[index].url or f"{self.info_url}#lo{index + 1}"


class Participant(_Input):
    """One learner who completed the unit: name, result, award date, optional end of validity."""

    name: str = Field(min_length=1, max_length=200)
    result: str = Field(min_length=1, max_length=50)
    award_date: dt.date
    valid_until: dt.date | None = None
    holder_did: str | None = None

    @field_validator("holder_did", mode="before")
    @classmethod
    def _holder(cls, value: Any) -> Any:
        if value in ("", None):
            return None
        if not isinstance(value, str) or not DID_PATTERN.match(value.strip()):
            raise _rule(N_("must be a DID (did:key:...)"))
        return value.strip()

    @field_validator("valid_until", mode="before")
    @classmethod
    def _empty_date(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="after")
    def _period(self) -> "Participant":
        if self.valid_until is not None and self.valid_until <= self.award_date:
            raise _rule(N_("'valid until' must be after the award date"))
        return self


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def result_value(scale: ResultScale, value: str) -> str:
    """The participant's result as it goes into the credential; FieldError when it does not pass."""
    if scale.kind == "passfail":
        if value.strip().lower() != scale.pass_value.lower():
            raise InvalidInput([FieldError("result", N_("only '%(pass_value)s' earns a microcredential"),
                                           {"pass_value": scale.pass_value})])
        return scale.pass_value
    try:
        number = _number(value)
    except ValueError:
        raise InvalidInput([FieldError("result", N_("must be a grade (a number)"))]) from None
    if not _number(scale.minimum) <= number <= _number(scale.maximum):
        raise InvalidInput([FieldError("result", N_("must be between %(minimum)s and %(maximum)s"),
                                       {"minimum": scale.minimum, "maximum": scale.maximum})])
    if number < _number(scale.pass_mark):
        raise InvalidInput([FieldError("result", N_("is below the pass mark %(pass_mark)s: not passed"),
                                       {"pass_mark": scale.pass_mark})])
    return value.strip().replace(",", ".")


def quality_findings(definition: MicrocredentialDefinition, institution: InstitutionProfile,
                     on: dt.date) -> tuple[list[FieldError], list[FieldError]]:
    """National quality framework rules as (errors, warnings) for an award on date `on`."""
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    ects = definition.ects
    if ects > MAX_ECTS:
        errors.append(FieldError("ects", N_("a microcredential is at most %(maximum)s ECTS"), {"maximum": MAX_ECTS}))
    elif ects < MIN_ECTS:
        window = UNIVERSITY_WINDOW[0] <= on <= UNIVERSITY_WINDOW[1]
        if institution.kind == "wo" and window and ects >= UNIVERSITY_MIN_ECTS:
            warnings.append(FieldError("ects", N_("fewer than 3 ECTS: allowed for universities only from 1 May "
                                                          "2025 to 30 April 2027")))
        else:
            errors.append(FieldError("ects", N_("a microcredential is at least %(minimum)s ECTS"), {"minimum": MIN_ECTS}))
    return errors, warnings


# pydantic's error types -> our messages; a placeholder names a value of pydantic's error context
_MESSAGES = {
    "missing": N_("is required"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("is too long (at most %(max_length)s characters)"),
    "string_pattern_mismatch": N_("does not have the right format"),
    "greater_than": N_("must be greater than %(gt)s"),
    "greater_than_equal": N_("must be at least %(ge)s"),
    "less_than_equal": N_("must be at most %(le)s"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "string_type": N_("must be text"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "literal_error": N_("must be one of %(expected)s"),
    "too_short": N_("needs at least %(min_length)s"),
    "too_long": N_("may have at most %(max_length)s"),
    "extra_forbidden": N_("is not a known field"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be an object"),
}
_INVALID = N_("is invalid")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Pydantic's errors as FieldErrors: our message for each error type, with the context's values."""
    out = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "mc_rule":
            out.append(FieldError(where, str(ctx["message"])))
            continue
        message = _MESSAGES.get(err["type"], _INVALID)
        names = _PLACEHOLDER.findall(message)
        if all(name in ctx for name in names):
            out.append(FieldError(where, message, {name: str(ctx[name]) for name in names}))
        else:  # a context without the value the message names: say less rather than fail
            out.append(FieldError(where, _INVALID))
    return out


def parse(model: type[_Input], data: Any) -> Any:
    """Validate input into `model`; raise InvalidInput (its field errors) when it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc)) from None
