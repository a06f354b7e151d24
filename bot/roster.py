"""Supporter rosters as CSV, all or nothing: read what Japanese Excel saves, write what it opens.

In: UTF-8, UTF-8 with a BOM (Excel's 「CSV UTF-8」) or Shift_JIS/CP932 (Excel's plain 「CSV」), with the
columns named in English or Japanese, in any order, extra columns ignored (so an exported file can be
edited and imported again). Every problem of every row is reported in Japanese with its line number,
and nothing is saved unless every row is good. Out: UTF-8 with a BOM, which Excel opens without
garbling the Japanese.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db import members as member_repo
from db import supporters as supporter_repo
from db.models import Member, SupporterStatus, utcnow
from matching import categories, category_label, skills_from_text, valid_location

HEADER = ["name", "line_user_id", "skills", "latitude", "longitude", "radius_km"]
# The Japanese column names the export writes (and the import reads), in HEADER's order.
HEADER_JA = ["名前", "LINEユーザーID", "できること", "緯度", "経度", "半径km"]
ALIASES = {
    **{name: name for name in HEADER},
    **dict(zip(HEADER_JA, HEADER, strict=True)),
    "氏名": "name",
    "LINE ID": "line_user_id",
    "スキル": "skills",
    "半径": "radius_km",
}
LINE_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
MAX_RADIUS_KM = 10.0
MAX_BYTES = 2 * 1024 * 1024
# Tried in this order: a Shift_JIS file is almost never valid UTF-8, so the first that decodes wins.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp932", "Shift_JIS"))


class RosterError(Exception):
    """The file cannot be imported; `problems` lists (line number, message), and nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the roster")
        self.problems = problems


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    line_user_id: str | None
    skills: frozenset[str]
    skill_text: str
    lat: float
    lon: float
    radius_km: float


def file_bytes(path: Path) -> bytes:
    """A CSV file's bytes (the roster's and the places'); RosterError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RosterError([(0, f"ファイルを読めません（{exc.strerror}）")]) from exc


def file_text(data: bytes) -> str:
    """A CSV file's text, size checked, in whichever encoding Excel or another program saved it."""
    if len(data) > MAX_BYTES:
        raise RosterError([(0, "ファイルが大きすぎます（2MBまで）。分けて取り込んでください")])
    return _decode(data)


def read_roster(path: Path) -> list[RosterRow]:
    """Parse and validate a roster file; raise RosterError listing every problem of every line."""
    return parse_roster(file_bytes(path))


def parse_roster(data: bytes) -> list[RosterRow]:
    """The same, from the bytes of an uploaded file."""
    reader = csv.reader(io.StringIO(file_text(data), newline=""))
    header = next(reader, None)
    columns = _columns(header)
    rows: list[RosterRow] = []
    problems: list[tuple[int, str]] = []
    seen_ids: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row, row_problems = _parse(line, values, columns, len(header or []))
        problems += [(line, message) for message in row_problems]
        if row is None:
            continue
        if row.line_user_id and row.line_user_id in seen_ids:
            problems.append((line, f"LINEユーザーIDが{seen_ids[row.line_user_id]}行目と同じです"))
            continue
        if row.line_user_id:
            seen_ids[row.line_user_id] = line
        rows.append(row)
    if problems:
        raise RosterError(problems)
    if not rows:
        raise RosterError([(1, "サポーターが1人も書かれていません")])
    return rows


def _decode(data: bytes) -> str:
    for encoding, _ in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(
        [(0, "文字コードが読めません。Excelで「CSV UTF-8」か「CSV（コンマ区切り）」で保存し直してください")]
    )


def _columns(header: Sequence[str] | None) -> dict[str, int]:
    return header_columns(header, ALIASES, HEADER, HEADER_JA)


def header_columns(
    header: Sequence[str] | None, aliases: dict[str, str], names: list[str], names_ja: list[str]
) -> dict[str, int]:
    """Which position holds each column of a CSV file (English or Japanese headings, in any order);
    RosterError naming the required ones that are missing."""
    found: dict[str, int] = {}
    for position, raw in enumerate(header or []):
        key = aliases.get(raw.strip().lstrip("\ufeff"))
        if key is not None and key not in found:
            found[key] = position
    missing = [ja for name, ja in zip(names, names_ja, strict=True) if name not in found]
    if missing:
        raise RosterError(
            [
                (
                    1,
                    "1行目の見出しに「" + "」「".join(missing) + "」がありません"
                    "（見出しは " + ",".join(names_ja) + " または " + ",".join(names) + "）",
                )
            ]
        )
    return found


