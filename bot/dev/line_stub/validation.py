"""LINE's documented message limits as pure checks, so the stub rejects what the real platform rejects."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_MESSAGES_PER_CALL = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_POSTBACK_DATA = 300
MAX_SENDER_NAME = 20
MAX_FLEX_ALT_TEXT = 1500
MAX_TEMPLATE_ALT_TEXT = 400
MAX_CAROUSEL_BUBBLES = 12
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_BUTTONS_ACTIONS = 4
MAX_URL = 2000

# The components the SDK can build; the deprecated spacer is left out because the SDK refuses it.
FLEX_COMPONENTS = frozenset(
    {"box", "button", "image", "icon", "text", "span", "separator", "filler", "video"}
)
_QUICK_REPLY_ONLY_ACTIONS = frozenset({"camera", "cameraRoll", "location"})
_URI_SCHEMES = ("http://", "https://", "line://", "tel:")
_PICKER_FORMATS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}"),
    "datetime": re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}"),
}

Detail = dict[str, str]
JsonObject = Mapping[str, Any]


class Problems:
    """Collects LINE-style error details ({"message", "property"}) while a request body is walked."""

    def __init__(self) -> None:
        self.details: list[Detail] = []

    def __bool__(self) -> bool:
        return bool(self.details)

    def add(self, prop: str, message: str) -> None:
        self.details.append({"message": message, "property": prop})

    def body(self) -> dict[str, Any]:
        return {"message": f"The request body has {len(self.details)} error(s)", "details": self.details}


@dataclass(frozen=True)
class ActionRules:
    """How an action is checked depends on where it sits: labels are longer on Flex buttons, for example."""

    label_limit: int
    label_required: bool
    in_quick_reply: bool = False
    in_rich_menu: bool = False


QUICK_REPLY_ACTION = ActionRules(label_limit=20, label_required=True, in_quick_reply=True)
TEMPLATE_ACTION = ActionRules(label_limit=20, label_required=True)
TEMPLATE_DEFAULT_ACTION = ActionRules(label_limit=20, label_required=False)
IMAGE_CAROUSEL_ACTION = ActionRules(label_limit=12, label_required=False)
FLEX_BUTTON_ACTION = ActionRules(label_limit=40, label_required=True)
FLEX_ACTION = ActionRules(label_limit=40, label_required=False)
RICH_MENU_ACTION = ActionRules(label_limit=20, label_required=False, in_rich_menu=True)

# Rich menus (Messaging API reference, "Rich menu object" and "Upload rich menu image").
RICH_MENU_MIN_WIDTH, RICH_MENU_MAX_WIDTH = 800, 2500
RICH_MENU_MIN_HEIGHT = 250
RICH_MENU_MIN_RATIO = 1.45
RICH_MENU_MAX_AREAS = 20
RICH_MENU_MAX_NAME = 300
RICH_MENU_MAX_CHAT_BAR = 14
RICH_MENU_MAX_IMAGE_BYTES = 1024 * 1024


def utf16_len(text: str) -> int:
    # LINE counts like Java's String.length(): an emoji outside the BMP counts as two.
    return len(text.encode("utf-16-le")) // 2


def json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def type_of(obj: JsonObject) -> str:
    kind = obj.get("type")
    return kind if isinstance(kind, str) else ""


def as_object(value: Any, prop: str, problems: Problems) -> JsonObject | None:
    if isinstance(value, Mapping):
        return value
    problems.add(prop, "must be specified" if value is None else "must be an object")
    return None


def check_string(
    obj: JsonObject, key: str, prop: str, problems: Problems, *, max_len: int, required: bool = True
) -> str | None:
    where = f"{prop}.{key}" if prop else key
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(where, "must be specified")
        return None
    if not isinstance(value, str):
        problems.add(where, "must be a string")
        return None
    min_len = 1 if required else 0
    if not min_len <= utf16_len(value) <= max_len:
        problems.add(where, f"Length must be between {min_len} and {max_len}")
    return value


def check_url(
    obj: JsonObject,
    key: str,
    prop: str,
    problems: Problems,
    *,
    required: bool = True,
    schemes: tuple[str, ...] = ("https://",),
    max_len: int = MAX_URL,
) -> None:
    url = check_string(obj, key, prop, problems, max_len=max_len, required=required)
    if url is not None and not url.startswith(schemes):
        problems.add(f"{prop}.{key}", f"must start with one of {', '.join(schemes)}")


def check_list(
    obj: JsonObject, key: str, prop: str, problems: Problems, *, min_size: int, max_size: int | None
) -> list[tuple[str, Any]]:
    """The list's items with their property paths; a missing or wrongly sized list is reported."""
    where = f"{prop}.{key}" if prop else key
    value = obj.get(key)
    if not isinstance(value, list):
        problems.add(where, "must be specified" if value is None else "must be an array")
        return []
    if max_size is None:
        if len(value) < min_size:
            problems.add(where, f"Size must be at least {min_size}")
    elif not min_size <= len(value) <= max_size:
        problems.add(where, f"Size must be between {min_size} and {max_size}")
    return [(f"{where}[{index}]", item) for index, item in enumerate(value)]


