"""Follow-up test helpers: a matched request at a chosen time, and the worker's pass at the clock's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.jobs.followups import FollowUpRunner, RunReport
from db.models import Conversation, FollowUp, FollowUpState, Member
from tests.handlers.dialogue import (
    NEAR,
    RESIDENT_ADDRESS,
    RESIDENT_HOME,
    card_request_id,
    last,
    register_supporter,
    say_request,
    tap_label,
)
from tests.support import Chat, FakeClock, actions_in

JST = ZoneInfo("Asia/Tokyo")


def jst(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Tokyo time (the FakeClock starts on the 25th at 10:00)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=JST)


def run_due(app: Flask, clock: FakeClock) -> RunReport:
    """What `otagai run-due` does, with the app's database, gateway and clock."""
    processor = app.extensions["otagai.processor"]
    runner = FollowUpRunner(processor.settings, processor.session_factory, processor.deliverer)
    return runner.run_due(clock())


def at(app: Flask, clock: FakeClock, moment: datetime) -> RunReport:
    """Move the clock to `moment` and let the worker run."""
    clock.now = moment
    return run_due(app, clock)


def submit(chat: Chat, user: str, text: str, when: str | None) -> list[str]:
    """A 困りごと at the resident's home; `when` is the picker's 'YYYY-MM-DDTHH:MM' or None (いつでも)."""
    say_request(chat, user, text)
    chat.location(user, *RESIDENT_HOME, address=RESIDENT_ADDRESS)
    if when is None:
        tap_label(chat, user, "いつでも")
    else:
        tap_label(chat, user, "日時をえらぶ", {"datetime": when})
    return tap_label(chat, user, "依頼する")


@dataclass(frozen=True)
class Match:
    resident: str
    supporter: str
    request_id: int


def matched(
    chat: Chat,
    when: str | None = "2026-11-26T14:00",
    supporter: tuple[str, str] = ("sato", "佐藤一郎"),
    resident: tuple[str, str] = ("yamada", "山田花子"),
) -> Match:
    """A resident's 電球 request, accepted by a nearby supporter; both inboxes read up to now."""
    helper = register_supporter(chat, *supporter, "電球の交換", NEAR)
    asker = chat.user(*resident)
    chat.follow(asker)
    submit(chat, asker, "電球が切れて替えられない", when)
    if last(chat, helper)["type"] != "flex":
        # A webhook starts no push after its first second (LINE allows it two); on a loaded machine the
        # card is left to the worker's next sweep, which this is.
        chat.client.application.extensions["otagai.processor"].deliverer.deliver_due()
    request_id = card_request_id(last(chat, helper))
    tap_label(chat, helper, "引き受ける")
    for user in (helper, asker):
        chat.new_texts(user)
    return Match(asker, helper, request_id)


def carded(chat: Chat, when: str | None) -> Match:
    """A resident's 電球 request whose card went to one nearby supporter, not yet answered; inboxes read."""
    helper = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    asker = chat.user("yamada", "山田花子")
    chat.follow(asker)
    submit(chat, asker, "電球が切れて替えられない", when)
    if last(chat, helper)["type"] != "flex":
        # A webhook starts no push after its first second (LINE allows it two); on a loaded machine the
        # card is left to the worker's next sweep, which this is.
        chat.client.application.extensions["otagai.processor"].deliverer.deliver_due()
    request_id = card_request_id(last(chat, helper))
    for user in (helper, asker):
        chat.new_texts(user)
    return Match(asker, helper, request_id)


def make_coordinator(chat: Chat, db_session: Session, name: str = "coord") -> str:
    user = chat.user(name, "コーディネーター")
    chat.follow(user)
    chat.new_texts(user)
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    member.is_coordinator = True
    db_session.commit()
    return user


def followups_of(db_session: Session, request_id: int) -> list[tuple[str, str]]:
    """(kind, state) of every follow-up of a request, in due order."""
    db_session.expire_all()
    rows = db_session.scalars(
        select(FollowUp).where(FollowUp.request_id == request_id).order_by(FollowUp.due_at, FollowUp.id)
    )
    return [(f.kind.value, f.state.value) for f in rows]


def pending_kinds(db_session: Session, request_id: int) -> list[str]:
    return [kind for kind, state in followups_of(db_session, request_id) if state == FollowUpState.PENDING]


def tap_newest(chat: Chat, user: str, label: str) -> list[str]:
    """Tap a button of the newest message as LINE would: a postback, or the words it sends."""
    for action in actions_in(chat.stub.messages_for(user)[-1]):
        if action.get("label") == label:
            if action["type"] == "message":
                return chat.say(user, str(action["text"]))
            return chat.tap(user, str(action["data"]))
    raise AssertionError(f"{label!r} is not on the newest message {user} received")


def conversation_of(db_session: Session, user: str) -> Conversation | None:
    """The flow a user is in, as stored (None when they are in none)."""
    db_session.expire_all()
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    return db_session.get(Conversation, member.id)
