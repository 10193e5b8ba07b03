"""Staff UI: the microcredential definitions — list, define, view, edit (a new version), archive.

The define/edit form shows only the fields of the chosen kind of result. Without JavaScript the
staff member chooses the kind and presses "show the fields" (the form comes back, nothing saved);
with it (static/definition.js) the fields switch at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from ..errors import DefinitionNotFound, InvalidInput, RefusalError
from ..model import NLQF_LEVELS, MicrocredentialDefinition, parse
from .auth import login_required
from .forms import DEFINITION_DEFAULTS, definition_form, definition_input, errors_by_field, kind_of, rescaled
from .i18n import _, message

__all__ = ["register"]


def _service():
    return current_app.extensions["issuer_service"]


def _stored_or_404(definition_id: str):
    try:
        return _service().definition(definition_id)
    except DefinitionNotFound:
        abort(404)


def _form_page(form, *, stored=None, status: int = 200, errors=None, all_errors=None):
    return render_template("definition_form.html", form=form, kind=kind_of(form), stored=stored, levels=NLQF_LEVELS,
                           errors=errors or {}, all_errors=all_errors), status


def _save(form, stored=None):
    """Validate and store (a new definition, or the next version of `stored`); the page to show."""
    if request.form.get("show_scale"):  # only the kind of result changed: show its fields, save nothing
        return _form_page(rescaled(form), stored=stored)
    try:
        definition = parse(MicrocredentialDefinition, definition_input(form))
        if stored is None:
            saved = _service().save_definition(definition)
        else:
            saved = _service().revise_definition(stored.id, definition)
    except InvalidInput as exc:
        return _form_page(form, stored=stored, status=422, errors=errors_by_field(exc.errors), all_errors=exc.errors)
    except RefusalError as exc:  # edited meanwhile (an older version)
        flash(_("%(refusal)s (code %(code)s)", refusal=message(exc), code=exc.code), "error")
        return redirect(url_for("web.definition", definition_id=stored.id))
    current_app.logger.info("definition %s saved", saved)
    unchanged = stored is not None and saved == stored.id
    if unchanged:
        flash(_("Nothing changed; no new version was made."), "info")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("web.issue" if stored is None else "web.definition", definition_id=saved))


@login_required
def home():
    found = _service().definitions()
    return render_template("home.html", definitions=[d for d in found if d.archived_at is None],
                           archived=[d for d in found if d.archived_at is not None])


@login_required
def new_definition():
    if request.method == "GET":
        return _form_page(DEFINITION_DEFAULTS)
    return _save(request.form)


@login_required
def edit_definition(definition_id: str):
    stored = _stored_or_404(definition_id)
    if stored.replaced_by is not None:  # edit the current version
        return redirect(url_for("web.definition", definition_id=definition_id))
    if request.method == "GET":
        return _form_page(definition_form(stored.definition), stored=stored)
    return _save(request.form, stored)


@login_required
def definition(definition_id: str):
    stored = _stored_or_404(definition_id)
    versions = _service().definition_versions(definition_id)
    counts = {r["definition_id"]: r["n"] for r in _service().registry.query(
        "SELECT definition_id, COUNT(*) AS n FROM records WHERE definition_id IN "
        "(SELECT id FROM definitions WHERE series_id = ?) GROUP BY definition_id", (stored.series_id,))}
    return render_template("definition.html", stored=stored, versions=versions, counts=counts)


@login_required
def archive(definition_id: str):
    stored = _stored_or_404(definition_id)
    restore = request.form.get("action") == "restore"
    try:
        (_service().restore_definition if restore else _service().archive_definition)(stored.id)
    except RefusalError as exc:
        flash(_("%(refusal)s (code %(code)s)", refusal=message(exc), code=exc.code), "error")
    else:
        if restore:
            flash(_("Restored: it can be issued again."), "success")
        else:
            flash(_("Archived."), "success")
    return redirect(url_for("web.definition", definition_id=stored.id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/definitions/new", "new_definition", new_definition, methods=["GET", "POST"])
    bp.add_url_rule("/definitions/<definition_id>", "definition", definition)
    bp.add_url_rule("/definitions/<definition_id>/edit", "edit_definition", edit_definition, methods=["GET", "POST"])
    bp.add_url_rule("/definitions/<definition_id>/archive", "archive_definition", archive, methods=["POST"])
