"""SQLAlchemy 2 typed models: members, requests, offers, proposals, events, conversations, outbox,
supporter vetting and agreements, tickets and fees."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC and returns aware UTC, so SQLite and PostgreSQL behave the same."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings (no native PG enum) so adding a state is a one-line migration.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class RequestStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    MATCHED = "matched"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class ProposalStatus(enum.StrEnum):
    ASKED = "asked"
    ACCEPTED = "accepted"
    PASSED = "passed"
    TAKEN = "taken"  # someone else accepted first
    WITHDRAWN = "withdrawn"  # the request was cancelled
    DROPPED = "dropped"  # accepted, then the supporter could not go
    NO_SHOW = "no_show"  # accepted, and the resident says nobody came


class OutboundStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Member(Base):
    """Anyone the bot knows: resident, supporter, coordinator (roles are flags, not separate tables)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for residents a coordinator enters by hand (no smartphone).
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    is_supporter: Mapped[bool] = mapped_column(Boolean, default=False)
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    home_address: Mapped[str | None] = mapped_column(String(300))
    home_area: Mapped[str] = mapped_column(String(100), default="")
    radius_km: Mapped[float] = mapped_column(Float, default=3.0)
    skill_text: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false after unfollow
    paused: Mapped[bool] = mapped_column(Boolean, default=False)  # supporter お休み
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)  # set by coordinators
    last_asked_at: Mapped[datetime | None]
    # When they unfollowed (None while a friend): their personal data is erased some days later.
    left_at: Mapped[datetime | None]
    # Set when the member's personal data was erased: the row stays as an anonymous tombstone so the
    # monthly report's counts (requests, help given) still add up.
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    skills: Mapped[list[SupporterSkill]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="SupporterSkill.id"
    )

    __table_args__ = (Index("ix_members_supporter_geo", "is_supporter", "home_lat", "home_lon"),)


class SupporterSkill(Base):
    """One category a supporter can help with."""

    __tablename__ = "supporter_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(32))

    member: Mapped[Member] = relationship(back_populates="skills")

    __table_args__ = (UniqueConstraint("member_id", "category"),)


class HelpRequest(Base):
    """A 困りごと and its lifecycle: draft → open → matched → done / cancelled / expired."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus), default=RequestStatus.DRAFT, index=True
    )
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(300))
    area: Mapped[str] = mapped_column(String(100), default="")
    wanted_at: Mapped[datetime | None]  # None with anytime=True
    anytime: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    match_round: Mapped[int] = mapped_column(Integer, default=0)
    needs_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    matched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    thanked_at: Mapped[datetime | None]  # the resident's お礼 went to the supporter (sent once)
    # Relay messages passed on between the two sides: only the count is kept for the desk's timeline.
    relay_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    requester: Mapped[Member] = relationship(foreign_keys=[requester_id])
    accepted_by: Mapped[Member | None] = relationship(foreign_keys=[accepted_by_id])


class Offer(Base):
    """A やってみたい: something a member would like to do or teach."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()


class Proposal(Base):
    """Which supporter was offered which request, and what they answered."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[ProposalStatus] = mapped_column(_enum(ProposalStatus), default=ProposalStatus.ASKED)
    distance_km: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    match_round: Mapped[int] = mapped_column(Integer, default=1)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    request: Mapped[HelpRequest] = relationship()
    supporter: Mapped[Member] = relationship()

    __table_args__ = (UniqueConstraint("request_id", "supporter_id"),)


class ProcessedEvent(Base):
    """Webhook events already handled; the primary key makes redelivery a no-op."""

    __tablename__ = "processed_events"

    webhook_event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(40))
    # Indexed for retention, which deletes the ids older than a window (db/retention.py).
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Conversation(Base):
    """Where a member is in a multi-step flow (one row per member; absent means idle)."""

    __tablename__ = "conversations"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the member last moved a step, by the handler's clock (set_state): not bumped by other
    # changes (a relay marked ended), so each flow's idle limit counts from the member's last step.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboundMessage(Base):
    """Every message the bot sends: written with the state change, then delivered (an outbox)."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # reply / push / multicast
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    messages: Mapped[list[Any]] = mapped_column(JSON)
    reply_token: Mapped[str | None] = mapped_column(String(255))
    # Sent as X-Line-Retry-Key on push/multicast so a retry never delivers twice.
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[OutboundStatus] = mapped_column(
        _enum(OutboundStatus), default=OutboundStatus.PENDING, index=True
    )
    priority: Mapped[int] = mapped_column(Integer, default=50)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    webhook_event_id: Mapped[str | None] = mapped_column(String(64))
    # The request a supporter's card is about: a card still waiting (quiet hours) when its request is
    # taken, cancelled or expires is never sent (db/outbox.py drop_unsent_cards).
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Indexed for retention, which finds old finished rows by age (db/retention.py).
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # While a sender holds a row, next_attempt_at is its lease: a crashed sender's rows come back then.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    sent_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_outbound_messages_due", "status", "next_attempt_at"),)


