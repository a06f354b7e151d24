"""What a step-by-step flow is: one declared object per flow, collected in a registry by name.

Modelled on python-telegram-bot's ConversationHandler, with the state kept in the database
(`db/conversations.py`: one row per member holding the flow's name, its step and its data). Each flow
module ends by declaring its `Flow`; `handlers/registry.py` lists them; the dispatcher
(`handlers/routes.py`) looks up the sender's flow once per event and calls what it declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from linebot.v3.webhooks import Event

from db import conversations
from db.models import Conversation
from handlers.context import Context
from handlers.places import Place

# What a flow does with each kind of input while it is the sender's flow in progress.
StateAction = Callable[[Context, Conversation], None]
# A typed text; returns False when the text is not an answer to the step (it is then read as new).
TextAction = Callable[[Context, Conversation, str], bool | None]
LocationAction = Callable[[Context, Conversation, Place | None], None]
# A button of this flow: the postback's fields and LINE's params (a date picker's value).
PostbackAction = Callable[[Context, Conversation, dict[str, str], dict[str, str]], None]
# A button of this flow tapped while the flow is not in progress (an old card).
OldPostbackAction = Callable[[Context, dict[str, str]], None]
MessageAction = Callable[[Event, Context], None]
# Called after an event that began in this flow, with the data the flow had then.
LeftAction = Callable[[Context, dict[str, Any]], None]

# Most flows are over when left untouched a day: the next message starts afresh.
DAY = timedelta(hours=24)


def clear(ctx: Context, _state: Conversation) -> None:
    """The usual way to leave a flow: forget the state (flows with rows of their own declare more)."""
    conversations.clear_state(ctx.session, ctx.sender.id)


@dataclass(frozen=True)
class Flow:
    """One step-by-step conversation, as the dispatcher knows it.

    Only `name` is required. An input the flow does not declare is handled as if no flow were in
    progress (a location outside the request steps, say), except that a flow with `reprompt` asks
    its step again when an old card's button is tapped.
    """

    name: str  # stored in conversations.flow (at most 32 characters)
    idle_limit: timedelta | None = DAY  # None: never ends by itself
    cancel: StateAction = clear  # やめる, another flow starting, or idle past the limit
    stop: StateAction | None = None  # やめる alone, when it differs from `cancel` (nothing more to say)
    on_text: TextAction | None = None
    on_location: LocationAction | None = None
    postback_codes: frozenset[str] = frozenset()  # the `a=` codes of this flow's own buttons
    on_postback: PostbackAction | None = None
    on_old_postback: OldPostbackAction | None = None
    reprompt: StateAction | None = None  # asks the current step again
    # The current step's question alone (its buttons too): for 「もういっぺん」, and after answering
    # 「いくらかかりますか」 typed mid-step (handlers/routes.py reads both before the step's own words).
    ask_step: StateAction | None = None
    # 「それはなんですか」「どうすればいいの」 asked back: what the step asks for, in other words, then the
    # step's question (read in handlers/routes.py before the step's own words, as ask_step is).
    explain_step: StateAction | None = None
    on_media: StateAction | None = None  # a sticker, photo or file mid-flow (else the usual answer)
    # Flows that take every message (relay chat): anything the sender sends goes here, commands
    # excepted, but for the commands named in `passes_on`, which are passed on as words.
    on_message: MessageAction | None = None
    passes_on: frozenset[str] = frozenset()
    # Names of routes that may take a text while this flow is in progress (by default the step
    # reads the words itself).
    lets_through: frozenset[str] = frozenset()
    # The step's words are the member's own, never a request for help (supporter registration: 「車でいける」
    # is how far they go): only an emergency interrupts, not a referral for what volunteers may not do.
    only_emergencies: bool = False
    on_left: LeftAction | None = None

    def is_idle(self, state: Conversation, now: datetime) -> bool:
        """Left untouched longer than this flow's limit."""
        return self.idle_limit is not None and state.updated_at < now - self.idle_limit


class Registry:
    """Every flow by the name stored in the database, and by the postback codes it owns."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        by_name: dict[str, Flow] = {}
        by_code: dict[str, Flow] = {}
        for flow in flows:
            if flow.name in by_name:
                raise ValueError(f"two flows named {flow.name!r}")
            if len(flow.name) > 32:
                raise ValueError(f"flow name {flow.name!r} is longer than the column (32)")
            by_name[flow.name] = flow
            for code in flow.postback_codes:
                if code in by_code:
                    owners = f"{by_code[code].name} and {flow.name}"
                    raise ValueError(f"postback code {code!r} belongs to {owners}")
                by_code[code] = flow
        self.by_name: Mapping[str, Flow] = MappingProxyType(by_name)
        self.by_code: Mapping[str, Flow] = MappingProxyType(by_code)

    def __getitem__(self, name: str) -> Flow:
        """The flow stored under this name; a name no flow declares (an old row) is left plainly."""
        return self.by_name.get(name) or Flow(name)

    def owning(self, code: str) -> Flow | None:
        return self.by_code.get(code)
