"""Erasing one member's personal data (退会, `otagai members erase`, the purge some days after unfollow).

The member's row stays as an anonymous tombstone: requests, proposals and time credits keep pointing at
it, so the monthly report's counts still add up, but no row says any more who they were, where they live
or what they wrote. Callers tell the other side of open and accepted requests first (handlers/privacy.py);
this only changes rows, in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from db import lifecycle
from db.models import (
    ClassSeat,
    Conversation,
    CoordinatorNotice,
    DeskAccount,
    DeskAction,
    FirstVisit,
    FollowUp,
    FollowUpState,
    FoodGift,
    HelpRequest,
    Master,
    MasterAsk,
    MasterClass,
    MatchExclusion,
    Member,
    Offer,
    OutboundMessage,
    OutboundStatus,
    ProxyRequest,
    RelayMedia,
    RequestStatus,
    SupporterRecord,
    TicketEntry,
)
from db.requests import ACTIVE_STATUSES

# Every message passed on in relay chat carries this reply button (handlers/relay.py, postback
# "a=relay&r=ID"); outbox rows have no sender, so this is how the member's own relay messages are found.
RELAY_MARKER = "a=relay&r={request_id}"
# What stands in an outbox row's recipients for someone erased (the row itself stays for its counts).
ERASED_RECIPIENT = "erased"
# Long texts are looked for by their beginning: cards and lists show them clipped.
TEXT_PREFIX = 12
MIN_NEEDLE = 2
# What stands where a name or text was in a notice kept for coordinators.
MASK = "＊＊＊"


@dataclass
class Erasure:
    """What one erasure changed, for the operator's summary and the tests."""

    requests: int = 0
    offers: int = 0
    photos: int = 0
    messages: int = 0


def identifying_strings(session: Session, member: Member) -> list[str]:
    """Strings that would identify the member in a message body: name, LINE id, their texts and places."""
    found: list[str] = [member.display_name, member.line_user_id or "", member.home_address or ""]
    found.append(member.skill_text[:TEXT_PREFIX])
    for request in own_requests(session, member.id):
        found += [request.text[:TEXT_PREFIX], request.address or ""]
    found += [
        offer.text[:TEXT_PREFIX]
        for offer in session.scalars(select(Offer).where(Offer.member_id == member.id))
    ]
    return sorted({s.strip() for s in found if len(s.strip()) >= MIN_NEEDLE})


def own_requests(session: Session, member_id: int) -> Sequence[HelpRequest]:
    return session.scalars(
        select(HelpRequest).where(HelpRequest.requester_id == member_id).order_by(HelpRequest.id)
    ).all()


def shared_request_ids(session: Session, member_id: int) -> list[int]:
    """Requests the member asked for or accepted: relay photos and relayed messages belong to these."""
    return list(
        session.scalars(
            select(HelpRequest.id).where(
                or_(HelpRequest.requester_id == member_id, HelpRequest.accepted_by_id == member_id)
            )
        )
    )


def erase_member(session: Session, member: Member, now: datetime) -> Erasure:
    """Blank everything personal about `member`, leaving an anonymous tombstone. Idempotent."""
    needles = identifying_strings(session, member)
    own = own_requests(session, member.id)
    shared = shared_request_ids(session, member.id)
    markers = [RELAY_MARKER.format(request_id=request_id) for request_id in shared]
    result = Erasure()
    result.messages = _scrub_outbox(session, member.line_user_id, needles + markers, {r.id for r in own}, now)
    for request in own:
        _close(session, request, now)
        if request.text or request.address or request.lat is not None or request.area:
            result.requests += 1
        blank_request(request)
    if shared:
        result.photos = _count(session.execute(delete(RelayMedia).where(RelayMedia.request_id.in_(shared))))
    result.offers = _count(session.execute(delete(Offer).where(Offer.member_id == member.id)))
    # Food offered stays counted in the monthly numbers, but without its words or giver.
    session.execute(
        update(FoodGift)
        .where(FoodGift.member_id == member.id)
        .values(text="", member_id=None)
        .execution_options(synchronize_session=False)
    )
    _erase_master_records(session, member.id, now)
    session.execute(delete(Conversation).where(Conversation.member_id == member.id))
    _scrub_desk(session, member.id, [r.id for r in own])
    _mask_notices(session, needles + [r.text for r in own if len(r.text) > TEXT_PREFIX])
    session.execute(
        delete(MatchExclusion).where(
            or_(MatchExclusion.supporter_id == member.id, MatchExclusion.resident_id == member.id)
        )
    )
    session.execute(
        update(FollowUp)
        .where(FollowUp.member_id == member.id, FollowUp.state == FollowUpState.PENDING)
        .values(state=FollowUpState.CANCELLED, outcome="member erased", done_at=now)
        .execution_options(synchronize_session=False)
    )
    _erase_scheme_records(session, member.id)
    _tombstone(member, now)
    session.flush()
    return result


