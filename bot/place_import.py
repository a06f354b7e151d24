"""Community places from CSV, all or nothing, in the same encodings as the roster (bot/roster.py).

Header `kind,name,address,latitude,longitude,opening,note` (or the Japanese names), optional columns
`audience,price,contact,accepts_food`. `kind` is an id or a Japanese label; `opening` is written as
people write it and read by matching/opening.py; an address without coordinates is placed with the
offline town lookup (matching/geocode.py). Every problem of every row is reported in Japanese with its
line number, and nothing is saved unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from bot.roster import RosterError, _number, _unguarded, file_bytes, file_text, header_columns
from db.places import PlaceRow
from matching import valid_location
from matching.community import PLACE_KINDS, kind_of
from matching.geocode import locate
from matching.opening import OpeningError, parse_opening

HEADER = ["kind", "name", "address", "latitude", "longitude", "opening", "note"]
HEADER_JA = ["種類", "名前", "住所", "緯度", "経度", "開いている日時", "メモ"]
OPTIONAL = ["audience", "price", "contact", "accepts_food"]
OPTIONAL_JA = ["対象", "料金", "連絡先", "受け付ける食品"]
ALIASES = {
    **{name: name for name in HEADER + OPTIONAL},
    **dict(zip(HEADER_JA, HEADER, strict=True)),
    **dict(zip(OPTIONAL_JA, OPTIONAL, strict=True)),
    "名称": "name",
    "開所日時": "opening",
    "営業日時": "opening",
    "備考": "note",
    "どなたでも": "audience",
}


class PlaceFileError(RosterError):
    """The file cannot be imported; `problems` lists (line number, message), and nothing was written."""


def read_places(path: Path) -> list[PlaceRow]:
    return parse_places(file_bytes(path))


def parse_places(data: bytes) -> list[PlaceRow]:
    text = file_text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    columns = _columns(next(reader, None))
    rows: list[PlaceRow] = []
    problems: list[tuple[int, str]] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row, row_problems = _parse(reader.line_num, values, columns)
        problems += [(reader.line_num, message) for message in row_problems]
        if row is not None:
            rows.append(row)
    if problems:
        raise PlaceFileError(problems)
    if not rows:
        raise PlaceFileError([(1, "場所が1つも書かれていません")])
    return rows


def place_from_form(fields: dict[str, str]) -> tuple[PlaceRow | None, list[str]]:
    """One place typed into the desk's form, checked exactly as a CSV row is (None and the problems)."""
    return _parse(
        0, [fields.get(key, "") for key in HEADER + OPTIONAL], {k: i for i, k in enumerate(HEADER + OPTIONAL)}
    )


def _columns(header: Sequence[str] | None) -> dict[str, int]:
    return header_columns(header, ALIASES, HEADER, HEADER_JA)


def _parse(line: int, values: list[str], columns: dict[str, int]) -> tuple[PlaceRow | None, list[str]]:
    cell = {key: _unguarded(values[pos].strip()) if pos < len(values) else "" for key, pos in columns.items()}
    problems: list[str] = []
    kind = kind_of(cell["kind"])
    if kind is None:
        labels = "、".join(k.label for k in PLACE_KINDS)
        problems.append(f"種類「{cell['kind']}」がわかりません（{labels} のどれか）")
    name = cell["name"]
    if not name:
        problems.append("名前が空です")
    elif len(name) > 100:
        problems.append("名前が長すぎます（100文字まで）")
    address = cell["address"][:300]
    lat, lon = _point(cell, address, problems)
    hours = None
    try:
        hours = parse_opening(cell["opening"])
    except OpeningError as exc:
        problems.append(f"開いている日時：{exc}")
    if problems or kind is None or lat is None or lon is None or hours is None:
        return None, problems
    extra = {key: cell.get(key, "")[:200] for key in OPTIONAL}
    return PlaceRow(line, kind, name, address, lat, lon, cell["opening"], hours, cell["note"], **extra), []


def _point(cell: dict[str, str], address: str, problems: list[str]) -> tuple[float | None, float | None]:
    if not cell["latitude"] and not cell["longitude"]:
        if not address:
            problems.append("住所も緯度・経度もありません")
            return None, None
        found = locate(address)
        if found is None:
            problems.append(f"住所「{address}」の場所がわかりません。緯度・経度を書いてください")
            return None, None
        return found.lat, found.lon
    lat = _number(cell["latitude"], "緯度", problems)
    lon = _number(cell["longitude"], "経度", problems)
    if lat is not None and lon is not None and not valid_location(lat, lon):
        problems.append(f"緯度・経度（{lat}, {lon}）が日本の中の場所ではありません")
        return None, None
    return lat, lon
