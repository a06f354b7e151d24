"""Volunteer shifts at a place: posted by command, signed up and cancelled in chat, the last seat raced;
invitations to fitting supporters and やってみたい offers, in the weekly cap and quiet hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace, PlaceShift, Proposal, ShiftInvite
from handlers.shifts import when_text
from tests.handlers.cycle import JST, at, jst, make_coordinator
from tests.handlers.dialogue import FAR, NEAR, RESIDENT_HOME, register_supporter, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock, action_data


def _cli(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.stdout


def _post_shift(database_url: str, place_id: int, start: str, role: str = "調理", people: int = 2) -> None:
    _cli(
        database_url, "places", "shift", str(place_id), "--at", start, "--role", role, "--people", str(people)
    )


def _himawari(db_session: Session) -> int:
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    assert place_id is not None
    return place_id


def test_sign_up_cancel_and_a_full_shift(
    chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    place_id = _himawari(db_session)
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
    _post_shift(database_url, _himawari(db_session), "2026-11-27T16:00", role="配膳", people=3)
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


def test_fitting_supporters_and_offers_are_invited_and_the_coordinator_sees_who_comes(
    app: Flask, chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    coordinator = make_coordinator(chat, db_session)
    cook = register_supporter(chat, "aki", "亜紀", "子ども食堂の調理", NEAR)
    bulbs = register_supporter(chat, "ben", "勉", "電球の交換", NEAR)  # skills do not fit
    distant = register_supporter(chat, "dan", "団", "子ども食堂の手伝い", FAR, km=3)  # too far
    # A resident who searched once (so the bot knows their place) and then said やってみたい.
    keen = chat.user("chie", "千恵")
    chat.follow(keen)
    chat.say(keen, "近くのこども食堂")
    chat.location(keen, *RESIDENT_HOME, address="東京都世田谷区世田谷4丁目")
    assert chat.say(keen, "子ども食堂を手伝ってみたい")[0].startswith("「子ども食堂を手伝ってみたい」")
    for user in (cook, bulbs, distant, keen, coordinator):
        chat.new_texts(user)

    _post_shift(database_url, _himawari(db_session), "2026-11-27T16:00", people=2)
    assert at(app, clock, jst(25, 11)).shift_invites == 2
    invitation = "お手伝いのお誘い：ひまわりこども食堂の「調理」 11月27日（金） 16:00〜18:00"
    assert chat.new_texts(cook) == [invitation]
    assert chat.new_texts(keen) == [invitation]
    assert chat.new_texts(bulbs) == [] and chat.new_texts(distant) == []
    assert at(app, clock, jst(25, 12)).shift_invites == 0  # once per shift

    assert tap_label(chat, cook, "参加する")[0].startswith(
        "ありがとうございます！\nひまわりこども食堂の「調理」"
    )
    assert tap_label(chat, keen, "見送る") == ["わかりました。今回は見送ります。\nまたお願いします。"]
    answers = {i.member_id: i.answer for i in db_session.scalars(select(ShiftInvite))}
    assert sorted(answers.values()) == ["joined", "passed"]

    # The place's coordinator sees who is coming; a volunteer does not see the others' names.
    chat.say(coordinator, "お手伝いの募集")
    card = chat.stub.messages_for(coordinator)[-1]
    assert "来る人" in str(card) and "亜紀" in str(card)
    chat.say(bulbs, "お手伝いの募集")
    assert "亜紀" not in str(chat.stub.messages_for(bulbs)[-1])


def test_invitations_count_against_the_weekly_cap_and_wait_out_quiet_hours(
    app: Flask, chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    cook = register_supporter(chat, "aki", "亜紀", "子ども食堂の調理", NEAR)
    chat.new_texts(cook)
    place_id = _himawari(db_session)
    # Posted at night: the invitation is decided now, and delivered when quiet hours end.
    _post_shift(database_url, place_id, "2026-11-28T16:00")
    assert at(app, clock, jst(25, 22)).shift_invites == 1
    assert chat.new_texts(cook) == []
    at(app, clock, jst(26, 8, 1))
    assert chat.new_texts(cook) == [
        "お手伝いのお誘い：ひまわりこども食堂の「調理」 11月28日（土） 16:00〜18:00"
    ]
    for day in (29, 30):
        _post_shift(database_url, place_id, f"2026-11-{day}T16:00")
        assert at(app, clock, jst(26, 9 + day - 29)).shift_invites == 1
    assert len(chat.new_texts(cook)) == 2
    # Three asks this week (OTAGAI_WEEKLY_ASK_CAP): a fourth shift, or a 困りごと card, waits for next week.
    _post_shift(database_url, place_id, "2026-12-01T16:00")
    assert at(app, clock, jst(26, 12)).shift_invites == 0
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    chat.say(resident, "子ども食堂の片付けを手伝ってほしい")
    chat.location(resident, *RESIDENT_HOME, address="東京都世田谷区世田谷4丁目")
    tap_label(chat, resident, "いつでも")
    assert tap_label(chat, resident, "依頼する")[0].startswith("依頼を受け付けました。\n今は、近くに合う")
    assert chat.new_texts(cook) == []
    assert db_session.scalar(select(func.count()).select_from(Proposal)) == 0
    _post_shift(database_url, place_id, "2026-12-05T16:00")
    # A week after the first invitation, one ask has aged out of the week.
    assert at(app, clock, datetime(2026, 12, 3, 10, tzinfo=JST)).shift_invites == 1


@pytest.mark.parametrize(
    ("start", "hours", "said"),
    [
        (datetime(2026, 11, 27, 16, tzinfo=JST), 2, "11月27日（金） 16:00〜18:00"),
        (datetime(2026, 11, 29, 23, 30, tzinfo=JST), 1, "11月29日（日） 23:30〜00:30"),
        (datetime(2026, 12, 1, 1, tzinfo=UTC), 1.5, "12月1日（火） 10:00〜11:30"),  # said in Tokyo time
    ],
)
def test_a_shifts_time_is_said_in_tokyo_with_its_weekday(start: datetime, hours: float, said: str) -> None:
    shift = PlaceShift(starts_at=start, ends_at=start + timedelta(hours=hours))
    assert when_text(shift) == said