class FollowUpKind(enum.StrEnum):
    REMIND_EVE = "remind_eve"  # supporter, the evening before
    REMIND_HOUR = "remind_hour"  # supporter, about an hour before
    CHECKIN = "checkin"  # resident, after the time: 完了した / まだ / 来なかった (round 2: asked again)
    CHECKIN_UNANSWERED = "checkin_unanswered"  # no answer to either check-in: tell coordinators
    REASK = "reask"  # nobody accepted: ask more widely, then hand to coordinators
    EXPIRE = "expire"  # the time passed with nobody: close and tell the resident


class FollowUpState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"  # no longer relevant when it fell due
    CANCELLED = "cancelled"  # the request changed before it fell due
    FAILED = "failed"


class FollowUp(Base):
    """Something the worker must do for a request at a given time (nothing lives only in memory)."""

    __tablename__ = "followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FollowUpKind] = mapped_column(_enum(FollowUpKind))
    # The one person it is for (the supporter for reminders); None when it concerns the request.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime]
    state: Mapped[FollowUpState] = mapped_column(_enum(FollowUpState), default=FollowUpState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(60))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    request: Mapped[HelpRequest] = relationship()
    member: Mapped[Member | None] = relationship()

    __table_args__ = (Index("ix_followups_due", "state", "due_at"),)


class CreditEntry(enum.StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


class TimeCredit(Base):
    """The time-credit ledger: minutes of help given (supporter) and received (resident), per request."""

    __tablename__ = "time_credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    entry: Mapped[CreditEntry] = mapped_column(_enum(CreditEntry))
    minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("request_id", "member_id"),)


class RelayMedia(Base):
    """A photo passed on in relay chat: an unguessable token the recipient's LINE app loads it by."""

    __tablename__ = "relay_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    line_message_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchExclusion(Base):
    """A supporter who does not want to be asked by one resident again (the resident is never told)."""

    __tablename__ = "match_exclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("supporter_id", "resident_id"),)


class ProblemReport(Base):
    """困ったことを報告: one side of a visit tells the coordinators something went wrong."""

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PushQuota(Base):
    """This month's push budget: LINE's figures at the last refresh plus what we sent since."""

    __tablename__ = "push_quota"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM, local time
    monthly_limit: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    used_remote: Mapped[int] = mapped_column(Integer, default=0)
    used_local: Mapped[int] = mapped_column(Integer, default=0)
    refreshed_at: Mapped[datetime | None]
    warned_at: Mapped[datetime | None]


class SupporterStatus(enum.StrEnum):
    APPLICANT = "applicant"  # registered in chat, waiting for a coordinator's interview or briefing
    APPROVED = "approved"  # may be matched (members.is_supporter is true)
    DECLINED = "declined"


class SupporterRecord(Base):
    """What the scheme knows of a supporter beyond their skills: vetting, agreement, insurance.

    members.is_supporter stays the one gate for matching: it is true only while this says approved, so
    every query that picks supporters leaves applicants out without knowing about vetting.
    """

    __tablename__ = "supporter_records"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[SupporterStatus] = mapped_column(
        _enum(SupporterStatus), default=SupporterStatus.APPLICANT, index=True
    )
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The interview (面談) or briefing (説明会) a coordinator held, and what they noted.
    met_on: Mapped[date | None] = mapped_column(Date)
    met_how: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    # The version of the scheme's rules and confidentiality text they agreed to, and when.
    agreement_version: Mapped[int | None] = mapped_column(Integer)
    agreed_at: Mapped[datetime | None]
    # Volunteer insurance: the insurance year covered (2026 = 1 April 2026 to 31 March 2027).
    insured_year: Mapped[int | None] = mapped_column(Integer)
    insurance_note: Mapped[str] = mapped_column(String(100), default="")
    # The insurance year whose end they were reminded of in March (sent once a year).
    renewal_reminded_year: Mapped[int | None] = mapped_column(Integer)

    member: Mapped[Member] = relationship()


