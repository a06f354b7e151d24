"""Value types shared by scoring, ranking and the spatial index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SupporterProfile:
    member_id: int
    name: str
    line_user_id: str | None
    lat: float
    lon: float
    radius_km: float
    skills: frozenset[str]  # category ids
    skill_text: str  # their own words
    last_asked_at: datetime | None  # tz-aware UTC; used for fairness
    asked_this_week: int = 0
    paused: bool = False  # a paused supporter is never asked


@dataclass(frozen=True, slots=True)
class RequestQuery:
    text: str
    lat: float
    lon: float
    category: str | None = None  # if None, understand(text) decides
    exclude_member_ids: frozenset[int] = frozenset()  # requester, people who passed, already asked
    radius_boost_km: float = 0.0  # later rounds widen the circle


@dataclass(frozen=True, slots=True)
class Candidate:
    supporter: SupporterProfile
    distance_km: float
    score: float  # weighted total, higher is better
    parts: Mapping[str, float] = field(default_factory=dict)  # category, text, distance, fairness (0..1 each)
