"""顔合わせ (a first visit together): the coordinator who goes along gets the visit's reminders and
relay messages as well as the supporter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import FirstVisit, Member


def mark(session: Session, request_id: int, coordinator: Member, now: datetime) -> FirstVisit:
    """One coordinator per request: marking again changes who goes along."""
    visit = session.get(FirstVisit, request_id)
    if visit is None:
        visit = FirstVisit(request_id=request_id, coordinator_id=coordinator.id, marked_at=now)
        session.add(visit)
    visit.coordinator_id, visit.marked_at = coordinator.id, now
    session.flush()
    return visit


def unmark(session: Session, request_id: int) -> bool:
    result = session.execute(delete(FirstVisit).where(FirstVisit.request_id == request_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def companion(session: Session, request_id: int) -> Member | None:
    visit = session.get(FirstVisit, request_id)
    return None if visit is None else visit.coordinator


def companions_on_line(session: Session, request_ids: Iterable[int]) -> dict[int, list[str]]:
    """request id → LINE ids of the coordinators going along (those who can be reached)."""
    ids = list(set(request_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(FirstVisit.request_id, Member.line_user_id)
        .join(Member, Member.id == FirstVisit.coordinator_id)
        .where(FirstVisit.request_id.in_(ids), Member.line_user_id.is_not(None), Member.active.is_(True))
    )
    found: dict[int, list[str]] = defaultdict(list)
    for request_id, line_user_id in rows:
        found[int(request_id)].append(str(line_user_id))
    return dict(found)
