"""Ranking supporters for a request: filters (reach, exclusions, cap, fit) and scored order."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from matching.geo import haversine_prepared, valid_location
from matching.models import Candidate, RequestQuery, SupporterProfile
from matching.score import (
    ALTERNATIVE_CATEGORY,
    STRONG_TEXT,
    content_words,
    distance_part,
    fairness_part,
    hours_since,
    text_similarity,
    total,
)
from matching.understand import Understanding, skills_from_text, understand

Reason = Literal[
    "ok",
    "emergency",
    "not_allowed",
    "harmful",
    "referral",
    "unknown_category",
    "bad_location",
    "no_supporters",
]
Scores = tuple[float, float, float, float, float]  # total, category, text, distance, fairness


@dataclass(frozen=True)
class MatchResult:
    """Candidates best first, and why the list is empty when it is."""

    candidates: tuple[Candidate, ...]
    reason: Reason
    understanding: Understanding
    flag_reason: str | None = None


@dataclass(frozen=True)
class Plan:
    """What one request needs from every supporter, computed once."""

    query: RequestQuery
    understanding: Understanding
    category: str | None
    alternatives: frozenset[str]
    words: tuple[str, ...]  # content-word readings of the request
    word_set: frozenset[str]
    lat: float
    lon: float
    now_ts: float
    weekly_cap: int
    boost_km: float
    lat_rad: float
    cos_lat: float
    texts: dict[str, float] = field(default_factory=dict, compare=False)  # skill text -> similarity


@dataclass(frozen=True, slots=True)
class Prepared:
    """What scoring needs from one supporter, computed once (and kept by SupporterIndex)."""

    supporter: SupporterProfile
    skills: frozenset[str]  # declared plus stated in their own words
    words: tuple[str, ...]  # content-word readings of their skill text
    lat: float
    lon: float
    radius_km: float
    lat_rad: float
    cos_lat: float
    asked_ts: float | None


@lru_cache(maxsize=65536)
def supporter_skills(skills: frozenset[str], skill_text: str) -> frozenset[str]:
    """Declared skills plus those their own words clearly state."""
    return skills | skills_from_text(skill_text)


def _utc(moment: datetime) -> datetime:
    # A naive timestamp from a careless caller is read as UTC rather than raising mid-match.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _number(value: object) -> float | None:
    """A finite float, or None for anything else a careless caller might pass (NaN, "3", None)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def prepare_supporter(supporter: SupporterProfile) -> Prepared | None:
    """None for a supporter nobody could reach (broken coordinates or radius)."""
    lat, lon, radius = _number(supporter.lat), _number(supporter.lon), _number(supporter.radius_km)
    if lat is None or lon is None or radius is None or not valid_location(lat, lon):
        return None
    lat_rad = math.radians(lat)
    asked = supporter.last_asked_at
    return Prepared(
        supporter=supporter,
        lat=lat,
        lon=lon,
        radius_km=radius,
        skills=supporter_skills(supporter.skills, supporter.skill_text),
        words=content_words(supporter.skill_text),
        lat_rad=lat_rad,
        cos_lat=math.cos(lat_rad),
        asked_ts=_utc(asked).timestamp() if asked else None,
    )


def plan(query: RequestQuery, now: datetime, weekly_cap: int) -> Plan | MatchResult:
    """Understand the request, or say at once why nobody should be asked."""
    understanding = understand(query.text)
    # A maybe-urgent text goes on only once the resident said it is not urgent and chose the kind of
    # help (the chat's いいえ); `otagai match` and anything without a chosen category never ranks it.
    answered_not_urgent = understanding.urgency == "maybe" and query.category is not None
    if understanding.flag is not None and not answered_not_urgent:
        return MatchResult((), understanding.flag, understanding, understanding.flag_reason)
    if understanding.referral is not None:
        return MatchResult((), "referral", understanding, understanding.referral)
    lat, lon = _number(query.lat), _number(query.lon)
    if lat is None or lon is None or not valid_location(lat, lon):
        return MatchResult((), "bad_location", understanding)
    category = query.category or understanding.category
    alternatives = frozenset(understanding.alternatives) - {category} if not query.category else frozenset()
    words = content_words(query.text) if isinstance(query.text, str) else ()
    if category is None and not words:
        return MatchResult((), "unknown_category", understanding)
    boost = _number(query.radius_boost_km) or 0.0
    lat_rad = math.radians(lat)
    return Plan(
        query=query,
        understanding=understanding,
        category=category,
        alternatives=alternatives,
        words=words,
        word_set=frozenset(words),
        lat=lat,
        lon=lon,
        now_ts=_utc(now).timestamp(),
        weekly_cap=weekly_cap,
        boost_km=max(boost, 0.0),
        lat_rad=lat_rad,
        cos_lat=math.cos(lat_rad),
    )


