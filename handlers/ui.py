"""Builders for LINE message JSON that stay inside the platform's limits (see shared/LINE.md)."""

from __future__ import annotations

from typing import Any

from handlers import texts

TEXT_LIMIT = 5000  # UTF-16 code units
QUICK_REPLY_LIMIT = 13
LABEL_LIMIT = 20  # quick replies and templates
FLEX_LABEL_LIMIT = 40
DATA_LIMIT = 300
ALT_TEXT_LIMIT = 1500

Message = dict[str, Any]
Action = dict[str, Any]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut text to at most `limit` UTF-16 code units, never splitting a surrogate pair."""
    if utf16_len(text) <= limit:
        return text
    budget = limit - utf16_len(ellipsis)
    out: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > budget:
            break
        out.append(char)
        used += width
    return "".join(out) + ellipsis


def text(body: str, quick: list[Action] | None = None) -> Message:
    message: Message = {"type": "text", "text": clip(body, TEXT_LIMIT)}
    return with_quick(message, quick)


def with_quick(message: Message, quick: list[Action] | None) -> Message:
    if quick:
        items = quick[:QUICK_REPLY_LIMIT]
        message["quickReply"] = {"items": [{"type": "action", "action": a} for a in items]}
    return message


def postback(label: str, data: str, display_text: str | None = None, *, flex: bool = False) -> Action:
    if len(data) > DATA_LIMIT:
        raise ValueError(f"postback data over {DATA_LIMIT} characters: {data[:40]}…")
    action: Action = {
        "type": "postback",
        "label": clip(label, FLEX_LABEL_LIMIT if flex else LABEL_LIMIT, ""),
        "data": data,
    }
    if display_text:
        action["displayText"] = clip(display_text, DATA_LIMIT)
    return action


def say(label: str, message_text: str | None = None) -> Action:
    """A button that sends a text as if the user typed it."""
    return {"type": "message", "label": clip(label, LABEL_LIMIT, ""), "text": message_text or label}


def uri(label: str, target: str, *, flex: bool = False) -> Action:
    """A button that opens a URI; `tel:119` opens the phone's dialler (tap-to-call)."""
    return {"type": "uri", "label": clip(label, FLEX_LABEL_LIMIT if flex else LABEL_LIMIT, ""), "uri": target}


def location_action(label: str) -> Action:
    return {"type": "location", "label": clip(label, LABEL_LIMIT, "")}


def datetime_action(label: str, data: str, *, minimum: str, initial: str) -> Action:
    """A datetime picker; values are local times in LINE's 'YYYY-MM-DDTHH:MM' form."""
    return {
        "type": "datetimepicker",
        "label": clip(label, LABEL_LIMIT, ""),
        "data": data,
        "mode": "datetime",
        "initial": initial,
        "min": minimum,
    }


def location(title: str, address: str, lat: float, lon: float) -> Message:
    return {
        "type": "location",
        "title": clip(title, 100) or texts.LOCATION_UNTITLED,
        "address": clip(address, 100) or texts.LOCATION_NO_ADDRESS,
        "latitude": lat,
        "longitude": lon,
    }


def flex(alt_text: str, bubble: dict[str, Any], quick: list[Action] | None = None) -> Message:
    message: Message = {"type": "flex", "altText": clip(alt_text, ALT_TEXT_LIMIT), "contents": bubble}
    return with_quick(message, quick)


def card(
    title: str,
    rows: list[tuple[str, str]],
    buttons: list[Action],
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """A simple bubble: a title, label/value rows, an optional note, and buttons."""
    body: list[dict[str, Any]] = [
        {"type": "text", "text": clip(title, 100), "weight": "bold", "size": "lg", "wrap": True}
    ]
    for label, value in rows:
        body.append(
            {
                "type": "box",
                "layout": "baseline",
                "spacing": "sm",
                "contents": [
                    {"type": "text", "text": clip(label, 20), "color": "#555555", "size": "sm", "flex": 2},
                    {"type": "text", "text": clip(value or "-", 400), "wrap": True, "size": "md", "flex": 5},
                ],
            }
        )
    if note:
        body.append({"type": "text", "text": clip(note, 400), "wrap": True, "size": "sm", "color": "#555555"})
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
    }
    if buttons:
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "button", "style": "primary" if i == 0 else "secondary", "height": "sm", "action": a}
                for i, a in enumerate(buttons)
            ],
        }
    return bubble


def carousel(bubbles: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "carousel", "contents": bubbles[:12]}
