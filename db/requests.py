"""Help-request (困りごと), proposal and offer repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, case, func, insert, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from db.models import HelpRequest, Member, Offer, Proposal, ProposalStatus, RequestStatus

ACTIVE_STATUSES = (RequestStatus.OPEN, RequestStatus.MATCHED)


# Built once: every 困りごと starts here, and the ORM's unit of work (an object added, a flush) cost
# about twice this one INSERT … RETURNING, which gives the same persistent object.
_INSERT_DRAFT = insert(HelpRequest).returning(HelpRequest)


def create_draft(
    session: Session, requester: Member, text: str, category: str | None, **columns: Any
) -> HelpRequest:
    """A new draft; columns: what is already known (a time the message gave), in the same INSERT."""
    row = {"requester_id": requester.id, "text": text, "category": category, "status": RequestStatus.DRAFT}
    return session.scalars(_INSERT_DRAFT, [row | columns]).one()


def written_again(session: Session, earlier: HelpRequest) -> HelpRequest | None:
    """The newest draft or request written again from this one (the same member and text, made after it)."""
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.requester_id == earlier.requester_id,
            HelpRequest.id > earlier.id,
            HelpRequest.text == earlier.text,
            HelpRequest.status.in_((RequestStatus.DRAFT, *ACTIVE_STATUSES)),
        )
        .order_by(HelpRequest.id.desc())
        .limit(1)
    ).first()


def open_request(request: HelpRequest, now: datetime) -> None:
    request.status = RequestStatus.OPEN
    request.opened_at = now


def record_proposals(
    session: Session, request: HelpRequest, asked: Sequence[tuple[Member, float, float]], now: datetime
) -> list[Proposal]:
    """One proposal per (supporter, distance, score); also stamps supporters' last_asked_at.

    A supporter asked again about the same request (it was given back) keeps their one row, asked anew.
    """
    request.match_round += 1
    earlier = {p.supporter_id: p for p in proposals_of(session, request.id)}
    proposals = []
    for supporter, distance_km, score in asked:
        proposal = earlier.get(supporter.id) or Proposal(request_id=request.id, supporter_id=supporter.id)
        proposal.status = ProposalStatus.ASKED
        proposal.distance_km, proposal.score = distance_km, score
        proposal.match_round, proposal.asked_at, proposal.answered_at = request.match_round, now, None
        supporter.last_asked_at = now
        session.add(proposal)
        proposals.append(proposal)
    session.flush()
    return proposals


def proposal_for(session: Session, request_id: int, supporter_id: int) -> Proposal | None:
    return session.scalar(
        select(Proposal).where(Proposal.request_id == request_id, Proposal.supporter_id == supporter_id)
    )


def proposals_of(session: Session, request_id: int) -> Sequence[Proposal]:
    return session.scalars(select(Proposal).where(Proposal.request_id == request_id)).all()


def proposals_by_request(session: Session, request_ids: Sequence[int]) -> dict[int, list[Proposal]]:
    """Every proposal of these requests in one query, oldest first, by request id."""
    found: dict[int, list[Proposal]] = {request_id: [] for request_id in request_ids}
    rows = session.scalars(
        select(Proposal)
        .where(Proposal.request_id.in_(list(request_ids)))
        .order_by(Proposal.asked_at, Proposal.id)
    )
    for proposal in rows:
        found[proposal.request_id].append(proposal)
    return found


def active_of(session: Session, requester_id: int) -> Sequence[HelpRequest]:
    return session.scalars(
        select(HelpRequest)
        .where(HelpRequest.requester_id == requester_id, HelpRequest.status.in_(ACTIVE_STATUSES))
        .order_by(HelpRequest.id)
    ).all()


def open_in_box(
    session: Session,
    box: tuple[float, float, float, float],
    categories: Sequence[str],
    exclude_requester: int,
) -> Sequence[HelpRequest]:
    min_lat, max_lat, min_lon, max_lon = box
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.category.in_(list(categories)),
            HelpRequest.requester_id != exclude_requester,
            HelpRequest.lat.between(min_lat, max_lat),
            HelpRequest.lon.between(min_lon, max_lon),
        )
        .order_by(HelpRequest.id.desc())
        .limit(20)
    ).all()


def add_offer(session: Session, member: Member, text: str, categories: Sequence[str]) -> Offer:
    offer = Offer(member_id=member.id, text=text, categories=sorted(categories))
    session.add(offer)
    session.flush()
    return offer


def similar_offers(session: Session, offer: Offer, limit: int = 5) -> list[Offer]:
    """Other members' active offers sharing a category, newest first."""
    wanted = set(offer.categories)
    candidates = session.scalars(
        select(Offer)
        .join(Member, Member.id == Offer.member_id)
        # Someone who unfollowed or was blocked is not shown to others, from the moment it happens.
        .where(
            Offer.active.is_(True),
            Offer.member_id != offer.member_id,
            Member.active.is_(True),
            Member.blocked.is_(False),
        )
        .order_by(Offer.id.desc())
        .limit(500)
    ).all()
    return [o for o in candidates if wanted & set(o.categories)][:limit]


