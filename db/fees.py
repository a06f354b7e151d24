"""Prepaid tickets (利用券) and visit fees: balances, charging a visit once, and a month's settlement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import HelpRequest, Member, TicketEntry, VisitFee

SOLD, REFUNDED, USED = "sold", "refunded", "used"


def balance(session: Session, member_id: int) -> int:
    """Yen left on a resident's tickets (negative: they owe the scheme)."""
    total = session.scalar(
        select(func.coalesce(func.sum(TicketEntry.yen), 0)).where(TicketEntry.member_id == member_id)
    )
    return int(total or 0)


def ticket_holders(session: Session) -> Sequence[Member]:
    """Everyone with a ticket entry, by name."""
    held = select(TicketEntry.member_id).distinct()
    return session.scalars(
        select(Member).where(Member.id.in_(held)).order_by(Member.display_name, Member.id)
    ).all()


def add_entry(
    session: Session,
    member_id: int,
    kind: str,
    yen: int,
    now: datetime,
    *,
    by: str = "",
    note: str = "",
    request_id: int | None = None,
) -> TicketEntry:
    """One ledger line; `yen` is signed as the balance moves (a sale adds, a refund or a use takes)."""
    entry = TicketEntry(
        member_id=member_id,
        kind=kind,
        yen=yen,
        request_id=request_id,
        note=note[:200],
        recorded_by=by[:100],
        at=now,
    )
    session.add(entry)
    session.flush()
    return entry


class NotEnoughTickets(ValueError):
    """A refund larger than what is left on the tickets."""

    def __init__(self, left: int) -> None:
        super().__init__(left)
        self.left = left


def sell(session: Session, member_id: int, yen: int, now: datetime, *, by: str, note: str = "") -> int:
    """A resident bought tickets worth `yen`; returns what is left on them now."""
    add_entry(session, member_id, SOLD, yen, now, by=by, note=note)
    return balance(session, member_id)


def refund(session: Session, member_id: int, yen: int, now: datetime, *, by: str, note: str = "") -> int:
    """Unused tickets paid back; never more than is left. Returns what is left now."""
    left = balance(session, member_id)
    if yen > left:
        raise NotEnoughTickets(left)
    add_entry(session, member_id, REFUNDED, -yen, now, by=by, note=note)
    return left - yen


def charge(session: Session, values: dict[str, Any]) -> bool:
    """Record a visit's fee once: INSERT … ON CONFLICT DO NOTHING, so two taps cannot charge twice.

    Returns False when the visit was charged already; the tickets are used only by the one that won.
    """
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    # RETURNING, not rowcount: an ORM-enabled INSERT reports rowcount -1 on PostgreSQL.
    inserted = session.execute(
        insert(VisitFee)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["request_id"])
        .returning(VisitFee.request_id)
    ).first()
    if inserted is None:
        return False
    total = values["labour_yen"] + values["travel_yen"] + values["materials_yen"]
    add_entry(
        session,
        values["resident_id"],
        USED,
        -total,
        values["charged_at"],
        request_id=values["request_id"],
        note=values["kind"],
    )
    return True


def tickets_used(session: Session, start: datetime, end: datetime) -> int:
    """Yen of tickets used for visits charged in [start, end) (a positive number)."""
    total = session.scalar(
        select(func.coalesce(func.sum(TicketEntry.yen), 0)).where(
            TicketEntry.kind == USED, TicketEntry.at >= start, TicketEntry.at < end
        )
    )
    return -int(total or 0)


def fee_of(session: Session, request_id: int) -> VisitFee | None:
    return session.get(VisitFee, request_id)


def fees_between(session: Session, start: datetime, end: datetime) -> Sequence[VisitFee]:
    return session.scalars(
        select(VisitFee)
        .where(VisitFee.charged_at >= start, VisitFee.charged_at < end)
        .order_by(VisitFee.charged_at, VisitFee.request_id)
    ).all()


@dataclass
class SettlementLine:
    """One person's month: a resident's charges, or what a helper is owed; the scheme's own share."""

    role: str  # resident / helper / scheme
    name: str
    visits: int = 0
    labour_yen: int = 0
    travel_yen: int = 0
    materials_yen: int = 0
    amount_yen: int = 0  # resident: charged (tickets used); helper: to be paid; scheme: its share
    balance_yen: int | None = None  # resident: tickets left now (negative: owes)


def settlement(session: Session, start: datetime, end: datetime) -> list[SettlementLine]:
    """Who owes and who is owed for the fees charged in [start, end): residents, helpers, the scheme."""
    fees = fees_between(session, start, end)
    people = {
        m.id: m
        for m in session.scalars(
            select(Member).where(
                Member.id.in_({f.resident_id for f in fees} | {f.supporter_id for f in fees})
            )
        )
    }
    residents: dict[int, SettlementLine] = {}
    helpers: dict[int, SettlementLine] = {}
    scheme = SettlementLine("scheme", "")
    for fee in fees:
        resident = residents.setdefault(
            fee.resident_id, SettlementLine("resident", people[fee.resident_id].display_name)
        )
        helper = helpers.setdefault(
            fee.supporter_id, SettlementLine("helper", people[fee.supporter_id].display_name)
        )
        for line in (resident, helper):
            line.visits += 1
            line.labour_yen += fee.labour_yen
            line.travel_yen += fee.travel_yen
            line.materials_yen += fee.materials_yen
        resident.amount_yen += fee.total_yen
        helper.amount_yen += fee.helper_yen
        scheme.visits += 1
        scheme.labour_yen += fee.labour_yen
        scheme.amount_yen += fee.org_yen
    for member_id, line in residents.items():
        line.balance_yen = balance(session, member_id)
    return [*residents.values(), *helpers.values(), *([scheme] if fees else [])]


def ticket_people(session: Session, limit: int) -> Sequence[Member]:
    """Everyone who ever sent a request or has a ticket entry, by name, at most `limit`."""
    requesters = select(HelpRequest.requester_id)
    held = select(TicketEntry.member_id)
    return session.scalars(
        select(Member)
        .where(Member.id.in_(requesters) | Member.id.in_(held))
        .order_by(Member.display_name, Member.id)
        .limit(limit)
    ).all()