def check_messages(body: JsonObject, problems: Problems) -> list[Any]:
    """Checks body["messages"] and returns it (as sent) for delivery."""
    items = check_list(body, "messages", "", problems, min_size=1, max_size=MAX_MESSAGES_PER_CALL)
    for prop, message in items:
        check_message(message, prop, problems)
    return [message for _, message in items]


def check_message(value: Any, prop: str, problems: Problems) -> None:
    message = as_object(value, prop, problems)
    if message is None:
        return
    check = _MESSAGE_CHECKS.get(type_of(message))
    if check is None:
        problems.add(f"{prop}.type", f"must be one of {', '.join(sorted(_MESSAGE_CHECKS))}")
        return
    check(message, prop, problems)
    _check_quick_reply(message, prop, problems)
    _check_sender(message, prop, problems)


def _check_text(message: JsonObject, prop: str, problems: Problems) -> None:
    check_string(message, "text", prop, problems, max_len=MAX_TEXT)


def _check_sticker(message: JsonObject, prop: str, problems: Problems) -> None:
    check_string(message, "packageId", prop, problems, max_len=100)
    check_string(message, "stickerId", prop, problems, max_len=100)


def _check_image_or_video(message: JsonObject, prop: str, problems: Problems) -> None:
    check_url(message, "originalContentUrl", prop, problems)
    check_url(message, "previewImageUrl", prop, problems)


