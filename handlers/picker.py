"""「どの依頼ですか？」: one picker for every question about one of several requests.

The rule for which requests are shown, everywhere: soonest first — requests with a day and time by
that time, then いつでも requests — each in the order they were made, at most twelve (LINE shows
thirteen quick replies; the last is やめる). Someone with more than twelve going on sees the twelve
coming up first, which are the ones a check-in, a message or 行けなくなった is most likely about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from db.models import HelpRequest
from handlers import texts, ui
from handlers.common import format_when, label_of
from handlers.context import Context

SHOWN = ui.QUICK_REPLY_LIMIT - 1


def shown(requests: Sequence[HelpRequest]) -> list[HelpRequest]:
    """The requests a picker offers (the rule above)."""
    return sorted(requests, key=_soonest)[:SHOWN]


def _soonest(request: HelpRequest) -> tuple[bool, float, int]:
    when = request.wanted_at
    return (when is None, 0.0 if when is None else when.timestamp(), request.id)


def label(ctx: Context, request: HelpRequest) -> str:
    """A button label naming a request: its kind and day."""
    when = format_when(ctx, request.wanted_at).split(" ")[0]
    return ui.clip(f"{label_of(request.category)} {when}", ui.LABEL_LIMIT, "")


def which_request(
    ctx: Context,
    question: str,
    requests: Sequence[HelpRequest],
    data: Callable[[HelpRequest], str],
    stop: ui.Action | None = None,
) -> ui.Message:
    """The question with one button per request shown (its postback `data`), then やめる."""
    buttons = [ui.postback(label(ctx, r), data(r), label(ctx, r)) for r in shown(requests)]
    return ui.text(question, [*buttons, stop or ui.say(texts.CANCEL)])