class Agreement(Base):
    """One version of the scheme's rules and confidentiality text (organisation-editable)."""

    __tablename__ = "agreements"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Area(Base):
    """A local committee or hub's patch: a circle around its centre (several in one deployment).

    A request or member lies in an area when its point is inside the circle; a request whose place is
    only a name has no point, and every area's desk sees it until someone places it.
    """

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float, default=10.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeskAccount(Base):
    """A coordinator who signs in to the web desk (password hashed; linked to their LINE self if any)."""

    __tablename__ = "desk_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # Printed on the cards of requests this coordinator enters for someone without LINE.
    phone: Mapped[str] = mapped_column(String(30), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    member: Mapped[Member | None] = relationship()
    # What they may do, area by area (db/desk.py reads these; bot/desk/access.py decides with them).
    roles: Mapped[list[DeskRole]] = relationship(
        back_populates="account", cascade="all, delete-orphan", lazy="selectin", order_by="DeskRole.id"
    )


class DeskRoleKind(enum.StrEnum):
    ADMINISTRATOR = "administrator"  # acts, and manages accounts, roles and settings
    COORDINATOR = "coordinator"  # acts on requests, people and tickets
    READ_ONLY = "read_only"  # sees, never changes anything


class DeskRole(Base):
    """One desk account's role in one area (or, with no area, in the whole organisation)."""

    __tablename__ = "desk_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("desk_accounts.id", ondelete="CASCADE"), index=True)
    # None: every area, including requests and people outside all of them.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    role: Mapped[DeskRoleKind] = mapped_column(_enum(DeskRoleKind))

    account: Mapped[DeskAccount] = relationship(back_populates="roles")
    area: Mapped[Area | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("account_id", "area_id"),)


class SignInAttempt(Base):
    """Every desk sign-in try, kept in the database so a lock-out holds across web processes."""

    __tablename__ = "desk_sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_desk_sign_in_attempts_login_at", "login", "at"),)


class DeskAction(Base):
    """The desk's audit log: what a coordinator did, to which request or member, and when."""

    __tablename__ = "desk_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for an operator command (`otagai …`): actor names the operator instead.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("desk_accounts.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[DeskAccount | None] = relationship()

    @property
    def who(self) -> str:
        return self.account.login if self.account is not None else self.actor


class ProxyRequest(Base):
    """A request a coordinator entered for a resident without LINE: who to call, and who entered it.

    The resident cannot tap anything, so the coordinator who entered it answers for them.
    """

    __tablename__ = "proxy_requests"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("desk_accounts.id"))
    phone: Mapped[str] = mapped_column(String(30), default="")

    account: Mapped[DeskAccount] = relationship()


class CoordinatorNotice(Base):
    """Every 【要対応】 notice sent to coordinators in LINE, kept for the web desk until someone handles it.

    Written by handlers.notify.push_to_coordinators whatever the reason (an emergency, a no-show, no
    answer), and written even when no coordinator is on LINE: the desk still shows it.
    """

    __tablename__ = "coordinator_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("desk_accounts.id"))

    handled_by: Mapped[DeskAccount | None] = relationship()


class TicketEntry(Base):
    """A resident's prepaid tickets (利用券), in yen: sold (+), refunded (−), used for a visit (−)."""

    __tablename__ = "ticket_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # sold / refunded / used
    yen: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VisitFee(Base):
    """What one visit cost, charged once at the check-in (or for a same-day cancellation)."""

    __tablename__ = "visit_fees"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    resident_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # visit / cancel (same day)
    minutes: Mapped[int] = mapped_column(Integer)
    hourly_yen: Mapped[int] = mapped_column(Integer)
    labour_yen: Mapped[int] = mapped_column(Integer)
    travel_yen: Mapped[int] = mapped_column(Integer, default=0)
    materials_yen: Mapped[int] = mapped_column(Integer, default=0)
    # Paid on to the helper: their share of the labour, and travel and materials in full.
    helper_yen: Mapped[int] = mapped_column(Integer)
    org_yen: Mapped[int] = mapped_column(Integer)
    charged_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @property
    def total_yen(self) -> int:
        return self.labour_yen + self.travel_yen + self.materials_yen


class FirstVisit(Base):
    """顔合わせ: a coordinator goes along on this request's (first) visit."""

    __tablename__ = "first_visits"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    coordinator: Mapped[Member] = relationship()


