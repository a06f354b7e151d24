"""The desk's community pages: places with this week's needs, shifts and who is coming, food offers
waiting (marked passed on), and the 名人・達人 with their classes; every change audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.place_forms import DESK_ROLES
from bot.desk.views import visible
from db import desk as desk_repo
from db import masters as master_repo
from db import shifts as shift_repo
from db.models import CommunityPlace, DeskAccount, FoodGift, Master, Member
from db.places import all_places, hours_of, needs_now, set_needs, waiting_gifts
from matching.community import food_kind_names, kind_label
from matching.opening import next_opening
from matching.privacy import mask_personal

NOTE_LIMIT = 200
_WEEKDAYS = "月火水木金土日"


def _when(moment: datetime) -> str:
    local = moment.astimezone(current_app.extensions["otagai.settings"].timezone)
    return f"{local.month}月{local.day}日（{_WEEKDAYS[local.weekday()]}） {local:%H:%M}"


def _places(db: Session, account: DeskAccount) -> list[CommunityPlace]:
    return [p for p in all_places(db) if visible(account, p.lat, p.lon)]


def _names(names: Iterable[str | None]) -> list[str]:
    return [name or "-" for name in names]


@blueprint.get("/places")
def places() -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        moment = now()
        needs = needs_now(db, moment)
        shown = _places(db, account)
        rows = []
        for place in shown:
            window = next_opening(hours_of(place), moment)
            need = needs.get(place.id)
            rows.append(
                {
                    "id": place.id,
                    "name": place.name,
                    "kind": kind_label(place.kind),
                    "opening": place.opening_text,
                    "next": _when(window[0]) if window else "-",
                    "needs": [str(f) for f in need.foods] if need else [],
                    "note": need.note if need else "",
                    "closed": [d for d in place.closed_days or [] if d >= moment.date().isoformat()],
                    "may_act": access().acts(place.lat, place.lon),
                }
            )
        ids = {p.id for p in shown}
        shifts = []
        for shift in shift_repo.all_shifts(db, ending_after=moment):
            if shift.place_id not in ids:
                continue
            coming = _names(shift_repo.coming_names(db, shift.id))
            host = db.get(CommunityPlace, shift.place_id)
            shifts.append(
                {
                    "place": host.name if host else "-",
                    "role": shift.role,
                    "when": _when(shift.starts_at),
                    "taken": shift.taken,
                    "needed": shift.needed,
                    "coming": coming,
                }
            )
        gifts = []
        for gift in waiting_gifts(db):
            pointed = db.get(CommunityPlace, gift.place_id) if gift.place_id else None
            if pointed is not None and pointed.id not in ids:
                continue
            giver = db.get(Member, gift.member_id) if gift.member_id else None
            gifts.append(
                {
                    "id": gift.id,
                    "foods": "・".join(str(f) for f in gift.foods),
                    "when": _when(gift.created_at),
                    "place": pointed.name if pointed else "（近くに場所なし）",
                    "giver": giver.display_name if giver else "-",
                    "text": mask_personal(gift.text),
                    "may_act": access().acts(*((pointed.lat, pointed.lon) if pointed else (None, None))),
                }
            )
    return render_template(
        "desk/places.html",
        places=rows,
        shifts=shifts,
        gifts=gifts,
        foods=food_kind_names(),
        note_limit=NOTE_LIMIT,
        roles=DESK_ROLES,
    )


@blueprint.post("/places/<int:place_id>/needs")
def place_needs(place_id: int) -> ResponseReturnValue:
    chosen = [f for f in request.form.getlist("foods") if f in food_kind_names()]
    note = request.form.get("note", "").strip()[:NOTE_LIMIT]
    with unit_of_work() as db:
        account = current_account(db)
        place = db.get(CommunityPlace, place_id)
        if place is None or not visible(account, place.lat, place.lon):
            abort(404)
        require_acting(place.lat, place.lon)  # a read-only account looks on
        moment = now()
        set_needs(db, place, chosen, note, moment)
        summary = "・".join(chosen) or "なし"
        desk_repo.record(db, account, "place_needs", moment, note=f"{place.name}：{summary} {note}".strip())
        name = place.name
    flash(f"{name}の今週ほしいもの：{summary}", "info")
    return redirect(url_for("desk.places"))


@blueprint.post("/food/<int:gift_id>/done")
def food_done(gift_id: int) -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        gift = db.get(FoodGift, gift_id)
        if gift is None:
            abort(404)
        pointed = db.get(CommunityPlace, gift.place_id) if gift.place_id else None
        require_acting(*((pointed.lat, pointed.lon) if pointed else (None, None)))
        if gift.passed_on_at is None:
            moment = now()
            gift.passed_on_at = moment
            foods = "・".join(str(f) for f in gift.foods)
            desk_repo.record(db, account, "food_passed_on", moment, note=f"食品の申し出 {gift_id}：{foods}")
    flash("渡したことを記録しました。", "info")
    return redirect(url_for("desk.places"))


@blueprint.get("/masters")
def masters() -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        moment = now()
        people = []
        for master in master_repo.teaching(db):
            if not visible(account, master.lat, master.lon):
                continue
            asks = master_repo.ask_statuses(db, master.id)
            people.append(
                {
                    "skill": master.skill,
                    "name": master.member.display_name or "-",
                    "area": master.area or "-",
                    "where": master.where_text,
                    "often": master.how_often,
                    "asked": len(asks),
                    "agreed": sum(1 for a in asks if a == "agreed"),
                }
            )
        lessons = []
        for lesson in master_repo.classes_ending_after(db, moment):
            teacher = db.get(Master, lesson.master_id)
            if teacher is None or not visible(account, teacher.lat, teacher.lon):
                continue
            place = db.get(CommunityPlace, lesson.place_id) if lesson.place_id else None

            def seated(status: str, class_id: int = lesson.id) -> list[str]:
                return _names(m.display_name for m in master_repo.in_class(db, class_id, status))

            lessons.append(
                {
                    "id": lesson.id,
                    "may_act": access().acts(teacher.lat, teacher.lon),
                    "title": lesson.title,
                    "master": teacher.member.display_name or "-",
                    "when": _when(lesson.starts_at),
                    "place": place.name if place else lesson.place_text or "-",
                    "taken": lesson.taken,
                    "capacity": lesson.capacity,
                    "coming": seated("seat"),
                    "waiting": seated("waiting"),
                }
            )
    return render_template("desk/masters.html", masters=people, lessons=lessons)
