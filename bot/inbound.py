"""Checks on a signed webhook body before anything in it reaches the handlers or the database.

A good signature says the body came from LINE (or whoever holds the secret), not that every field is
what the Messaging API documents: ids too long for their columns, NUL (PostgreSQL refuses it in text),
escaped lone surrogates (not encodable as UTF-8), JSON nested a thousand deep, coordinates of 1e400.
Each is made harmless here, so one odd event is answered politely instead of costing a 500.
"""

from __future__ import annotations

import math
import re
from typing import Any

# LINE's events are at most six levels deep (event → message → emojis → item → field); a body much
# deeper than that is not LINE's and would only cost recursion in the SDK's models.
MAX_DEPTH = 32
# LINE's text limit; other strings are far shorter. A longer one is cut, never stored whole.
MAX_STRING = 5000

# webhookEventId is a ULID (26 characters), user/group/room ids 33; columns hold 64.
_ID = re.compile(r"[0-9A-Za-z_\-]{1,64}")
# Reply tokens, quote tokens and markAsRead tokens: printable ASCII; the column holds 255.
_TOKEN = re.compile(r"[\x21-\x7e]{1,255}")
# Message ids are decimal strings; relay media keeps them in a 40-character column.
_MESSAGE_ID = re.compile(r"[0-9A-Za-z]{1,40}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class TooDeep(ValueError):
    """The JSON nests deeper than any LINE event."""


def depth_within(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether containers nest at most `limit` levels (iterative: a deep body cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def clean_text(value: str) -> str:
    """NUL removed, lone surrogates replaced (U+FFFD), cut at MAX_STRING."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return value[:MAX_STRING]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def checked_event(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of one raw event with every string cleaned and malformed ids removed.

    A removed id is as if LINE had not sent it: an empty webhookEventId means no dedupe, no userId means
    no 1:1 user, no replyToken means no reply; a message without a usable id cannot be modelled and
    gets the fallback answer. A location with impossible coordinates keeps none, so it is asked again.
    """
    event: dict[str, Any] = _clean(raw)
    event_id = event.get("webhookEventId")
    if not (isinstance(event_id, str) and _ID.fullmatch(event_id)):
        event["webhookEventId"] = ""  # the SDK requires the field; empty means "no id to dedupe on"
    _keep_if(event, "replyToken", _TOKEN)
    source = event.get("source")
    if isinstance(source, dict):
        for key in ("userId", "groupId", "roomId"):
            _keep_if(source, key, _ID)
    message = event.get("message")
    if isinstance(message, dict):
        _keep_if(message, "id", _MESSAGE_ID)
        for key in ("quoteToken", "markAsReadToken"):
            _keep_if(message, key, _TOKEN)
        if message.get("type") == "location":
            _check_coordinates(message)
    return event


def _keep_if(container: dict[str, Any], key: str, pattern: re.Pattern[str]) -> None:
    value = container.get(key)
    if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
        del container[key]


def _check_coordinates(message: dict[str, Any]) -> None:
    lat, lon = message.get("latitude"), message.get("longitude")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not numbers or not (math.isfinite(lat) and math.isfinite(lon)):  # type: ignore[arg-type]
        # Out of range on purpose: the location route answers that it could not read the place.
        message["latitude"], message["longitude"] = 999.0, 999.0
