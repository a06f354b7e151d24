"""Deliver queued outbound messages through the gateway and record what happened.

Rows are claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), sent with no transaction open,
then recorded, a few rows per round so that a round always ends well inside its lease. A sender that
dies after LINE accepted a push but before recording it loses its lease; the next sender sends the
row again with the same X-Line-Retry-Key, LINE answers 409, and the row is recorded as sent: nothing
is lost and nothing reaches a user twice. A call that raises fails its own row only. Pushes wait out
quiet hours (replies never do; a reply its sender never sent expires with its token), and when the
month's push budget runs low only urgent pushes go out. A reply LINE certainly did not take (5xx, 429,
no connection) is tried again while its token lives, then sent as a push; one whose fate is unknown
(a read timeout: LINE may have delivered it) is given up, so nobody is answered twice.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from bot.gateway import REQUEST_TIMEOUT, LineGateway, SendResult
from db import members, outbox, quota
from db.engine import engine_of, transaction
from db.models import OutboundMessage, OutboundStatus, PushQuota
from handlers import texts, ui
from handlers.timing import QuietHours

if TYPE_CHECKING:
    from handlers.settings import Settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a sender holds the rows it claimed; after that another sender may take them over. Short,
# so a sender that died (SIGKILL, a lost machine) holds nothing for long: its rows are sent by the
# next sweep within a minute. A live sender renews its lease while it works (see _Lease).
LEASE = timedelta(seconds=45)
# A live sender renews its rows' lease at most this often (seconds, between calls). One call lasts at
# most WORST_CALL_SECONDS, so a renewal always comes well before the lease runs out.
HEARTBEAT_SECONDS = 15.0
# A round claims several rows per send lane: fewer rounds, less database work per message sent.
ROWS_PER_LANE = 8
MAX_ROUND = 200
# Rows for one chat share a lane (their order matters), so a round can be slow: many rows in one
# lane, or every call hitting both timeouts. No call starts after this many seconds into a round;
# rows not tried go back to the queue untouched, and the next round starts with fresh rows.
WORST_CALL_SECONDS = sum(REQUEST_TIMEOUT)
ROUND_SECONDS = 120.0
# A reply token lives about a minute: a reply its sender never sent (it died) cannot be sent later.
REPLY_TOKEN_LIFETIME = timedelta(minutes=1)
# A reply LINE did not take is tried again after this (the worker's next tick), as a reply while its
# token is younger than REPLY_RETRY_WINDOW (a margin for clocks and a slow call); after that, as a push.
REPLY_RETRY_BACKOFF = timedelta(seconds=5)
REPLY_RETRY_WINDOW = REPLY_TOKEN_LIFETIME - timedelta(seconds=20)
QUOTA_RETRY = timedelta(hours=1)
QUOTA_REFRESH = timedelta(minutes=10)
# Low-priority pushes held back for the quota this long are dropped: by then they help nobody.
QUOTA_HOLD_LIMIT = timedelta(hours=24)
SEND_CONCURRENCY = 8


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at one hour: LINE outages are usually short."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of a claimed row, detached from any session."""

    id: int
    kind: str
    recipients: list[str]
    messages: list[dict[str, Any]]
    reply_token: str | None
    retry_key: str
    priority: int


@dataclass(frozen=True)
class SendCrash(SendResult):
    """A send that raised instead of answering (a bug, not LINE): the same row would raise again."""

    @property
    def retryable(self) -> bool:
        return False


@dataclass(frozen=True)
class NotTried(SendResult):
    """A row its round had no time left for: released as it was, for the next round."""


NOT_TRIED = NotTried(ok=False, error="not tried: the round ran out of time")


