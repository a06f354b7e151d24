"""Member repository: residents, supporters and coordinators."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from db import conversations, events
from db.models import (
    Area,
    ClassInvite,
    Conversation,
    MatchExclusion,
    Member,
    Offer,
    Proposal,
    ShiftInvite,
    SupporterSkill,
)


def by_line_id(session: Session, line_user_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.line_user_id == line_user_id))


# Built once (statements are immutable and shared by threads): building one costs more CPU than
# running it, and every webhook event runs this one.
_SENDER = (
    select(Member, Conversation)
    .outerjoin(Conversation, Conversation.member_id == Member.id)
    .where(Member.line_user_id == bindparam("line_user_id"))
)


_SENDER_CLAIMING = _SENDER.add_cte(events.CLAIM_CTE)


def sender(session: Session, line_user_id: str, *, claim: tuple[str, str] | None = None) -> Member:
    """get_or_create's member for an event's sender, read with their conversation row in one SELECT
    (every route asks for the flow in progress: it is then known without another round trip).

    claim: (webhookEventId, event type) to claim first, as events.claim_event does (DuplicateEvent).
    On PostgreSQL the claim's INSERT goes in the same statement (a WITH clause, run whatever the
    SELECT finds): one round trip fewer for every event.
    """
    found: Any  # a (Member, Conversation | None) row, or None
    if claim is not None and session.get_bind().dialect.name == "postgresql":
        found = events.claim_with(session, _SENDER_CLAIMING, claim, {"line_user_id": line_user_id})
    else:
        if claim is not None:
            events.claim_event(session, *claim)
        found = session.execute(_SENDER, {"line_user_id": line_user_id}).first()
    if found is None:
        return get_or_create(session, line_user_id)[0]
    member, state = found
    conversations.known(session, member.id, state)
    return member


def get_or_create(session: Session, line_user_id: str) -> tuple[Member, bool]:
    """The member for a LINE user id, created on first contact (True when new).

    INSERT … ON CONFLICT DO NOTHING, so two first events from one user at once cannot both insert.
    """
    member = by_line_id(session, line_user_id)
    if member is not None:
        return member, False
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    created = session.execute(
        insert(Member)
        .values(line_user_id=line_user_id, display_name="")
        .on_conflict_do_nothing(index_elements=["line_user_id"])
    ).rowcount  # type: ignore[attr-defined]
    member = by_line_id(session, line_user_id)
    assert member is not None
    return member, bool(created)


def set_skills(member: Member, categories: Iterable[str], skill_text: str) -> None:
    wanted = sorted(set(categories))
    member.skills = [s for s in member.skills if s.category in wanted]
    have = {s.category for s in member.skills}
    member.skills.extend(SupporterSkill(category=c) for c in wanted if c not in have)
    member.skill_text = skill_text


def supporters_in_box(
    session: Session,
    box: tuple[float, float, float, float],
    *,
    exclude: Iterable[int] = (),
    on_line_only: bool = False,
) -> Sequence[Member]:
    """Active, unpaused supporters whose home lies in the bounding box (skills preloaded).

    on_line_only leaves out roster entries without LINE (a coordinator phones them instead).
    """
    min_lat, max_lat, min_lon, max_lon = box
    query = (
        select(Member)
        .where(
            Member.is_supporter.is_(True),
            Member.active.is_(True),
            Member.paused.is_(False),
            Member.blocked.is_(False),
            Member.home_lat.between(min_lat, max_lat),
            Member.home_lon.between(min_lon, max_lon),
        )
        .options(selectinload(Member.skills))
    )
    if on_line_only:
        query = query.where(Member.line_user_id.is_not(None))
    excluded = list(exclude)
    if excluded:
        query = query.where(Member.id.not_in(excluded))
    return session.scalars(query).all()


def asks_since(session: Session, member_ids: Iterable[int], since: datetime) -> dict[int, int]:
    """How often each person was asked since a time (for the weekly cap): request cards and invitations
    to a place's shift or a class alike, so nobody is flooded whichever way the asks come."""
    ids = list(member_ids)
    if not ids:
        return {}
    counts: dict[int, int] = {}
    for column, asked_at in (
        (Proposal.supporter_id, Proposal.asked_at),
        (ShiftInvite.member_id, ShiftInvite.asked_at),
        (ClassInvite.member_id, ClassInvite.asked_at),
    ):
        rows = session.execute(
            select(column, func.count()).where(column.in_(ids), asked_at >= since).group_by(column)
        )
        for member_id, count in rows:
            counts[int(member_id)] = counts.get(int(member_id), 0) + int(count)
    return counts


