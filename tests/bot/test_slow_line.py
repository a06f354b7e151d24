"""A slow or failing LINE never holds a webhook: the answer goes out, what could not is retried."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gateway import PROFILE_TIMEOUT
from db.models import Member
from tests.support import Chat

PROFILE = "/v2/bot/profile/"


@pytest.mark.line_timeouts
def test_a_follow_whose_profile_lookup_hangs_is_greeted_at_once_and_named_later(
    chat: Chat, db_session: Session
) -> None:
    user = chat.user("tanaka", "田中")
    chat.stub.delay_next(3.0, 1, PROFILE)
    started = time.monotonic()
    greeting = chat.follow(user)
    assert time.monotonic() - started < PROFILE_TIMEOUT + 1.0
    assert greeting and "田中" not in greeting[0]
    # The next message fetches the name, after its answer went out.
    assert chat.say(user, "使い方")[0].startswith("使い方です。")
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None and member.display_name == "田中"


def test_first_contact_without_follow_learns_the_name_without_delaying_the_answer(
    chat: Chat, db_session: Session
) -> None:
    user = chat.user("suzuki", "鈴木")
    assert chat.say(user, "使い方")[0].startswith("使い方です。")
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None and member.display_name == "鈴木"
