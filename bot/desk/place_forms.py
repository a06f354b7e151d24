"""The desk's place forms: register or edit a place, close it for a day, post a shift; the same checks and
writes as `otagai places import/close/shift` (bot/place_import.py, db/places.py), every change audited."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.desk import blueprint
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.places import locate_place
from bot.desk.views import visible
from bot.place_import import OPTIONAL, OPTIONAL_JA, place_from_form
from db import desk as desk_repo
from db.models import CommunityPlace, DeskAccount
from db.places import close_on, post_shift, save_place
from matching.community import PLACE_KINDS, kind_label

FIELDS = ("kind", "name", "address", "latitude", "longitude", "opening", "note", *OPTIONAL)
DESK_ROLES = ("調理", "配膳", "見守り", "片付け", "送迎")
NOTE_LIMIT = 500


def _kinds() -> list[tuple[str, str]]:
    return [(kind.id, kind.label) for kind in PLACE_KINDS]


def _form_of(place: CommunityPlace) -> dict[str, str]:
    return {
        "kind": place.kind,
        "name": place.name,
        "address": place.address,
        "latitude": f"{place.lat}",
        "longitude": f"{place.lon}",
        "opening": place.opening_text,
        "note": place.note or "",
        # The import's optional columns are on the form too, so an edit keeps them.
        "audience": place.audience,
        "price": place.price,
        "contact": place.contact,
        "accepts_food": place.accepts_food,
    }


def _page(
    form: dict[str, str], place_id: int | None, may_act: bool = True, status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "desk/place_form.html",
            form=form,
            place_id=place_id,
            kinds=_kinds(),
            optional=list(zip(OPTIONAL, OPTIONAL_JA, strict=True)),
            may_act=may_act,
        ),
        status,
    )


def _editable(db_place: CommunityPlace | None, account: DeskAccount) -> CommunityPlace:
    if db_place is None or not visible(account, db_place.lat, db_place.lon):
        abort(404)
    require_acting(db_place.lat, db_place.lon)
    return db_place


@blueprint.get("/places/new")
def place_new() -> ResponseReturnValue:
    return _page({}, None, access().acts_anywhere)  # a read-only account reads why there is no form


@blueprint.get("/places/<int:place_id>/edit")
def place_edit(place_id: int) -> ResponseReturnValue:
    with unit_of_work() as db:
        place = db.get(CommunityPlace, place_id)
        if place is None or not visible(current_account(db), place.lat, place.lon):
            abort(404)
        form = _form_of(place)
        may_act = access().acts(place.lat, place.lon)
    return _page(form, place_id, may_act)


@blueprint.post("/places/new")
def place_create() -> ResponseReturnValue:
    return _save(None)


@blueprint.post("/places/<int:place_id>/edit")
def place_update(place_id: int) -> ResponseReturnValue:
    return _save(place_id)


def _save(place_id: int | None) -> ResponseReturnValue:
    form = {key: request.form.get(key, "").strip() for key in FIELDS}
    row, problems = place_from_form(form)
    if row is None:
        for problem in problems:
            flash(problem if problem.endswith("。") else f"{problem}。", "error")
        return _page(form, place_id, status=400)
    if not access().acts(row.lat, row.lon):
        flash("この場所は、あなたの担当の地域の外です。", "error")
        return _page(form, place_id, status=400)
    located = locate_place(row.address, form["latitude"], form["longitude"])
    with unit_of_work() as db:
        account = current_account(db)
        place = _editable(db.get(CommunityPlace, place_id), account) if place_id is not None else None
        saved = save_place(db, row, place)
        action = "place_added" if place is None else "place_edited"
        desk_repo.record(
            db, account, action, now(), note=f"{saved.name}（{kind_label(saved.kind)}）{saved.opening_text}"
        )
        name = saved.name
    verb = "登録しました" if place_id is None else "直しました"
    flash(f"{name}を{verb}。{located.note}", "info")
    return redirect(url_for("desk.places"))


@blueprint.post("/places/<int:place_id>/close")
def place_close(place_id: int) -> ResponseReturnValue:
    try:
        day = date.fromisoformat(request.form.get("day", "").strip())
    except ValueError:
        flash("休みの日を、2026-12-24 のように入れてください。", "error")
        return redirect(url_for("desk.places"))
    with unit_of_work() as db:
        account = current_account(db)
        place = _editable(db.get(CommunityPlace, place_id), account)
        close_on(place, day)
        desk_repo.record(db, account, "place_closed", now(), note=f"{place.name}：{day.isoformat()}")
        name = place.name
    flash(f"{name}は{day.month}月{day.day}日を休みにしました。", "info")
    return redirect(url_for("desk.places"))


def _shift_values() -> tuple[tuple[datetime, float, str, int, str] | None, list[str]]:
    """The shift form's values, or the kind words saying what to fix."""
    problems: list[str] = []
    start = None
    try:
        start = datetime.fromisoformat(f"{request.form.get('day', '')}T{request.form.get('time', '')}")
        start = start.replace(tzinfo=current_app.extensions["otagai.settings"].timezone)
    except ValueError:
        problems.append("日にちと時間を入れてください。")
    hours = people = None
    try:
        hours = float(request.form.get("hours", ""))
        if not 0.5 <= hours <= 12:
            raise ValueError
    except ValueError:
        problems.append("時間の長さは 0.5 から 12 時間で入れてください。")
    try:
        people = int(request.form.get("people", ""))
        if not 1 <= people <= 50:
            raise ValueError
    except ValueError:
        problems.append("人数は 1 から 50 人で入れてください。")
    role = request.form.get("role", "")
    if role not in DESK_ROLES:
        problems.append(f"役割は {'・'.join(DESK_ROLES)} からえらんでください。")
    note = request.form.get("note", "").strip()[:NOTE_LIMIT]
    if problems or start is None or hours is None or people is None:
        return None, problems
    return (start, hours, role, people, note), []


@blueprint.post("/places/<int:place_id>/shift")
def place_shift(place_id: int) -> ResponseReturnValue:
    values, problems = _shift_values()
    with unit_of_work() as db:
        account = current_account(db)
        place = _editable(db.get(CommunityPlace, place_id), account)
        if values is None:
            for problem in problems:
                flash(problem, "error")
            return redirect(url_for("desk.places"))
        start, hours, role, people, note = values
        if start <= now():
            flash("これから先の日時を入れてください。", "error")
            return redirect(url_for("desk.places"))
        post_shift(db, place, start, hours, role, people, note)
        when = f"{start.month}月{start.day}日 {start:%H:%M}"
        desk_repo.record(db, account, "shift_posted", now(), note=f"{place.name}「{role}」{when} {people}人")
        name = place.name
    flash(
        f"{name}の「{role}」{when}（{people}人）を募集しました。合いそうな人に、お知らせが届きます。", "info"
    )
    return redirect(url_for("desk.places"))
