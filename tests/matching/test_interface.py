"""The public interface of matching/ that the bot integrates against."""

from datetime import UTC, datetime

import matching
from matching import RequestQuery, SupporterIndex, SupporterProfile

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
SHIBUYA = (35.6580, 139.7016)


def supporter(member_id: int, skills: set[str], lat: float = SHIBUYA[0], lon: float = SHIBUYA[1], **kw):
    defaults = dict(
        name=f"s{member_id}", line_user_id=f"U{member_id}", radius_km=3.0, skill_text="", last_asked_at=None
    )
    defaults.update(kw)
    return SupporterProfile(member_id=member_id, lat=lat, lon=lon, skills=frozenset(skills), **defaults)


def test_categories_and_quick_buttons():
    ids = [c.id for c in matching.categories()]
    assert {
        "repair",
        "moving",
        "rubbish",
        "garden",
        "seasonal",
        "errands",
        "outing",
        "housework",
        "digital",
        "company",
        "childcare",
        "pets",
        "cafeteria",
        "teaching",
    } <= set(ids)
    assert 0 < len(matching.quick_categories()) <= 12
    assert all(len(c.label) <= 20 for c in matching.categories())
    assert matching.category_label("repair") == "電球・修理"


def test_understand_light_bulb():
    u = matching.understand("電球が切れて替えられない")
    assert (u.category, u.flag) == ("repair", None)
    assert 0 < u.confidence <= 1


def test_rank_supporters_prefers_skill_fit():
    people = [supporter(1, {"digital"}), supporter(2, {"repair"}), supporter(3, {"repair"}, lat=35.7)]
    query = RequestQuery(text="電球が切れた", lat=SHIBUYA[0], lon=SHIBUYA[1])
    ranked = matching.rank_supporters(query, people, now=NOW)
    assert [c.supporter.member_id for c in ranked] == [2]
    assert set(ranked[0].parts) >= {"category", "text", "distance", "fairness"}
    assert SupporterIndex(people).rank(query, now=NOW) == ranked
