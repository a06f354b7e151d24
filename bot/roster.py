"""Import a supporter roster from CSV (for organisations that start from a paper list), all or nothing."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import members as member_repo
from db.models import Member
from matching import categories, skills_from_text, valid_location

HEADER = ["name", "line_user_id", "skills", "latitude", "longitude", "radius_km"]
LINE_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
MAX_RADIUS_KM = 10.0


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


def read_roster(path: Path) -> list[RosterRow]:
    """Parse and validate every row; raise RosterError listing every bad line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError([(0, f"the file is not UTF-8 ({exc.reason} at byte {exc.start})")]) from exc
    except OSError as exc:
        raise RosterError([(0, f"cannot read the file: {exc.strerror}")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != HEADER:
        raise RosterError([(1, "the header must be exactly: " + ",".join(HEADER))])
    rows: list[RosterRow] = []
    problems: list[tuple[int, str]] = []
    seen_ids: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        try:
            row = _parse(line, values)
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        if row.line_user_id and row.line_user_id in seen_ids:
            problems.append((line, f"line_user_id repeats line {seen_ids[row.line_user_id]}"))
            continue
        if row.line_user_id:
            seen_ids[row.line_user_id] = line
        rows.append(row)
    if problems:
        raise RosterError(problems)
    if not rows:
        raise RosterError([(1, "the file has no supporters")])
    return rows


def _parse(line: int, values: list[str]) -> RosterRow:
    if len(values) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} columns, found {len(values)}")
    name, line_user_id, skill_text, lat_text, lon_text, radius_text = (v.strip() for v in values)
    if not name or len(name) > 100:
        raise ValueError("name is empty or longer than 100 characters")
    if line_user_id and not LINE_USER_ID.match(line_user_id):
        raise ValueError(f"line_user_id {line_user_id!r} is not a LINE user id (U followed by 32 hex digits)")
    skills = _skills(skill_text)
    if not skills:
        raise ValueError(f"skills {skill_text!r} match no category")
    lat, lon, radius = (
        _number(lat_text, "latitude"),
        _number(lon_text, "longitude"),
        _number(radius_text, "radius_km"),
    )
    if not valid_location(lat, lon):
        raise ValueError(f"({lat}, {lon}) is not a place in Japan")
    if not 0 < radius <= MAX_RADIUS_KM:
        raise ValueError(f"radius_km must be more than 0 and at most {MAX_RADIUS_KM:g}")
    return RosterRow(line, name, line_user_id or None, skills, skill_text, lat, lon, radius)


def _skills(text: str) -> frozenset[str]:
    """Category ids or labels separated by ; or 、, or free text understood by the matcher."""
    by_name = {c.id: c.id for c in categories()} | {c.label: c.id for c in categories()}
    parts = [p.strip() for p in re.split(r"[;；、,，/]", text) if p.strip()]
    named = {by_name[p] for p in parts if p in by_name}
    return frozenset(named) | skills_from_text(text)


def _number(text: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{column} must be a finite number")
    return value


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
    return created, updated


def _existing(session: Session, row: RosterRow) -> Member | None:
    """Re-importing the same list updates people instead of duplicating them."""
    if row.line_user_id:
        return member_repo.by_line_id(session, row.line_user_id)
    return session.scalar(
        select(Member).where(Member.line_user_id.is_(None), Member.display_name == row.name).limit(1)
    )
