"""The repository tests' session: one transaction on a fresh database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from db.engine import make_engine


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """One transaction, rolled back afterwards: repository functions never commit (the edge does)."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        yield session
        session.rollback()
    engine.dispose()