def _check_audio(message: JsonObject, prop: str, problems: Problems) -> None:
    check_url(message, "originalContentUrl", prop, problems)
    duration = message.get("duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
        problems.add(f"{prop}.duration", "must be a positive number of milliseconds")


def _check_location(message: JsonObject, prop: str, problems: Problems) -> None:
    check_string(message, "title", prop, problems, max_len=100)
    check_string(message, "address", prop, problems, max_len=100)
    _check_coordinate(message, "latitude", 90, prop, problems)
    _check_coordinate(message, "longitude", 180, prop, problems)


def _check_coordinate(message: JsonObject, key: str, bound: int, prop: str, problems: Problems) -> None:
    value = message.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or not -bound <= value <= bound:
        problems.add(f"{prop}.{key}", f"must be a number between -{bound} and {bound}")


def _check_imagemap(message: JsonObject, prop: str, problems: Problems) -> None:
    check_url(message, "baseUrl", prop, problems)
    check_string(message, "altText", prop, problems, max_len=MAX_FLEX_ALT_TEXT)
    as_object(message.get("baseSize"), f"{prop}.baseSize", problems)
    for action_prop, value in check_list(message, "actions", prop, problems, min_size=1, max_size=50):
        action = as_object(value, action_prop, problems)
        if action is not None:
            _check_imagemap_action(action, action_prop, problems)


def _check_imagemap_action(action: JsonObject, prop: str, problems: Problems) -> None:
    # Imagemap actions are their own shapes (linkUri rather than uri), not the general action objects.
    check_string(action, "label", prop, problems, max_len=50, required=False)
    as_object(action.get("area"), f"{prop}.area", problems)
    kind = action.get("type")
    if kind == "uri":
        check_url(action, "linkUri", prop, problems, schemes=_URI_SCHEMES, max_len=1000)
    elif kind == "message":
        check_string(action, "text", prop, problems, max_len=400)
    elif kind == "clipboard":
        check_string(action, "clipboardText", prop, problems, max_len=1000)
    else:
        problems.add(f"{prop}.type", "must be one of clipboard, message, uri")


def _check_template_message(message: JsonObject, prop: str, problems: Problems) -> None:
    check_string(message, "altText", prop, problems, max_len=MAX_TEMPLATE_ALT_TEXT)
    template = as_object(message.get("template"), f"{prop}.template", problems)
    if template is None:
        return
    check = _TEMPLATE_CHECKS.get(type_of(template))
    if check is None:
        problems.add(f"{prop}.template.type", f"must be one of {', '.join(sorted(_TEMPLATE_CHECKS))}")
        return
    check(template, f"{prop}.template", problems)


def _check_buttons(template: JsonObject, prop: str, problems: Problems) -> None:
    check_url(template, "thumbnailImageUrl", prop, problems, required=False)
    check_string(template, "title", prop, problems, max_len=40, required=False)
    # LINE leaves less room for the text once an image or a title takes space on the card.
    crowded = "thumbnailImageUrl" in template or "title" in template
    check_string(template, "text", prop, problems, max_len=60 if crowded else 160)
    _check_template_actions(template, prop, problems, min_size=1, max_size=MAX_BUTTONS_ACTIONS)


def _check_confirm(template: JsonObject, prop: str, problems: Problems) -> None:
    check_string(template, "text", prop, problems, max_len=240)
    _check_template_actions(template, prop, problems, min_size=2, max_size=2)


def _check_carousel_template(template: JsonObject, prop: str, problems: Problems) -> None:
    columns = check_list(template, "columns", prop, problems, min_size=1, max_size=10)
    action_counts = set()
    for column_prop, value in columns:
        column = as_object(value, column_prop, problems)
        if column is None:
            continue
        check_url(column, "thumbnailImageUrl", column_prop, problems, required=False)
        check_string(column, "title", column_prop, problems, max_len=40, required=False)
        crowded = "thumbnailImageUrl" in column or "title" in column
        check_string(column, "text", column_prop, problems, max_len=60 if crowded else 120)
        _check_template_actions(column, column_prop, problems, min_size=1, max_size=3)
        action_counts.add(len(column.get("actions") or []))
    if len(action_counts) > 1:
        problems.add(f"{prop}.columns", "every column must have the same number of actions")


def _check_image_carousel(template: JsonObject, prop: str, problems: Problems) -> None:
    for column_prop, value in check_list(template, "columns", prop, problems, min_size=1, max_size=10):
        column = as_object(value, column_prop, problems)
        if column is not None:
            check_url(column, "imageUrl", column_prop, problems)
            check_action(column.get("action"), f"{column_prop}.action", IMAGE_CAROUSEL_ACTION, problems)


def _check_template_actions(
    template: JsonObject, prop: str, problems: Problems, *, min_size: int, max_size: int
) -> None:
    for action_prop, action in check_list(
        template, "actions", prop, problems, min_size=min_size, max_size=max_size
    ):
        check_action(action, action_prop, TEMPLATE_ACTION, problems)
    if "defaultAction" in template:
        check_action(template["defaultAction"], f"{prop}.defaultAction", TEMPLATE_DEFAULT_ACTION, problems)


def _check_flex_message(message: JsonObject, prop: str, problems: Problems) -> None:
    check_string(message, "altText", prop, problems, max_len=MAX_FLEX_ALT_TEXT)
    container = as_object(message.get("contents"), f"{prop}.contents", problems)
    if container is None:
        return
    container_prop = f"{prop}.contents"
    if container.get("type") == "bubble":
        _check_bubble(container, container_prop, problems)
    elif container.get("type") == "carousel":
        _check_flex_carousel(container, container_prop, problems)
    else:
        problems.add(f"{container_prop}.type", "must be one of bubble, carousel")


def _check_flex_carousel(carousel: JsonObject, prop: str, problems: Problems) -> None:
    if json_size(carousel) > MAX_CAROUSEL_BYTES:
        problems.add(prop, f"a carousel's JSON must be at most {MAX_CAROUSEL_BYTES} bytes")
    for bubble_prop, value in check_list(
        carousel, "contents", prop, problems, min_size=1, max_size=MAX_CAROUSEL_BUBBLES
    ):
        bubble = as_object(value, bubble_prop, problems)
        if bubble is None:
            continue
        if bubble.get("type") != "bubble":
            problems.add(f"{bubble_prop}.type", "a carousel holds only bubbles")
        _check_bubble(bubble, bubble_prop, problems)


def _check_bubble(bubble: JsonObject, prop: str, problems: Problems) -> None:
    if json_size(bubble) > MAX_BUBBLE_BYTES:
        problems.add(prop, f"a bubble's JSON must be at most {MAX_BUBBLE_BYTES} bytes")
    for block in ("header", "hero", "body", "footer"):
        if block in bubble:
            check_flex_component(bubble[block], f"{prop}.{block}", problems)
    if "action" in bubble:
        check_action(bubble["action"], f"{prop}.action", FLEX_ACTION, problems)


def check_flex_component(value: Any, prop: str, problems: Problems) -> None:
    """Walks a Flex component and everything nested in it, wherever an action or image may hide."""
    component = as_object(value, prop, problems)
    if component is None:
        return
    kind = component.get("type")
    if kind not in FLEX_COMPONENTS:
        problems.add(f"{prop}.type", f"must be one of {', '.join(sorted(FLEX_COMPONENTS))}")
        return
    if kind == "box":
        for child_prop, child in check_list(component, "contents", prop, problems, min_size=0, max_size=None):
            check_flex_component(child, child_prop, problems)
    elif kind == "text":
        for span_prop, span in _optional_items(component, "contents", prop):
            check_flex_component(span, span_prop, problems)
    elif kind in ("image", "icon"):
        check_url(component, "url", prop, problems)
    elif kind == "video":
        check_url(component, "url", prop, problems)
        check_url(component, "previewUrl", prop, problems)
        check_flex_component(component.get("altContent"), f"{prop}.altContent", problems)
    if kind == "button":
        check_action(component.get("action"), f"{prop}.action", FLEX_BUTTON_ACTION, problems)
    elif "action" in component:
        check_action(component["action"], f"{prop}.action", FLEX_ACTION, problems)


def _optional_items(obj: JsonObject, key: str, prop: str) -> list[tuple[str, Any]]:
    value = obj.get(key)
    if not isinstance(value, list):
        return []
    return [(f"{prop}.{key}[{index}]", item) for index, item in enumerate(value)]


def check_action(value: Any, prop: str, rules: ActionRules, problems: Problems) -> None:
    action = as_object(value, prop, problems)
    if action is None:
        return
    check_string(action, "label", prop, problems, max_len=rules.label_limit, required=rules.label_required)
    kind = type_of(action)
    check = _ACTION_CHECKS.get(kind)
    if kind == "richmenuswitch" and rules.in_rich_menu:
        check_string(action, "richMenuAliasId", prop, problems, max_len=32)
        check_string(action, "data", prop, problems, max_len=MAX_POSTBACK_DATA)
    elif kind in _QUICK_REPLY_ONLY_ACTIONS:
        if not rules.in_quick_reply:
            problems.add(f"{prop}.type", f"a {kind} action works only in a quick reply")
    elif check is None:
        allowed = sorted({*_ACTION_CHECKS, *_QUICK_REPLY_ONLY_ACTIONS})
        problems.add(f"{prop}.type", f"must be one of {', '.join(allowed)}")
    else:
        check(action, prop, problems)


def _check_postback(action: JsonObject, prop: str, problems: Problems) -> None:
    check_string(action, "data", prop, problems, max_len=MAX_POSTBACK_DATA)
    check_string(action, "displayText", prop, problems, max_len=300, required=False)
    check_string(action, "text", prop, problems, max_len=300, required=False)
    check_string(action, "fillInText", prop, problems, max_len=300, required=False)
    if "displayText" in action and "text" in action:
        problems.add(f"{prop}.text", "displayText and text cannot both be set")


def _check_message_action(action: JsonObject, prop: str, problems: Problems) -> None:
    check_string(action, "text", prop, problems, max_len=300)


def _check_uri_action(action: JsonObject, prop: str, problems: Problems) -> None:
    check_url(action, "uri", prop, problems, schemes=_URI_SCHEMES, max_len=1000)


def _check_datetime_picker(action: JsonObject, prop: str, problems: Problems) -> None:
    check_string(action, "data", prop, problems, max_len=MAX_POSTBACK_DATA)
    mode = action.get("mode")
    pattern = _PICKER_FORMATS.get(mode if isinstance(mode, str) else "")
    if pattern is None:
        problems.add(f"{prop}.mode", "must be one of date, time, datetime")
        return
    for key in ("initial", "max", "min"):
        value = action.get(key)
        # LINE takes local times without seconds or a zone: isoformat() output is rejected.
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            problems.add(f"{prop}.{key}", f"must match the {mode} format without seconds or time zone")


def _check_clipboard(action: JsonObject, prop: str, problems: Problems) -> None:
    check_string(action, "clipboardText", prop, problems, max_len=1000)


def _check_rich_menu_switch(action: JsonObject, prop: str, problems: Problems) -> None:
    problems.add(f"{prop}.type", "a richmenuswitch action works only in a rich menu")


def check_rich_menu(value: Any, problems: Problems) -> None:
    """A rich menu object: its size, name, chat-bar text and tap areas, each inside the image."""
    menu = as_object(value, "", problems)
    if menu is None:
        return
    size = as_object(menu.get("size"), "size", problems)
    width = height = 0
    if size is not None:
        width, height = (
            _dimension(size, "width", "size", problems),
            _dimension(size, "height", "size", problems),
        )
        if width and not RICH_MENU_MIN_WIDTH <= width <= RICH_MENU_MAX_WIDTH:
            problems.add("size.width", f"must be between {RICH_MENU_MIN_WIDTH} and {RICH_MENU_MAX_WIDTH}")
        if height and height < RICH_MENU_MIN_HEIGHT:
            problems.add("size.height", f"must be {RICH_MENU_MIN_HEIGHT} or more")
        if width and height and width / height < RICH_MENU_MIN_RATIO:
            problems.add("size", f"width / height must be {RICH_MENU_MIN_RATIO} or more")
    if not isinstance(menu.get("selected"), bool):
        problems.add("selected", "must be a boolean")
    check_string(menu, "name", "", problems, max_len=RICH_MENU_MAX_NAME)
    check_string(menu, "chatBarText", "", problems, max_len=RICH_MENU_MAX_CHAT_BAR)
    for area_prop, value in check_list(menu, "areas", "", problems, min_size=1, max_size=RICH_MENU_MAX_AREAS):
        area = as_object(value, area_prop, problems)
        if area is None:
            continue
        bounds = as_object(area.get("bounds"), f"{area_prop}.bounds", problems)
        if bounds is not None:
            where = f"{area_prop}.bounds"
            x = _dimension(bounds, "x", where, problems, zero=True)
            y = _dimension(bounds, "y", where, problems, zero=True)
            w, h = _dimension(bounds, "width", where, problems), _dimension(bounds, "height", where, problems)
            if width and height and (x + w > width or y + h > height):
                problems.add(f"{area_prop}.bounds", "must lie inside the rich menu's size")
        check_action(area.get("action"), f"{area_prop}.action", RICH_MENU_ACTION, problems)


def _dimension(obj: JsonObject, key: str, prop: str, problems: Problems, *, zero: bool = False) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if zero else 1):
        problems.add(f"{prop}.{key}", "must be a whole number of pixels" + ("" if zero else " above 0"))
        return 0
    return value


