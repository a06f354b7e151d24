"""The Flask app factory: builds settings, database, gateway and webhook processing, and nothing at import."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, render_template
from linebot.v3 import SignatureValidator
from sqlalchemy.exc import SQLAlchemyError

from bot.delivery import Deliverer
from bot.desk import init_desk
from bot.gateway import LineGateway
from bot.media import blueprint as media_blueprint
from bot.processor import EventProcessor
from bot.webhook import blueprint as webhook_blueprint
from db.engine import make_engine, make_session_factory, ping
from handlers.settings import Settings
from matching import geocode
from matching.warm import warm_up

MAX_BODY_BYTES = 2 * 1024 * 1024


def system_clock() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = system_clock,
) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    gateway = LineGateway(
        settings.line_channel_access_token, settings.line_api_endpoint, settings.line_api_data_endpoint
    )
    deliverer = Deliverer(gateway, session_factory, clock, settings=settings)
    app.extensions.update(
        {
            "otagai.settings": settings,
            "otagai.engine": engine,
            "otagai.session_factory": session_factory,
            "otagai.gateway": gateway,
            "otagai.signature": SignatureValidator(settings.line_channel_secret),
            "otagai.processor": EventProcessor(settings, session_factory, gateway, deliverer, clock),
        }
    )
    app.register_blueprint(webhook_blueprint)
    app.register_blueprint(media_blueprint)
    # Before serving (gunicorn calls the factory in each worker before it accepts): the data every text
    # needs is built here once, not by each thread racing to build it inside its first 2-second webhook.
    warm_up()
    # Typed places are looked up in an index that takes seconds to build: not inside a 2-second webhook.
    threading.Thread(target=geocode.warm, name="geocode-warm", daemon=True).start()
    init_desk(app, settings, clock)

    @app.get("/healthz")
    def healthz() -> Response:
        try:
            ping(engine)
        except SQLAlchemyError as exc:
            logging.getLogger(__name__).warning("health check: database unreachable (%s)", type(exc).__name__)
            return _json({"status": "unavailable", "database": "unreachable"}, 503)
        return _json({"status": "ok", "database": "ok"}, 200)

    @app.get("/privacy")
    def privacy_notice() -> str:
        # The organisation adapts bot/templates/privacy.html; the periods come from the settings in force.
        return render_template(
            "privacy.html",
            erase_days=settings.erase_after_unfollow_days,
            anonymise_days=settings.anonymise_after_days,
        )

    return app


def _json(body: dict[str, str], status: int) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
