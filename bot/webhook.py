"""POST /callback: verify the signature on the raw body, parse with the SDK, process each event."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError

from bot.processor import EventProcessor

log = logging.getLogger(__name__)

blueprint = Blueprint("webhook", __name__)


def _bad_request(reason: str) -> Response:
    log.warning("webhook rejected: %s", reason)
    return Response(json.dumps({"error": reason}), status=400, mimetype="application/json")


@blueprint.post("/callback")
def callback() -> Response:
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
        events = parser.parse(body, signature)
        raw_events = json.loads(body)["events"]
    except InvalidSignatureError:
        return _bad_request("invalid signature")
    except (ValueError, KeyError, TypeError, AttributeError):
        # Signed by LINE but not the shape we know: refuse the whole body rather than half-process it.
        return _bad_request("malformed body")
    if not isinstance(raw_events, list) or not all(isinstance(e, dict) for e in raw_events):
        return _bad_request("malformed body")
    processor: EventProcessor = current_app.extensions["otagai.processor"]
    for event, raw in zip(events, raw_events, strict=True):
        processor.process(event, raw)
    return Response(json.dumps({"status": "ok"}), status=200, mimetype="application/json")
