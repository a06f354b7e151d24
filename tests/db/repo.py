"""Shared by the repository tests: a few rows to query."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from db.models import HelpRequest, Member, Proposal, ProposalStatus, RequestStatus

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def member(session: Session, name: str) -> Member:
    person = Member(line_user_id=f"U{name:0>32}"[:33], display_name=name)
    session.add(person)
    session.flush()
    return person


def request(
    session: Session,
    requester: Member,
    status: RequestStatus,
    *,
    supporter: Member | None = None,
    wanted_at: datetime | None = None,
    **values: object,
) -> HelpRequest:
    row = HelpRequest(
        requester_id=requester.id,
        text="電球が切れた",
        category="repair",
        status=status,
        accepted_by_id=supporter.id if supporter else None,
        wanted_at=wanted_at,
        **values,
    )
    session.add(row)
    session.flush()
    return row


def ask(
    session: Session, row: HelpRequest, supporter: Member, status: ProposalStatus, **values: object
) -> None:
    session.add(
        Proposal(request_id=row.id, supporter_id=supporter.id, status=status, distance_km=1.0, **values)
    )
    session.flush()
