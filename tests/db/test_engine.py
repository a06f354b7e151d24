"""db/engine.py: the health check's ping, against a real database and one that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from db.engine import make_engine, ping


def test_ping_answers_when_the_database_is_there(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        ping(engine)
    finally:
        engine.dispose()


def test_ping_raises_when_it_is_not(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'otagai.db'}")
    with pytest.raises(SQLAlchemyError):
        ping(engine)
    engine.dispose()
