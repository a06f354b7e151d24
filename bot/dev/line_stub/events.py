"""Webhook events as LINE sends them (JSON, unique ids, x-line-signature), for tests and the demo."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import time
from typing import Any

_counter = itertools.count(1)


def signature(secret: str, body: bytes) -> str:
    """Base64(HMAC-SHA256(channel secret, raw body)), as LINE computes it."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def event_id() -> str:
    """A unique 26-character id in the ULID alphabet (time-ordered enough for tests)."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    value = (int(time.time() * 1000) << 80) | (next(_counter) << 40) | int.from_bytes(os.urandom(5), "big")
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def base_event(
    kind: str, user_id: str | None, *, reply_token: str | None = None, **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": event_id(),
        "deliveryContext": {"isRedelivery": False},
    }
    if user_id is not None:
        event["source"] = {"type": "user", "userId": user_id}
    if reply_token is not None:
        event["replyToken"] = reply_token
    event.update(extra)
    return event


def text_event(user_id: str, text: str, reply_token: str) -> dict[str, Any]:
    message = {"type": "text", "id": str(next(_counter)), "quoteToken": "q" + event_id(), "text": text}
    return base_event("message", user_id, reply_token=reply_token, message=message)


def location_event(
    user_id: str, reply_token: str, lat: float, lon: float, address: str = "", title: str = ""
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "location",
        "id": str(next(_counter)),
        "latitude": lat,
        "longitude": lon,
    }
    if address:
        message["address"] = address
    if title:
        message["title"] = title
    return base_event("message", user_id, reply_token=reply_token, message=message)


def sticker_event(
    user_id: str, reply_token: str, package_id: str = "446", sticker_id: str = "1988"
) -> dict[str, Any]:
    message = {
        "type": "sticker",
        "id": str(next(_counter)),
        "packageId": package_id,
        "stickerId": sticker_id,
        "stickerResourceType": "STATIC",
        "quoteToken": "q" + event_id(),
    }
    return base_event("message", user_id, reply_token=reply_token, message=message)


def image_event(user_id: str, reply_token: str, message_id: str | None = None) -> dict[str, Any]:
    """A photo the user sent; LINE holds its bytes (LineStub.add_content under the same message id)."""
    message = {
        "type": "image",
        "id": message_id or str(next(_counter)),
        "quoteToken": "q" + event_id(),
        "contentProvider": {"type": "line"},
    }
    return base_event("message", user_id, reply_token=reply_token, message=message)


def postback_event(
    user_id: str, reply_token: str, data: str, params: dict[str, str] | None = None
) -> dict[str, Any]:
    postback: dict[str, Any] = {"data": data}
    if params:
        postback["params"] = params
    return base_event("postback", user_id, reply_token=reply_token, postback=postback)


def follow_event(user_id: str, reply_token: str, *, unblocked: bool = False) -> dict[str, Any]:
    return base_event("follow", user_id, reply_token=reply_token, follow={"isUnblocked": unblocked})


def unfollow_event(user_id: str) -> dict[str, Any]:
    return base_event("unfollow", user_id)


def body(*events: dict[str, Any], destination: str = "U0000000000000000000000000000000") -> bytes:
    return json.dumps({"destination": destination, "events": list(events)}, ensure_ascii=False).encode(
        "utf-8"
    )