def _check_quick_reply(message: JsonObject, prop: str, problems: Problems) -> None:
    if "quickReply" not in message:
        return
    quick_prop = f"{prop}.quickReply"
    quick_reply = as_object(message["quickReply"], quick_prop, problems)
    if quick_reply is None:
        return
    for item_prop, value in check_list(
        quick_reply, "items", quick_prop, problems, min_size=1, max_size=MAX_QUICK_REPLY_ITEMS
    ):
        item = as_object(value, item_prop, problems)
        if item is None:
            continue
        if item.get("type") != "action":
            problems.add(f"{item_prop}.type", "must be action")
        check_url(item, "imageUrl", item_prop, problems, required=False, max_len=1000)
        check_action(item.get("action"), f"{item_prop}.action", QUICK_REPLY_ACTION, problems)


def _check_sender(message: JsonObject, prop: str, problems: Problems) -> None:
    if "sender" not in message:
        return
    sender = as_object(message["sender"], f"{prop}.sender", problems)
    if sender is not None:
        check_string(sender, "name", f"{prop}.sender", problems, max_len=MAX_SENDER_NAME, required=False)
        check_url(sender, "iconUrl", f"{prop}.sender", problems, required=False, max_len=1000)


Check = Callable[[JsonObject, str, Problems], None]

_MESSAGE_CHECKS: dict[str, Check] = {
    "text": _check_text,
    "textV2": _check_text,
    "sticker": _check_sticker,
    "image": _check_image_or_video,
    "video": _check_image_or_video,
    "audio": _check_audio,
    "location": _check_location,
    "imagemap": _check_imagemap,
    "template": _check_template_message,
    "flex": _check_flex_message,
}
_TEMPLATE_CHECKS: dict[str, Check] = {
    "buttons": _check_buttons,
    "confirm": _check_confirm,
    "carousel": _check_carousel_template,
    "image_carousel": _check_image_carousel,
}
_ACTION_CHECKS: dict[str, Check] = {
    "postback": _check_postback,
    "message": _check_message_action,
    "uri": _check_uri_action,
    "datetimepicker": _check_datetime_picker,
    "clipboard": _check_clipboard,
    "richmenuswitch": _check_rich_menu_switch,
}
