"""Volunteer shifts at a place: posted by command, signed up and cancelled in chat, the last seat raced."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace, PlaceShift
from tests.handlers.cycle import at, jst, make_coordinator
from tests.handlers.dialogue import tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock, action_data


def _cli(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sign_up_cancel_and_a_full_shift(
    chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    out = _cli(
        database_url,
        "places",
        "shift",
        str(place_id),
        "--at",
        "2026-11-25T16:00",
        "--hours",
        "3",
        "--role",
        "調理",
        "--people",
        "2",
    )
    assert "ひまわりこども食堂 調理 x2" in out
    a, b, c = chat.user("aki", "亜紀"), chat.user("ben", "勉"), chat.user("chie", "千恵")
    assert chat.say(a, "お手伝いの募集")[0].startswith("場所からの、お手伝いの募集です。")
    assert tap_label(chat, a, "参加する")[0].startswith(
        "ありがとうございます！\nひまわりこども食堂の「調理」に申し込みました。"
    )
    assert tap_label(chat, a, "参加する") == ["もう申し込んでいます。ありがとうございます！"]
    chat.say(b, "シフト")
    tap_label(chat, b, "参加する")
    # Nothing left: a full shift is not shown to someone who is not coming.
    assert chat.say(c, "おてつだいのぼしゅう")[0].startswith("いま募集しているお手伝いは、ありません。")
    shift = db_session.scalar(select(PlaceShift))
    assert shift is not None
    join_data = action_data(chat.stub.messages_for(a)[1], "参加する")
    assert chat.tap(c, join_data) == ["ごめんなさい。この募集は、もういっぱいになりました。"]
    assert "亜紀、勉" in _cli(database_url, "places", "shifts", "--all")
    assert tap_label(chat, a, "参加をやめる") == ["ひまわりこども食堂の「調理」を、取り消しました。"]
    assert chat.tap(c, join_data)[0].startswith("ありがとうございます！")
    db_session.expire_all()
    assert db_session.get(PlaceShift, shift.id).taken == 2  # type: ignore[union-attr]
    assert "勉、千恵" in _cli(database_url, "places", "shifts", "--all")
    numbers = json.loads(_cli(database_url, "report", "--month", "2026-11", "--json"))["places"]
    assert (numbers["shifts"], numbers["shifts_filled"], numbers["shift_helpers"]) == (1, 1, 2)
    clock.advance(hours=7)  # after the start: the old button says it is over
    assert chat.tap(a, join_data) == ["ごめんなさい。この募集は、もう終わりました。"]
    assert chat.say(a, "お手伝いの募集")[0].startswith("いま募集しているお手伝いは、ありません。")


def test_the_day_before_those_coming_are_reminded_and_a_short_shift_reaches_coordinators(
    app: Flask, chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    coordinator = make_coordinator(chat, db_session)
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    _cli(
        database_url,
        "places",
        "shift",
        str(place_id),
        "--at",
        "2026-11-27T16:00",
        "--role",
        "配膳",
        "--people",
        "3",
    )
    helper = chat.user("dai", "大")
    chat.say(helper, "お手伝いの募集")
    tap_label(chat, helper, "参加する")
    assert at(app, clock, jst(26, 9)).shifts == 0  # more than a day ahead: nothing yet
    assert at(app, clock, jst(26, 17)).shifts == 1
    reminder = chat.new_texts(helper)
    assert reminder == [
        "【あしたのお手伝い】\nひまわりこども食堂の「配膳」\n日時：11月27日（金） 16:00〜18:00\n"
        "よろしくお願いします！\n"
        "行けなくなったら「参加をやめる」を押してください。"
    ]
    assert chat.new_texts(coordinator) == [
        "【要対応】ひまわりこども食堂の「配膳」（11月27日（金） 16:00〜18:00）が、まだ足りません：1/3人。"
    ]
    assert at(app, clock, jst(26, 18)).shifts == 0  # once only
    assert chat.new_texts(helper) == [] and chat.new_texts(coordinator) == []
