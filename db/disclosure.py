"""Everything Otagai keeps about one member, for 登録情報, `otagai members show` and `otagai members export`.

A disclosure request under Japan's personal-information law (個人情報保護法) asks for exactly this: what is
stored about the person. Requests they accepted as a supporter are listed without the other resident's
words or address (those are someone else's data).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from db.models import (
    ClassSeat,
    Conversation,
    CreditEntry,
    FoodGift,
    HelpRequest,
    Master,
    MatchExclusion,
    Member,
    Offer,
    OutboundMessage,
    ProblemReport,
    Proposal,
    RequestStatus,
    ShiftSignup,
    TimeCredit,
)
from db.requests import ACTIVE_STATUSES


def find_members(session: Session, who: str) -> Sequence[Member]:
    """A member id, a LINE user id, or an exact display name (several people may share one)."""
    who = who.strip()
    if who.isdigit():
        member = session.get(Member, int(who))
        return [member] if member is not None else []
    by_line = session.scalar(select(Member).where(Member.line_user_id == who))
    if by_line is not None:
        return [by_line]
    return session.scalars(select(Member).where(Member.display_name == who).order_by(Member.id)).all()


def own_requests(session: Session, member_id: int) -> Sequence[HelpRequest]:
    return session.scalars(
        select(HelpRequest)
        .where(HelpRequest.requester_id == member_id, HelpRequest.status != RequestStatus.DRAFT)
        .order_by(HelpRequest.id)
    ).all()


def accepted_requests(session: Session, member_id: int) -> Sequence[HelpRequest]:
    return session.scalars(
        select(HelpRequest).where(HelpRequest.accepted_by_id == member_id).order_by(HelpRequest.id)
    ).all()


def active_offers(session: Session, member_id: int) -> Sequence[Offer]:
    return session.scalars(
        select(Offer).where(Offer.member_id == member_id, Offer.active.is_(True)).order_by(Offer.id)
    ).all()


def minutes(session: Session, member_id: int) -> dict[CreditEntry, int]:
    rows = session.execute(
        select(TimeCredit.entry, func.sum(TimeCredit.minutes))
        .where(TimeCredit.member_id == member_id)
        .group_by(TimeCredit.entry)
    )
    return {entry: int(total or 0) for entry, total in rows}


def is_active(request: HelpRequest) -> bool:
    return request.status in ACTIVE_STATUSES


def member_record(session: Session, member: Member) -> dict[str, Any]:
    """All rows about the member, as plain JSON-ready data."""
    credits = session.scalars(
        select(TimeCredit).where(TimeCredit.member_id == member.id).order_by(TimeCredit.id)
    ).all()
    asked = session.scalars(
        select(Proposal).where(Proposal.supporter_id == member.id).order_by(Proposal.id)
    ).all()
    reports = session.scalars(
        select(ProblemReport).where(ProblemReport.reporter_id == member.id).order_by(ProblemReport.id)
    ).all()
    declined = session.scalar(
        select(func.count()).select_from(MatchExclusion).where(MatchExclusion.supporter_id == member.id)
    )
    state = session.get(Conversation, member.id)
    return {
        "member": {
            "id": member.id,
            "line_user_id": member.line_user_id,
            "display_name": member.display_name,
            "is_supporter": member.is_supporter,
            "is_coordinator": member.is_coordinator,
            "home_address": member.home_address,
            "home_area": member.home_area,
            "home_lat": member.home_lat,
            "home_lon": member.home_lon,
            "radius_km": member.radius_km,
            "skill_text": member.skill_text,
            "skills": [s.category for s in member.skills],
            "active": member.active,
            "paused": member.paused,
            "blocked": member.blocked,
            "created_at": _iso(member.created_at),
            "left_at": _iso(member.left_at),
            "erased_at": _iso(member.erased_at),
        },
        "requests": [
            {
                "id": r.id,
                "status": r.status.value,
                "category": r.category,
                "text": r.text,
                "address": r.address,
                "area": r.area,
                "lat": r.lat,
                "lon": r.lon,
                "wanted_at": _iso(r.wanted_at),
                "anytime": r.anytime,
                "created_at": _iso(r.created_at),
                "closed_at": _iso(r.closed_at),
            }
            for r in own_requests(session, member.id)
        ],
        "accepted_requests": [
            {
                "id": r.id,
                "status": r.status.value,
                "category": r.category,
                "matched_at": _iso(r.matched_at),
                "closed_at": _iso(r.closed_at),
            }
            for r in accepted_requests(session, member.id)
        ],
        "asked_as_supporter": [
            {
                "request_id": p.request_id,
                "status": p.status.value,
                "distance_km": round(p.distance_km, 2),
                "asked_at": _iso(p.asked_at),
                "answered_at": _iso(p.answered_at),
            }
            for p in asked
        ],
        "offers": [
            {"id": o.id, "text": o.text, "categories": o.categories, "created_at": _iso(o.created_at)}
            for o in session.scalars(select(Offer).where(Offer.member_id == member.id).order_by(Offer.id))
        ],
        # The community's places (issue 15): food offered, shifts, 名人・達人 and classes.
        "food_offers": [
            {
                "id": g.id,
                "text": g.text,
                "foods": g.foods,
                "place_id": g.place_id,
                "created_at": _iso(g.created_at),
                "passed_on_at": _iso(g.passed_on_at),
            }
            for g in session.scalars(
                select(FoodGift).where(FoodGift.member_id == member.id).order_by(FoodGift.id)
            )
        ],
        "shifts": [
            {"shift_id": s.shift_id, "signed_up_at": _iso(s.created_at), "cancelled_at": _iso(s.cancelled_at)}
            for s in session.scalars(
                select(ShiftSignup).where(ShiftSignup.member_id == member.id).order_by(ShiftSignup.id)
            )
        ],
        "as_master": [
            {
                "skill": m.skill,
                "where": m.where_text,
                "how_often": m.how_often,
                "area": m.area,
                "active": m.active,
                "created_at": _iso(m.created_at),
            }
            for m in session.scalars(select(Master).where(Master.member_id == member.id).order_by(Master.id))
        ],
        "class_seats": [
            {"class_id": s.class_id, "status": s.status, "at": _iso(s.created_at)}
            for s in session.scalars(
                select(ClassSeat).where(ClassSeat.member_id == member.id).order_by(ClassSeat.id)
            )
        ],
        "time_credits": [
            {
                "request_id": c.request_id,
                "entry": c.entry.value,
                "minutes": c.minutes,
                "at": _iso(c.created_at),
            }
            for c in credits
        ],
        "problem_reports": [{"request_id": r.request_id, "at": _iso(r.created_at)} for r in reports],
        "residents_declined": int(declined or 0),
        "conversation": None if state is None else {"flow": state.flow, "step": state.step},
        "messages_received": _messages_to(session, member.line_user_id),
    }


def _messages_to(session: Session, line_user_id: str | None) -> list[dict[str, Any]]:
    """The outbox rows addressed to them (bodies are kept 7 days, the rows 90)."""
    if not line_user_id:
        return []
    rows = session.scalars(
        select(OutboundMessage)
        .where(cast(OutboundMessage.recipients, Text).contains(line_user_id))
        .order_by(OutboundMessage.id)
    )
    return [
        {
            "at": _iso(row.created_at),
            "status": row.status.value,
            "texts": [m.get("altText") or m.get("text") or m.get("type") for m in row.messages],
        }
        for row in rows
        if line_user_id in row.recipients
    ]


def to_csv(record: dict[str, Any]) -> str:
    """The same record as CSV rows of (section, item, field, value), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "field", "value"])
    for section, value in record.items():
        if isinstance(value, dict):
            for field, item in value.items():
                writer.writerow([section, "", field, _cell(item)])
        elif isinstance(value, list):
            for number, entry in enumerate(value, start=1):
                for field, item in entry.items():
                    writer.writerow([section, number, field, _cell(item)])
        else:
            writer.writerow([section, "", "", _cell(value)])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
