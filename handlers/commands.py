"""Commands: the exact words (typed, or tapped as quick replies and rich-menu tiles) and what each runs.

A command works whatever step the sender is in; the words are data in matching/words.toml [commands],
beside each command's button label from handlers/texts. SAID maps the everyday ways of asking
(「サポーターになりたいです」, matching/phrases.toml [commands]) to the same actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from db import requests as request_repo
from handlers import (
    accepted_requests,
    class_changes,
    class_flow,
    classes,
    community_places,
    completion,
    master_flow,
    my_requests,
    offer,
    privacy,
    registry,
    relay,
    shifts,
    supporter_flow,
    supporter_quit,
    texts,
    ui,
)
from handlers.common import main_menu
from handlers.context import Context
from matching.community import PlaceQuery
from matching.phrases import key, loose_keys
from matching.words import command_key, command_words


@dataclass(frozen=True)
class Command:
    name: str  # a flow that takes every message may pass a command's words on (Flow.passes_on)
    run: Callable[[Context], None]


COMMANDS: dict[str, Command] = {}
# Stopping is heard as typed answers are (matching/phrases.py): with an ending or a courtesy around the
# words (「やっぱりやめとくわ」「やめときますね」「もうええです、すんません」), which otherwise got the
# step's hint again and again. Only stopping: an ending changes nothing about it, whatever the step.
_LOOSE_STOPS: dict[str, Command] = {}
_STOP_NAMES = frozenset({"cancel", "said_stop"})


def _command(name: str, *words: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    def register(action: Callable[[Context], None]) -> Callable[[Context], None]:
        for word in words:
            COMMANDS[command_key(word)] = Command(name, action)
            if name in _STOP_NAMES:
                _LOOSE_STOPS[key(word)] = Command(name, action)
        return action

    return register


def command_of(text: str) -> Command | None:
    found = COMMANDS.get(command_key(text))
    if found is not None:
        return found
    return next((_LOOSE_STOPS[k] for k in loose_keys(text) if k in _LOOSE_STOPS), None)


_SAID_STOP = command_words("said_stop")


@_command("said_stop", *_SAID_STOP)
@_command("cancel", *command_words("cancel"))
def cancel_flow(ctx: Context) -> None:
    """やめる: the flow in progress is left its own way (a draft is cancelled)."""
    found = registry.current(ctx)
    if found is None and request_repo.active_of(ctx.session, ctx.sender.id):
        # Nothing half-done: they may mean a request they sent, which 自分の依頼 can cancel.
        mine = ui.say(texts.MENU_MY_REQUESTS)
        buttons = [mine, *(b for b in main_menu(ctx) if b != mine)]
        ctx.reply(ui.text(f"{texts.NOTHING_TO_CANCEL}\n{texts.CANCEL_A_REQUEST_HINT}", buttons))
        return
    if found is None:
        ctx.reply(ui.text(texts.NOTHING_TO_CANCEL, main_menu(ctx)))
        return
    state, flow = found
    (flow.stop or flow.cancel)(ctx, state)
    ctx.reply(ui.text(texts.CANCELLED_FLOW, main_menu(ctx)))


@_command("help", texts.MENU_HELP, *command_words("help"))
def _help(ctx: Context) -> None:
    ctx.reply(ui.text(f"{texts.HELP}\n{texts.HELP_PRIVACY}", [*main_menu(ctx), *privacy.privacy_buttons()]))


# Privacy and problems with a visit (issue 13).
_PRIVACY_WORDS = (texts.MENU_MY_DATA, *command_words("my_data"))
_LEAVE_WORDS = (texts.MENU_LEAVE, *command_words("leave"))
_command("my_data", *_PRIVACY_WORDS)(privacy.show_my_data)
_command("leave", *_LEAVE_WORDS)(privacy.leave_prompt)
_command("report", texts.MENU_REPORT, *command_words("report"))(privacy.report_prompt)
_command("decline", texts.DECLINE_BUTTON, *command_words("decline"))(privacy.decline_prompt)


@_command("my_requests", texts.MENU_MY_REQUESTS, *command_words("my_requests"))
def _my_requests(ctx: Context) -> None:
    my_requests.show(ctx)


@_command("become_supporter", texts.MENU_SUPPORTER, texts.SUP_CHANGE, *command_words("become_supporter"))
def _become_supporter(ctx: Context) -> None:
    registry.leave(ctx)
    supporter_flow.start(ctx)


@_command("supporter_settings", texts.MENU_SUPPORTER_SETTINGS, *command_words("supporter_settings"))
def _supporter_settings(ctx: Context) -> None:
    supporter_flow.show_settings(ctx)


@_command("supporter_tile", texts.RICH_MENU_SUPPORTER)
def _supporter_tile(ctx: Context) -> None:
    """The rich menu is the same for everyone: its サポーター tile fits whoever taps it."""
    if ctx.member is not None and ctx.member.is_supporter:
        supporter_flow.show_settings(ctx)
    else:
        _become_supporter(ctx)


@_command("pause", texts.SUP_PAUSE, *command_words("pause"))
def _pause(ctx: Context) -> None:
    supporter_flow.set_paused(ctx, True)


@_command("resume", texts.SUP_RESUME, *command_words("resume"))
def _resume(ctx: Context) -> None:
    supporter_flow.set_paused(ctx, False)


@_command("offer", texts.MENU_OFFER)
def _offer(ctx: Context) -> None:
    registry.leave(ctx)
    offer.prompt(ctx)


@_command("request", texts.MENU_REQUEST, *command_words("request"))
def _request_prompt(ctx: Context) -> None:
    registry.leave(ctx)
    ctx.reply(ui.text(texts.REQUEST_PROMPT))


@_command("places", texts.MENU_PLACES, "近くの場所", "近くの食堂と場所")
def _places(ctx: Context) -> None:
    """The rich menu's places tile: every kind of place nearby (asked where first if no place is known)."""
    registry.leave(ctx)
    community_places.start(ctx, PlaceQuery((), today=False))


