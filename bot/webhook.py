"""POST /callback: verify the signature on the raw body, parse with the SDK, process each event."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, Response, current_app, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import Event

from bot.processor import EventProcessor

log = logging.getLogger(__name__)

blueprint = Blueprint("webhook", __name__)

# LINE gives up on a webhook after 2 s. Replies always go out at once (their tokens expire), but no
# push starts after this much of the request's time: the worker's next sweep sends those.
SEND_BUDGET_SECONDS = 1.0


def _bad_request(reason: str) -> Response:
    log.warning("webhook rejected: %s", reason)
    return Response(json.dumps({"error": reason}), status=400, mimetype="application/json")


@blueprint.post("/callback")
def callback() -> Response:
    send_until = time.monotonic() + SEND_BUDGET_SECONDS
    signature = request.headers.get("X-Line-Signature", "")  # header lookup ignores case
    raw_body = request.get_data(cache=False)
    if not signature:
        return _bad_request("missing signature")
    try:
        body = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad_request("body is not UTF-8")
    parser: WebhookParser = current_app.extensions["otagai.parser"]
    try:
        events: list[Event | None] = list(parser.parse(body, signature))
    except InvalidSignatureError:
        return _bad_request("invalid signature")
    except (ValueError, KeyError, TypeError, AttributeError):
        # The signature was good (it is checked first); the body or one event is not what the SDK models.
        events = []
    try:
        raw_events = json.loads(body)["events"]
    except (ValueError, KeyError, TypeError):
        return _bad_request("malformed body")
    if not isinstance(raw_events, list) or not all(
        isinstance(e, dict) and isinstance(e.get("type"), str) for e in raw_events
    ):
        return _bad_request("malformed body")
    if len(events) != len(raw_events):
        # One odd event (a new mode or field shape) must not cost the other users their answers.
        events = [_parse_one(raw) for raw in raw_events]
    processor: EventProcessor = current_app.extensions["otagai.processor"]
    for event, raw in zip(events, raw_events, strict=True):
        processor.process(event, raw, send_until=send_until)
    return Response(json.dumps({"status": "ok"}), status=200, mimetype="application/json")


def _parse_one(raw: dict[str, Any]) -> Event | None:
    """The SDK's model of one event, or None (logged) when it cannot build one."""
    try:
        return Event.from_dict(raw)
    except Exception:
        log.warning("event id=%s type=%s could not be parsed", raw.get("webhookEventId"), raw.get("type"))
        return None
