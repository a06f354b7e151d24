"""Kinds of community places (こども食堂, 地域食堂, みんなのおうち, サロン, food drop-off) and their names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceKind:
    id: str
    label: str


PLACE_KINDS = (
    PlaceKind("kodomo_shokudo", "こども食堂"),
    PlaceKind("chiiki_shokudo", "地域食堂"),
    PlaceKind("minna_no_ouchi", "みんなのおうち"),
    PlaceKind("salon", "サロン"),
    PlaceKind("food_dropoff", "食品の受け取り窓口"),
)
_BY_ID = {kind.id: kind for kind in PLACE_KINDS}
# What a CSV or a coordinator may write in the kind column, besides the ids and labels above.
_KIND_NAMES = {
    **{kind.id: kind.id for kind in PLACE_KINDS},
    **{kind.label: kind.id for kind in PLACE_KINDS},
    "子ども食堂": "kodomo_shokudo",
    "子供食堂": "kodomo_shokudo",
    "こどもしょくどう": "kodomo_shokudo",
    "地域食堂": "chiiki_shokudo",
    "みんなの食堂": "chiiki_shokudo",
    "みんなのお家": "minna_no_ouchi",
    "みんなの家": "minna_no_ouchi",
    "サロン": "salon",
    "ふれあいサロン": "salon",
    "フードドライブ": "food_dropoff",
    "フードバンク": "food_dropoff",
    "食品受付": "food_dropoff",
    "food drop-off": "food_dropoff",
    "dropoff": "food_dropoff",
}


def kind_of(text: str) -> str | None:
    """A kind id from an id or a Japanese label, or None."""
    cleaned = text.strip()
    return _KIND_NAMES.get(cleaned) or _KIND_NAMES.get(cleaned.lower())


def kind_label(kind_id: str) -> str:
    kind = _BY_ID.get(kind_id)
    return kind.label if kind else kind_id
