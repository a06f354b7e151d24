"""Relay chat's photos: the row a recipient's LINE app asks for by its token."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import RelayMedia


def media_by_token(session: Session, token: str) -> RelayMedia | None:
    """The photo passed on under this token, if there is one (expired or not)."""
    return session.scalar(select(RelayMedia).where(RelayMedia.token == token))
