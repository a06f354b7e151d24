"""A grid index over supporters so ranking cost depends on who is nearby, not on everyone."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from matching.geo import bounding_box, haversine_km, valid_location
from matching.models import Candidate, RequestQuery, SupporterProfile
from matching.rank import MatchResult, available, best, evaluate, plan, supporter_skills

CELL_DEG = 0.01  # about 1.1 km north-south; small enough that a 1 km radius reads few cells
ANY = "*"  # bucket of everyone, for requests whose category is unknown

Buckets = dict[str, list[SupporterProfile]]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


class SupporterIndex:
    """Supporters bucketed by radius class, grid cell and skill.

    A request only visits the cells that a supporter of each radius class could reach from,
    and only the buckets of the categories it needs.
    """

    def __init__(self, supporters: Iterable[SupporterProfile]) -> None:
        # radius class (km, ceiling) -> cell -> category -> supporters
        self._grid: dict[int, dict[tuple[int, int], Buckets]] = {}
        self._size = 0
        for supporter in supporters:
            self.add(supporter)

    def __len__(self) -> int:
        return self._size

    def add(self, supporter: SupporterProfile) -> None:
        if not valid_location(supporter.lat, supporter.lon) or not math.isfinite(supporter.radius_km):
            return  # unreachable anyway; keeping them out keeps every query simple
        radius_class = max(1, math.ceil(supporter.radius_km))
        cells = self._grid.setdefault(radius_class, {})
        buckets = cells.setdefault(_cell(supporter.lat, supporter.lon), defaultdict(list))
        for skill in supporter_skills(supporter.skills, supporter.skill_text):
            buckets[skill].append(supporter)
        buckets[ANY].append(supporter)
        self._size += 1

    def _nearby(
        self,
        lat: float,
        lon: float,
        reach_km: float,
        cells: dict[tuple[int, int], Buckets],
        keys: tuple[str, ...],
    ) -> Iterator[SupporterProfile]:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, reach_km)
        lo_lat, lo_lon = _cell(min_lat, min_lon)
        hi_lat, hi_lon = _cell(max_lat, max_lon)
        for i in range(lo_lat, hi_lat + 1):
            for j in range(lo_lon, hi_lon + 1):
                buckets = cells.get((i, j))
                if buckets is None:
                    continue
                for key in keys:
                    yield from buckets.get(key, ())

    def match(
        self, query: RequestQuery, *, limit: int = 5, now: datetime, weekly_cap: int = 3
    ) -> MatchResult:
        """Like rank.match_supporters, visiting only nearby cells and fitting skill buckets."""
        planned = plan(query, now, weekly_cap)
        if isinstance(planned, MatchResult):
            return planned
        keys = tuple(planned.wanted) if planned.category else (ANY,)
        boost = max(query.radius_boost_km, 0.0)
        found: list[Candidate] = []
        seen: set[int] = set()
        for radius_class, cells in self._grid.items():
            for supporter in self._nearby(query.lat, query.lon, radius_class + boost, cells, keys):
                if supporter.member_id in seen or not available(planned, supporter):
                    continue
                seen.add(supporter.member_id)
                distance = haversine_km(query.lat, query.lon, supporter.lat, supporter.lon)
                if distance > supporter.radius_km + boost:
                    continue
                candidate = evaluate(planned, supporter, distance)
                if candidate is not None:
                    found.append(candidate)
        ranked = best(found, limit)
        return MatchResult(tuple(ranked), "ok" if ranked else "no_supporters", planned.understanding)

    def rank(
        self, query: RequestQuery, *, limit: int = 5, now: datetime, weekly_cap: int = 3
    ) -> list[Candidate]:
        """The best nearby supporters, best first (same result as rank_supporters)."""
        return list(self.match(query, limit=limit, now=now, weekly_cap=weekly_cap).candidates)
