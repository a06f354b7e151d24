"""The worker's retention job: old event ids, finished outbox rows, message bodies and departed members go."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from db import desk as desk_repo
from db import retention
from db.engine import transaction
from db.models import Member
from handlers.context import Context
from handlers.privacy import release_community
from handlers.settings import Settings

log = logging.getLogger(__name__)

# LINE redelivers a webhook it could not deliver for a limited time only (it does not say how long; hours,
# not weeks): an event id older than this can never come back, so it no longer guards against anything.
EVENT_ID_RETENTION = timedelta(days=30)
# The outbox is also the log of what the bot sent, kept to answer a coordinator's question about a past
# month ("did she get the reminder?") and to look into a quarter's delivery failures.
OUTBOX_RETENTION = timedelta(days=90)
# A body holds what neighbours wrote to each other in relay chat, and the names, addresses and times
# shared after an accept; that chat is stored nowhere else, and nothing reads a body once its row is
# sent or failed. A week leaves time to look into a complaint about a message; then it is erased
# (personal data no longer needed is deleted), while the row itself stays in the log.
BODY_RETENTION = timedelta(days=7)
# Rows per transaction: each batch holds its row locks (SQLite: the write lock) for milliseconds,
# so webhooks and senders never wait on a purge, however large the backlog.
RETENTION_BATCH = 1000
# Erasing a member reads and changes many rows: a few per transaction keep each one short.
MEMBER_BATCH = 20


@dataclass
class RetentionReport:
    events: int = 0
    messages: int = 0
    bodies: int = 0
    members: int = 0
    requests: int = 0
    photos: int = 0
    desk: int = 0  # the web desk's old sign-in attempts and handled notices (db/desk.py)
    dry_run: bool = False

    def summary(self) -> str:
        deleted, erased = ("would be deleted", "would be erased") if self.dry_run else ("deleted", "erased")
        anonymised = "would be anonymised" if self.dry_run else "anonymised"
        line = (
            f"retention{' (dry run)' if self.dry_run else ''}: {self.events} processed events, "
            f"{self.messages} outbound messages {deleted}; {self.bodies} message bodies {erased}; "
            f"{self.members} departed members {erased}; {self.requests} closed requests {anonymised}; "
            f"{self.photos} relay photos {deleted}"
        )
        return line + (f"; {self.desk} desk rows {deleted}" if self.desk else "")


class Retention:
    """Deletes old webhook event ids and finished outbox rows and erases old bodies, a batch per transaction.

    Safe with several workers: each batch takes its rows with SKIP LOCKED, so concurrent passes split
    the work. The windows are measured back from `now` (run-due's --at moves them too).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        batch: int = RETENTION_BATCH,
        settings: Settings | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.batch = batch
        defaults = settings or Settings(line_channel_secret="", line_channel_access_token="", database_url="")
        self.settings = defaults
        self.erase_after = timedelta(days=defaults.erase_after_unfollow_days)
        self.anonymise_after = timedelta(days=defaults.anonymise_after_days)

    def run(self, now: datetime, *, dry_run: bool = False) -> RetentionReport:
        events = retention.old_events(now - EVENT_ID_RETENTION)
        messages = retention.old_messages(now - OUTBOX_RETENTION)
        departed = retention.departed(now - self.erase_after)
        closed = retention.requests_to_anonymise(now - self.anonymise_after)
        photos = retention.old_photos(now - retention.RELAY_PHOTO_LIFETIME)
        if dry_run:
            # Rows past OUTBOX_RETENTION are deleted before bodies are erased: not counted twice.
            bodies = retention.bodies_to_erase(now - BODY_RETENTION, now - OUTBOX_RETENTION)
            with transaction(self.session_factory) as session:
                return RetentionReport(
                    events=retention.count_events(session, events),
                    messages=retention.count_messages(session, messages),
                    bodies=retention.count_messages(session, bodies),
                    members=retention.count_members(session, departed),
                    requests=retention.count_requests(session, closed),
                    photos=retention.count_photos(session, photos),
                    desk=desk_repo.purge(session, now, dry_run=True),
                    dry_run=True,
                )
        report = RetentionReport(
            # Members first: erasing one also erases message bodies and photos the later steps would count.
            members=self._in_batches(
                lambda s: retention.erase_departed(
                    s, departed, MEMBER_BATCH, now, lambda s2, m: self._release(s2, m, now)
                ),
                MEMBER_BATCH,
            ),
            events=self._in_batches(lambda s: retention.delete_events(s, events, self.batch)),
            messages=self._in_batches(lambda s: retention.delete_messages(s, messages, self.batch)),
            bodies=self._erase_bodies(now - BODY_RETENTION, now - OUTBOX_RETENTION),
            requests=self._in_batches(lambda s: retention.anonymise_requests(s, closed, self.batch)),
            photos=self._in_batches(lambda s: retention.delete_photos(s, photos, self.batch)),
        )
        with transaction(self.session_factory) as session:
            report.desk = desk_repo.purge(session, now)
        kinds = (
            report.events,
            report.messages,
            report.bodies,
            report.members,
            report.requests,
            report.photos,
        )
        if any(kinds) or report.desk:
            log.info("%s", report.summary())
        return report

    def _release(self, session: Session, member: Member, now: datetime) -> None:
        """Before a departed member is erased, whoever waits for their class seat is told it is theirs."""
        ctx = Context.without_event(session, self.settings, now)
        release_community(ctx, member)

    def _erase_bodies(self, cutoff: datetime, since: datetime) -> int:
        """Erase in batches, each starting where the last one ended (erased rows are not scanned again)."""
        total = 0
        while True:
            with transaction(self.session_factory) as session:
                erased = retention.erase_bodies(session, retention.bodies_to_erase(cutoff, since), self.batch)
            total += len(erased)
            if len(erased) < self.batch:
                return total
            since = max(erased)

    def _in_batches(self, one_batch: Callable[[Session], int], size: int | None = None) -> int:
        """Repeat `one_batch`, each in its own transaction, until a batch comes back short."""
        total = 0
        while True:
            with transaction(self.session_factory) as session:
                done = one_batch(session)
            total += done
            if done < (size or self.batch):
                return total