def for_desk(
    session: Session,
    *,
    statuses: Sequence[RequestStatus],
    flagged_only: bool,
    limit: int,
    oldest_first: bool = False,
) -> Sequence[HelpRequest]:
    """Requests for the coordinators' desk, newest first; flagged_only: those waiting for a person."""
    query = select(HelpRequest).where(HelpRequest.status.in_(list(statuses)))
    if flagged_only:
        query = query.where(HelpRequest.needs_coordinator.is_(True))
    order = HelpRequest.id.asc() if oldest_first else HelpRequest.id.desc()
    return session.scalars(query.order_by(order).limit(limit)).all()


# --- what a member has going on (read by handlers; each takes the session) ------------------------


def accepted_by(session: Session, supporter_id: int) -> Sequence[HelpRequest]:
    """Requests this supporter has taken and not finished, by their time (いつでも ones where the database
    puts an empty time: first on SQLite, last on PostgreSQL), then oldest first."""
    return session.scalars(
        select(HelpRequest)
        .where(HelpRequest.accepted_by_id == supporter_id, HelpRequest.status == RequestStatus.MATCHED)
        .order_by(HelpRequest.wanted_at, HelpRequest.id)
    ).all()


def done_by_since(session: Session, supporter_id: int, since: datetime) -> Sequence[HelpRequest]:
    """Requests this supporter completed since then, the latest first (the time is asked after 完了)."""
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.accepted_by_id == supporter_id,
            HelpRequest.status == RequestStatus.DONE,
            HelpRequest.closed_at >= since,
        )
        .order_by(HelpRequest.closed_at.desc(), HelpRequest.id.desc())
    ).all()


def matched_of(session: Session, requester_id: int) -> Sequence[HelpRequest]:
    """A resident's requests someone has taken, oldest first."""
    return session.scalars(
        select(HelpRequest)
        .where(HelpRequest.requester_id == requester_id, HelpRequest.status == RequestStatus.MATCHED)
        .order_by(HelpRequest.id)
    ).all()


def matched_with(session: Session, member_id: int) -> Sequence[HelpRequest]:
    """Matched requests where this member is the resident or the supporter, oldest first."""
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.status == RequestStatus.MATCHED,
            or_(HelpRequest.requester_id == member_id, HelpRequest.accepted_by_id == member_id),
        )
        .order_by(HelpRequest.id)
    ).all()


def cards_waiting(session: Session, supporter_id: int) -> Sequence[HelpRequest]:
    """Open requests this supporter was asked about and has not answered, oldest first."""
    return session.scalars(
        select(HelpRequest)
        .join(Proposal, Proposal.request_id == HelpRequest.id)
        .where(
            Proposal.supporter_id == supporter_id,
            Proposal.status == ProposalStatus.ASKED,
            HelpRequest.status == RequestStatus.OPEN,
        )
        .order_by(HelpRequest.id)
    ).all()


_MEMBER = bindparam("member_id", type_=Integer())
_PARTS = union_all(
    select(HelpRequest.id, literal(0).label("part")).where(
        HelpRequest.requester_id == _MEMBER, HelpRequest.status.in_(ACTIVE_STATUSES)
    ),
    select(HelpRequest.id, literal(1).label("part"))
    .join(Proposal, Proposal.request_id == HelpRequest.id)
    .where(
        Proposal.supporter_id == _MEMBER,
        Proposal.status == ProposalStatus.ASKED,
        HelpRequest.status == RequestStatus.OPEN,
    ),
    select(HelpRequest.id, literal(2).label("part")).where(
        HelpRequest.accepted_by_id == _MEMBER, HelpRequest.status == RequestStatus.MATCHED
    ),
).subquery()
# Built once (statements are immutable and shared by threads): building this one cost four times
# what running it does, and every text outside a flow runs it.
_GOING_ON = (
    select(HelpRequest, _PARTS.c.part)
    .join(_PARTS, _PARTS.c.id == HelpRequest.id)
    # accepted_by's order (by time, where the database puts an empty one), the others by id.
    .order_by(_PARTS.c.part, case((_PARTS.c.part == 2, HelpRequest.wanted_at)), HelpRequest.id)
)


