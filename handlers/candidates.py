"""Ranked supporters for a request text and place, from the database (for the bot and `otagai match`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from db import members as member_repo
from db.models import Member
from matching import MatchResult, RequestQuery, SupporterProfile, bounding_box, match_supporters

# Supporters choose 1, 3, 5 or 10 km; the database pre-filter must reach the widest of them.
MAX_SUPPORTER_RADIUS_KM = 10.0
# Someone who only said やってみたい chose no circle: they are asked about what is this close to home.
OFFER_RADIUS_KM = 5.0


def find_candidates(
    session: Session,
    query: RequestQuery,
    *,
    limit: int,
    now: datetime,
    weekly_cap: int,
    on_line_only: bool = False,
) -> tuple[MatchResult, dict[int, Member]]:
    """Rank the supporters near the query (bounding box in SQL, scoring in `matching`)."""
    exclude: Collection[int] = query.exclude_member_ids
    box = bounding_box(query.lat, query.lon, MAX_SUPPORTER_RADIUS_KM + max(query.radius_boost_km, 0.0))
    nearby = member_repo.supporters_in_box(session, box, exclude=exclude, on_line_only=on_line_only)
    weekly = member_repo.asks_since(session, (m.id for m in nearby), member_repo.week_ago(now))
    profiles = [supporter_profile(m, weekly.get(m.id, 0)) for m in nearby]
    result = match_supporters(query, profiles, limit=limit, now=now, weekly_cap=weekly_cap)
    return result, {m.id: m for m in nearby}


def supporter_profile(member: Member, asked_this_week: int) -> SupporterProfile:
    assert member.home_lat is not None and member.home_lon is not None
    return SupporterProfile(
        member_id=member.id,
        name=member.display_name,
        line_user_id=member.line_user_id,
        lat=member.home_lat,
        lon=member.home_lon,
        radius_km=member.radius_km,
        skills=frozenset(s.category for s in member.skills),
        skill_text=member.skill_text,
        last_asked_at=member.last_asked_at,
        asked_this_week=asked_this_week,
        paused=member.paused,
    )


def find_invitees(
    session: Session,
    query: RequestQuery,
    *,
    limit: int,
    now: datetime,
    weekly_cap: int,
) -> tuple[MatchResult, dict[int, Member]]:
    """Supporters and people with a fitting やってみたい, ranked together by the same scoring and cap.

    For help a place needs (a shift, a class): a やってみたい counts as skills in the offer's categories,
    in the person's own words, within OFFER_RADIUS_KM of home. Only people on LINE (they must tap).
    """
    exclude: Collection[int] = query.exclude_member_ids
    box = bounding_box(query.lat, query.lon, MAX_SUPPORTER_RADIUS_KM)
    supporters = member_repo.supporters_in_box(session, box, exclude=exclude, on_line_only=True)
    categories = [query.category] if query.category else []
    offerers = member_repo.offerers_in_box(
        session, bounding_box(query.lat, query.lon, OFFER_RADIUS_KM), categories, exclude=exclude
    )
    people = {m.id: m for m in supporters} | {m.id: m for m, _ in offerers}
    weekly = member_repo.asks_since(session, people, member_repo.week_ago(now))
    profiles = {m.id: supporter_profile(m, weekly.get(m.id, 0)) for m in supporters}
    for member, offer in offerers:
        skills = frozenset(str(c) for c in offer.categories or [])
        mine = profiles.get(member.id)
        if mine is None:
            assert member.home_lat is not None and member.home_lon is not None
            profiles[member.id] = SupporterProfile(
                member_id=member.id,
                name=member.display_name,
                line_user_id=member.line_user_id,
                lat=member.home_lat,
                lon=member.home_lon,
                radius_km=OFFER_RADIUS_KM,
                skills=skills,
                skill_text=offer.text,
                last_asked_at=member.last_asked_at,
                asked_this_week=weekly.get(member.id, 0),
            )
        else:  # a supporter who also said やってみたい: both count
            profiles[member.id] = replace(
                mine, skills=mine.skills | skills, skill_text=f"{mine.skill_text} {offer.text}".strip()
            )
    result = match_supporters(query, profiles.values(), limit=limit, now=now, weekly_cap=weekly_cap)
    return result, people
