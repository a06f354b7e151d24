"""After an erasure: look through every column of every table for what would identify the person."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import JSON, Float, String, Text, select
from sqlalchemy.orm import Session

from db.models import Base


def leftovers(
    session: Session, needles: Iterable[str], coordinates: Iterable[float] = ()
) -> list[tuple[str, str, str]]:
    """(table.column, needle, value) for every text or JSON cell holding a needle, and every float cell
    equal to one of the coordinates; [] when nothing is left."""
    wanted = [n for n in needles if n]
    places = set(coordinates)
    found: list[tuple[str, str, str]] = []
    session.expire_all()
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                if value is None:
                    continue
                where = f"{table.name}.{column.name}"
                if isinstance(column.type, Float):
                    if value in places:
                        found.append((where, str(value), str(value)))
                    continue
                if isinstance(column.type, JSON):
                    text = json.dumps(value, ensure_ascii=False)
                elif isinstance(column.type, String | Text):
                    text = str(value)
                else:
                    continue
                found += [(where, needle, text[:200]) for needle in wanted if needle in text]
    return found
