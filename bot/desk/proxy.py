"""Proxy requests: a coordinator enters a 困りごと for a resident without LINE (a phone call, a visit).

It goes through the same understanding, safety net, matching and follow-ups as a request from LINE;
the resident is a member without a LINE id, and the coordinator who entered it is the one to call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.desk import blueprint
from bot.desk.auth import current_account, now, require_acting, unit_of_work
from bot.desk.context import deliver, desk_context
from bot.desk.places import locate_place
from db import desk as desk_repo
from db import requests as request_repo
from db.models import Member, ProxyRequest
from handlers.followups import schedule_after_open
from handlers.notify import notify_supporters
from matching import Flag, categories, rough_area, understand

FLAG_MESSAGES: dict[Flag, str] = {
    "emergency": "命にかかわる内容です。すぐに119（救急・火事）か110（警察）に電話するよう伝えてください。"
    "依頼は作っていません。",
    "not_allowed": "ボランティアではできない内容です（医療・お金・体のお世話・資格や高所の作業など）。"
    "地域包括支援センターなど、合う窓口につないでください。依頼は作っていません。",
    "harmful": "人を傷つけるおそれのある内容です。依頼は作っていません。",
}


@blueprint.route("/proxy", methods=["GET", "POST"])
def proxy() -> ResponseReturnValue:
    choices = [(c.id, c.label) for c in categories()]
    if request.method == "GET":
        return render_template("desk/proxy.html", form={}, choices=choices)
    form = {
        k: request.form.get(k, "").strip() for k in ("name", "phone", "address", "lat", "lon", "when", "text")
    }
    form["anytime"] = request.form.get("anytime", "")
    form["category"] = request.form.get("category", "")
    problems, page = _check(form)
    if problems:
        for problem in problems:
            flash(problem, "error")
        return render_template("desk/proxy.html", form=form, choices=choices), 400
    require_acting(page["lat"], page["lon"])
    with unit_of_work() as db:
        account = current_account(db)
        ctx = desk_context(db, now())
        resident = Member(
            line_user_id=None,
            display_name=form["name"][:100],
            home_address=form["address"][:300] or None,
            home_area=page["area"],
            home_lat=page["lat"],
            home_lon=page["lon"],
        )
        db.add(resident)
        db.flush()
        made = request_repo.create_draft(db, resident, form["text"][:2000], page["category"])
        made.lat, made.lon = page["lat"], page["lon"]
        made.address = form["address"][:300] or None
        made.area = page["area"]
        made.wanted_at, made.anytime = page["when"], page["when"] is None
        if made.wanted_at is not None and made.wanted_at <= ctx.now:
            flash("その日時は、もう過ぎています。", "error")
            db.rollback()
            return render_template("desk/proxy.html", form=form, choices=choices), 400
        request_repo.open_request(made, ctx.now)
        db.add(ProxyRequest(request_id=made.id, account_id=account.id, phone=form["phone"][:30]))
        if made.lat is None:
            made.needs_coordinator = True
            flash(page["place_note"], "error")
            flash("場所がわからないので、まだ誰にも知らせていません。", "error")
        else:
            flash(page["place_note"], "info")
            asked = notify_supporters(ctx, made)
            schedule_after_open(ctx, made)
            if asked == 0:
                made.needs_coordinator = True
                flash("近くに合うサポーターがいません。電話などで探してください。", "error")
            else:
                flash(f"受け付けました。近くのサポーター{asked}人にお知らせしました。", "info")
        desk_repo.record(db, account, "proxy", ctx.now, request_id=made.id, note=form["name"][:100])
        db.flush()
        request_id, queued = made.id, [row.id for row in ctx.queued]
    deliver(queued)
    return redirect(url_for("desk.request_page", request_id=request_id))


def _check(form: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """Every problem of the form at once, and what it means when there is none."""
    problems: list[str] = []
    if not form["name"]:
        problems.append("依頼する方の名前を書いてください。")
    if not form["phone"]:
        problems.append("電話番号を書いてください（サポーターがコーディネーターに確かめるため）。")
    if not form["text"]:
        problems.append("困りごとの内容を書いてください。")
    understanding = understand(form["text"]) if form["text"] else None
    if understanding is not None and understanding.flag is not None:
        problems.append(FLAG_MESSAGES.get(understanding.flag, "この内容は依頼にできません。"))
    category = form["category"] or (understanding.category if understanding else None)
    if form["text"] and category not in {c.id for c in categories()}:
        problems.append("内容から種類がわかりません。「種類」をえらんでください。")
    # A place that cannot be found is still taken (a coordinator places it later), but not bad numbers.
    located = locate_place(form["address"], form["lat"], form["lon"])
    if located.bad_coordinates or not (form["lat"] or form["lon"] or form["address"]):
        problems.append(located.note)
    place = located.place
    when = None
    if form["anytime"] != "1":
        try:
            when = datetime.fromisoformat(form["when"])
        except ValueError:
            problems.append("日時をえらぶか、「いつでも」にしてください。")
    from flask import current_app

    zone = current_app.extensions["otagai.settings"].timezone
    return problems, {
        "category": category,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "area": (place.area if place else rough_area(form["address"]) or form["address"])[:100],
        "place_note": located.note,
        "when": when.replace(tzinfo=zone) if when else None,
    }
