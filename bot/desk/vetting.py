"""面談・承認 on the desk: applicants waiting for an interview or briefing, the meeting recorded, and an
approval or decline with the same effect and LINE message as `otagai supporters approve/decline`."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.desk import blueprint, texts
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.context import deliver, desk_context
from db import desk as desk_repo
from db import supporters as supporter_repo
from db.models import Member, SupporterStatus
from handlers import vetting
from matching import category_label

DECISIONS = {"record": None, "approve": True, "decline": False}


@blueprint.get("/applicants")
def applicants() -> ResponseReturnValue:
    settings = current_app.extensions["otagai.settings"]
    zone = settings.timezone
    mine = access()
    with unit_of_work() as db:
        rows = [
            {
                "id": r.member_id,
                "name": r.member.display_name or "-",
                "line": bool(r.member.line_user_id),
                "area": r.member.home_area or "-",
                "skills": "、".join(category_label(s.category) for s in r.member.skills) or "-",
                "applied": r.applied_at.astimezone(zone).strftime("%Y-%m-%d"),
                "met": f"{r.met_on}（{r.met_how}）" if r.met_on else "まだ",
                "note": r.note,
                "agreed": f"第{r.agreement_version}版" if r.agreement_version else "まだ",
                "may_act": mine.acts(r.member.home_lat, r.member.home_lon),
            }
            for r in supporter_repo.listing(db, SupporterStatus.APPLICANT)
            if mine.sees(r.member.home_lat, r.member.home_lon)
        ]
        current_account(db)
    return render_template(
        "desk/applicants.html",
        rows=rows,
        vetting=settings.vetting,
        today=now().astimezone(zone).date().isoformat(),
        ways=vetting.MET_HOW,
    )


@blueprint.post("/applicants/<int:member_id>")
def applicant_decision(member_id: int) -> ResponseReturnValue:
    decision = request.form.get("decision", "")
    how = request.form.get("how", "")
    note = request.form.get("note", "").strip()[:500]
    if decision not in DECISIONS or how not in vetting.MET_HOW:
        abort(400)
    try:
        met_on = date.fromisoformat(request.form.get("met_on", ""))
    except ValueError:
        flash(texts.MET_ON_INVALID, "error")
        return redirect(url_for("desk.applicants"))
    with unit_of_work() as db:
        account = current_account(db)
        person = db.get(Member, member_id)
        record = supporter_repo.record_of(db, person) if person is not None else None
        if person is None or record is None or not access().sees(person.home_lat, person.home_lon):
            abort(404)
        require_acting(person.home_lat, person.home_lon)
        ctx = desk_context(db, now())
        met_how, approve = vetting.MET_HOW[how], DECISIONS[decision]
        audit_note = vetting.audit_note(met_on, met_how, note)
        name = person.display_name or "-"
        if approve is None:
            vetting.record_meeting(ctx, person, met_on, met_how, note)
            desk_repo.record(db, account, "supporter_met", ctx.now, member_id=person.id, note=audit_note)
            flash(texts.MEETING_RECORDED.format(name=name), "info")
        else:
            vetting.decide(
                ctx, person, approve=approve, by=account.login, met_on=met_on, met_how=met_how, note=note
            )
            action = "supporter_approved" if approve else "supporter_declined"
            desk_repo.record(db, account, action, ctx.now, member_id=person.id, note=audit_note)
            flash((texts.APPROVED if approve else texts.DECLINED).format(name=name), "info")
        db.flush()
        queued = [row.id for row in ctx.queued]
    deliver(queued)
    return redirect(url_for("desk.applicants"))
