"""Kinds of community places (こども食堂, 地域食堂, みんなのおうち, サロン, food drop-off) and their names."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from matching.normalize import normalize_chars, to_hiragana


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


@dataclass(frozen=True)
class PlaceQuery:
    """「近くのこども食堂」: which kinds of place are asked for, and whether only today's openings count."""

    kinds: tuple[str, ...]
    today: bool


@dataclass(frozen=True)
class _Words:
    kinds: dict[str, tuple[str, ...]]
    generic: dict[str, tuple[str, ...]]
    asking: tuple[str, ...]
    visit: tuple[str, ...]
    today: tuple[str, ...]
    not_asking: tuple[str, ...]


def _fold(text: str) -> str:
    return to_hiragana(normalize_chars(text)).replace(" ", "")


@cache
def _words() -> _Words:
    data = tomllib.loads(resources.files("matching").joinpath("places.toml").read_text(encoding="utf-8"))

    def folded(words: list[str]) -> tuple[str, ...]:
        # Longest first, so 「こども食堂」 is found before 「食堂」.
        return tuple(sorted({_fold(w) for w in words}, key=len, reverse=True))

    return _Words(
        kinds={kind: folded(words) for kind, words in data["kinds"].items()},
        generic={kind: folded(words) for kind, words in data["generic"].items()},
        asking=folded(data["asking"]["words"] + data["asking"]["visit"]),
        visit=folded(data["asking"]["visit"]),
        today=folded(data["asking"]["today"]),
        not_asking=folded(data["not_asking"]["words"]),
    )


_ONLY_NOISE = re.compile(r"[\s\W_?？!！。、ー〜~]*")
_SHORT_TAIL = re.compile(r"^(?:は|を|が|の|に|って|ってある|ある|あります|です|ですか|かな|か|ね|よ)*$")


def place_query(text: str) -> PlaceQuery | None:
    """A search for places, or None when the text is something else (a やってみたい, a 困りごと)."""
    folded = _fold(text)
    if not folded or len(folded) > 80:
        return None
    words = _words()
    plain = folded
    for word in words.visit:
        plain = plain.replace(word, "")
    if any(word in plain for word in words.not_asking):
        return None
    kinds = [kind for kind, names in words.kinds.items() if any(name in folded for name in names)]
    rest = folded
    for names in words.kinds.values():
        for name in names:
            rest = rest.replace(name, "")
    if not kinds:
        kinds = [kind for kind, names in words.generic.items() if any(name in folded for name in names)]
        for names in words.generic.values():
            for name in names:
                rest = rest.replace(name, "")
    if not kinds:
        return None
    asking = any(word in folded for word in words.asking)
    # The name alone (「こども食堂」「子ども食堂ある？」) is a search too.
    alone = _SHORT_TAIL.match(_ONLY_NOISE.sub("", rest)) is not None
    if not (asking or alone):
        return None
    return PlaceQuery(tuple(kinds), any(word in folded for word in words.today))


@dataclass(frozen=True)
class FoodOffer:
    """「野菜が余ってます」: the kinds of food someone has to give (keys of places.toml's [food.kinds])."""

    foods: tuple[str, ...]


@cache
def _food_words() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    data = tomllib.loads(resources.files("matching").joinpath("places.toml").read_text(encoding="utf-8"))
    food = data["food"]
    kinds = {kind: tuple({_fold(w) for w in words}) for kind, words in food["kinds"].items()}
    return kinds, tuple({_fold(w) for w in food["giving"]})


def food_offer(text: str) -> FoodOffer | None:
    """A food offer, or None (「野菜を買ってきてほしい」 is a 困りごと: nothing is given)."""
    folded = _fold(text)
    if not folded or len(folded) > 120:
        return None
    kinds, giving = _food_words()
    if not any(word in folded for word in giving):
        return None
    foods = tuple(kind for kind, words in kinds.items() if any(word in folded for word in words))
    return FoodOffer(foods) if foods else None


def food_kinds(text: str) -> tuple[str, ...]:
    """The food kinds a text names (「野菜、お米、しょうゆ」 → 野菜, 米, 調味料), in places.toml order."""
    folded = _fold(text)
    kinds, _giving = _food_words()
    return tuple(kind for kind, words in kinds.items() if any(word in folded for word in words))


def food_kind_names() -> tuple[str, ...]:
    """Every food kind a place can take or need (the keys of places.toml's [food.kinds])."""
    return tuple(_food_words()[0])


def accepts(accepted: str, foods: tuple[str, ...]) -> bool:
    """Whether a place's accepts_food (「野菜、米」; empty = any food) takes any of these foods."""
    listed = {part.strip() for part in re.split(r"[、,，;；/・\s]+", accepted) if part.strip()}
    return not listed or "食品" in listed or bool(listed & set(foods)) or "食品" in foods
