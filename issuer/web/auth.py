"""Staff login (werkzeug password hashes from config) and CSRF tokens on every form."""

from __future__ import annotations

import functools
import hmac
import secrets
from typing import Callable

from flask import (current_app, flash, redirect, render_template, request, session, url_for)
from werkzeug.security import check_password_hash

from .i18n import text

__all__ = ["check_csrf", "csrf_token", "login", "login_required", "logout"]

# Compared against when the user is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = "scrypt:32768:8:1$k7S0pQm2$" + "0" * 128


def csrf_token() -> str:
    """The session's CSRF token (synchroniser token pattern), made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> tuple[str, int] | None:
    """Before every state-changing request of the staff UI: the form must carry the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    given = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if expected and given and hmac.compare_digest(given.encode(), expected.encode()):
        return None
    current_app.logger.info("CSRF_ERROR on %s", request.path)
    return render_template("message.html", title=text("error"), message=text("csrf_failed"),
                           code="CSRF_ERROR"), 400


def login_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("user"):
            flash(text("login_needed"), "info")
            return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login page cannot be used to redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    stored = current_app.config["USERS"].get(username)
    valid = check_password_hash(stored or _DUMMY_HASH, password) and stored is not None
    if not valid:
        current_app.logger.info("LOGIN_FAILED")
        return render_template("login.html", next=request.form.get("next", ""),
                               error=text("login_failed"), username=username), 401
    language = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) after login: no session fixation
    session["user"] = username
    if language:
        session["lang"] = language
    return redirect(_safe_next(request.form.get("next")))


def logout():
    session.clear()
    return redirect(url_for("web.login"))
