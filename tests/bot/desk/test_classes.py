"""The desk's class actions: a coordinator changes or calls off a master's class; those in it are told in
LINE (delivered at once through the stand-in), each change in the audit log."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DeskAction, DeskRoleKind, MasterClass
from tests.bot.desk.test_place_forms import desk
from tests.bot.desk_support import csrf_from, post
from tests.handlers.dialogue import class_with_two_seats_and_one_waiting
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock


def test_a_coordinator_changes_a_class_then_calls_it_off_and_everyone_hears(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, _ben, chie = class_with_two_seats_and_one_waiting(chat, clock)
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    client = desk(app, db_session, DeskRoleKind.COORDINATOR)
    page = client.get("/desk/masters").get_data(as_text=True)
    assert f'action="/desk/classes/{lesson.id}/change"' in page

    refused = post(client, f"/desk/classes/{lesson.id}/change", {"capacity": "1"}, "/desk/masters")
    assert "すでに2人が申し込んでいます。" in refused
    page = post(
        client,
        f"/desk/classes/{lesson.id}/change",
        {"when": "2026-11-29T13:00", "capacity": "3"},
        "/desk/masters",
    )
    assert "「しめ縄づくりの教室」を変更しました（11月29日（日） 13:00〜15:00・定員3人）。" in page
    assert chat.new_texts(aki)[0].startswith("【教室の日時が変わりました】")
    chie_heard = chat.new_texts(chie)
    assert chie_heard[0].startswith("【教室の日時が変わりました】")  # told while still waiting
    assert chie_heard[1].startswith("【キャンセル待ちの方へ】")  # then the third seat is hers

    unsure = post(client, f"/desk/classes/{lesson.id}/cancel", {}, "/desk/masters")
    assert "チェックを入れてください" in unsure
    page = post(client, f"/desk/classes/{lesson.id}/cancel", {"sure": "1"}, "/desk/masters")
    assert "「しめ縄づくりの教室」を中止しました。3人に知らせました。" in page
    assert chat.new_texts(aki)[0].startswith("【教室の中止】")
    assert chat.say(master, "自分の教室")[0].startswith("これからひらく教室は、ありません。")
    token = csrf_from(client, "/desk/masters")
    again = client.post(f"/desk/classes/{lesson.id}/cancel", data={"sure": "1", "csrf_token": token})
    assert again.status_code == 404  # called off already
    actions = [a.action for a in db_session.scalars(select(DeskAction).order_by(DeskAction.id))]
    assert actions[-2:] == ["class_changed", "class_cancelled"]
