"""POST /callback: verify the signature on the raw body, check the body, process each event on its own.

What LINE sees: 200 once every event was handled (answered, or safely ignored); 400 for a body that
is not LINE's (bad signature, not JSON, nested too deep: redelivering it cannot help); 503 when the
database is unreachable or the request's deadline passed before every event was reached. LINE then
redelivers the body (webhook redelivery must be on, see the README), and the events already handled
are skipped as duplicates of their webhookEventId.
"""

from __future__ import annotations

import json
import logging
import time

from flask import Blueprint, Response, current_app, request
from linebot.v3 import SignatureValidator

from bot.inbound import depth_within
from bot.processor import EventProcessor, Outcome

log = logging.getLogger(__name__)

blueprint = Blueprint("webhook", __name__)

# LINE gives up on a webhook after 2 s. Replies always go out at once (their tokens expire), but no
# push starts after this much of the request's time: the worker's next sweep sends those.
SEND_BUDGET_SECONDS = 1.0
# No event starts after this much of the request's time; the ones left are redelivered by LINE.
DEADLINE_SECONDS = 1.5


def _answer(body: dict[str, str], status: int) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _bad_request(reason: str) -> Response:
    log.warning("webhook rejected: %s", reason)
    return _answer({"error": reason}, 400)


@blueprint.post("/callback")
def callback() -> Response:
    started = time.monotonic()
    signature = request.headers.get("X-Line-Signature", "")  # header lookup ignores case
    raw_body = request.get_data(cache=False)
    if not signature:
        return _bad_request("missing signature")
    try:
        body = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad_request("body is not UTF-8")
    validator: SignatureValidator = current_app.extensions["otagai.signature"]
    if not validator.validate(body, signature):
        return _bad_request("invalid signature")
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return _bad_request("malformed body")
    if not depth_within(parsed):
        return _bad_request("body nested too deeply")
    raw_events = parsed.get("events") if isinstance(parsed, dict) else None
    if not isinstance(raw_events, list) or not all(
        isinstance(e, dict) and isinstance(e.get("type"), str) for e in raw_events
    ):
        return _bad_request("malformed body")

    processor: EventProcessor = current_app.extensions["otagai.processor"]
    for index, raw in enumerate(raw_events):
        if time.monotonic() - started > DEADLINE_SECONDS:
            log.warning(
                "webhook deadline: %s of %s events left for redelivery",
                len(raw_events) - index,
                len(raw_events),
            )
            return _answer({"status": "retry", "reason": "deadline"}, 503)
        outcome = processor.process(raw, send_until=started + SEND_BUDGET_SECONDS)
        if outcome is Outcome.DATABASE_DOWN:
            # Nothing was stored for this event: LINE's redelivery brings it (and the rest) back.
            return _answer({"status": "retry", "reason": "database unavailable"}, 503)
    return _answer({"status": "ok"}, 200)
