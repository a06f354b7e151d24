"""Matching: understand Japanese requests and rank nearby supporters (pure functions, no I/O)."""

from matching.geo import bounding_box, haversine_km, rough_area, valid_location
from matching.index import SupporterIndex
from matching.models import Candidate, RequestQuery, SupporterProfile
from matching.normalize import normalize
from matching.rank import MatchResult, match_supporters, rank_supporters
from matching.taxonomy import CategoryInfo, Flag, categories, category_label, quick_categories
from matching.understand import Understanding, skills_from_text, understand

__all__ = [
    "Candidate",
    "CategoryInfo",
    "Flag",
    "MatchResult",
    "RequestQuery",
    "SupporterIndex",
    "SupporterProfile",
    "Understanding",
    "bounding_box",
    "categories",
    "category_label",
    "haversine_km",
    "match_supporters",
    "normalize",
    "quick_categories",
    "rank_supporters",
    "rough_area",
    "skills_from_text",
    "understand",
    "valid_location",
]
