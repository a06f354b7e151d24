"""The supporters' roster on the desk: who can help, how much they were asked and what they did; edit,
pause, block; and the roster as CSV (import all or nothing, export that Japanese Excel opens)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint, texts
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.views import visible
from bot.roster import (
    HEADER_JA,
    MAX_RADIUS_KM,
    RosterError,
    parse_roster,
    roster_rows,
    save_roster,
    skills_of,
    write_csv,
)
from db import desk as desk_repo
from db import members as member_repo
from db.models import Area, DeskAccount, Member
from matching import category_label, haversine_km

EXTRA_COLUMNS = [
    "お休み中",
    "利用停止",
    "今週お願いした数",
    "引き受けた数",
    "完了した数",
    "見送った数",
    "来なかった数",
    "最後の返事",
]


def _supporters(db: Session, account: DeskAccount) -> list[Member]:
    everyone = member_repo.supporters_by_name(db)
    return [m for m in everyone if visible(account, m.home_lat, m.home_lon)]


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    from flask import current_app

    return moment.astimezone(current_app.extensions["otagai.settings"].timezone).strftime("%Y-%m-%d")


@blueprint.get("/members")
def members() -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        people = _supporters(db, account)
        stats = desk_repo.supporter_stats(db, [m.id for m in people], now())
        areas = desk_repo.areas(db)
        rows = [
            {
                "m": m,
                "skills": "、".join(category_label(s.category) for s in m.skills) or "-",
                "area": _area_of(m, areas),
                "s": stats[m.id],
                "last": _local(stats[m.id].last_active),
            }
            for m in people
        ]
    return render_template("desk/members.html", rows=rows, problems=[])


def _area_of(member: Member, areas: Sequence[Area]) -> str:
    """Their town, and the area (committee or hub) whose circle they live in, if any."""
    inside = [
        a.name
        for a in areas
        if member.home_lat is not None
        and member.home_lon is not None
        and haversine_km(a.lat, a.lon, member.home_lat, member.home_lon) <= a.radius_km
    ]
    return "・".join([member.home_area, *inside] if member.home_area else inside)


@blueprint.get("/members.csv")
def members_csv() -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        people = _supporters(db, account)
        stats = desk_repo.supporter_stats(db, [m.id for m in people], now())
        lines = []
        for m in people:
            s = stats[m.id]
            extra: list[Any] = [
                "はい" if m.paused else "",
                "はい" if m.blocked else "",
                s.asked_this_week,
                s.accepted,
                s.completed,
                s.passes,
                s.no_shows,
                _local(s.last_active) if s.last_active else "",
            ]
            lines.append([*roster_rows(m), *extra])
    body = write_csv([*HEADER_JA, *EXTRA_COLUMNS], lines)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=supporters.csv"},
    )


@blueprint.post("/members/import")
def members_import() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(texts.IMPORT_NO_FILE, "error")
        return redirect(url_for("desk.members"))
    try:
        rows = parse_roster(upload.read())
    except RosterError as exc:
        flash(texts.IMPORT_REFUSED.format(count=len(exc.problems)), "error")
        return render_template("desk/members.html", rows=[], problems=exc.problems), 400
    with unit_of_work() as db:
        account = current_account(db)
        created, updated = save_roster(db, rows)
        note = f"{len(rows)}人（新しく{created}人・更新{updated}人）"
        desk_repo.record(db, account, "roster_import", now(), note=note)
    flash(texts.IMPORTED.format(note=note), "info")
    return redirect(url_for("desk.members"))


@blueprint.route("/members/<int:member_id>", methods=["GET", "POST"])
def member_page(member_id: int) -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        member = db.get(Member, member_id)
        if (
            member is None
            or not member.is_supporter
            or not visible(account, member.home_lat, member.home_lon)
        ):
            abort(404)
        may_act = access().acts(member.home_lat, member.home_lon)
        if request.method == "POST":
            require_acting(member.home_lat, member.home_lon)
            changed = _edit(member, request.form)
            if changed is None:
                return render_template(
                    "desk/member.html", m=member, max_radius=MAX_RADIUS_KM, may_act=may_act
                ), 400
            desk_repo.record(db, account, "member_edit", now(), member_id=member.id, note=changed)
            flash(texts.MEMBER_SAVED, "info")
            return redirect(url_for("desk.member_page", member_id=member.id))
        return render_template("desk/member.html", m=member, max_radius=MAX_RADIUS_KM, may_act=may_act)


def _edit(member: Member, form: Any) -> str | None:
    """Apply the form; the audit note of what changed, or None (with the problems flashed)."""
    name = form.get("name", "").strip()
    skill_text = form.get("skills", "").strip()
    try:
        radius = float(form.get("radius_km", ""))
    except ValueError:
        radius = -1.0
    problems = []
    if not name or len(name) > 100:
        problems.append("名前を100文字までで書いてください。")
    skills = skills_of(skill_text)
    if not skills:
        problems.append(f"できること「{skill_text}」から、手伝える内容がわかりません。")
    if not 0 < radius <= MAX_RADIUS_KM:
        problems.append(f"半径は0より大きく{MAX_RADIUS_KM:g}km以下にしてください。")
    if problems:
        for problem in problems:
            flash(problem, "error")
        return None
    paused, blocked = form.get("paused") == "1", form.get("blocked") == "1"
    changes = []
    if paused != member.paused:
        changes.append("お休み" if paused else "お休みを終了")
    if blocked != member.blocked:
        changes.append("利用停止" if blocked else "利用停止を解除")
    if name != member.display_name or radius != member.radius_km or skill_text != member.skill_text:
        changes.append("名前・できること・半径")
    member.display_name, member.radius_km = name, radius
    member.paused, member.blocked = paused, blocked
    member_repo.set_skills(member, skills, skill_text)
    return "、".join(changes) or "変更なし"