class _Lease:
    """A round's hold on its rows, renewed between calls while the round goes on (a heartbeat).

    Renewed from whichever send lane gets there first; the others see it fresh and go on at once.
    A renewal that fails (the database is away) is only logged: at worst the lease runs out and
    another sender takes the rows over, sending them again under the same retry keys (LINE: 409).
    """

    def __init__(self, deliverer: Deliverer, token: str) -> None:
        self._deliverer = deliverer
        self._token = token
        self._renewed = time.monotonic()
        self._lock = threading.Lock()

    def keep(self) -> None:
        if time.monotonic() - self._renewed < HEARTBEAT_SECONDS:
            return
        with self._lock:
            if time.monotonic() - self._renewed < HEARTBEAT_SECONDS:
                return
            self._renewed = time.monotonic()
            try:
                with transaction(self._deliverer.session_factory) as session:
                    outbox.renew_lease(session, self._token, self._deliverer.clock() + LEASE)
            except Exception as exc:
                log.warning("lease renewal failed: %s", type(exc).__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    api_calls: int = 0
    sent_ids: list[int] = field(default_factory=list)

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retrying += other.retrying
        self.api_calls += other.api_calls
        self.sent_ids += other.sent_ids


class Deliverer:
    """Sends outbox rows: webhooks hand over what they just queued, the worker sweeps what is due."""

    def __init__(
        self,
        gateway: LineGateway,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        settings: Settings | None = None,
        concurrency: int = SEND_CONCURRENCY,
    ) -> None:
        self.gateway = gateway
        self.session_factory = session_factory
        self.engine = engine_of(session_factory)
        self.clock = clock
        self.quiet = QuietHours.of(settings) if settings is not None else None
        self.zone = settings.timezone if settings is not None else ZoneInfo("Asia/Tokyo")
        self.reserve_percent = settings.quota_reserve_percent if settings is not None else 10
        self.concurrency = max(concurrency, 1)
        self.round_seconds = ROUND_SECONDS

    @property
    def round_size(self) -> int:
        return min(self.concurrency * ROWS_PER_LANE, MAX_ROUND)

    # -- entry points -------------------------------------------------------------------------------

    def deliver(self, row_ids: Iterable[int], *, until: float | None = None) -> DeliveryReport:
        """Send rows a webhook (or a job) just queued; pushes in quiet hours wait for the worker.

        until (time.monotonic()): no push starts after it; those left go to the worker's next sweep.
        Replies always go: their tokens would expire in the queue.
        """
        ids = list(row_ids)
        now = self.clock()
        report = DeliveryReport()
        size = self.round_size
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            report.add(self._round(now, ids=chunk, limit=len(chunk), until=until))
        return report

    def send_reply(
        self, out: Outgoing, event_id: str | None, connection: Connection | None = None
    ) -> SendResult:
        """A webhook's reply, just committed: sent at once, recorded with one statement.

        No claim round: no other sender ever takes a reply (the worker's sweep only gives up on one
        whose token's minute is over), and replies are free, so no budget either. The cheapest path
        for the message every event sends. connection: the event's own (no transaction open), so the
        record needs no checkout of its own.
        """
        result = self._send(out, None)
        now = self.clock()
        retry_at = None
        if not result.ok:
            if result.unaccepted:
                retry_at = now + REPLY_RETRY_BACKOFF
            log.warning(
                "delivery failed outbound=%s kind=reply event=%s status=%s final=%s",
                out.id,
                event_id,
                result.status,
                retry_at is None,
            )
        with contextlib.ExitStack() as stack:
            if connection is None:
                connection = stack.enter_context(self.engine.connect())
            # One statement on its own needs no BEGIN and COMMIT: two round trips fewer per event.
            connection.execution_options(isolation_level="AUTOCOMMIT")
            outbox.record_reply(connection, out.id, result.ok, result.error, now, retry_at=retry_at)
        return result

    def deliver_due(self, now: datetime | None = None) -> DeliveryReport:
        """Send the pushes that are due and the replies to try again, round after round (the sweep)."""
        now = now or self.clock()
        report = DeliveryReport()
        with transaction(self.session_factory) as session:
            self._expire_replies(session, now)
            if self.quiet is None or not self.quiet.contains(now):
                outbox.coalesce(session, now)
        # One set of send threads for the whole sweep: starting threads every round cost more
        # than the rounds' database work.
        with self._pool() as pool:
            while True:
                done = self._round(now, ids=None, limit=self.round_size, pool=pool)
                report.add(done)
                if done.api_calls == 0:
                    return report

    def refresh_quota(self, now: datetime | None = None) -> None:
        """Read LINE's quota and consumption; our local count restarts from them."""
        now = now or self.clock()
        try:
            figures = self.gateway.quota()
        except Exception as exc:  # the quota is advisory: never stop sending because it could not be read
            log.warning("quota refresh failed: %s", type(exc).__name__)
            return
        with transaction(self.session_factory) as session:
            quota.refreshed(session, quota.month_of(now, self.zone), figures.limit, figures.used, now)
            queued = self._warn_if_low(session, now)
        log.info("quota refreshed limit=%s used=%s", figures.limit, figures.used)
        self.deliver(queued)

    def refresh_quota_if_stale(self, now: datetime | None = None) -> None:
        now = now or self.clock()
        with transaction(self.session_factory) as session:
            row = session.get(PushQuota, quota.month_of(now, self.zone))
            refreshed_at = None if row is None else row.refreshed_at
            fresh = refreshed_at is not None and now - refreshed_at < QUOTA_REFRESH
        if not fresh:
            self.refresh_quota(now)

    # -- one round: claim, send, record ---------------------------------------------------------------

    def _round(
        self,
        now: datetime,
        *,
        ids: Sequence[int] | None,
        limit: int,
        pool: ThreadPoolExecutor | None = None,
        until: float | None = None,
    ) -> DeliveryReport:
        token = str(uuid.uuid4())
        claimed = self._claim(now, token, ids=ids, limit=limit)
        if not claimed:
            return DeliveryReport()
        deadline = time.monotonic() + self.round_seconds
        lease = _Lease(self, token)
        results = self._send_all(claimed, pool, deadline if until is None else min(deadline, until), lease)
        report, warnings = self._record(now, token, results)
        if warnings:
            report.add(self.deliver(warnings))
        return report

    def _claim(self, now: datetime, token: str, *, ids: Sequence[int] | None, limit: int) -> list[Outgoing]:
        # The night's pushes go out when quiet hours end; replies (and pushes standing in for them) now.
        quiet = self.quiet is not None and self.quiet.contains(now)
        with transaction(self.session_factory) as session:
            min_priority, remaining = self._budget_rule(session, now)
            if ids is None and min_priority:
                self._drop_stale_held(session, now, min_priority)
            rows = outbox.claim(
                session,
                now,
                now + LEASE,
                token,
                ids=ids,
                limit=limit,
                min_priority=min_priority,
                replies_only=quiet,
                replies_since=now - REPLY_RETRY_WINDOW,
            )
            if ids is not None:
                rows = self._not_behind_older(session, rows, now)
            return [detach(row) for row in self._within_budget(rows, remaining, now)]

    def _not_behind_older(
        self, session: Session, rows: list[OutboundMessage], now: datetime
    ) -> list[OutboundMessage]:
        """A webhook's pushes for someone with an older message still waiting go back to the worker.

        Each person reads messages in the order they were caused: a cancellation must not arrive
        before a reminder the worker queued a moment earlier. The worker's sweep sends both, oldest
        first (each chat's lane keeps queue order).
        """
        pushes = [row for row in rows if row.kind != "reply"]
        if not pushes:
            return rows
        waiting = outbox.older_waiting(session, max(row.id for row in pushes), {row.id for row in rows})
        kept = []
        for row in rows:
            behind = row.kind != "reply" and any(
                older_id < row.id and not set(recipients).isdisjoint(row.recipients)
                for older_id, recipients in waiting
            )
            if behind:
                row.next_attempt_at, row.claimed_by = now, None
            else:
                kept.append(row)
        return kept

    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self.concurrency, thread_name_prefix="line-send")

    def _send_all(
        self, claimed: list[Outgoing], pool: ThreadPoolExecutor | None, deadline: float, lease: _Lease
    ) -> list[tuple[Outgoing, SendResult]]:
        """A webhook's replies first and alone; then pushes, in parallel lanes that keep each chat's order.

        The worker's sweep (a pool) sends the replies it tries again in the lanes too: in an outage
        many of them may each wait for a connect timeout.
        """
        # A webhook's replies are never held back for time: their tokens would expire in the queue.
        alone = pool is None
        results = [(out, self._send(out, lease)) for out in claimed if alone and out.kind == "reply"]
        lanes = lanes_by_recipient([out for out in claimed if not (alone and out.kind == "reply")])
        if len(lanes) <= 1 or self.concurrency == 1:
            return results + [pair for lane in lanes for pair in self._send_lane(lane, deadline, lease)]
        if pool is None:
            # A webhook's few rows: threads only for the call, nothing lingers in web processes.
            with self._pool() as own_pool:
                return results + self._send_lanes(own_pool, lanes, deadline, lease)
        return results + self._send_lanes(pool, lanes, deadline, lease)

    def _send_lanes(
        self, pool: ThreadPoolExecutor, lanes: list[list[Outgoing]], deadline: float, lease: _Lease
    ) -> list[tuple[Outgoing, SendResult]]:
        futures = [pool.submit(self._send_lane, lane, deadline, lease) for lane in lanes]
        # Wait for every lane before looking at any result: pool.map would cancel lanes still
        # queued as soon as one raised, so how much went out before a crash would depend on timing.
        wait(futures)
        return [pair for future in futures for pair in future.result()]

    def _send_lane(
        self, lane: list[Outgoing], deadline: float, lease: _Lease
    ) -> list[tuple[Outgoing, SendResult]]:
        results: list[tuple[Outgoing, SendResult]] = []
        for out in lane:
            if time.monotonic() > deadline:
                # Once one row of a chat is left for later, so are the ones after it (their order).
                return results + [(left, NOT_TRIED) for left in lane[len(results) :]]
            results.append((out, self._send(out, lease)))
        return results

    def _send(self, out: Outgoing, lease: _Lease | None) -> SendResult:
        """One call; whatever it raises fails this row only, so the round's results are all recorded."""
        try:
            if lease is not None:
                lease.keep()
            return self._call(out)
        except Exception as exc:
            # The type only: an exception's text may quote the message being sent.
            log.error("send raised outbound=%s kind=%s error=%s", out.id, out.kind, type(exc).__name__)
            return SendCrash(ok=False, status=None, error=f"{type(exc).__name__} raised while sending")

    def _call(self, out: Outgoing) -> SendResult:
        if out.kind == "reply":
            assert out.reply_token is not None
            return self.gateway.reply(out.reply_token, out.messages)
        if out.kind == "push":
            return self.gateway.push(out.recipients[0], out.messages, out.retry_key)
        return self.gateway.multicast(out.recipients, out.messages, out.retry_key)

    def _record(
        self, now: datetime, token: str, results: list[tuple[Outgoing, SendResult]]
    ) -> tuple[DeliveryReport, list[int]]:
        report = DeliveryReport(api_calls=sum(not isinstance(result, NotTried) for _, result in results))
        with transaction(self.session_factory) as session:
            rows = {row.id: row for row in outbox.by_ids(session, [out.id for out, _ in results])}
            pushed = 0
            month = quota.month_of(now, self.zone)
            for out, result in results:
                row = rows.get(out.id)
                if row is None or row.status != OutboundStatus.PENDING:
                    continue
                if result.ok:
                    # Even if our lease ran out meanwhile: LINE has it, and a second sender gets 409.
                    outbox.mark_sent(row, now)
                    row.claimed_by = None
                    pushed += outbox.recipients_count(row)
                    report.sent += 1
                    report.sent_ids.append(row.id)
                elif row.claimed_by != token:
                    continue  # another sender took over after our lease; its result counts
                elif isinstance(result, NotTried):
                    row.next_attempt_at, row.claimed_by = now, None
                elif result.quota_exhausted:
                    quota.exhausted(session, month)
                    row.next_attempt_at, row.claimed_by = now + QUOTA_RETRY, None
                    row.last_error = result.error
                    report.retrying += 1
                else:
                    final = self._record_failure(row, result, now)
                    report.failed += final
                    report.retrying += not final
            quota.count_sent(session, month, pushed)
            warnings = self._warn_if_low(session, now)
        return report, warnings

    def _record_failure(self, row: OutboundMessage, result: SendResult, now: datetime) -> bool:
        if row.kind == "reply":
            # Tried again only if LINE certainly did not take it (its token is unused); the sweep's
            # _expire_replies turns it into a push once the token is too old.
            give_up = not result.unaccepted
            retry_in = REPLY_RETRY_BACKOFF
        else:
            give_up = not result.retryable or row.attempts + 1 >= MAX_ATTEMPTS
            retry_in = backoff(row.attempts + 1)
        outbox.mark_failed(row, now, result.error or "unknown error", retry_in=None if give_up else retry_in)
        row.claimed_by = None
        log.warning(
            "delivery failed outbound=%s kind=%s event=%s status=%s final=%s",
            row.id,
            row.kind,
            row.webhook_event_id,
            result.status,
            give_up,
        )
        return give_up

    def _expire_replies(self, session: Session, now: datetime) -> None:
        """Replies LINE did not take whose token is too old to try again go as pushes to the same person.

        Replies nobody sent in time (their sender died) or whose last try's outcome is unknown (a sender
        died during it): the token is dead and LINE may have them, so they fail for good.
        """
        for row in outbox.unsent_replies(session, now - REPLY_RETRY_WINDOW, now):
            # Tried, recorded as not taken by LINE, and held by nobody: no call with its token is out.
            if row.attempts and row.claimed_by is None and all(row.recipients):
                push = outbox.reply_as_push(session, row, now)
                session.flush()
                log.warning(
                    "reply sent as a push outbound=%s push=%s event=%s", row.id, push.id, row.webhook_event_id
                )
        for row in outbox.unsent_replies(session, now - REPLY_TOKEN_LIFETIME, now):
            outbox.mark_failed(row, now, "reply token expired", retry_in=None)
            row.claimed_by = None
            log.warning("reply expired unsent outbound=%s event=%s", row.id, row.webhook_event_id)

    # -- push quota ---------------------------------------------------------------------------------

    def _budget_rule(self, session: Session, now: datetime) -> tuple[int, int | None]:
        """(lowest priority allowed, pushes left): everything while the budget is healthy."""
        budget = quota.budget(session, quota.month_of(now, self.zone))
        remaining = budget.remaining
        if budget.limit is None or remaining is None:
            return 0, None
        if remaining <= self._reserve(budget.limit):
            return outbox.PRIORITY_URGENT, remaining
        return 0, remaining

    def _reserve(self, limit: int) -> int:
        return math.ceil(limit * self.reserve_percent / 100)

    def _within_budget(
        self, rows: list[OutboundMessage], remaining: int | None, now: datetime
    ) -> list[OutboundMessage]:
        """Rows beyond what is left this month go back, untouched, for an hour (most urgent are first)."""
        if remaining is None:
            return rows
        kept = []
        for row in rows:
            cost = outbox.recipients_count(row)
            if cost <= remaining:
                kept.append(row)
                remaining -= cost
            else:
                row.next_attempt_at, row.claimed_by = now + QUOTA_RETRY, None
        return kept

    def _drop_stale_held(self, session: Session, now: datetime, min_priority: int) -> None:
        for row in outbox.held_pushes(session, min_priority, now - QUOTA_HOLD_LIMIT):
            outbox.mark_failed(row, now, "held back: the monthly push quota is low", retry_in=None)

    def _warn_if_low(self, session: Session, now: datetime) -> list[int]:
        """Once a month, when the budget first runs low, coordinators hear it (an urgent push)."""
        month = quota.month_of(now, self.zone)
        budget = quota.budget(session, month)
        remaining = budget.remaining
        if budget.limit is None or remaining is None or remaining > self._reserve(budget.limit):
            return []
        if not quota.claim_warning(session, month, now):
            return []
        log.warning("push quota low: %s of %s left this month", remaining, budget.limit)
        coordinators = [c.line_user_id for c in members.coordinators(session) if c.line_user_id]
        if not coordinators:
            return []
        notice = texts.QUOTA_LOW_COORDINATOR.format(remaining=remaining, limit=budget.limit)
        rows = outbox.enqueue_push(
            session, coordinators, [ui.text(notice)], priority=outbox.PRIORITY_URGENT, now=now
        )
        session.flush()
        return [row.id for row in rows]


def lanes_by_recipient(pushes: list[Outgoing]) -> list[list[Outgoing]]:
    """Pushes and multicasts that share anyone share a lane, in queue order; other lanes run in parallel.

    Rows are claimed most urgent first, but each person must read them in the order they were caused,
    a multicast included: rows are joined (union-find) through the recipients they have in common.
    """
    parent = list(range(len(pushes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_row_of: dict[str, int] = {}
    for i, out in enumerate(pushes):
        for recipient in out.recipients:
            j = first_row_of.setdefault(recipient, i)
            parent[root(i)] = root(j)
    lanes: dict[int, list[Outgoing]] = {}
    for i, out in enumerate(pushes):
        lanes.setdefault(root(i), []).append(out)
    return [sorted(lane, key=lambda out: out.id) for lane in lanes.values()]


def detach(row: OutboundMessage) -> Outgoing:
    return Outgoing(
        id=row.id,
        kind=row.kind,
        recipients=list(row.recipients),
        messages=list(row.messages),
        reply_token=row.reply_token,
        retry_key=row.retry_key,
        priority=row.priority,
    )