class SignInLink(Base):
    """A one-time desk sign-in link sent to a coordinator in LINE: only its hash is stored."""

    __tablename__ = "desk_sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("desk_accounts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class CommunityPlace(Base):
    """A community place (こども食堂, 地域食堂, みんなのおうち, サロン, food drop-off) with its opening times.

    `opening_text` is what the coordinator wrote; `openings` the RFC 5545 rules read from it
    (matching/opening.py), kept so the next opening is found without reading the text again.
    """

    __tablename__ = "community_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    audience: Mapped[str] = mapped_column(String(200), default="")  # who may come
    price: Mapped[str] = mapped_column(String(100), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    opening_text: Mapped[str] = mapped_column(Text, default="")
    openings: Mapped[list[Any]] = mapped_column(default=list)
    closed_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_days: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates of one-off closures
    accepts_food: Mapped[str] = mapped_column(String(200), default="")  # food kinds taken, 、-separated
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FoodGift(Base):
    """「野菜が余ってます」: food offered, the place the giver was pointed to, and when it was passed on."""

    __tablename__ = "food_gifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    foods: Mapped[list[Any]] = mapped_column(default=list)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("community_places.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    passed_on_at: Mapped[datetime | None] = mapped_column(index=True)


class PlaceShift(Base):
    """Help a place needs at one time (調理, 配膳, 見守り, 片付け, 送迎), how many people, seats taken."""

    __tablename__ = "place_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("community_places.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(20))
    needed: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The day before: those coming are reminded, and a shift still short reaches the coordinators, once.
    day_before_at: Mapped[datetime | None]
    # When fitting supporters and やってみたい offers were invited (once, by the worker).
    invited_at: Mapped[datetime | None]


class ShiftSignup(Base):
    """One person coming to a shift (cancelled_at set when they cancel; a new sign-up clears it)."""

    __tablename__ = "shift_signups"
    __table_args__ = (UniqueConstraint("shift_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("place_shifts.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]


class ShiftInvite(Base):
    """One person invited to a shift (a supporter or a やってみたい that fits), and their answer.

    Invitations count against the weekly ask cap like request cards (db/members.py `asks_since`).
    """

    __tablename__ = "shift_invites"
    __table_args__ = (UniqueConstraint("shift_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("place_shifts.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answer: Mapped[str] = mapped_column(String(10), default="")  # "", "joined" or "passed"
    answered_at: Mapped[datetime | None]


class PlaceNeed(Base):
    """What a place needs in one week (food kinds: 野菜, 米, 調味料…); food offers are pointed to it."""

    __tablename__ = "place_needs"
    __table_args__ = (UniqueConstraint("place_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("community_places.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date, index=True)  # the Monday, local time
    foods: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Master(Base):
    """A 名人・達人: someone who can teach or show something (しめ縄づくり, 着付け…), where and how often.

    Their name and home stay hidden from residents until they agree to talk (MasterAsk).
    """

    __tablename__ = "masters"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(40))
    where_text: Mapped[str] = mapped_column(String(100), default="")
    how_often: Mapped[str] = mapped_column(String(60), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()


class MasterAsk(Base):
    """A resident asked to hear from a master: asked → agreed (names are passed on) or passed."""

    __tablename__ = "master_asks"
    __table_args__ = (UniqueConstraint("master_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    master_id: Mapped[int] = mapped_column(ForeignKey("masters.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="asked")
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]


class MasterClass(Base):
    """A class a master opens: when, where, how many seats; seats are taken in db/lifecycle.py."""

    __tablename__ = "master_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    master_id: Mapped[int] = mapped_column(ForeignKey("masters.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place_id: Mapped[int | None] = mapped_column(ForeignKey("community_places.id", ondelete="SET NULL"))
    place_text: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    # Each worker step runs once, claimed by a conditional update: invitations, the two reminders.
    invited_at: Mapped[datetime | None]
    remind_eve_at: Mapped[datetime | None]
    remind_hour_at: Mapped[datetime | None]


class ClassSeat(Base):
    """One person's place in a class: "seat", "waiting" (in created_at order) or "cancelled"."""

    __tablename__ = "class_seats"
    __table_args__ = (UniqueConstraint("class_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("master_classes.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassInvite(Base):
    """Someone whose やってみたい fits a new class was invited; counts against the weekly ask cap."""

    __tablename__ = "class_invites"
    __table_args__ = (UniqueConstraint("class_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("master_classes.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
