"""What every operator command needs: settings, a database session, one named member, file problems.

A command on a database that is missing, unreachable or not migrated says in one line what to do
(check DATABASE_URL, run `otagai db upgrade`) and exits non-zero, instead of a SQL traceback.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.roster import RosterError
from db import members as member_repo
from db.engine import make_engine, make_session_factory, transaction
from db.migrate import current_heads, database_revision
from db.models import Member
from db.reports import month_bounds
from handlers.context import Context
from handlers.settings import ConfigError, Settings


def operator_name() -> str:
    """Who ran an operator command, for the audit log: the system user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "operator"


def operator_context(session: Session, settings: Settings, now: datetime) -> Context:
    """A handler Context for an operator command: no LINE event; pushes wait in the outbox for the worker."""
    return Context.without_event(session, settings, now)


def settings_or_fail(*, require_secrets: bool = False) -> Settings:
    """The settings, or a clear error naming the variable to fix (never a traceback)."""
    try:
        return Settings.from_env(require_secrets=require_secrets)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def shown_url(database_url: str) -> str:
    """The URL without its password, fit for an error message."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def unreachable(settings: Settings, exc: Exception) -> click.ClickException:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    return click.ClickException(
        f"cannot open the database at DATABASE_URL={shown_url(settings.database_url)} ({reason}): "
        "check DATABASE_URL, then run `otagai db upgrade`"
    )


def require_database(settings: Settings) -> None:
    """Fail with one line of what to do unless the database answers and is migrated to this version."""
    try:
        revision = database_revision(settings.database_url)
    except (SQLAlchemyError, ArgumentError, ValueError) as exc:
        raise unreachable(settings, exc) from exc
    where = f"the database at DATABASE_URL={shown_url(settings.database_url)}"
    if revision is None:
        raise click.ClickException(f"{where} has no tables yet: run `otagai db upgrade` first")
    heads = current_heads(settings.database_url)
    if revision not in heads:
        raise click.ClickException(
            f"{where} is at revision {revision}, not {', '.join(heads)} (this version's): "
            "run `otagai db upgrade`"
        )


@contextmanager
def database_session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured database; committed when the command's work succeeds."""
    require_database(settings)
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    except (OperationalError, InterfaceError) as exc:
        # Checked a moment ago, so this is the database going away mid-command: still one line.
        raise unreachable(settings, exc) from exc
    finally:
        engine.dispose()


def one_member(session: Session, who: str) -> Member:
    """The one member called WHO (LINE display name or user id), or a clear error."""
    found = member_repo.named(session, who.strip())
    if not found:
        raise click.ClickException(
            f"nobody called {who!r} has added the bot yet: ask them to add it as a friend in LINE, "
            "then use the display name they have there (or their LINE user id)"
        )
    if len(found) > 1:
        ids = ", ".join(str(m.line_user_id) for m in found)
        raise click.ClickException(f"{len(found)} people are called {who!r} ({ids}): give the LINE user id")
    return found[0]


def person_label(person: Member) -> str:
    """A member as commands name them: display name and LINE user id."""
    return f"{person.display_name or '-'} ({person.line_user_id})"


def day(value: str | None) -> date | None:
    """A YYYY-MM-DD option, or a usage error saying what a date looks like."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-12-01") from exc


def month_span(month: str | None, settings: Settings) -> tuple[str, datetime, datetime]:
    """A --month YYYY-MM option (default: this month, local) with its first instant and the next
    month's, or a usage error saying what a month looks like."""
    month = month or datetime.now(settings.timezone).strftime("%Y-%m")
    try:
        start, end = month_bounds(month, settings.timezone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    return month, start, end


def file_problems(csv_file: Path, exc: RosterError) -> click.ClickException:
    """Every problem of a file import on stderr (file:line: message), then one line: nothing imported."""
    for line, message in exc.problems:
        click.echo(f"{csv_file}:{line}: {message}", err=True)
    return click.ClickException(f"何も取り込んでいません（問題 {len(exc.problems)} 件）")
