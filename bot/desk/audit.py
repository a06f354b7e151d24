"""記録 on the desk: the audit log (desk actions and operator commands) with filters — who, what, which
days, which request — the list `otagai audit` prints."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint, texts
from bot.desk.auth import access, current_account, unit_of_work
from bot.desk.views import place_of
from db import desk as desk_repo
from db.models import DeskAction, HelpRequest, Member

LIMIT = 300


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@blueprint.get("/audit")
def audit() -> ResponseReturnValue:
    zone = current_app.extensions["otagai.settings"].timezone
    who = request.args.get("who", "").strip()[:100] or None
    action = request.args.get("action", "").strip()[:40] or None
    request_id = request.args.get("request", type=int)
    first, last = _day("from"), _day("to")
    start = datetime.combine(first, datetime.min.time(), zone) if first else None
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone) if last else None
    mine = access()
    with unit_of_work() as db:
        current_account(db)
        found = desk_repo.recent_actions(
            db, LIMIT, who=who, action=action, start=start, end=end, request_id=request_id
        )
        entries = [
            {
                "at": e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "who": e.who,
                "desk": e.account_id is not None,
                "what": texts.ACTION.get(e.action, e.action),
                "request_id": e.request_id,
                "member": _member_name(db, e),
                "note": e.note,
            }
            for e in found
            if mine.whole_organisation or _in_areas(db, e)
        ]
        people = desk_repo.audit_people(db)
    return render_template(
        "desk/audit.html",
        entries=entries,
        people=people,
        actions=sorted(texts.ACTION.items(), key=lambda item: item[1]),
        chosen={
            "who": who or "",
            "action": action or "",
            "from": first or "",
            "to": last or "",
            "request": request_id or "",
        },
        limit=LIMIT,
    )


def _member_name(db: Session, entry: DeskAction) -> str | None:
    if entry.member_id is None:
        return None
    member = db.get(Member, entry.member_id)
    return member.display_name if member is not None else None


def _in_areas(db: Session, entry: DeskAction) -> bool:
    """An area's accounts read the entries about their areas' requests and people, and the general ones."""
    mine = access()
    if entry.request_id is not None:
        found = db.get(HelpRequest, entry.request_id)
        if found is not None and not mine.sees(found.lat, found.lon):
            return False
    if entry.member_id is not None:
        member = db.get(Member, entry.member_id)
        if member is not None and not mine.sees(*place_of(db, member)):
            return False
    return True
