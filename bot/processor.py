"""Process one webhook event: its own transaction, dedupe on webhookEventId, route, then deliver."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from linebot.v3.webhooks import Event
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Deliverer
from bot.gateway import LineGateway
from bot.settings import Settings
from db import members, outbox
from db.engine import transaction
from db.events import DuplicateEvent, claim_event
from handlers import texts, ui
from handlers.common import main_menu
from handlers.context import Context
from handlers.routes import dispatch

log = logging.getLogger(__name__)


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
        self.gateway = gateway
        self.deliverer = deliverer
        self.clock = clock

    def process(self, event: Event | None, raw: dict[str, Any], *, send_until: float | None = None) -> None:
        """Handle one event (None: one the SDK could not model, answered with the fallback).

        send_until (time.monotonic()): pushes not started by then are left to the worker.
        """
        event_id = raw.get("webhookEventId")
        event_type = str(raw.get("type", "unknown"))
        user_id = _user_id(raw)
        reply_token = raw.get("replyToken") if isinstance(raw.get("replyToken"), str) else None
        log.info("event id=%s type=%s", event_id, event_type)
        try:
            name = None if raw.get("mode") == "standby" else self._profile_name(user_id, event_type)
            queued = self._handle(event, raw, event_id, event_type, user_id, reply_token, name)
        except DuplicateEvent:
            log.info("event id=%s already processed; skipped", event_id)
            return
        except Exception:
            log.exception("event id=%s type=%s failed; rolled back", event_id, event_type)
            queued = self._apologise(event_id, user_id, reply_token, raw)
        try:
            self.deliverer.deliver(queued, until=send_until)
        except Exception:
            # The rows stay in the outbox for the worker; the other events in this POST still run.
            log.exception("event id=%s delivery failed; left to the worker", event_id)

    def _handle(
        self,
        event: Event | None,
        raw: dict[str, Any],
        event_id: str | None,
        event_type: str,
        user_id: str | None,
        reply_token: str | None,
        profile_name: str | None,
    ) -> list[int]:
        with transaction(self.session_factory) as session:
            if isinstance(event_id, str) and event_id:
                claim_event(session, event_id, event_type)
            if raw.get("mode") == "standby":
                # Another channel (e.g. a live chat module) owns the conversation: send nothing.
                return []
            member = None
            if user_id is not None and event_type == "unfollow":
                member = members.by_line_id(session, user_id)
            elif user_id is not None:
                member, _ = members.get_or_create(session, user_id)
                if not member.display_name and profile_name:
                    # First contact without a follow event (e.g. a friend from before the bot existed).
                    member.display_name = profile_name[:100]
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
                ctx.reply(ui.text(texts.FALLBACK_MEDIA), ui.text(texts.FALLBACK, main_menu(ctx)))
            if route == "ignored" and reply_token and event_type == "join":
                ctx.reply(ui.text(texts.GROUP_ONLY_ONE_TO_ONE))
            rows = list(ctx.queued)
            if ctx.replies and reply_token:
                rows.insert(
                    0,
                    # ctx.user_id: None once the sender's data was erased (退会) during this event.
                    outbox.enqueue_reply(
                        session,
                        reply_token,
                        ctx.user_id or "",
                        ctx.replies,
                        event_id=ctx.event_id,
                        now=ctx.now,
                    ),
                )
            session.flush()
            return [row.id for row in rows]

    def _apologise(
        self, event_id: str | None, user_id: str | None, reply_token: str | None, raw: dict[str, Any]
    ) -> list[int]:
        """After a failed event, the user still gets an answer (and the event stays retryable)."""
        if not reply_token or raw.get("mode") == "standby" or raw.get("type") not in ("message", "postback"):
            return []
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
            return [row.id]

    def _profile_name(self, user_id: str | None, event_type: str) -> str | None:
        """The sender's LINE name when it is needed (follow, or a first contact), fetched before the
        event's transaction so no database lock is held during the HTTP call."""
        if user_id is None or event_type == "unfollow":
            return None
        if event_type != "follow":
            with self.session_factory() as session:
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                known = members.by_line_id(session, user_id)
                if known is not None and known.display_name:
                    return None
        profile = self.gateway.profile(user_id)
        return profile.display_name if profile else None


def _user_id(raw: dict[str, Any]) -> str | None:
    """The 1:1 user behind an event; None for groups, rooms and events without a source."""
    source = raw.get("source")
    if isinstance(source, dict) and source.get("type") == "user" and isinstance(source.get("userId"), str):
        return source["userId"]
    return None