def reach_km(plan: Plan, prepared: Prepared) -> float | None:
    """Distance when the supporter is available and the request lies inside their own circle (plus boost)."""
    supporter = prepared.supporter
    if (
        supporter.paused
        or supporter.asked_this_week >= plan.weekly_cap
        or supporter.member_id in plan.query.exclude_member_ids
    ):
        return None
    distance = haversine_prepared(
        plan.lat_rad, plan.cos_lat, prepared.lat_rad, prepared.cos_lat, prepared.lon - plan.lon
    )
    return distance if distance <= prepared.radius_km + plan.boost_km else None


def _text(plan: Plan, skill_text: str, words: tuple[str, ...]) -> float:
    # Supporters often write the same thing (「買い物代行」); score each text once per request.
    found = plan.texts.get(skill_text)
    if found is None:
        found = plan.texts[skill_text] = text_similarity(plan.words, words)
    return found


def score(plan: Plan, prepared: Prepared, distance_km: float) -> Scores | None:
    """Total and parts for a supporter within reach; None when they do not fit the request."""
    supporter = prepared.supporter
    if plan.category is not None:
        if plan.category in prepared.skills:
            category = 1.0
        elif plan.alternatives and plan.alternatives & prepared.skills:
            category = ALTERNATIVE_CATEGORY
        else:
            return None
        text = _text(plan, supporter.skill_text, prepared.words)
    else:
        # Unknown category: their own words must say what the request says (a shared word, and
        # most of the request's words close enough); SupporterIndex finds them by word bucket.
        if plan.word_set.isdisjoint(prepared.words):
            return None
        category = 0.0
        text = _text(plan, supporter.skill_text, prepared.words)
        if text < STRONG_TEXT:
            return None
    distance = distance_part(distance_km, prepared.radius_km + plan.boost_km)
    fairness = fairness_part(
        hours_since(prepared.asked_ts, plan.now_ts), supporter.asked_this_week, plan.weekly_cap
    )
    return total(category, text, distance, fairness), category, text, distance, fairness


def candidate(supporter: SupporterProfile, distance_km: float, scores: Scores) -> Candidate:
    total_, category, text, distance, fairness = scores
    parts = {"category": category, "text": text, "distance": distance, "fairness": fairness}
    return Candidate(supporter=supporter, distance_km=distance_km, score=total_, parts=parts)


def order_key(c: Candidate) -> tuple[float, float, int]:
    # Ties go to the nearer supporter, then the lower id, so results are reproducible.
    return (-c.score, c.distance_km, c.supporter.member_id)


def match_supporters(
    query: RequestQuery,
    supporters: Iterable[SupporterProfile],
    *,
    limit: int = 5,
    now: datetime,
    weekly_cap: int = 3,
) -> MatchResult:
    """Rank supporters by a full scan, explaining an empty result (SupporterIndex does this at city scale)."""
    planned = plan(query, now, weekly_cap)
    if isinstance(planned, MatchResult):
        return planned
    found = []
    for supporter in supporters:
        prepared = prepare_supporter(supporter)
        distance = reach_km(planned, prepared) if prepared else None
        if prepared is None or distance is None:
            continue
        scores = score(planned, prepared, distance)
        if scores is not None:
            found.append(candidate(supporter, distance, scores))
    ranked = heapq.nsmallest(max(limit, 0), found, key=order_key)
    return MatchResult(tuple(ranked), "ok" if ranked else "no_supporters", planned.understanding)


def rank_supporters(
    query: RequestQuery,
    supporters: Iterable[SupporterProfile],
    *,
    limit: int = 5,
    now: datetime,
    weekly_cap: int = 3,
) -> list[Candidate]:
    """The best supporters for a request, best first; empty when nobody fits or it must not be matched."""
    return list(match_supporters(query, supporters, limit=limit, now=now, weekly_cap=weekly_cap).candidates)
