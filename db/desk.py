"""The web desk's own rows: areas, coordinator accounts, sign-in attempts (lock-out) and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Area, DeskAccount, DeskAction, ProxyRequest, SignInAttempt

# Five wrong passwords within a quarter of an hour lock a login for a quarter of an hour.
LOCK_AFTER_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)


def account_by_login(session: Session, login: str) -> DeskAccount | None:
    return session.scalar(select(DeskAccount).where(DeskAccount.login == login))


def area_named(session: Session, name: str) -> Area | None:
    return session.scalar(select(Area).where(Area.name == name))


def areas(session: Session) -> Sequence[Area]:
    return session.scalars(select(Area).order_by(Area.name)).all()


def locked_until(session: Session, login: str, now: datetime) -> datetime | None:
    """When a login opens again after too many failures (None: it is not locked).

    Counted since the last success, so someone who finally gets it right starts afresh.
    """
    since = now - LOCK_WINDOW
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.login == login, SignInAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None and last_success > since:
        since = last_success
    failures = session.scalars(
        select(SignInAttempt.at)
        .where(SignInAttempt.login == login, SignInAttempt.succeeded.is_(False), SignInAttempt.at > since)
        .order_by(SignInAttempt.at.desc())
    ).all()
    if len(failures) < LOCK_AFTER_FAILURES:
        return None
    return failures[0] + LOCK_WINDOW


def record_attempt(session: Session, login: str, succeeded: bool, now: datetime) -> None:
    session.add(SignInAttempt(login=login[:100], succeeded=succeeded, at=now))


def record(
    session: Session,
    account: DeskAccount,
    action: str,
    now: datetime,
    *,
    request_id: int | None = None,
    member_id: int | None = None,
    note: str = "",
) -> DeskAction:
    """One line of the audit log, written in the same transaction as the change it describes."""
    entry = DeskAction(
        account_id=account.id, action=action, request_id=request_id, member_id=member_id, note=note, at=now
    )
    session.add(entry)
    return entry


def actions_on(session: Session, request_id: int) -> Sequence[DeskAction]:
    return session.scalars(
        select(DeskAction).where(DeskAction.request_id == request_id).order_by(DeskAction.at, DeskAction.id)
    ).all()


def proxy_of(session: Session, request_id: int) -> ProxyRequest | None:
    return session.get(ProxyRequest, request_id)
