"""A month's numbers for a committee: requests by outcome and kind, no-shows, and hours of help."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CreditEntry, HelpRequest, Member, Proposal, ProposalStatus, RequestStatus, TimeCredit

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


def month_report(session: Session, month: str, zone: ZoneInfo) -> MonthReport:
    start, end = month_bounds(month, zone)
    report = MonthReport(month=month)
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
    return report


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