# Follow-ups (issue 4): relay chat, the supporter's list and cancellation, the check-in answers.
_command("relay", texts.RELAY_BUTTON)(relay.start_command)
# Help the community's places need (issue 15).
_command("shifts", *command_words("shifts"))(shifts.show)


# 名人・達人 and their classes (issue 15): the flows are master_flow and class_flow.
@_command(
    "master",
    texts.MASTER_REGISTER,
    "達人登録",
    "名人・達人の登録",
    "名人の登録",
    "名人になる",
    "教えられることを登録",
)
def _become_master(ctx: Context) -> None:
    registry.leave(ctx)
    master_flow.start(ctx)


@_command("class_open", texts.CLASS_OPEN, "教室を開く", "教室をひらきたい", "教室を開きたい")
def _open_class(ctx: Context) -> None:
    registry.leave(ctx)
    class_flow.start(ctx)


_command("my_classes", texts.MY_CLASSES, "教室の変更", "教室を変更したい", "教室の中止", "教室を中止したい")(
    class_changes.show_mine
)
_command("classes", texts.CLASS_LIST, "教室を見る", "教室の一覧", "教室一覧", "きょうしつ")(classes.show)
_command("accepted", texts.MENU_ACCEPTED, *command_words("accepted"))(accepted_requests.show)
_command("drop", texts.DROP_BUTTON, *command_words("drop"))(accepted_requests.drop_command)
_CHECKIN_WORDS = {
    "done": (texts.CHECKIN_DONE, *command_words("checkin_done")),
    "later": (texts.CHECKIN_NOT_YET, *command_words("checkin_later")),
    "noshow": (texts.CHECKIN_NO_SHOW, *command_words("checkin_noshow")),
}
for _value, _words in _CHECKIN_WORDS.items():
    _command(f"checkin_{_value}", *_words)(partial(completion.answer, value=_value))


# Commands said in everyday words (「サポーターになりたいです」「お休みします」), from matching/phrases.toml.
# Outside a step-by-step flow, or while writing a やってみたい (「サポーターになりたいです」 there means it);
# inside the request or registration steps, the step reads the words itself.
SAID: dict[str, Callable[[Context], None]] = {
    "supporter": _become_supporter,
    "pause": _pause,
    "resume": _resume,
    "help": _help,
    "my_requests": _my_requests,
    "request": _request_prompt,
    "offer": _offer,
    "drop": accepted_requests.drop_command,
    "my_data": privacy.show_my_data,
    "supporter_settings": _supporter_settings,
    "quit_supporting": supporter_quit.ask,
    "leave": privacy.leave_prompt,
}
