"""Small pieces shared by several handlers: menus, formatting, privacy redaction."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from db.models import HelpRequest, Member
from handlers import postback, texts, ui
from handlers.context import Context
from matching import category_label, understand
from matching.privacy import mask_personal

# Several routes and a flow look at the same text within one event; understanding it is pure, so remember it.
understood = lru_cache(maxsize=64)(understand)


def main_menu(ctx: Context) -> list[ui.Action]:
    """The quick replies offered whenever the bot is not in the middle of a flow."""
    is_supporter = ctx.member is not None and ctx.member.is_supporter
    supporter_items = (
        [texts.MENU_ACCEPTED, texts.MENU_SUPPORTER_SETTINGS] if is_supporter else [texts.MENU_SUPPORTER]
    )
    words = [texts.MENU_REQUEST, texts.MENU_OFFER, *supporter_items, texts.MENU_MY_REQUESTS, texts.MENU_HELP]
    if ctx.member is not None and ctx.member.is_coordinator:
        words.append(texts.DESK_BUTTON)
    return [ui.say(word) for word in words]


def cancel_button(*, flex: bool = False, flow: str | None = None, request_id: int | None = None) -> ui.Action:
    """やめる: leaves the step-by-step flow in progress.

    A card stays in the chat long after its flow: given the flow (and draft), its button leaves only
    that one, never a newer flow the user has started since.
    """
    scope: dict[str, object] = {}
    if flow is not None:
        scope["f"] = flow
    if request_id is not None:
        scope["r"] = request_id
    return ui.postback(texts.CANCEL, postback.encode("cancel", **scope), texts.CANCEL, flex=flex)


def relay_button(request: HelpRequest, *, flex: bool = False) -> ui.Action:
    return ui.postback(
        texts.RELAY_BUTTON, postback.encode("relay", r=request.id), texts.RELAY_BUTTON, flex=flex
    )


def drop_button(request: HelpRequest, *, flex: bool = False) -> ui.Action:
    data = postback.encode("drop", r=request.id)
    return ui.postback(texts.DROP_BUTTON, data, texts.DROP_BUTTON, flex=flex)


def name_of(request: HelpRequest, member: Member) -> str:
    """A member's name as the other side of a request sees it, with a kind fallback."""
    fallback = texts.SOMEONE_RESIDENT if member.id == request.requester_id else texts.SOMEONE_SUPPORTER
    return member.display_name or fallback


def label_of(category: str | None) -> str:
    return category_label(category) if category else texts.UNKNOWN_CATEGORY


def format_when(ctx: Context, moment: datetime | None) -> str:
    if moment is None:
        return texts.WHEN_ANYTIME
    local = ctx.local(moment)
    weekday = texts.WEEKDAYS[local.weekday()]
    day = texts.DAY.format(month=local.month, day=local.day, weekday=weekday)
    return texts.DAY_TIME.format(day=day, time=f"{local:%H:%M}")


def redact(text: str, name: str | None = None) -> str:
    """Hide what would identify a resident (name, building, room, street, phone, e-mail) before accepting."""
    return mask_personal(text, [name] if name else [])


def request_named(ctx: Context, fields: dict[str, str]) -> HelpRequest | None:
    """The request a button names (its `r` field); None when the id is malformed or names no row.

    Whether the sender may act on it is the caller's question (the resident, the supporter, staff).
    """
    request_id = postback.int_field(fields, "r")
    return None if request_id is None else ctx.session.get(HelpRequest, request_id)