def _erase_master_records(session: Session, member_id: int, now: datetime) -> None:
    """A 名人・達人 is no longer found (where they teach and their place blanked; the skill stays for the
    classes counted in the report); their seats in coming classes go to whoever waits."""
    session.execute(
        update(Master)
        .where(Master.member_id == member_id)
        .values(active=False, where_text="", how_often="", lat=None, lon=None, area="")
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(MasterAsk).where(MasterAsk.member_id == member_id))
    coming = session.scalars(
        select(ClassSeat.class_id)
        .join(MasterClass, MasterClass.id == ClassSeat.class_id)
        .where(ClassSeat.member_id == member_id, ClassSeat.status != "cancelled", MasterClass.starts_at > now)
    ).all()
    for class_id in coming:
        lifecycle.leave_class(session, class_id, member_id)


def _erase_scheme_records(session: Session, member_id: int) -> None:
    """Vetting notes, agreement and insurance go; ticket and fee amounts stay for the accounts, unnamed."""
    session.execute(delete(SupporterRecord).where(SupporterRecord.member_id == member_id))
    session.execute(
        update(TicketEntry)
        .where(TicketEntry.member_id == member_id)
        .values(note="")
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(FirstVisit).where(FirstVisit.coordinator_id == member_id))


def blank_request(request: HelpRequest) -> None:
    """Keep what the monthly report counts (kind, state, dates); drop the words and the place."""
    request.text, request.address, request.lat, request.lon, request.area = "", None, None, None, ""


def _close(session: Session, request: HelpRequest, now: datetime) -> None:
    if request.status in ACTIVE_STATUSES:
        # Callers withdraw open requests (telling supporters) first; this only makes sure none stays open.
        lifecycle.cancel(session, request, now)
        session.execute(
            update(FollowUp)
            .where(FollowUp.request_id == request.id, FollowUp.state == FollowUpState.PENDING)
            .values(state=FollowUpState.CANCELLED, outcome="member erased", done_at=now)
            .execution_options(synchronize_session=False)
        )
        session.refresh(request)
    elif request.status == RequestStatus.DRAFT:
        request.status, request.closed_at = RequestStatus.CANCELLED, now


def _scrub_desk(session: Session, member_id: int, own_ids: list[int]) -> None:
    """The web desk's copies: a proxy resident's phone, and coordinators' notes about the member.

    The audit rows stay (who did what, when), without the words.
    """
    if own_ids:
        session.execute(
            update(ProxyRequest)
            .where(ProxyRequest.request_id.in_(own_ids))
            .values(phone="")
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(DeskAction)
            .where(DeskAction.request_id.in_(own_ids))
            .values(note="")
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(DeskAction)
        .where(DeskAction.member_id == member_id)
        .values(note="")
        .execution_options(synchronize_session=False)
    )
    # A coordinator's desk sign-in belongs to the organisation; it is only unlinked from the person.
    session.execute(
        update(DeskAccount)
        .where(DeskAccount.member_id == member_id)
        .values(member_id=None)
        .execution_options(synchronize_session=False)
    )


def _mask_notices(session: Session, needles: Sequence[str]) -> None:
    """【要対応】 notices kept for the web desk name people and quote texts: those parts are masked, the
    notice itself (which request, what happened) stays for the coordinators."""
    ordered = sorted({n for n in needles if len(n) >= MIN_NEEDLE}, key=len, reverse=True)
    if not ordered:
        return
    for notice in session.scalars(select(CoordinatorNotice)):
        masked = notice.text
        for needle in ordered:
            masked = masked.replace(needle, MASK)
        if masked != notice.text:
            notice.text = masked


def _tombstone(member: Member, now: datetime) -> None:
    member.line_user_id = None
    member.display_name = ""
    member.home_lat = member.home_lon = None
    member.home_address = None
    member.home_area = ""
    member.skill_text = ""
    member.skills = []
    member.is_supporter = member.is_coordinator = member.paused = False
    member.active = False
    member.left_at = None
    member.erased_at = now


def _scrub_outbox(
    session: Session, line_user_id: str | None, needles: Iterable[str], own_ids: set[int], now: datetime
) -> int:
    """Erase the bodies of messages to, from or about the member; unsent ones are never sent.

    Only rows whose body is still there (retention erased older ones) or which name the member as a
    recipient are read; bodies are matched in Python because JSON is stored escaped on some backends.
    """
    wanted = [n for n in needles if n]
    candidates = [cast(OutboundMessage.messages, Text) != "[]"]
    if line_user_id:
        candidates.append(cast(OutboundMessage.recipients, Text).contains(line_user_id))
    changed = 0
    for row in session.scalars(select(OutboundMessage).where(or_(*candidates))):
        to_member = line_user_id is not None and line_user_id in row.recipients
        body = json.dumps(row.messages, ensure_ascii=False)
        about = row.request_id in own_ids or any(needle in body for needle in wanted)
        if not (to_member or about):
            continue
        others = [r for r in row.recipients if r != line_user_id]
        row.recipients = others or [ERASED_RECIPIENT]
        if row.status == OutboundStatus.PENDING and (about or not others):
            row.status, row.last_error, row.next_attempt_at = OutboundStatus.FAILED, "not sent: erased", now
        if row.status != OutboundStatus.PENDING:
            row.messages = []
        changed += 1
    return changed


def _count(result: object) -> int:
    return int(result.rowcount)  # type: ignore[attr-defined]
