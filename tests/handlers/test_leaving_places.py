"""Someone who leaves (退会, `otagai members erase`, the purge after unfollow) frees what they held at the
community's places: a class seat goes to the first one waiting, who is told; a master's coming classes are
called off, everyone in them told; a shift seat is free again (coordinators told if it is now short)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import events as ev
from bot.jobs.retention import Retention
from db.models import ClassSeat, CommunityPlace, MasterClass, OutboundMessage, PlaceShift
from tests.handlers.cycle import at, jst, make_coordinator, run_due
from tests.handlers.dialogue import tap_label
from tests.handlers.places_town import seed_town
from tests.handlers.test_class_changes import _class_with_two_seats_and_one_waiting
from tests.support import Chat, FakeClock

SEAT_GIVEN = "【キャンセル待ちの方へ】\n「しめ縄づくりの教室」に席があきました！"


def _leave(chat: Chat, user: str) -> None:
    chat.say(user, "退会")
    assert tap_label(chat, user, "退会する")[0].startswith("退会しました。")


def test_a_seat_freed_by_leaving_goes_to_the_first_one_waiting_who_is_told(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = _class_with_two_seats_and_one_waiting(chat, clock)

    _leave(chat, aki)

    told = chat.new_texts(chie)
    assert len(told) == 1 and told[0].startswith(SEAT_GIVEN)
    assert chat.new_texts(ben) == []
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    db_session.refresh(lesson)
    assert lesson.taken == 2
    assert sorted(s.status for s in db_session.scalars(select(ClassSeat))) == ["cancelled", "seat", "seat"]
    # The master's reminder names who comes now.
    at(app, clock, jst(27, 18))
    assert chat.new_texts(master)[-1].endswith("2人が申し込んでいます：勉、千恵")


def test_a_member_erased_by_the_operator_gives_their_seat_on_too(
    chat: Chat, db_session: Session, clock: FakeClock, database_url: str
) -> None:
    seed_town(db_session)
    _master, _aki, _ben, chie = _class_with_two_seats_and_one_waiting(chat, clock)
    # The command runs on the wall clock: the class is moved a month past it.
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    later = datetime.now(UTC) + timedelta(days=30)
    lesson.starts_at, lesson.ends_at = later, later + timedelta(hours=2)
    db_session.commit()

    result = CliRunner().invoke(
        main, ["members", "erase", "亜紀", "--yes"], env={"DATABASE_URL": database_url}
    )

    assert result.exit_code == 0, result.output
    # The worker delivers what the command queued.
    queued = db_session.scalars(select(OutboundMessage).where(OutboundMessage.status == "pending")).all()
    assert [(row.recipients, row.messages[0]["text"][: len(SEAT_GIVEN)]) for row in queued] == [
        ([chie], SEAT_GIVEN)
    ]


def test_the_purge_after_unfollow_gives_the_seat_on_and_tells(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    _master, aki, _ben, chie = _class_with_two_seats_and_one_waiting(chat, clock)
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    chat.send(ev.unfollow_event(aki))
    # The class is a month later, so it is still coming when the departed member's data goes.
    lesson.starts_at, lesson.ends_at = (
        jst(28, 10).replace(month=12, day=30),
        jst(28, 12).replace(month=12, day=30),
    )
    db_session.commit()
    clock.advance(days=30, minutes=1)
    processor = app.extensions["otagai.processor"]
    assert Retention(processor.session_factory, settings=processor.settings).run(clock()).members == 1
    run_due(app, clock)  # the worker delivers what the purge queued
    assert chat.new_texts(chie)[0].startswith(SEAT_GIVEN)


def test_a_master_who_leaves_calls_their_classes_off_and_everyone_is_told(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = _class_with_two_seats_and_one_waiting(chat, clock)

    _leave(chat, master)

    for person in (aki, ben, chie):
        assert chat.new_texts(person)[0].startswith("【教室の中止】\n「しめ縄づくりの教室」")
    assert chat.say(aki, "教室")[0].startswith("いまひらく予定の教室は、ありません。")
    assert at(app, clock, jst(27, 18)).classes == 0


def test_a_shift_seat_is_free_again_and_a_short_shift_reaches_the_coordinators(
    app: Flask, chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    coordinator = make_coordinator(chat, db_session)
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    when = ("--at", "2026-11-27T16:00", "--hours", "3")
    args = ["places", "shift", str(place_id), *when, "--role", "調理", "--people", "1"]
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    aki = chat.user("aki", "亜紀")
    chat.say(aki, "お手伝いの募集")
    tap_label(chat, aki, "参加する")
    at(app, clock, jst(26, 17))  # the day before: aki reminded; the shift is full, nobody else told
    chat.new_texts(coordinator)

    _leave(chat, aki)

    shift = db_session.scalar(select(PlaceShift))
    assert shift is not None
    db_session.refresh(shift)
    assert shift.taken == 0
    assert chat.new_texts(coordinator) == [
        "【要対応】ひまわりこども食堂の「調理」（11月27日（金） 16:00〜19:00）が、まだ足りません：0/1人。"
    ]
    ben = chat.user("ben", "勉")
    assert chat.say(ben, "お手伝いの募集")[0].startswith("場所からの、お手伝いの募集です。")
    assert tap_label(chat, ben, "参加する")[0].startswith("ありがとうございます！")
