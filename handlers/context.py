"""What every handler receives: the session, settings, clock, the sender, and a way to answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy.orm import Session

from db import outbox
from db.models import Member, OutboundMessage

if TYPE_CHECKING:
    from handlers.settings import Settings

REPLY_LIMIT = 5


@dataclass
class Context:
    """One webhook event's (or one scheduled job's) unit of work."""

    session: Session
    settings: Settings
    now: datetime
    event_id: str | None
    user_id: str | None
    reply_token: str | None
    member: Member | None
    display_name_of: Callable[[str], str | None]
    replies: list[dict[str, Any]] = field(default_factory=list)
    queued: list[OutboundMessage] = field(default_factory=list)
    # A yes-or-no question the bot asked just before this event, taken off for it (handlers/question.py).
    asked: dict[str, Any] | None = None
    # Said before whatever this event's route answers (a held draft dropped while the sender was away).
    first: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def without_event(
        cls, session: Session, settings: Settings, now: datetime, member: Member | None = None
    ) -> Self:
        """A context with no LINE event behind it (a job, the CLI, the desk): no reply token, no
        sender's name to look up; what it pushes waits in the outbox for the worker."""
        return cls(
            session=session,
            settings=settings,
            now=now,
            event_id=None,
            user_id=None,
            reply_token=None,
            member=member,
            display_name_of=lambda _user_id: None,
        )

    @property
    def sender(self) -> Member:
        if self.member is None:
            raise RuntimeError("this event has no user")
        return self.member

    def reply(self, *messages: dict[str, Any]) -> None:
        """Answer the sender with the event's reply token (free, and what the user waits for)."""
        if len(self.replies) + len(messages) > REPLY_LIMIT:
            raise ValueError(f"a reply holds at most {REPLY_LIMIT} messages")
        self.replies.extend(messages)

    def reply_first(self, *messages: dict[str, Any]) -> None:
        """Said before the route's answer, which is not known yet (handlers/routes.py puts it first)."""
        self.first.extend(messages)

    def push(
        self,
        recipients: Sequence[str | None],
        messages: Sequence[dict[str, Any]],
        *,
        priority: int,
        request_id: int | None = None,
    ) -> None:
        """Queue a push (or multicast) in this transaction; it is delivered after commit.

        request_id: a supporter's card for that request (not sent if the request moves on first).
        """
        to = [r for r in recipients if r]
        if to:
            self.queued += outbox.enqueue_push(
                self.session,
                to,
                messages,
                priority=priority,
                event_id=self.event_id,
                now=self.now,
                request_id=request_id,
            )

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.settings.timezone)
