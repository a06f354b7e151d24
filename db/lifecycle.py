"""Request state changes after matching, as conditional updates: safe against a concurrent accept or tap."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Update, update
from sqlalchemy.orm import Session

from db.models import HelpRequest, Proposal, ProposalStatus, RequestStatus


def _changed(session: Session, statement: Update) -> bool:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _forget(session: Session, request: HelpRequest) -> None:
    """Reload this request and its proposals on next access (the updates bypassed the ORM)."""
    session.expire(request)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Proposal) and obj.request_id == request.id:
            session.expire(obj)


def complete(session: Session, request: HelpRequest, supporter_id: int, now: datetime) -> bool:
    """matched → done, only if this supporter still holds it."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(
            HelpRequest.id == request.id,
            HelpRequest.status == RequestStatus.MATCHED,
            HelpRequest.accepted_by_id == supporter_id,
        )
        .values(status=RequestStatus.DONE, closed_at=now),
    )
    _forget(session, request)
    return won


def release(
    session: Session, request: HelpRequest, supporter_id: int, why: ProposalStatus, now: datetime
) -> bool:
    """matched → open again (the supporter cancelled, or did not come); their proposal records why."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(
            HelpRequest.id == request.id,
            HelpRequest.status == RequestStatus.MATCHED,
            HelpRequest.accepted_by_id == supporter_id,
        )
        .values(status=RequestStatus.OPEN, accepted_by_id=None, matched_at=None),
    )
    if won:
        session.execute(
            update(Proposal)
            .where(Proposal.request_id == request.id, Proposal.supporter_id == supporter_id)
            .values(status=why, answered_at=now)
            .execution_options(synchronize_session=False)
        )
    _forget(session, request)
    return won


def expire(session: Session, request: HelpRequest, now: datetime) -> bool:
    """open → expired; cards still out are withdrawn so a late tap gets a polite 'closed'."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.EXPIRED, closed_at=now),
    )
    if won:
        session.execute(
            update(Proposal)
            .where(Proposal.request_id == request.id, Proposal.status == ProposalStatus.ASKED)
            .values(status=ProposalStatus.WITHDRAWN)
            .execution_options(synchronize_session=False)
        )
    _forget(session, request)
    return won


def mark_thanked(session: Session, request: HelpRequest, now: datetime) -> bool:
    """Record the resident's thank-you once; False if it was already passed on (a second tap)."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.thanked_at.is_(None))
        .values(thanked_at=now),
    )
    _forget(session, request)
    return won
