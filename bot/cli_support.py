"""What every operator command needs: settings from the environment and a database session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from bot.settings import ConfigError, Settings
from db.engine import make_engine, make_session_factory, transaction


def settings_or_fail(*, require_secrets: bool = False) -> Settings:
    """The settings, or a clear error naming the variable to fix (never a traceback)."""
    try:
        return Settings.from_env(require_secrets=require_secrets)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def database_session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured database; committed when the command's work succeeds."""
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()
