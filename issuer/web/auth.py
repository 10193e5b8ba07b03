"""Staff login (werkzeug password hashes from config, throttled per account and client: issuer/throttle.py)
and CSRF tokens on every form."""

from __future__ import annotations

import functools
import hmac
import math
import secrets
from typing import Callable

from flask import (current_app, flash, redirect, render_template, request, session, url_for)
from werkzeug.security import check_password_hash

from ..errors import LoginThrottled
from ..throttle import account_key, client_key
from .i18n import _
from .local_path import local_path

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
    return render_template("message.html", title=_("That did not work"),
                           message=_("The form expired or did not come from this site. Please try again."),
                           code="CSRF_ERROR"), 400


def login_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("user"):
            flash(_("Please log in first."), "info")
            return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def _next_page(target: str | None) -> str:
    """Only pages of this app, so the login page cannot be used to send people elsewhere."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    return local_path(target, adapter=adapter, script_root=request.script_root,
                      refused_endpoints=("web.login", "web.logout")) or url_for("web.home")


def _throttled(wait: int, username: str):
    """429 with Retry-After (RFC 6585 §4) and the bilingual lockout message."""
    current_app.logger.info("LOGIN_THROTTLED for %s s", wait)
    message = _("Too many failed login attempts. Please try again in %(minutes)s minutes.",
                minutes=max(1, math.ceil(wait / 60)))
    page = render_template("login.html", next=request.form.get("next", ""), error=message,
                           code=LoginThrottled.code, username=username[:200])
    return page, 429, {"Retry-After": str(wait)}


def _password_ok(username: str, password: str) -> bool:
    stored = current_app.config["USERS"].get(username)
    return check_password_hash(stored or _DUMMY_HASH, password) and stored is not None


def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    throttle = current_app.extensions["login_throttle"]
    keys = (account_key(username), client_key(request.remote_addr))  # ProxyFix sets it when trusted
    wait = throttle.retry_after(keys)
    if wait:
        return _throttled(wait, username)
    if not _password_ok(username, request.form.get("password", "")):
        current_app.logger.info("LOGIN_FAILED")
        wait = throttle.failed(keys)
        if wait:
            return _throttled(wait, username)
        return render_template("login.html", next=request.form.get("next", ""),
                               error=_("Unknown username or wrong password."), username=username[:200]), 401
    throttle.succeeded(keys[0])
    session.clear()  # a fresh session (and CSRF token) after login: no session fixation
    session["user"] = username
    return redirect(_next_page(request.form.get("next")))


def logout():
    session.clear()
    return redirect(url_for("web.login"))
