"""The worker's tick job: follow-ups claimed in batches and acted on, day-before notices, then delivery."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Deliverer, DeliveryReport
from bot.jobs.retention import RetentionReport
from db import first_visits, outbox
from db import followups as followup_repo
from db import requests as request_repo
from db.engine import transaction
from db.models import FollowUpKind, FollowUpState, HelpRequest, OutboundMessage
from handlers import classes, due_followups, insurance, shifts
from handlers.context import Context
from handlers.settings import Settings

log = logging.getLogger(__name__)

BATCH = 2000
REMINDERS = (FollowUpKind.REMIND_EVE, FollowUpKind.REMIND_HOUR)


@dataclass(frozen=True)
class PendingPush:
    messages: list[dict[str, Any]]
    priority: int
    recipients: list[str]
    request_id: int | None = None


@dataclass
class BatchContext(Context):
    """A Context for many follow-ups at once: identical pushes to different people become one multicast."""

    pending: list[PendingPush] = field(default_factory=list)

    def push(self, recipients: Any, messages: Any, *, priority: int, request_id: int | None = None) -> None:
        to = [r for r in recipients if r]
        if to:
            self.pending.append(PendingPush(list(messages), priority, to, request_id))

    def flush(self) -> list[OutboundMessage]:
        """Queue the collected pushes, grouped by identical content (≤ 500 recipients per multicast)."""
        rows: list[OutboundMessage] = []
        for same in outbox.group_identical(self.pending, lambda p: (p.messages, p.priority)):
            to = [r for p in same for r in p.recipients]
            # Identical cards are about the same request (their buttons carry its id).
            rows += outbox.enqueue_push(
                self.session,
                to,
                same[0].messages,
                priority=same[0].priority,
                now=self.now,
                request_id=same[0].request_id,
            )
        self.pending = []
        self.queued += rows
        return rows


@dataclass
class RunReport:
    followups: int = 0
    renewal_reminders: int = 0
    shifts: int = 0  # community places' shifts given their day-before reminders (issue 15)
    shift_invites: int = 0  # people invited to newly posted shifts
    classes: int = 0  # people invited to new classes, and reminded of classes
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    retention: RetentionReport | None = None

    def summary(self) -> str:
        d = self.delivery
        line = (
            f"follow-ups: {self.followups} handled; messages: {d.sent} sent, {d.retrying} to retry, "
            f"{d.failed} failed; LINE API calls: {d.api_calls}"
        )
        return line if self.retention is None else f"{line}\n{self.retention.summary()}"


class FollowUpRunner:
    """What `otagai worker` does every tick and `otagai run-due` does once."""

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        deliverer: Deliverer,
        *,
        batch: int = BATCH,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.deliverer = deliverer
        self.batch = batch

    def run_due(self, now: datetime) -> RunReport:
        """Everything due at `now`: follow-ups in batches (each committed with its pushes), then delivery."""
        report = RunReport()
        self.deliverer.refresh_quota_if_stale(now)
        while True:
            handled = self._one_batch(now)
            report.followups += handled
            if handled < self.batch:
                break
        report.renewal_reminders = self._remind_renewals(now)
        report.shift_invites = self._invite_to_shifts(now)
        report.shifts = self._shifts_day_before(now)
        report.classes = self._classes(now)
        # Sent after all batches, so identical notices from different batches share multicasts.
        report.delivery.add(self.deliverer.deliver_due(now))
        if report.followups or report.delivery.api_calls:
            log.info("run-due at %s: %s", now.isoformat(), report.summary())
        return report

    def _remind_renewals(self, now: datetime) -> int:
        """March: volunteer insurance ends on the 31st, so covered supporters are reminded to renew."""
        if not self.settings.insurance:
            return 0
        with transaction(self.session_factory) as session:
            ctx = self._context(session, now)
            sent = insurance.remind_renewals(ctx)
            ctx.flush()
            return sent

    def _invite_to_shifts(self, now: datetime) -> int:
        """New shifts: fitting supporters and やってみたい offers are invited (pushes wait for morning)."""
        with transaction(self.session_factory) as session:
            ctx = self._context(session, now)
            invited = shifts.invite_new(ctx)
            ctx.flush()
            return invited

    def _classes(self, now: datetime) -> int:
        """名人・達人's classes: fitting やってみたい invited to new ones; those coming reminded."""
        with transaction(self.session_factory) as session:
            ctx = self._context(session, now)
            done = classes.invite_new(ctx) + classes.remind_due(ctx)
            ctx.flush()
            return done

    def _shifts_day_before(self, now: datetime) -> int:
        with transaction(self.session_factory) as session:
            ctx = self._context(session, now)
            handled = shifts.day_before(ctx)
            ctx.flush()
            return handled

    def _context(self, session: Session, now: datetime) -> BatchContext:
        return BatchContext.without_event(session, self.settings, now)

    def _one_batch(self, now: datetime) -> int:
        with transaction(self.session_factory) as session:
            due = followup_repo.claim_due_rows(session, now, self.batch)
            if not due:
                return 0
            ctx = self._context(session, now)
            going_along = first_visits.companions_on_line(
                session, (row.request_id for row in due if row.kind in REMINDERS)
            )
            outcomes: dict[tuple[FollowUpState, str], list[int]] = defaultdict(list)
            postponed: dict[datetime, list[int]] = defaultdict(list)
            actions = []
            for row in due:
                morning = due_followups.waits_for_morning(row.kind, self.settings, now)
                if morning is not None:
                    postponed[morning].append(row.id)
                elif row.kind in due_followups.NOTICE_KINDS:
                    result = due_followups.notice(self.settings, now, row)
                    if isinstance(result, str):
                        outcomes[(FollowUpState.SKIPPED, result)].append(row.id)
                    else:
                        # 顔合わせ: the coordinator going along gets the supporter's reminders too.
                        along = going_along.get(row.request_id, []) if row.kind in REMINDERS else []
                        ctx.push([result.recipient, *along], result.messages, priority=result.priority)
                        outcomes[(FollowUpState.DONE, "sent")].append(row.id)
                else:
                    actions.append(row.id)
            for (state, outcome), ids in outcomes.items():
                followup_repo.finish_many(session, ids, state, now, outcome)
            for morning, ids in postponed.items():
                followup_repo.postpone_many(session, ids, morning, "waiting for the morning")
            if actions:
                self._act(ctx, actions, now)
            ctx.flush()
            session.flush()
            return len(due)

    def _act(self, ctx: BatchContext, ids: list[int], now: datetime) -> None:
        """Re-asks and expiry change requests: ORM objects, the requests locked, a savepoint each."""
        session = ctx.session
        todo = followup_repo.by_ids(session, ids)
        # Held while acting: the session's identity map only keeps weak references.
        requests = self._load_requests(session, todo)
        for followup in todo:
            mark = len(ctx.pending)
            try:
                with session.begin_nested():
                    due_followups.fire(ctx, followup)
            except Exception as exc:
                log.exception("follow-up id=%s kind=%s failed", followup.id, followup.kind)
                del ctx.pending[mark:]
                due_followups.failed(followup, f"{type(exc).__name__}: {exc}", now)
        del requests

    @staticmethod
    def _load_requests(session: Session, due: Any) -> list[HelpRequest]:
        """The requests in one query; claim_due_rows already locked them with their follow-ups."""
        ids = sorted({f.request_id for f in due})
        return list(request_repo.with_people(session, ids))