def _parse(
    line: int, values: list[str], columns: dict[str, int], width: int
) -> tuple[RosterRow | None, list[str]]:
    """One row, and every problem it has (not just the first)."""
    if len(values) < max(columns.values()) + 1:
        return None, [f"列が足りません（{width}列のはずが{len(values)}列）"]
    cell = {key: _unguarded(values[position].strip()) for key, position in columns.items()}
    problems: list[str] = []
    name = cell["name"]
    if not name:
        problems.append("名前が空です")
    elif len(name) > 100:
        problems.append("名前が長すぎます（100文字まで）")
    line_user_id = cell["line_user_id"]
    if line_user_id and not LINE_USER_ID.match(line_user_id):
        problems.append(f"LINEユーザーID「{line_user_id}」の形がちがいます（Uと32けたの英数字）")
    skills = skills_of(cell["skills"])
    if not skills:
        problems.append(f"できること「{cell['skills']}」から、手伝える内容がわかりません")
    lat = _number(cell["latitude"], "緯度", problems)
    lon = _number(cell["longitude"], "経度", problems)
    radius = _number(cell["radius_km"], "半径km", problems)
    if lat is not None and lon is not None and not valid_location(lat, lon):
        problems.append(f"緯度・経度（{lat}, {lon}）が日本の中の場所ではありません")
    if radius is not None and not 0 < radius <= MAX_RADIUS_KM:
        problems.append(f"半径kmは0より大きく{MAX_RADIUS_KM:g}以下にしてください")
    if problems or lat is None or lon is None or radius is None:
        return None, problems
    return RosterRow(line, name, line_user_id or None, skills, cell["skills"], lat, lon, radius), []


def _unguarded(value: str) -> str:
    """Undo the export's guard against formulas ('=… back to =…), so an exported file imports as it was."""
    if value[:1] == "'" and value[1:2] in _FORMULA_START:
        return value[1:]
    return value


def skills_of(text: str) -> frozenset[str]:
    """Category ids or labels separated by ; or 、, or free text understood by the matcher."""
    by_name = {c.id: c.id for c in categories()} | {c.label: c.id for c in categories()}
    parts = [p.strip() for p in re.split(r"[;；、,，/]", text) if p.strip()]
    named = {by_name[p] for p in parts if p in by_name}
    return frozenset(named) | skills_from_text(text)


def _number(text: str, column: str, problems: list[str]) -> float | None:
    try:
        value = float(text.translate(_FULL_WIDTH_DIGITS))
    except ValueError:
        problems.append(f"{column}「{text}」が数字ではありません")
        return None
    if not math.isfinite(value):
        problems.append(f"{column}は普通の数字にしてください")
        return None
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def save_roster(session: Session, rows: list[RosterRow]) -> tuple[int, int]:
    """Create or update one supporter per row; returns (created, updated). The caller owns the transaction."""
    created = updated = 0
    for row in rows:
        member = _existing(session, row)
        if member is None:
            member = Member(line_user_id=row.line_user_id, display_name=row.name)
            session.add(member)
            created += 1
        else:
            updated += 1
        member.display_name = row.name
        # `active` is left alone: someone who blocked the bot stays unreachable until they follow again.
        member.is_supporter = True
        member.home_lat, member.home_lon, member.radius_km = row.lat, row.lon, row.radius_km
        member_repo.set_skills(member, row.skills, row.skill_text)
        session.flush()
        # A coordinator who lists someone on the roster has met them: they are approved, not applicants.
        record = supporter_repo.record_of(session, member)
        if record is None or record.status != SupporterStatus.APPROVED:
            supporter_repo.approve(session, member, utcnow(), by="roster")
    return created, updated


def _existing(session: Session, row: RosterRow) -> Member | None:
    """Re-importing the same list updates people instead of duplicating them."""
    if row.line_user_id:
        return member_repo.by_line_id(session, row.line_user_id)
    return member_repo.off_line_named(session, row.name)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV Japanese Excel opens as it is: UTF-8 with a BOM and CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else _safe_cell(value) for value in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _safe_cell(value: object) -> object:
    # A cell starting with = + - @ is run as a formula by Excel: a name typed as 「=HYPERLINK(…)」
    # must stay text (numbers are left as numbers).
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def roster_rows(member: Member) -> list[object]:
    """One supporter as the first six (importable) columns of the export."""
    # Category labels, not the free text: every label reads back as the same skill on import.
    labels = "、".join(category_label(s.category) for s in member.skills)
    return [
        member.display_name,
        member.line_user_id or "",
        labels or member.skill_text,
        member.home_lat,
        member.home_lon,
        f"{member.radius_km:g}",
    ]
