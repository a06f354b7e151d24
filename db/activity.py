"""The month's visits as the activity report (活動報告書) lists them: per supporter, with the resident's
confirmation from the check-in, and an organisation summary for funders."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.credits import MINUTES_PER_CREDIT
from db.models import CreditEntry, HelpRequest, RequestStatus, TimeCredit, VisitFee


@dataclass(frozen=True)
class Visit:
    """One visit done in the month: what the helper did for whom, how long, and what it cost or earned."""

    request_id: int
    supporter_id: int
    supporter: str
    day: datetime  # local: the appointment, or (いつでも) when the resident confirmed it was done
    resident_id: int
    resident_initials: str
    category: str | None
    minutes: int | None  # None: the helper has not given the time yet
    fee_yen: int | None  # None: no fee (fees off, or not charged)
    confirmed_at: datetime  # local: the resident's 完了した at the check-in

    @property
    def credits(self) -> float | None:
        return None if self.minutes is None else round(self.minutes / MINUTES_PER_CREDIT, 2)


@dataclass
class Summary:
    """For funders: sessions, residents served, hours, by kind of help."""

    sessions: int = 0
    residents: int = 0
    supporters: int = 0
    minutes: int = 0
    fees_yen: int = 0
    by_category: dict[str | None, Counter[str]] = field(default_factory=dict)


def initials(name: str) -> str:
    """What a report shows of a resident: 「山田花子」 → 「山○○」, 「John Smith」 → 「J.S.」."""
    words = name.split()
    if words and all(w.isascii() and w[:1].isalpha() for w in words):
        return "".join(f"{w[0].upper()}." for w in words)
    compact = "".join(words)
    return f"{compact[0]}○○" if compact else "○○"


def visits(session: Session, start: datetime, end: datetime, zone: ZoneInfo) -> list[Visit]:
    """Requests done in [start, end) (by the resident's confirmation), oldest first."""
    done = session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.status == RequestStatus.DONE,
            HelpRequest.accepted_by_id.is_not(None),
            HelpRequest.closed_at >= start,
            HelpRequest.closed_at < end,
        )
        .options(selectinload(HelpRequest.accepted_by), selectinload(HelpRequest.requester))
        .order_by(HelpRequest.closed_at, HelpRequest.id)
    ).all()
    ids = [r.id for r in done]
    minutes = _given_minutes(session, ids)
    fees = {f.request_id: f for f in session.scalars(select(VisitFee).where(VisitFee.request_id.in_(ids)))}
    found = []
    for request in done:
        assert request.accepted_by is not None and request.closed_at is not None
        fee = fees.get(request.id)
        found.append(
            Visit(
                request_id=request.id,
                supporter_id=request.accepted_by.id,
                supporter=request.accepted_by.display_name,
                day=(request.wanted_at or request.closed_at).astimezone(zone),
                resident_id=request.requester_id,
                resident_initials=initials(request.requester.display_name),
                category=request.category,
                minutes=fee.minutes if fee is not None else minutes.get(request.id),
                fee_yen=fee.total_yen if fee is not None else None,
                confirmed_at=request.closed_at.astimezone(zone),
            )
        )
    return found


def _given_minutes(session: Session, request_ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        select(TimeCredit.request_id, TimeCredit.minutes).where(
            TimeCredit.request_id.in_(request_ids), TimeCredit.entry == CreditEntry.GIVEN
        )
    )
    return {int(request_id): int(minutes) for request_id, minutes in rows}


def by_supporter(found: Sequence[Visit]) -> dict[int, list[Visit]]:
    grouped: dict[int, list[Visit]] = defaultdict(list)
    for visit in found:
        grouped[visit.supporter_id].append(visit)
    return dict(sorted(grouped.items(), key=lambda item: (item[1][0].supporter, item[0])))


def summary(found: Sequence[Visit]) -> Summary:
    result = Summary(
        sessions=len(found),
        residents=len({v.resident_id for v in found}),
        supporters=len({v.supporter_id for v in found}),
        minutes=sum(v.minutes or 0 for v in found),
        fees_yen=sum(v.fee_yen or 0 for v in found),
    )
    kinds: dict[str | None, Counter[str]] = defaultdict(Counter)
    for visit in found:
        kinds[visit.category]["sessions"] += 1
        kinds[visit.category]["minutes"] += visit.minutes or 0
    result.by_category = dict(sorted(kinds.items(), key=lambda item: -item[1]["sessions"]))
    return result
