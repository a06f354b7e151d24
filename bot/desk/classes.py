"""The desk's class actions: a coordinator changes a 名人・達人's class (day and time, place, seats) or
calls it off, as the master can in chat (handlers/class_changes.py); those in the class are told, each
change audited."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint
from bot.desk.auth import current_account, now, require_acting, unit_of_work
from bot.desk.context import deliver, desk_context
from db import desk as desk_repo
from db.models import Master, MasterClass
from handlers import class_changes
from handlers.class_flow import MAX_CAPACITY
from handlers.classes import when_text

PLACE_LIMIT = 100


def _coming(db: Session, class_id: int) -> MasterClass:
    """A coming class this account may act on (its master's area); else 404 or a kind 403."""
    lesson = db.get(MasterClass, class_id)
    if lesson is None or lesson.cancelled_at is not None or lesson.starts_at <= now():
        abort(404)
    teacher = db.get(Master, lesson.master_id)
    require_acting(teacher.lat if teacher else None, teacher.lon if teacher else None)
    return lesson


@blueprint.post("/classes/<int:class_id>/cancel")
def class_cancel(class_id: int) -> ResponseReturnValue:
    if request.form.get("sure") != "1":
        flash("中止するときは、「参加する人に知らせて中止する」にチェックを入れてください。", "error")
        return redirect(url_for("desk.masters"))
    with unit_of_work() as db:
        account = current_account(db)
        lesson = _coming(db, class_id)
        ctx = desk_context(db, now())
        title, when = lesson.title, when_text(lesson)
        told = class_changes.call_off(ctx, lesson)
        desk_repo.record(db, account, "class_cancelled", ctx.now, note=f"{title}（{when}）：{told}人に連絡")
        db.flush()
        queued = [row.id for row in ctx.queued]
    deliver(queued)
    flash(f"「{title}」を中止しました。{told}人に知らせました。", "info")
    return redirect(url_for("desk.masters"))


@blueprint.post("/classes/<int:class_id>/change")
def class_change(class_id: int) -> ResponseReturnValue:
    """Whatever the form filled in: a new day and time, a new place, a new number of seats."""
    moment, problems = _values()
    if problems:
        for problem in problems:
            flash(problem, "error")
        return redirect(url_for("desk.masters"))
    at, place, capacity = moment
    with unit_of_work() as db:
        account = current_account(db)
        lesson = _coming(db, class_id)
        # Checked before anything changes, so a refused form changes nothing.
        if capacity is not None and capacity < lesson.taken:
            flash(f"すでに{lesson.taken}人が申し込んでいます。定員はそれより少なくできません。", "error")
            return redirect(url_for("desk.masters"))
        if at is not None and at <= now():
            flash("その日時は、もう過ぎています。", "error")
            return redirect(url_for("desk.masters"))
        if capacity is None and at is None and not place:
            flash("変える内容を入れてください。", "error")
            return redirect(url_for("desk.masters"))
        ctx = desk_context(db, now())
        done: list[str] = []
        told = 0
        if at is not None and (moved := class_changes.move(ctx, lesson, at)) is not None:
            told = max(told, moved)
            done.append(when_text(lesson))
        if place:
            told = max(told, class_changes.relocate(ctx, lesson, None, place))
            done.append(place)
        if capacity is not None and class_changes.resize(ctx, lesson, capacity):
            done.append(f"定員{capacity}人")
        title = lesson.title
        note = f"{title}：{'・'.join(done)}"
        desk_repo.record(db, account, "class_changed", ctx.now, note=note)
        db.flush()
        queued = [row.id for row in ctx.queued]
    deliver(queued)
    flash(
        f"「{title}」を変更しました（{'・'.join(done)}）。" + (f"{told}人に知らせました。" if told else ""),
        "info",
    )
    return redirect(url_for("desk.masters"))


def _values() -> tuple[tuple[datetime | None, str, int | None], list[str]]:
    problems: list[str] = []
    at: datetime | None = None
    if raw := request.form.get("when", "").strip():
        try:
            at = datetime.fromisoformat(raw).replace(
                tzinfo=current_app.extensions["otagai.settings"].timezone
            )
        except ValueError:
            problems.append("日時を、2026-12-05T10:00 のように入れてください。")
    place = request.form.get("place", "").strip()[:PLACE_LIMIT]
    capacity: int | None = None
    if raw := request.form.get("capacity", "").strip():
        if raw.isdigit() and 1 <= int(raw) <= MAX_CAPACITY:
            capacity = int(raw)
        else:
            problems.append(f"定員は、1〜{MAX_CAPACITY}の数字で入れてください。")
    return (at, place, capacity), problems
