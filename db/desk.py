"""The web desk's own rows: areas, coordinator accounts, sign-in attempts (lock-out) and the audit log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from db.models import (
    Area,
    CoordinatorNotice,
    DeskAccount,
    DeskAction,
    DeskRole,
    DeskRoleKind,
    HelpRequest,
    Proposal,
    ProposalStatus,
    ProxyRequest,
    RequestStatus,
    SignInAttempt,
    SignInLink,
)

# Five wrong passwords within a quarter of an hour lock a login for a quarter of an hour.
LOCK_AFTER_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)


def account_by_login(session: Session, login: str) -> DeskAccount | None:
    return session.scalar(select(DeskAccount).where(DeskAccount.login == login))


def area_named(session: Session, name: str) -> Area | None:
    return session.scalar(select(Area).where(Area.name == name))


def areas(session: Session) -> Sequence[Area]:
    return session.scalars(select(Area).order_by(Area.name)).all()


def accounts(session: Session) -> Sequence[DeskAccount]:
    """Every desk account with its roles, open ones first, by name."""
    return session.scalars(select(DeskAccount).order_by(DeskAccount.active.desc(), DeskAccount.login)).all()


def role_in(account: DeskAccount, area: Area | None) -> DeskRoleKind | None:
    area_id = area.id if area is not None else None
    return next((r.role for r in account.roles if r.area_id == area_id), None)


def set_role(
    session: Session, account: DeskAccount, area: Area | None, role: DeskRoleKind | None
) -> tuple[DeskRoleKind | None, DeskRoleKind | None]:
    """Give `account` this role in `area` (None: every area), or take its role there away (role None).

    Returns (before, after); the caller writes the change to the audit log. One role per account and
    area: the database's unique constraint cannot hold that for "every area" (NULL), so it is kept here.
    """
    area_id = area.id if area is not None else None
    current = next((r for r in account.roles if r.area_id == area_id), None)
    before = current.role if current is not None else None
    if role is None:
        if current is not None:
            account.roles.remove(current)
    elif current is None:
        account.roles.append(DeskRole(area=area, area_id=area_id, role=role))
    else:
        current.role = role
    session.flush()
    return before, role


def role_note(login: str, area: Area | None, before: DeskRoleKind | None, after: DeskRoleKind | None) -> str:
    """The audit log's words for a role change: whose, where, from what to what."""
    where = area.name if area is not None else "すべての地域"
    return f"{login}（{where}）：{before.value if before else 'なし'} → {after.value if after else 'なし'}"


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


def record_operator(
    session: Session,
    actor: str,
    action: str,
    now: datetime,
    *,
    request_id: int | None = None,
    member_id: int | None = None,
    note: str = "",
) -> DeskAction:
    """An operator command's line of the audit log (no desk account: the operator's name instead)."""
    entry = DeskAction(
        account_id=None,
        actor=actor[:100],
        action=action,
        request_id=request_id,
        member_id=member_id,
        note=note,
        at=now,
    )
    session.add(entry)
    return entry


def recent_actions(
    session: Session,
    limit: int,
    *,
    who: str | None = None,
    action: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    request_id: int | None = None,
) -> Sequence[DeskAction]:
    """The audit log, newest first (desk and operator commands alike), optionally only one person's
    (desk login or operator), one kind of action, [start, end), or one request's."""
    query = select(DeskAction).options(selectinload(DeskAction.account))
    if who:
        logins = select(DeskAccount.id).where(DeskAccount.login == who)
        query = query.where(or_(DeskAction.account_id.in_(logins), DeskAction.actor == who))
    if action:
        query = query.where(DeskAction.action == action)
    if start is not None:
        query = query.where(DeskAction.at >= start)
    if end is not None:
        query = query.where(DeskAction.at < end)
    if request_id is not None:
        query = query.where(DeskAction.request_id == request_id)
    return session.scalars(query.order_by(DeskAction.at.desc(), DeskAction.id.desc()).limit(limit)).all()


def audit_people(session: Session) -> list[str]:
    """Everyone who appears in the audit log (desk logins and operators), for choosing one."""
    logins = session.scalars(
        select(DeskAccount.login).where(DeskAccount.id.in_(select(DeskAction.account_id))).distinct()
    ).all()
    actors = session.scalars(select(DeskAction.actor).where(DeskAction.actor != "").distinct()).all()
    return sorted(set(logins) | set(actors))


def actions_on(session: Session, request_id: int) -> Sequence[DeskAction]:
    return session.scalars(
        select(DeskAction).where(DeskAction.request_id == request_id).order_by(DeskAction.at, DeskAction.id)
    ).all()


def proxy_of(session: Session, request_id: int) -> ProxyRequest | None:
    return session.get(ProxyRequest, request_id)


@dataclass(frozen=True)
class SupporterStats:
    """What the roster shows of one supporter's activity."""

    asked_this_week: int = 0
    accepted: int = 0
    completed: int = 0
    passes: int = 0
    no_shows: int = 0
    last_active: datetime | None = None


