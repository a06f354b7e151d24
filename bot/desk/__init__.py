"""The coordinators' web desk: a signed-in, Japanese, server-rendered view of the whole scheme.

Everything under /desk/ needs a signed-in coordinator (bot/desk/auth.py), every form carries a CSRF
token (Flask-WTF), and every page goes out with a strict Content Security Policy: no inline script, no
framing, nothing from another site. The webhook and the rest of the app are untouched.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Blueprint, Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from handlers.settings import Settings

blueprint = Blueprint(
    "desk", __name__, url_prefix="/desk", template_folder="templates", static_folder="static"
)
csrf = CSRFProtect()

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SESSION_HOURS = 12


class _SessionInterface(SecureCookieSessionInterface):
    """Secure cookies whenever the page came over https (or the public URL is https), plain on a
    laptop's http://127.0.0.1 demo, where a Secure cookie would never come back."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))


def session_key(settings: Settings) -> str:
    """OTAGAI_SECRET_KEY, or one derived from the channel secret.

    The fallback keeps existing deployments working without a new required variable and is the same
    in every web process (a random per-process key would sign people out at each request that lands on
    another worker). Its cost: changing the channel secret signs every coordinator out.
    """
    if settings.secret_key:
        return settings.secret_key
    return hmac.new(
        settings.line_channel_secret.encode(), b"otagai desk session key", hashlib.sha256
    ).hexdigest()


def init_desk(app: Flask, settings: Settings, clock: Callable[[], datetime]) -> None:
    from bot.desk import (  # noqa: F401  (registers the routes on the blueprint)
        admin,
        audit,
        auth,
        classes,
        community,
        members,
        numbers,
        offers,
        place_forms,
        proxy,
        reports,
        tickets,
        vetting,
        views,
    )

    app.extensions["otagai.clock"] = clock
    app.secret_key = session_key(settings)
    app.session_interface = _SessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="otagai_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.public_url),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # Checked by the desk's own before_request only: the webhook and the demo have no forms.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        WTF_CSRF_SSL_STRICT=True,
    )
    csrf.init_app(app)
    app.register_blueprint(blueprint)


@blueprint.context_processor
def features() -> dict[str, bool]:
    """Pages of a feature switched off are not offered (and answer 404)."""
    settings = current_app.extensions["otagai.settings"]
    return {"config_fees": settings.fees, "config_insurance": settings.insurance}


@blueprint.after_request
def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype != "text/css":
        # Residents' names and addresses: never kept in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response
