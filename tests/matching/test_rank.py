"""Choosing supporters: reach, exclusions, weekly cap, fairness, explanations, and the grid index."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from matching import (
    RequestQuery,
    SupporterIndex,
    SupporterProfile,
    match_supporters,
    rank_supporters,
)
from matching.score import WEIGHTS
from tests.matching import devset

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
HOME = (38.2601, 140.8822)  # Sendai Station
KM_LAT = 1 / 111.195  # degrees of latitude per km


def supporter(member_id: int, skills=("repair",), north_km: float = 0.5, **kw) -> SupporterProfile:
    fields = dict(
        name=f"サポーター{member_id}",
        line_user_id=f"U{member_id:032d}",
        lat=HOME[0] + north_km * KM_LAT,
        lon=HOME[1],
        radius_km=3.0,
        skills=frozenset(skills),
        skill_text="",
        last_asked_at=None,
    )
    fields.update(kw)
    return SupporterProfile(member_id=member_id, **fields)


def query(text="電球が切れた", **kw) -> RequestQuery:
    return RequestQuery(text=text, lat=kw.pop("lat", HOME[0]), lon=kw.pop("lon", HOME[1]), **kw)


def ids(candidates) -> list[int]:
    return [c.supporter.member_id for c in candidates]


def test_only_supporters_whose_own_radius_reaches_the_request():
    people = [
        supporter(1, north_km=2.5, radius_km=3),
        supporter(2, north_km=2.5, radius_km=1),
        supporter(3, north_km=9.0, radius_km=10),
        supporter(4, north_km=12.0, radius_km=10),
    ]
    assert sorted(ids(rank_supporters(query(), people, now=NOW))) == [1, 3]


def test_a_later_round_widens_the_circle():
    people = [supporter(1, north_km=2.5, radius_km=1)]
    assert rank_supporters(query(), people, now=NOW) == []
    assert ids(rank_supporters(query(radius_boost_km=2.0), people, now=NOW)) == [1]


def test_excluded_paused_and_capped_supporters_are_not_asked():
    people = [
        supporter(1),
        supporter(2, paused=True),
        supporter(3, asked_this_week=3),
        supporter(4, asked_this_week=2),
        supporter(5),
    ]
    got = rank_supporters(query(exclude_member_ids=frozenset({5})), people, now=NOW, weekly_cap=3)
    assert sorted(ids(got)) == [1, 4]


def test_skills_must_fit_the_category():
    people = [supporter(1, ("digital",)), supporter(2, ("repair", "garden")), supporter(3, ())]
    assert ids(rank_supporters(query(), people, now=NOW)) == [2]


def test_skill_text_counts_as_skills():
    people = [supporter(1, (), skill_text="電球交換やちょっとした修理ができます")]
    assert ids(rank_supporters(query(), people, now=NOW)) == [1]


def test_explicit_category_overrides_the_text():
    people = [supporter(1, ("garden",)), supporter(2, ("repair",))]
    assert ids(rank_supporters(query(category="garden"), people, now=NOW)) == [1]


def test_those_asked_less_recently_come_first():
    people = [
        supporter(1, last_asked_at=NOW - timedelta(hours=3)),
        supporter(2, last_asked_at=None),
        supporter(3, last_asked_at=NOW - timedelta(days=3)),
        supporter(4, last_asked_at=NOW - timedelta(days=3), asked_this_week=2),
    ]
    assert ids(rank_supporters(query(), people, now=NOW, limit=4)) == [2, 3, 4, 1]


def test_nearer_comes_first_when_all_else_is_equal():
    people = [supporter(1, north_km=2.0), supporter(2, north_km=0.2), supporter(3, north_km=1.0)]
    assert ids(rank_supporters(query(), people, now=NOW)) == [2, 3, 1]


def test_each_candidate_explains_its_score():
    [candidate] = rank_supporters(query(), [supporter(1, skill_text="電球の交換")], now=NOW)
    assert set(candidate.parts) == {"category", "text", "distance", "fairness"}
    assert all(0.0 <= v <= 1.0 for v in candidate.parts.values())
    assert candidate.parts["category"] == 1.0 and candidate.parts["text"] > 0
    assert candidate.score == pytest.approx(sum(WEIGHTS[k] * v for k, v in candidate.parts.items()))
    assert candidate.distance_km == pytest.approx(0.5, abs=0.01)


def test_text_similarity_prefers_the_matching_skill_text():
    people = [
        supporter(1, ("repair",), skill_text="網戸の張り替え"),
        supporter(2, ("repair",), skill_text="電球・蛍光灯の交換"),
    ]
    got = rank_supporters(query("蛍光灯がチカチカする"), people, now=NOW)
    assert ids(got) == [2, 1]
    assert got[0].parts["text"] > got[1].parts["text"]


def test_limit_is_respected():
    people = [supporter(i) for i in range(20)]
    assert len(rank_supporters(query(), people, now=NOW, limit=5)) == 5
    assert rank_supporters(query(), people, now=NOW, limit=0) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("母が倒れた", "emergency"),
        ("お金を下ろしてきて", "not_allowed"),
        ("隣の人に嫌がらせしたい", "harmful"),
        ("", "unknown_category"),
        ("😊😊", "unknown_category"),
    ],
)
def test_requests_that_must_not_be_matched_say_why(text, reason):
    result = match_supporters(query(text), [supporter(1)], now=NOW)
    assert result.candidates == () and result.reason == reason


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(0.0, 0.0), (51.5, -0.12), (float("nan"), 140.0), (95.0, 140.0), (38.0, float("inf"))],
)
def test_impossible_or_foreign_locations_give_no_candidates(lat, lon):
    result = match_supporters(query(lat=lat, lon=lon), [supporter(1)], now=NOW)
    assert result.candidates == () and result.reason == "bad_location"
    assert SupporterIndex([supporter(1)]).match(query(lat=lat, lon=lon), now=NOW).reason == "bad_location"


def test_broken_supporter_rows_are_skipped_not_fatal():
    people = [
        supporter(1, lat=float("nan")),
        supporter(2, radius_km=float("nan")),
        supporter(3, last_asked_at=datetime(2026, 4, 30, 9, 0)),  # naive: read as UTC
        supporter(4),
    ]
    assert sorted(ids(rank_supporters(query(), people, now=NOW))) == [3, 4]
    assert sorted(ids(SupporterIndex(people).rank(query(), now=NOW))) == [3, 4]


def test_nobody_near_is_a_clear_result():
    result = match_supporters(query(), [supporter(1, north_km=50)], now=NOW)
    assert result.candidates == () and result.reason == "no_supporters"


def random_people(n: int, seed: int) -> list[SupporterProfile]:
    rng = random.Random(seed)
    cats = ["repair", "moving", "rubbish", "garden", "errands", "outing", "digital", "company", "pets"]
    return [
        supporter(
            i,
            rng.sample(cats, rng.randint(1, 3)),
            north_km=rng.uniform(-12, 12),
            lon=HOME[1] + rng.uniform(-12, 12) / 87.4,
            radius_km=rng.choice([1, 3, 5, 10, 2.5]),
            last_asked_at=rng.choice([None, NOW - timedelta(hours=rng.randint(1, 400))]),
            asked_this_week=rng.choice([0, 0, 1, 2, 3]),
            paused=rng.random() < 0.05,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_gives_the_same_answer_as_a_full_scan(seed):
    people = random_people(3000, seed)
    index = SupporterIndex(people)
    rng = random.Random(seed)
    texts = [r.text for r in devset.requests() if r.category and not r.flag]
    for _ in range(40):
        q = query(
            rng.choice(texts),
            lat=HOME[0] + rng.uniform(-8, 8) * KM_LAT,
            lon=HOME[1] + rng.uniform(-8, 8) / 87.4,
            radius_boost_km=rng.choice([0.0, 0.0, 2.0]),
            exclude_member_ids=frozenset(rng.sample(range(3000), 50)),
        )
        assert index.rank(q, limit=10, now=NOW) == rank_supporters(q, people, limit=10, now=NOW)


def test_the_right_kind_of_supporter_is_among_those_notified():
    """For each labelled request, a neighbourhood with every kind of supporter: is one notified?"""
    people = random_people(1500, 7)
    cats = sorted({r.category for r in devset.requests() if r.category})
    rng = random.Random(7)
    people += [
        supporter(10_000 + i, (c,), north_km=rng.uniform(-3, 3), radius_km=5) for i, c in enumerate(cats * 3)
    ]
    index = SupporterIndex(people)
    rows = [r for r in devset.requests() if r.category and not r.flag]
    hits = 0
    for row in rows:
        notified = index.rank(query(row.text), limit=3, now=NOW)
        hits += any(row.category in c.supporter.skills for c in notified)
    assert hits / len(rows) >= 0.99


@pytest.mark.parametrize("bad", [None, "abc", float("nan"), "", [1]])
def test_careless_coordinate_types_never_raise(bad):
    people = [supporter(1), supporter(2, lat=bad), supporter(3, radius_km=bad)]
    result = match_supporters(query(lat=bad), people, now=NOW)
    assert result.candidates == () and result.reason == "bad_location"
    assert ids(rank_supporters(query(), people, now=NOW)) == [1]
    assert ids(SupporterIndex(people).rank(query(), now=NOW)) == [1]
    assert SupporterIndex(people).match(query(lon=bad), now=NOW).reason == "bad_location"


def test_numeric_strings_are_read_as_numbers():
    people = [supporter(1, lat=str(HOME[0]), radius_km="3")]
    assert ids(
        rank_supporters(query(lat=str(HOME[0]), lon=str(HOME[1]), radius_boost_km="x"), people, now=NOW)
    ) == [1]


def test_unknown_category_falls_back_to_matching_skill_text():
    people = [
        supporter(1, ("repair",), skill_text="網戸の張り替え"),
        supporter(2, ("company",), skill_text="囲碁と将棋の相手"),
    ]
    text = "将棋の相手"  # understood as company: checks the understood path first
    assert ids(rank_supporters(query(text), people, now=NOW)) == [2]
    unknown = match_supporters(query("ミシンで雑巾を縫ってほしい"), people, now=NOW)
    assert unknown.understanding.category is None
    people.append(supporter(3, (), skill_text="ミシンで雑巾縫えます"))
    for found in (
        rank_supporters(query("ミシンで雑巾を縫ってほしい"), people, now=NOW),
        SupporterIndex(people).rank(query("ミシンで雑巾を縫ってほしい"), now=NOW),
    ):
        assert ids(found) == [3] and found[0].parts["category"] == 0.0


def test_index_cost_depends_on_nearby_supporters_not_everyone(monkeypatch):
    """20,000 supporters in other cities add no work to a request in Sendai."""
    import matching.index

    rng = random.Random(11)
    nearby = random_people(1000, 11)
    elsewhere = [
        supporter(
            50_000 + i, ("repair",), lat=rng.uniform(33.0, 36.0), lon=rng.uniform(130.0, 139.0), radius_km=10
        )
        for i in range(20_000)
    ]
    looked_at = []
    real = matching.index.reach_km
    monkeypatch.setattr(matching.index, "reach_km", lambda p, s: looked_at.append(s) or real(p, s))
    small = SupporterIndex(nearby).rank(query(), limit=5, now=NOW)
    small_cost = len(looked_at)
    looked_at.clear()
    big = SupporterIndex(nearby + elsewhere).rank(query(), limit=5, now=NOW)
    assert big == small
    assert len(looked_at) == small_cost < 300
