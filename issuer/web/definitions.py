"""Staff UI: the list of microcredential definitions and the form to define one."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from ..errors import InvalidInput
from ..model import NLQF_LEVELS, MicrocredentialDefinition, parse
from .auth import login_required
from .forms import DEFINITION_DEFAULTS, definition_input, errors_by_field
from .i18n import text

__all__ = ["register"]


def _service():
    return current_app.extensions["issuer_service"]


@login_required
def home():
    return render_template("home.html", definitions=_service().definitions())


@login_required
def new_definition():
    form = request.form if request.method == "POST" else DEFINITION_DEFAULTS
    if request.method == "GET":
        return render_template("definition_form.html", form=form, errors={}, levels=NLQF_LEVELS)
    try:
        definition = parse(MicrocredentialDefinition, definition_input(request.form))
        definition_id = _service().save_definition(definition)
    except InvalidInput as exc:
        return render_template("definition_form.html", form=form, errors=errors_by_field(exc.errors),
                               all_errors=exc.errors, levels=NLQF_LEVELS), 422
    current_app.logger.info("definition %s saved", definition_id)
    flash(text("saved"), "success")
    return redirect(url_for("web.issue", definition_id=definition_id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/definitions/new", "new_definition", new_definition, methods=["GET", "POST"])
