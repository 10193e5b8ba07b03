"""A presentation file (docs/presentation-file.md): the signed presentation the learner saves to send by
e-mail or upload to a job site, as `.json` and as QR text, valid for the time they chose."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, request

from .views import current, page, unlocked

bp = Blueprint("sharing", __name__)


def _shown(token: str) -> Any:
    shown = current().shown.get(token) or abort(404)
    return shown if "expires" in shown.document.get("proof", {}) else abort(404)


@bp.get("/present/<token>/file")
@unlocked
def file_page(token: str) -> Any:
    return page("file.html", token=token, shown=_shown(token), warned=request.args.get("warned") == "1")


def _download(body: str, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/present/<token>/presentation.json")
@unlocked
def file_json(token: str) -> Any:
    shown = _shown(token)
    return _download(json.dumps(shown.document, indent=2, ensure_ascii=False), "application/vp+ld+json",
                     f"presentation-{shown.expires[:10]}.json")


@bp.get("/present/<token>/presentation.txt")
@unlocked
def file_text(token: str) -> Any:
    shown = _shown(token)
    return _download("\n".join(shown.texts) + "\n", "text/plain", f"presentation-{shown.expires[:10]}.txt")
