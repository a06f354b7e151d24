"""Ranking supporters for a request: filters (radius, exclusions, cap, fit) and scored order."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from matching.geo import haversine_km, valid_location
from matching.models import Candidate, RequestQuery, SupporterProfile
from matching.score import (
    ALTERNATIVE_CATEGORY,
    STRONG_TEXT,
    content_words,
    distance_part,
    fairness_part,
    text_similarity,
    total,
)
from matching.understand import Understanding, skills_from_text, understand

Reason = Literal[
    "ok", "emergency", "not_allowed", "harmful", "unknown_category", "bad_location", "no_supporters"
]


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
    words: tuple[str, ...]
    now: datetime
    weekly_cap: int

    @property
    def wanted(self) -> frozenset[str]:
        return self.alternatives | ({self.category} if self.category else frozenset())


@lru_cache(maxsize=65536)
def supporter_skills(skills: frozenset[str], skill_text: str) -> frozenset[str]:
    """Declared skills plus those their own words clearly state."""
    return skills | skills_from_text(skill_text)


def _utc(moment: datetime) -> datetime:
    # A naive timestamp from a careless caller is read as UTC rather than raising mid-match.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def plan(query: RequestQuery, now: datetime, weekly_cap: int) -> Plan | MatchResult:
    """Understand the request, or say at once why nobody should be asked."""
    understanding = understand(query.text)
    if understanding.flag is not None:
        return MatchResult((), understanding.flag, understanding, understanding.flag_reason)
    if not valid_location(query.lat, query.lon):
        return MatchResult((), "bad_location", understanding)
    category = query.category or understanding.category
    alternatives = frozenset(understanding.alternatives) - {category} if not query.category else frozenset()
    words = content_words(query.text[:2000]) if isinstance(query.text, str) else ()
    if category is None and not words:
        return MatchResult((), "unknown_category", understanding)
    return Plan(query, understanding, category, alternatives, words, _utc(now), weekly_cap)


def available(plan: Plan, supporter: SupporterProfile) -> bool:
    """Not paused, not excluded, under the weekly cap."""
    return (
        not supporter.paused
        and supporter.member_id not in plan.query.exclude_member_ids
        and supporter.asked_this_week < plan.weekly_cap
    )


def evaluate(plan: Plan, supporter: SupporterProfile, distance_km: float) -> Candidate | None:
    """Score one supporter already known to be within reach, or None when they do not fit."""
    skills = supporter_skills(supporter.skills, supporter.skill_text)
    if plan.category is not None and plan.category in skills:
        category = 1.0
    elif plan.alternatives & skills:
        category = ALTERNATIVE_CATEGORY
    else:
        category = 0.0
    text = text_similarity(plan.words, supporter.skill_text)
    # Text alone qualifies someone only when the request's category is unknown; otherwise the
    # grid index (which reads skill buckets) and this full scan would disagree.
    if category == 0.0 and (plan.category is not None or text < STRONG_TEXT):
        return None
    last = _utc(supporter.last_asked_at) if supporter.last_asked_at else None
    parts = {
        "category": category,
        "text": text,
        "distance": round(distance_part(distance_km, supporter.radius_km + plan.query.radius_boost_km), 4),
        "fairness": round(fairness_part(last, supporter.asked_this_week, plan.now, plan.weekly_cap), 4),
    }
    return Candidate(supporter=supporter, distance_km=round(distance_km, 3), score=total(parts), parts=parts)


def best(candidates: Iterable[Candidate], limit: int) -> list[Candidate]:
    # Ties go to the nearer supporter, then the lower id, so results are reproducible.
    return heapq.nsmallest(
        max(limit, 0), candidates, key=lambda c: (-c.score, c.distance_km, c.supporter.member_id)
    )


def within_reach(plan: Plan, supporter: SupporterProfile) -> float | None:
    """Distance when the request lies inside the supporter's own circle (plus this round's boost)."""
    if not valid_location(supporter.lat, supporter.lon) or not math.isfinite(supporter.radius_km):
        return None
    distance = haversine_km(plan.query.lat, plan.query.lon, supporter.lat, supporter.lon)
    return distance if distance <= supporter.radius_km + plan.query.radius_boost_km else None


def match_supporters(
    query: RequestQuery,
    supporters: Iterable[SupporterProfile],
    *,
    limit: int = 5,
    now: datetime,
    weekly_cap: int = 3,
) -> MatchResult:
    """Rank supporters by a full scan, explaining an empty result (see SupporterIndex for city scale)."""
    planned = plan(query, now, weekly_cap)
    if isinstance(planned, MatchResult):
        return planned
    found = []
    for supporter in supporters:
        if not available(planned, supporter):
            continue
        distance = within_reach(planned, supporter)
        if distance is None:
            continue
        candidate = evaluate(planned, supporter, distance)
        if candidate is not None:
            found.append(candidate)
    ranked = best(found, limit)
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