def offerers_in_box(
    session: Session,
    box: tuple[float, float, float, float],
    categories: Iterable[str],
    *,
    exclude: Iterable[int] = (),
) -> list[tuple[Member, Offer]]:
    """People on LINE with a live やってみたい in one of these categories whose home lies in the box
    (their newest such offer each); supporters or not, they said they would like to do this."""
    wanted = set(categories)
    min_lat, max_lat, min_lon, max_lon = box
    rows = session.execute(
        select(Member, Offer)
        .join(Offer, Offer.member_id == Member.id)
        .where(
            Offer.active.is_(True),
            Member.active.is_(True),
            Member.paused.is_(False),
            Member.blocked.is_(False),
            Member.line_user_id.is_not(None),
            Member.home_lat.between(min_lat, max_lat),
            Member.home_lon.between(min_lon, max_lon),
            Member.id.not_in(list(exclude)),
        )
        .order_by(Offer.id.desc())
    ).all()
    found: dict[int, tuple[Member, Offer]] = {}
    for member, offer in rows:
        if member.id not in found and wanted & {str(c) for c in offer.categories or []}:
            found[member.id] = (member, offer)
    return list(found.values())


def week_ago(now: datetime) -> datetime:
    return now - timedelta(days=7)


def coordinators(session: Session) -> Sequence[Member]:
    return session.scalars(
        select(Member).where(
            Member.is_coordinator.is_(True), Member.active.is_(True), Member.line_user_id.is_not(None)
        )
    ).all()


def all_coordinators(session: Session) -> Sequence[Member]:
    """Every member marked coordinator, reachable or not, oldest first (coordinators() is who gets pushes)."""
    return session.scalars(select(Member).where(Member.is_coordinator.is_(True)).order_by(Member.id)).all()


def named(session: Session, who: str) -> Sequence[Member]:
    """Members a coordinator means by `who`: a LINE user id, else an exact display name (maybe several)."""
    by_id = by_line_id(session, who)
    if by_id is not None:
        return [by_id]
    return session.scalars(
        select(Member).where(Member.display_name == who, Member.line_user_id.is_not(None)).order_by(Member.id)
    ).all()


def declined_by(session: Session, resident_id: int) -> set[int]:
    """Supporters who asked never to be asked by this resident again (この方からの依頼はもう受けない)."""
    return set(
        session.scalars(select(MatchExclusion.supporter_id).where(MatchExclusion.resident_id == resident_id))
    )


def exclude(session: Session, supporter_id: int, resident_id: int, now: datetime) -> None:
    """This supporter is never asked by this resident again (once is enough: a second tap changes nothing)."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    session.execute(
        insert(MatchExclusion)
        .values(supporter_id=supporter_id, resident_id=resident_id, created_at=now)
        .on_conflict_do_nothing(index_elements=["supporter_id", "resident_id"])
    )


def coordinators_by_name(session: Session) -> Sequence[Member]:
    """The reachable coordinators (as coordinators()), by name: to choose one from a list."""
    return session.scalars(
        select(Member)
        .where(Member.is_coordinator.is_(True), Member.active.is_(True), Member.line_user_id.is_not(None))
        .order_by(Member.display_name, Member.id)
    ).all()


def supporters_by_name(session: Session) -> Sequence[Member]:
    """Every member marked supporter (paused, blocked or gone too), skills loaded, by name."""
    return session.scalars(
        select(Member)
        .where(Member.is_supporter.is_(True))
        .options(selectinload(Member.skills))
        .order_by(Member.display_name, Member.id)
    ).all()


def off_line_named(session: Session, name: str) -> Member | None:
    """A member who is not on LINE (someone a roster listed) with this display name, if any."""
    return session.scalar(
        select(Member).where(Member.line_user_id.is_(None), Member.display_name == name).limit(1)
    )


def name_if_unknown(session: Session, line_user_id: str, display_name: str) -> None:
    """Store the LINE name of a member we have none for (one whose name is known is left as it is)."""
    session.execute(
        update(Member)
        .where(Member.line_user_id == line_user_id, Member.display_name == "")
        .values(display_name=display_name)
    )


COMMUNITY_POINTS = 200


def community_points(session: Session, limit: int = COMMUNITY_POINTS) -> list[tuple[float, float]]:
    """Where the community is: its areas' centres and its supporters' places (a typed town name shared
    by several places is asked about with the nearest one as the example)."""
    areas = session.execute(select(Area.lat, Area.lon).limit(limit)).all()
    homes = session.execute(
        select(Member.home_lat, Member.home_lon)
        .where(Member.is_supporter.is_(True), Member.home_lat.is_not(None), Member.home_lon.is_not(None))
        .order_by(Member.id)
        .limit(limit)
    ).all()
    return [(lat, lon) for lat, lon in (*areas, *homes) if lat is not None and lon is not None]
