"""Process one webhook event: its own transaction, dedupe on webhookEventId, route, then deliver.

Each event is isolated: whatever one raises (its parsing, its handler, its apology, its delivery) is
logged and costs no other event its answer. Only an unreachable database stops the body: nothing can
be stored, so the webhook answers 503 and LINE redelivers.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from linebot.v3.webhooks import Event
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Deliverer, Outgoing, detach
from bot.gateway import LineGateway
from bot.inbound import checked_event
from db import members, outbox
from db.engine import engine_of, transaction
from db.events import DuplicateEvent, claim_event
from handlers import texts, ui
from handlers.common import main_menu
from handlers.context import Context
from handlers.routes import dispatch
from handlers.settings import Settings

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    DONE = "done"  # handled, answered, or safely ignored (a duplicate, an event we cannot use)
    DATABASE_DOWN = "database down"  # nothing stored: the webhook must ask LINE to redeliver


class EventProcessor:
    """Turns parsed webhook events into state changes and queued messages, one transaction each."""

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        gateway: LineGateway,
        deliverer: Deliverer,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.engine = engine_of(session_factory)
        self.gateway = gateway
        self.deliverer = deliverer
        self.clock = clock

    def process(self, raw: dict[str, Any], *, send_until: float | None = None) -> Outcome:
        """Handle one raw event from a signed body.

        send_until (time.monotonic()): pushes not started by then are left to the worker.
        """
        event_id = raw.get("webhookEventId")
        event_type = str(raw.get("type", "unknown"))[:40]
        log.info("event id=%s type=%s", str(event_id)[:64], event_type)
        reply: Outgoing | None = None
        queued: list[int] = []
        user_id = reply_token = None
        # One connection for the event: its transaction, then the record of its reply (one checkout).
        with contextlib.ExitStack() as held:
            connection: Connection | None = None
            try:
                raw = checked_event(raw)
                event_id = raw.get("webhookEventId") or None
                user_id = _user_id(raw)
                reply_token = raw.get("replyToken") if isinstance(raw.get("replyToken"), str) else None
                event = _parse_one(raw)
                name = self._greeting_name(raw, user_id, event_type)
                for attempt in (1, 2):
                    connection = held.enter_context(self.engine.connect())
                    try:
                        reply, queued, needs_name = self._handle(
                            connection, event, raw, event_id, event_type, user_id, reply_token, name
                        )
                        break
                    except DBAPIError as exc:
                        # A pooled connection that died unseen (no pool_pre_ping: see db/engine.py). Its
                        # transaction is gone and the pool starts afresh: the event gets one more try.
                        if attempt == 2 or not exc.connection_invalidated:
                            raise
                        log.warning("event id=%s: database connection lost; trying once more", event_id)
                        connection.close()
            except DuplicateEvent:
                log.info("event id=%s already processed; skipped", event_id)
                return Outcome.DONE
            except Exception as exc:
                if self._database_down(exc):
                    log.error(
                        "event id=%s: database unreachable (%s); left for redelivery",
                        event_id,
                        type(exc).__name__,
                    )
                    return Outcome.DATABASE_DOWN
                log.exception("event id=%s type=%s failed; rolled back", event_id, event_type)
                reply, needs_name = self._apologise(event_id, user_id, reply_token, raw), False
                connection = None  # the apology was queued on a connection of its own
            try:
                if reply is not None and not queued:
                    # Most events: one reply, nothing else.
                    self.deliverer.send_reply(reply, event_id, connection)
                else:
                    # Reply and pushes in one round (the reply first): one claim, one record for all.
                    ids = queued if reply is None else [reply.id, *queued]
                    self.deliverer.deliver(ids, until=send_until)
            except Exception:
                # The rows stay in the outbox for the worker; the other events in this POST still run.
                log.exception("event id=%s delivery failed; left to the worker", event_id)
        if needs_name and user_id is not None:
            self._learn_name(user_id)
        return Outcome.DONE

    def _handle(
        self,
        connection: Connection,
        event: Event | None,
        raw: dict[str, Any],
        event_id: str | None,
        event_type: str,
        user_id: str | None,
        reply_token: str | None,
        profile_name: str | None,
    ) -> tuple[Outgoing | None, list[int], bool]:
        """The event's transaction, on the event's connection: its reply, the pushes it queued (row
        ids), and whether the sender's name is still unknown."""
        with self.session_factory(bind=connection) as session, session.begin():
            claim = (event_id, event_type) if isinstance(event_id, str) and event_id else None
            standby = raw.get("mode") == "standby"
            member = None
            if user_id is not None and event_type != "unfollow" and not standby:
                member = members.sender(session, user_id, claim=claim)  # claims it in the same SELECT
            elif claim is not None:
                claim_event(session, *claim)
            if standby:
                # Another channel (e.g. a live chat module) owns the conversation: send nothing.
                return None, [], False
            if user_id is not None and event_type == "unfollow":
                member = members.by_line_id(session, user_id)
            ctx = Context(
                session=session,
                settings=self.settings,
                now=self.clock(),
                event_id=event_id if isinstance(event_id, str) else None,
                user_id=user_id,
                reply_token=reply_token,
                member=member,
                display_name_of=lambda uid: profile_name if uid == user_id else None,
            )
            route = dispatch(event, ctx) if event is not None else "ignored"
            log.info("event id=%s route=%s", event_id, route)
            if route == "ignored" and reply_token and member is not None and event_type == "message":
                # A message type LINE added after this code was written: still answer.
                ctx.reply(ui.text(texts.FALLBACK_MEDIA, main_menu(ctx)))
            if route == "ignored" and reply_token and event_type == "join":
                ctx.reply(ui.text(texts.GROUP_ONLY_ONE_TO_ONE))
            session.flush()  # what the handler queued first: the rows keep the order they were caused in
            reply = None
            if ctx.replies and reply_token:
                # ctx.user_id: None once the sender's data was erased (退会) during this event.
                recipient = ctx.user_id or ""
                row_id, retry_key = outbox.add_reply(
                    session, reply_token, recipient, ctx.replies, event_id=ctx.event_id, now=ctx.now
                )
                reply = Outgoing(
                    id=row_id,
                    kind="reply",
                    recipients=[recipient],
                    messages=list(ctx.replies),
                    reply_token=reply_token,
                    retry_key=retry_key,
                    priority=outbox.PRIORITY_REPLY,
                )
            # Not for someone whose data was just erased (退会: ctx.user_id is then None).
            needs_name = (
                ctx.user_id is not None
                and member is not None
                and not member.display_name
                and event_type != "unfollow"
            )
            return reply, [r.id for r in ctx.queued], needs_name

    def _apologise(
        self, event_id: Any, user_id: str | None, reply_token: str | None, raw: dict[str, Any]
    ) -> Outgoing | None:
        """After a failed event, the user still gets an answer (and the event stays retryable).

        Guarded too: if even the apology cannot be queued, that is logged and the next event goes on.
        """
        if not reply_token or raw.get("mode") == "standby" or raw.get("type") not in ("message", "postback"):
            return None
        try:
            with transaction(self.session_factory) as session:
                row = outbox.enqueue_reply(
                    session,
                    reply_token,
                    user_id or "",
                    [ui.text(texts.ERROR_SORRY)],
                    event_id=event_id if isinstance(event_id, str) else None,
                    now=self.clock(),
                )
                session.flush()
                return detach(row)
        except Exception:
            log.exception("event id=%s: the apology could not be queued either", event_id)
            return None

    def _greeting_name(self, raw: dict[str, Any], user_id: str | None, event_type: str) -> str | None:
        """The LINE name for a follow's greeting, fetched before the transaction (no lock held during
        the call) and within PROFILE_TIMEOUT: if LINE is slow, the greeting goes without it."""
        if user_id is None or event_type != "follow" or raw.get("mode") == "standby":
            return None
        profile = self.gateway.profile(user_id)
        return profile.display_name if profile else None

    def _learn_name(self, user_id: str) -> None:
        """A member we have no name for (first contact without a follow, or a follow whose lookup
        failed): fetched after the answer went out, so a slow LINE never delays it."""
        try:
            profile = self.gateway.profile(user_id)
            if profile is None or not profile.display_name:
                return
            with transaction(self.session_factory) as session:
                members.name_if_unknown(session, user_id, profile.display_name[:100])
        except Exception:
            log.warning("name of a member could not be stored; tried again at their next event")

    @staticmethod
    def _database_down(exc: Exception) -> bool:
        """Whether the failure was the database's, not this event's: LINE should deliver it again.

        OperationalError and InterfaceError are, by the DB-API's definition, about the database's
        operation rather than the program: a refused or dropped connection, a server starting up or
        shutting down, a deadlock, SQLite busy. Each passes; the event, redelivered, then succeeds.
        (A probe of the database would not do: it can be back a moment after the event failed.)
        """
        return isinstance(exc, PoolTimeout | OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        )


def _parse_one(raw: dict[str, Any]) -> Event | None:
    """The SDK's model of one event, or None (logged) when it cannot build one."""
    try:
        return Event.from_dict(raw)
    except Exception:
        log.warning("event id=%s type=%s could not be parsed", raw.get("webhookEventId"), raw.get("type"))
        return None


def _user_id(raw: dict[str, Any]) -> str | None:
    """The 1:1 user behind an event; None for groups, rooms and events without a source."""
    source = raw.get("source")
    if isinstance(source, dict) and source.get("type") == "user" and isinstance(source.get("userId"), str):
        return source["userId"]
    return None
