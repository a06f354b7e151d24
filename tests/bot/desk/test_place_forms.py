"""The desk's place forms over HTTP: register and edit a place, close it for a day and post a shift (which
the worker then offers to fitting supporters), each audited; bad opening text, read-only and CSRF refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CommunityPlace, DeskAction, DeskRoleKind, PlaceShift
from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.handlers.cycle import JST, at, jst
from tests.handlers.dialogue import NEAR, register_supporter
from tests.support import Chat, FakeClock

FORM = {
    "kind": "kodomo_shokudo",
    "name": "たいしどうこども食堂",
    "address": "世田谷区太子堂",
    "latitude": "",
    "longitude": "",
    "opening": "毎週水曜 17:00-19:00、祝日は休み",
    "note": "子ども無料",
}


def desk(app: Flask, db_session: Session, role: DeskRoleKind = DeskRoleKind.COORDINATOR) -> FlaskClient:
    add_account(db_session, role=role)
    db_session.commit()
    client = app.test_client()
    assert sign_in(client) == 302
    return client


def count(db_session: Session, model: type) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model)) or 0


def test_a_coordinator_registers_edits_closes_and_posts_a_shift_all_audited(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    client = desk(app, db_session)
    assert 'href="/desk/places/new"' in client.get("/desk/places").get_data(as_text=True)
    page = post(client, "/desk/places/new", FORM, "/desk/places/new")
    assert (
        "たいしどうこども食堂を登録しました。" in page and "太子堂" in page
    )  # where it was placed, said back
    place = db_session.scalars(select(CommunityPlace)).one()
    assert (place.kind, place.opening_text, place.note) == ("kodomo_shokudo", FORM["opening"], "子ども無料")
    assert place.openings and place.closed_on_holidays and 35.6 < place.lat < 35.7

    # Columns only the CSV import used to set come back filled in on the form, so an edit keeps them.
    place.price, place.accepts_food = "100円", "野菜、お米"
    db_session.commit()
    edit = f"/desk/places/{place.id}/edit"
    shown = client.get(edit).get_data(as_text=True)
    assert "毎週水曜 17:00-19:00" in shown  # the form comes filled in
    assert 'name="price"' in shown and 'value="100円"' in shown and 'value="野菜、お米"' in shown
    changed = {
        **FORM,
        "name": "太子堂こども食堂",
        "latitude": str(NEAR[0]),
        "longitude": str(NEAR[1]),
        "price": "100円",
        "accepts_food": "野菜、お米",
    }
    page = post(client, edit, {**changed, "opening": "毎月第2・第4土曜 11:30～13:30"}, edit)
    assert "太子堂こども食堂を直しました。" in page
    db_session.expire_all()
    assert count(db_session, CommunityPlace) == 1
    assert (place.name, place.lat, place.opening_text) == (
        "太子堂こども食堂",
        NEAR[0],
        "毎月第2・第4土曜 11:30～13:30",
    )
    assert (place.price, place.accepts_food) == ("100円", "野菜、お米")

    page = post(client, f"/desk/places/{place.id}/close", {"day": "2026-12-12"}, "/desk/places")
    assert "12月12日を休みにしました" in page and "休みの日：2026-12-12" in page
    db_session.expire_all()
    assert place.closed_days == ["2026-12-12"]

    supporter = register_supporter(chat, "aki", "亜紀", "子ども食堂の調理", NEAR)
    chat.new_texts(supporter)
    shift = {"day": "2026-11-27", "time": "16:00", "hours": "2", "role": "調理", "people": "2", "note": ""}
    page = post(client, f"/desk/places/{place.id}/shift", shift, "/desk/places")
    assert "「調理」11月27日 16:00（2人）を募集しました" in page
    posted = db_session.scalars(select(PlaceShift)).one()
    assert (posted.role, posted.needed, posted.starts_at.astimezone(JST).hour) == ("調理", 2, 16)
    # The worker invites a fitting supporter, exactly as for a shift posted with `otagai places shift`.
    assert at(app, clock, jst(25, 11)).shift_invites == 1
    assert chat.new_texts(supporter) == [
        "お手伝いのお誘い：太子堂こども食堂の「調理」 11月27日（金） 16:00〜18:00"
    ]

    actions = [a.action for a in db_session.scalars(select(DeskAction).order_by(DeskAction.id))]
    assert actions == ["place_added", "place_edited", "place_closed", "shift_posted"]


def test_a_bad_opening_or_shift_is_refused_kindly_and_nothing_is_stored(
    app: Flask, db_session: Session
) -> None:
    client = desk(app, db_session)
    token = csrf_from(client, "/desk/places/new")
    refused = client.post("/desk/places/new", data={**FORM, "opening": "毎週水曜", "csrf_token": token})
    assert refused.status_code == 400
    shown = refused.get_data(as_text=True)
    assert "開いている日時：「毎週水曜」の時間がわかりません（例：17:00-19:00）。" in shown
    assert 'value="たいしどうこども食堂"' in shown  # what was typed stays in the form
    nowhere = client.post("/desk/places/new", data={**FORM, "address": "どこでもない町", "csrf_token": token})
    assert nowhere.status_code == 400 and "場所がわかりません" in nowhere.get_data(as_text=True)
    assert count(db_session, CommunityPlace) == 0 and count(db_session, DeskAction) == 0

    post(client, "/desk/places/new", FORM, "/desk/places/new")
    place_id = db_session.scalars(select(CommunityPlace.id)).one()
    bad = {"day": "2026-11-27", "time": "", "hours": "20", "role": "料理長", "people": "0"}
    page = post(client, f"/desk/places/{place_id}/shift", bad, "/desk/places")
    assert "日にちと時間を入れてください。" in page and "役割は 調理・配膳・見守り・片付け・送迎 から" in page
    page = post(client, f"/desk/places/{place_id}/close", {"day": "あした"}, "/desk/places")
    assert "休みの日を、2026-12-24 のように入れてください。" in page
    assert count(db_session, PlaceShift) == 0 and count(db_session, DeskAction) == 1


def test_read_only_sees_no_place_form_and_is_refused(app: Flask, db_session: Session) -> None:
    coordinator = desk(app, db_session)
    post(coordinator, "/desk/places/new", FORM, "/desk/places/new")
    place_id = db_session.scalars(select(CommunityPlace.id)).one()
    add_account(db_session, "見る人", role=DeskRoleKind.READ_ONLY)
    db_session.commit()
    watcher = app.test_client()
    assert sign_in(watcher, "見る人") == 302
    for path in ("/desk/places", "/desk/places/new", f"/desk/places/{place_id}/edit"):
        page = watcher.get(path)
        assert page.status_code == 200, path
        assert page.get_data(as_text=True).count('method="post"') == 1, path  # only ログアウト
    assert "見るだけの役割なので" in watcher.get("/desk/places/new").get_data(as_text=True)
    token = csrf_from(watcher, "/desk/places")
    before = count(db_session, DeskAction)
    for path, data in (
        ("/desk/places/new", {**FORM, "name": "別の食堂"}),
        (f"/desk/places/{place_id}/edit", {**FORM, "name": "別の名前"}),
        (f"/desk/places/{place_id}/close", {"day": "2026-12-12"}),
        (
            f"/desk/places/{place_id}/shift",
            {"day": "2026-11-27", "time": "16:00", "hours": "2", "role": "調理", "people": "1"},
        ),
    ):
        refused = watcher.post(path, data={**data, "csrf_token": token})
        assert refused.status_code == 403 and "見るだけ" in refused.get_data(as_text=True), path
    assert count(db_session, DeskAction) == before and count(db_session, PlaceShift) == 0
    assert db_session.scalars(select(CommunityPlace.name)).all() == ["たいしどうこども食堂"]


def test_every_place_form_needs_the_csrf_token(app: Flask, db_session: Session) -> None:
    client = desk(app, db_session)
    post(client, "/desk/places/new", FORM, "/desk/places/new")
    place_id = db_session.scalars(select(CommunityPlace.id)).one()
    for path in (
        "/desk/places/new",
        f"/desk/places/{place_id}/edit",
        f"/desk/places/{place_id}/close",
        f"/desk/places/{place_id}/shift",
    ):
        for token in ({}, {"csrf_token": "forged"}):
            refused = client.post(path, data={**FORM, "day": "2026-12-12", **token})
            assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True), path
    assert count(db_session, DeskAction) == 1 and count(db_session, PlaceShift) == 0
