"""A grid index over supporters so ranking cost depends on who is nearby, not on everyone."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from rapidfuzz import fuzz, process

from matching.geo import KM_PER_DEGREE_LAT
from matching.models import Candidate, RequestQuery, SupporterProfile
from matching.rank import MatchResult, Plan, Prepared, candidate, plan, prepare_supporter, reach_km, score
from matching.score import ALTERNATIVE_CATEGORY, WEIGHTS, WORD_CUTOFF, distance_part

CELL_DEG = 0.01  # about 1.1 km north-south: a 1 km circle reads a handful of cells
EPSILON = 1e-9  # float noise: never prune a bucket that could still tie

Cell = tuple[int, int]


class _Bucket:
    """Supporters of one cell sharing one key, and every word of their skill texts."""

    __slots__ = ("members", "words")

    def __init__(self) -> None:
        self.members: list[Prepared] = []
        self.words: set[str] = set()


class _Cell:
    """One grid cell of one layer: supporters by skill, and by skill-text word."""

    __slots__ = ("skills", "words")

    def __init__(self) -> None:
        self.skills: defaultdict[str, _Bucket] = defaultdict(_Bucket)
        # Only needed when a request's category is unknown, so plain lists (no word sets).
        self.words: defaultdict[str, list[Prepared]] = defaultdict(list)


def _cell_deg(radius_class: int) -> float:
    # Wide circles read many cells; coarser cells for them keep the per-request cell count small.
    return CELL_DEG * max(radius_class // 4, 1)


class _Layer:
    """Supporters of one radius class on a grid of one cell size."""

    def __init__(self, radius_class: int) -> None:
        self.radius_class = radius_class
        self.deg = _cell_deg(radius_class)
        self.cells: dict[Cell, _Cell] = {}

    def cell(self, lat: float, lon: float) -> Cell:
        return math.floor(lat / self.deg), math.floor(lon / self.deg)

    def cells_within(self, lat: float, lon: float, reach_km: float) -> Iterator[tuple[float, _Cell]]:
        """Non-empty cells with a point within reach_km, each with a lower bound of its distance.

        The bound is the flat-earth distance to the cell's nearest edge or corner, using the
        smaller of the two latitudes' cosines and a margin: at city scale a true lower bound of
        the haversine distance, and cheap for the hundreds of cells a request looks at.
        """
        deg = self.deg
        dlat = reach_km / KM_PER_DEGREE_LAT + deg
        dlon = reach_km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(abs(lat) + dlat)), 0.01)) + deg
        lo_i, lo_j = self.cell(lat - dlat, lon - dlon)
        hi_i, hi_j = self.cell(lat + dlat, lon + dlon)
        cells = self.cells
        for i in range(lo_i, hi_i + 1):
            near_lat = min(max(lat, i * deg), (i + 1) * deg)
            dy = (near_lat - lat) * KM_PER_DEGREE_LAT
            x_scale = KM_PER_DEGREE_LAT * math.cos(math.radians(max(abs(lat), abs(near_lat))))
            for j in range(lo_j, hi_j + 1):
                found = cells.get((i, j))
                if found is None:
                    continue
                dx = (min(max(lon, j * deg), (j + 1) * deg) - lon) * x_scale
                nearest = max(0.0, math.sqrt(dx * dx + dy * dy) * 0.99 - 0.01)
                if nearest <= reach_km:
                    yield nearest, found


class SupporterIndex:
    """Supporters bucketed by radius class, grid cell and skill (and skill-text word).

    A request visits only the cells from which a supporter of each radius class could reach it,
    only the buckets of the categories it needs, best possible score first, and stops as soon as
    no remaining bucket could beat the candidates already found. The result is exactly that of
    rank_supporters over the same supporters.
    """

    def __init__(self, supporters: Iterable[SupporterProfile] = ()) -> None:
        self._layers: dict[int, _Layer] = {}
        self._size = 0
        self._vocabulary: dict[str, None] = {}  # every skill-text word, in insertion order
        self._close: dict[str, dict[str, float]] = {}  # request word -> vocabulary words near it
        for supporter in supporters:
            self.add(supporter)

    def __len__(self) -> int:
        return self._size

    def add(self, supporter: SupporterProfile) -> None:
        prepared = prepare_supporter(supporter)
        if prepared is None:
            return  # unreachable anyway (rank_supporters skips them too)
        radius_class = max(1, math.ceil(prepared.radius_km))
        layer = self._layers.get(radius_class) or self._layers.setdefault(radius_class, _Layer(radius_class))
        where = layer.cell(prepared.lat, prepared.lon)
        cell = layer.cells.get(where)
        if cell is None:
            cell = layer.cells[where] = _Cell()
        for skill in prepared.skills:
            bucket = cell.skills[skill]
            bucket.members.append(prepared)
            bucket.words.update(prepared.words)
        for word in prepared.words:
            cell.words[word].append(prepared)
            if word not in self._vocabulary:
                self._vocabulary[word] = None
                self._close.clear()
        self._size += 1

    def _near_words(self, word: str) -> dict[str, float]:
        """Vocabulary words that text_similarity would count for this request word, with their score."""
        found = self._close.get(word)
        if found is None:
            hits = process.extract(
                word, list(self._vocabulary), scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=None
            )
            found = self._close[word] = {choice: score / 100.0 for choice, score, _ in hits}
        return found

    def _text_bound(self, near: list[dict[str, float]], words: set[str]) -> float:
        """The highest text similarity any supporter whose words are all in `words` could have."""
        hits = 0.0
        for candidates in near:
            hits += max((s for w, s in candidates.items() if w in words), default=0.0)
        return hits / len(near) if near else 0.0

    def _best_first(self, planned: Plan) -> Iterator[tuple[float, list[Prepared]]]:
        """Every bucket that could hold a candidate, highest possible score first.

        Fairness may be perfect for anyone; category, distance (from the nearest point of the
        cell) and text (from the words anyone in the bucket wrote) bound the rest. The text bound
        costs more, so it is only worked out for buckets that reach the top of the heap.
        """
        text_weight = WEIGHTS["text"]
        categories: dict[str, float] = {}
        near_words: list[dict[str, float]] = []
        if planned.category is not None:
            categories = {planned.category: 1.0, **{a: ALTERNATIVE_CATEGORY for a in planned.alternatives}}
            near_words = [self._near_words(word) for word in planned.words]
        # (-bound, tie-break, members, words still to bound the text with, bound without text)
        heap: list[tuple[float, int, list[Prepared], set[str] | None, float]] = []
        for radius_class, layer in self._layers.items():
            reach = radius_class + planned.boost_km
            for nearest, cell in layer.cells_within(planned.lat, planned.lon, reach):
                near = WEIGHTS["distance"] * distance_part(nearest, reach) + WEIGHTS["fairness"]
                for key, category in categories.items():
                    bucket = cell.skills.get(key)
                    if bucket:
                        base = WEIGHTS["category"] * category + near
                        heap.append((-(base + text_weight), len(heap), bucket.members, bucket.words, base))
                if planned.category is None:
                    # Unknown category: anyone sharing a word with the request.
                    for word in planned.words:
                        members = cell.words.get(word)
                        if members:
                            heap.append((-(near + text_weight), len(heap), members, None, near))
        heapq.heapify(heap)
        while heap:
            negative, order, members, words, base = heapq.heappop(heap)
            if words is not None:
                tight = base + text_weight * self._text_bound(near_words, words)
                heapq.heappush(heap, (-tight, order, members, None, base))
            else:
                yield -negative, members

    def match(
        self, query: RequestQuery, *, limit: int = 5, now: datetime, weekly_cap: int = 3
    ) -> MatchResult:
        """Like rank.match_supporters, visiting only nearby cells and fitting buckets, best first."""
        planned = plan(query, now, weekly_cap)
        if isinstance(planned, MatchResult):
            return planned
        if limit <= 0:
            return MatchResult((), "no_supporters", planned.understanding)
        top: list[tuple[float, float, int, Candidate]] = []  # min-heap of the best `limit` so far
        seen: set[int] = set()
        for bound, bucket in self._best_first(planned):
            if len(top) >= limit and bound + EPSILON < top[0][0]:
                break
            for prepared in bucket:
                member_id = prepared.supporter.member_id
                if member_id in seen:
                    continue
                seen.add(member_id)
                distance = reach_km(planned, prepared)
                if distance is None:
                    continue
                scores = score(planned, prepared, distance)
                if scores is None:
                    continue
                key = (scores[0], -distance, -member_id)
                if len(top) < limit or key > top[0][:3]:
                    entry = (*key, candidate(prepared.supporter, distance, scores))
                    if len(top) < limit:
                        heapq.heappush(top, entry)
                    else:
                        heapq.heapreplace(top, entry)
        ranked = [entry[3] for entry in sorted(top, key=lambda e: e[:3], reverse=True)]
        return MatchResult(tuple(ranked), "ok" if ranked else "no_supporters", planned.understanding)

    def rank(
        self, query: RequestQuery, *, limit: int = 5, now: datetime, weekly_cap: int = 3
    ) -> list[Candidate]:
        """The best nearby supporters, best first (the same result as rank_supporters)."""
        return list(self.match(query, limit=limit, now=now, weekly_cap=weekly_cap).candidates)