def supporter_stats(session: Session, member_ids: Sequence[int], now: datetime) -> dict[int, SupporterStats]:
    """Every supporter's counts in two grouped queries (not one per person)."""
    if not member_ids:
        return {}
    ids = list(member_ids)
    week = now - timedelta(days=7)
    counts: dict[int, dict[str, Any]] = {i: {} for i in ids}
    rows = session.execute(
        select(
            Proposal.supporter_id,
            func.sum(case((Proposal.asked_at >= week, 1), else_=0)),
            func.sum(
                case((Proposal.status.in_([ProposalStatus.ACCEPTED, ProposalStatus.NO_SHOW]), 1), else_=0)
            ),
            func.sum(case((Proposal.status == ProposalStatus.PASSED, 1), else_=0)),
            func.sum(case((Proposal.status == ProposalStatus.NO_SHOW, 1), else_=0)),
            func.max(Proposal.answered_at),
        )
        .where(Proposal.supporter_id.in_(ids))
        .group_by(Proposal.supporter_id)
    )
    for supporter_id, week_count, accepted, passes, no_shows, last in rows:
        counts[supporter_id].update(
            asked_this_week=int(week_count or 0),
            accepted=int(accepted or 0),
            passes=int(passes or 0),
            no_shows=int(no_shows or 0),
            last_active=last,
        )
    done = session.execute(
        select(HelpRequest.accepted_by_id, func.count())
        .where(HelpRequest.accepted_by_id.in_(ids), HelpRequest.status == RequestStatus.DONE)
        .group_by(HelpRequest.accepted_by_id)
    )
    for supporter_id, completed in done:
        if supporter_id is not None:
            counts[supporter_id]["completed"] = int(completed)
    return {i: SupporterStats(**values) for i, values in counts.items()}


def add_notice(session: Session, text: str, now: datetime) -> None:
    session.add(CoordinatorNotice(text=text, created_at=now))


def open_notices(session: Session, limit: int = 50) -> Sequence[CoordinatorNotice]:
    """Notices nobody has handled on the desk yet, oldest first."""
    return session.scalars(
        select(CoordinatorNotice)
        .where(CoordinatorNotice.handled_at.is_(None))
        .order_by(CoordinatorNotice.created_at, CoordinatorNotice.id)
        .limit(limit)
    ).all()


def handle_notice(session: Session, notice_id: int, account: DeskAccount, now: datetime) -> bool:
    """Mark a notice handled; False when another coordinator was first (a conditional update)."""
    result = session.execute(
        update(CoordinatorNotice)
        .where(CoordinatorNotice.id == notice_id, CoordinatorNotice.handled_at.is_(None))
        .values(handled_at=now, handled_by_id=account.id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


# Sign-in attempts matter only for the lock-out window; a month is ample for looking into an attack.
ATTEMPT_RETENTION = timedelta(days=30)
# A handled notice quotes a resident's words and names: kept a quarter to answer questions, then gone.
# Notices nobody has handled are kept: they still need a person.
NOTICE_RETENTION = timedelta(days=90)


def purge(session: Session, now: datetime, *, dry_run: bool = False) -> int:
    """Delete (or count) old sign-in attempts and old handled notices; returns how many rows."""
    attempts = SignInAttempt.at < now - ATTEMPT_RETENTION
    notices = CoordinatorNotice.handled_at < now - NOTICE_RETENTION
    links = SignInLink.expires_at < now - ATTEMPT_RETENTION
    if dry_run:
        return sum(
            session.scalar(select(func.count()).select_from(table).where(where)) or 0
            for table, where in ((SignInAttempt, attempts), (CoordinatorNotice, notices), (SignInLink, links))
        )
    gone = session.execute(delete(SignInAttempt).where(attempts)).rowcount  # type: ignore[attr-defined]
    gone += session.execute(delete(CoordinatorNotice).where(notices)).rowcount  # type: ignore[attr-defined]
    gone += session.execute(delete(SignInLink).where(links)).rowcount  # type: ignore[attr-defined]
    return int(gone)


# A sign-in link in LINE: short-lived and single-use, so a forwarded or leaked message soon opens nothing.
LINK_LIFETIME = timedelta(minutes=15)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(session: Session, account: DeskAccount, now: datetime) -> str:
    """A fresh random token for `account`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        SignInLink(
            account_id=account.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    return token


def link_account(session: Session, token: str, now: datetime) -> DeskAccount | None:
    """The account a still-valid, unused link belongs to (without using it)."""
    link = session.scalar(select(SignInLink).where(SignInLink.token_hash == _token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return session.get(DeskAccount, link.account_id)


def use_link(session: Session, token: str, now: datetime) -> int | None:
    """Spend a link (a conditional update: of two taps, one wins); the account id, or None."""
    account = link_account(session, token, now)
    if account is None or not account.active:
        return None
    result = session.execute(
        update(SignInLink)
        .where(
            SignInLink.token_hash == _token_hash(token),
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return account.id if result.rowcount == 1 else None  # type: ignore[attr-defined]


def proxied_among(session: Session, request_ids: Sequence[int]) -> set[int]:
    """Which of these requests a coordinator sent for someone (代理の依頼)."""
    if not request_ids:
        return set()
    return set(
        session.scalars(select(ProxyRequest.request_id).where(ProxyRequest.request_id.in_(list(request_ids))))
    )