def going_on(
    session: Session, member_id: int
) -> tuple[list[HelpRequest], list[HelpRequest], list[HelpRequest]]:
    """active_of, cards_waiting and accepted_by for one member, in their orders, with one SELECT (every
    text outside a flow is read against them)."""
    found: tuple[list[HelpRequest], list[HelpRequest], list[HelpRequest]] = ([], [], [])
    for request, part in session.execute(_GOING_ON, {"member_id": member_id}):
        found[part].append(request)
    return found


def drafts_of(session: Session, requester_id: int) -> Sequence[HelpRequest]:
    return session.scalars(
        select(HelpRequest).where(
            HelpRequest.requester_id == requester_id, HelpRequest.status == RequestStatus.DRAFT
        )
    ).all()


def cancelled_since(session: Session, requester_id: int, since: datetime) -> Sequence[HelpRequest]:
    """A resident's requests cancelled since then (for someone who comes back), oldest first."""
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.requester_id == requester_id,
            HelpRequest.status == RequestStatus.CANCELLED,
            HelpRequest.closed_at >= since,
        )
        .order_by(HelpRequest.id)
    ).all()


def given_back_since(session: Session, supporter_id: int, since: datetime) -> Sequence[HelpRequest]:
    """Requests this supporter's part in was withdrawn since then (they left), oldest first."""
    return session.scalars(
        select(HelpRequest)
        .join(Proposal, Proposal.request_id == HelpRequest.id)
        .where(
            Proposal.supporter_id == supporter_id,
            Proposal.status == ProposalStatus.WITHDRAWN,
            Proposal.answered_at >= since,
        )
        .order_by(HelpRequest.id)
    ).all()


def recent_visits(
    session: Session, member_id: int, done_since: datetime, *, as_supporter_only: bool, limit: int
) -> Sequence[HelpRequest]:
    """Visits the member took part in (matched now, or done since `done_since`), newest first."""
    side = (
        HelpRequest.accepted_by_id == member_id
        if as_supporter_only
        else or_(HelpRequest.requester_id == member_id, HelpRequest.accepted_by_id == member_id)
    )
    return session.scalars(
        select(HelpRequest)
        .where(
            side,
            HelpRequest.accepted_by_id.is_not(None),
            or_(
                HelpRequest.status == RequestStatus.MATCHED,
                (HelpRequest.status == RequestStatus.DONE) & (HelpRequest.closed_at >= done_since),
            ),
        )
        .order_by(HelpRequest.id.desc())
        .limit(limit)
    ).all()


_SENT_SINCE = (
    select(func.count())
    .select_from(HelpRequest)
    .where(HelpRequest.requester_id == bindparam("requester_id"), HelpRequest.opened_at >= bindparam("since"))
)


def sent_since(session: Session, requester_id: int, since: datetime) -> int:
    """How many requests this member sent (opened) since then (every new 困りごと asks: built once)."""
    return session.scalar(_SENT_SINCE, {"requester_id": requester_id, "since": since}) or 0


def accepted_visits(session: Session, start: datetime, end: datetime) -> Sequence[HelpRequest]:
    """Accepted requests (matched or done) whose time is in [start, end]; いつでも ones by their accept."""
    return session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.status.in_((RequestStatus.MATCHED, RequestStatus.DONE)),
            HelpRequest.accepted_by_id.is_not(None),
            or_(
                HelpRequest.wanted_at.between(start, end),
                (HelpRequest.wanted_at.is_(None) & HelpRequest.matched_at.between(start, end)),
            ),
        )
        .options(selectinload(HelpRequest.accepted_by))
        .order_by(HelpRequest.wanted_at, HelpRequest.matched_at, HelpRequest.id)
    ).all()


def latest_place(session: Session, requester_id: int) -> tuple[float | None, float | None]:
    """Where this member's latest request with a place was; (None, None) when none had one."""
    last = session.execute(
        select(HelpRequest.lat, HelpRequest.lon)
        .where(HelpRequest.requester_id == requester_id, HelpRequest.lat.is_not(None))
        .order_by(HelpRequest.id.desc())
        .limit(1)
    ).first()
    return (last[0], last[1]) if last is not None else (None, None)


def active_offers(session: Session) -> Sequence[Offer]:
    """Every active やってみたい with its member loaded, oldest first (blocked members' too)."""
    return session.scalars(
        select(Offer).where(Offer.active.is_(True)).options(selectinload(Offer.member)).order_by(Offer.id)
    ).all()


def with_people(session: Session, request_ids: Sequence[int]) -> Sequence[HelpRequest]:
    """These requests in one query, their resident and supporter loaded with them."""
    return session.scalars(
        select(HelpRequest)
        .where(HelpRequest.id.in_(list(request_ids)))
        .options(selectinload(HelpRequest.requester), selectinload(HelpRequest.accepted_by))
    ).all()
