"""A month's numbers for a committee: requests by outcome and kind, no-shows, and hours of help."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CreditEntry, HelpRequest, Member, Proposal, ProposalStatus, RequestStatus, TimeCredit
from db.places import place_numbers

MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class LedgerLine:
    """One member's time credits in the month, in minutes."""

    name: str
    given: int
    received: int


@dataclass
class MonthReport:
    month: str  # "2026-11"
    # Requests sent in the month (drafts never sent are not requests), by where they are now.
    by_status: Counter[str] = field(default_factory=Counter)
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    no_shows: int = 0
    ledger: list[LedgerLine] = field(default_factory=list)
    # Minutes from a request being sent to its first accept, for the requests sent in the month.
    accept_minutes: list[float] = field(default_factory=list)
    # Requests sent in the month that nobody ever accepted (whatever became of them).
    unmatched: int = 0
    # Supporters who answered a card (accepted or passed) in the month.
    active_supporters: int = 0
    # The community's places (issue 15): openings held, food offered in chat and passed on.
    place_openings: int = 0
    food_offers: int = 0
    food_passed_on: int = 0
    shifts: int = 0
    shifts_filled: int = 0
    shift_helpers: int = 0
    classes: int = 0
    class_seats: int = 0

    @property
    def median_minutes_to_accept(self) -> float | None:
        return statistics.median(self.accept_minutes) if self.accept_minutes else None

    @property
    def unmatched_share(self) -> float | None:
        return self.unmatched / self.received if self.received else None

    @property
    def received(self) -> int:
        return sum(self.by_status.values())

    @property
    def minutes_given(self) -> int:
        return sum(line.given for line in self.ledger)

    @property
    def supporters_who_helped(self) -> int:
        return sum(1 for line in self.ledger if line.given)


def month_bounds(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in the organisation's time zone."""
    parsed = MONTH.fullmatch(month)
    if parsed is None or not 1 <= int(parsed.group(2)) <= 12:
        raise ValueError(f"{month!r} is not a month like 2026-11")
    year, number = int(parsed.group(1)), int(parsed.group(2))
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, end


def period_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the first day's start to the end of the last day (inclusive), in the organisation's zone."""
    if last < first:
        raise ValueError(f"{last} is before {first}")
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    return start, end


def month_report(session: Session, month: str, zone: ZoneInfo) -> MonthReport:
    start, end = month_bounds(month, zone)
    return period_report(session, start, end, month)


def period_report(session: Session, start: datetime, end: datetime, label: str) -> MonthReport:
    """The same figures for any period [start, end): the desk lets a coordinator choose one."""
    report = MonthReport(month=label)
    sent_in_month = (HelpRequest.opened_at >= start, HelpRequest.opened_at < end)
    rows = session.execute(
        select(HelpRequest.category, HelpRequest.status, func.count())
        .where(*sent_in_month, HelpRequest.status != RequestStatus.DRAFT)
        .group_by(HelpRequest.category, HelpRequest.status)
    ).all()
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for category, status, count in rows:
        report.by_status[status.value] += count
        by_category[category or "unknown"][status.value] += count
    report.by_category = dict(sorted(by_category.items(), key=lambda item: -sum(item[1].values())))
    report.no_shows = (
        session.scalar(
            select(func.count())
            .select_from(Proposal)
            .where(
                Proposal.status == ProposalStatus.NO_SHOW,
                Proposal.answered_at >= start,
                Proposal.answered_at < end,
            )
        )
        or 0
    )
    report.ledger = _ledger(session, start, end)
    _acceptance(session, report, start, end)
    places = place_numbers(session, start, end)
    report.place_openings, report.food_offers = places.openings, places.food_offers
    report.food_passed_on = places.food_passed_on
    report.shifts, report.shifts_filled, report.shift_helpers = (
        places.shifts,
        places.shifts_filled,
        places.helpers,
    )
    report.classes, report.class_seats = places.classes, places.class_seats
    return report


# A proposal in one of these states was accepted at its answered_at (whatever happened after).
ACCEPTED_ONCE = (ProposalStatus.ACCEPTED, ProposalStatus.NO_SHOW, ProposalStatus.DROPPED)


def _acceptance(session: Session, report: MonthReport, start: datetime, end: datetime) -> None:
    """How fast requests sent in the month were first accepted, how many never were, who answered."""
    first_accept = (
        select(Proposal.request_id, func.min(Proposal.answered_at).label("first"))
        .where(Proposal.status.in_(ACCEPTED_ONCE), Proposal.answered_at.is_not(None))
        .group_by(Proposal.request_id)
        .subquery()
    )
    rows = session.execute(
        select(HelpRequest.opened_at, first_accept.c.first)
        .outerjoin(first_accept, first_accept.c.request_id == HelpRequest.id)
        .where(
            HelpRequest.opened_at >= start,
            HelpRequest.opened_at < end,
            HelpRequest.status != RequestStatus.DRAFT,
        )
    ).all()
    for opened_at, first in rows:
        if first is None:
            report.unmatched += 1
        else:
            # The subquery's min() comes back naive on SQLite: it is UTC like every stored time.
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            report.accept_minutes.append(max(0.0, (first - opened_at).total_seconds() / 60))
    report.active_supporters = (
        session.scalar(
            select(func.count(func.distinct(Proposal.supporter_id))).where(
                Proposal.answered_at >= start,
                Proposal.answered_at < end,
                Proposal.status.in_((*ACCEPTED_ONCE, ProposalStatus.PASSED)),
            )
        )
        or 0
    )


def _ledger(session: Session, start: datetime, end: datetime) -> list[LedgerLine]:
    rows = session.execute(
        select(Member.id, Member.display_name, TimeCredit.entry, func.sum(TimeCredit.minutes))
        .join(Member, Member.id == TimeCredit.member_id)
        .where(TimeCredit.created_at >= start, TimeCredit.created_at < end)
        .group_by(Member.id, Member.display_name, TimeCredit.entry)
    ).all()
    minutes: dict[tuple[int, str], dict[CreditEntry, int]] = defaultdict(dict)
    for member_id, name, entry, total in rows:
        minutes[(member_id, name or "-")][entry] = int(total or 0)
    lines = [
        LedgerLine(name, entries.get(CreditEntry.GIVEN, 0), entries.get(CreditEntry.RECEIVED, 0))
        for (_, name), entries in minutes.items()
    ]
    return sorted(lines, key=lambda line: (-line.given, -line.received, line.name))
