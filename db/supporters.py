"""Supporter records: applying, a coordinator's approval or decline, the agreed rules, insurance years."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import Agreement, Member, SupporterRecord, SupporterStatus


def record_of(session: Session, member: Member) -> SupporterRecord | None:
    return session.get(SupporterRecord, member.id)


def _record(session: Session, member: Member, now: datetime) -> SupporterRecord:
    record = record_of(session, member)
    if record is None:
        record = SupporterRecord(
            member_id=member.id, status=SupporterStatus.APPLICANT, applied_at=now, met_how="", note=""
        )
        session.add(record)
    return record


def apply(session: Session, member: Member, now: datetime, *, vetting: bool) -> tuple[SupporterRecord, bool]:
    """Someone registered in chat: an applicant while vetting is on, otherwise approved at once.

    Returns the record and whether this is a new application (coordinators are told of those only):
    changing an approved registration keeps it approved, and someone once declined applies afresh.
    """
    record = record_of(session, member)
    new = record is None
    if record is None:
        record = _record(session, member, now)
        if member.is_supporter:  # a supporter from before records existed: trusted already
            _decide(record, member, SupporterStatus.APPROVED, now, by="existing supporter")
    if record.status == SupporterStatus.APPROVED:
        member.is_supporter = True
        return record, False
    if not vetting:
        _decide(record, member, SupporterStatus.APPROVED, now, by="auto (OTAGAI_VETTING=off)")
        return record, False
    if record.status == SupporterStatus.DECLINED:
        record.status, record.applied_at, record.decided_at, record.decided_by = (
            SupporterStatus.APPLICANT,
            now,
            None,
            "",
        )
        new = True
    member.is_supporter = False
    return record, new


def approve(
    session: Session,
    member: Member,
    now: datetime,
    *,
    by: str,
    met_on: date | None = None,
    met_how: str = "",
    note: str = "",
) -> SupporterRecord:
    """A coordinator met them (interview or briefing) and lets them be asked from now on."""
    return _after_meeting(session, member, now, SupporterStatus.APPROVED, by, met_on, met_how, note)


def decline(
    session: Session,
    member: Member,
    now: datetime,
    *,
    by: str,
    met_on: date | None = None,
    met_how: str = "",
    note: str = "",
) -> SupporterRecord:
    """A coordinator met them and decided they will not be asked."""
    return _after_meeting(session, member, now, SupporterStatus.DECLINED, by, met_on, met_how, note)


def _after_meeting(
    session: Session,
    member: Member,
    now: datetime,
    status: SupporterStatus,
    by: str,
    met_on: date | None,
    met_how: str,
    note: str,
) -> SupporterRecord:
    record = _record(session, member, now)
    _met(record, met_on, met_how, note)
    _decide(record, member, status, now, by=by)
    return record


def record_meeting(
    session: Session, member: Member, now: datetime, *, met_on: date, met_how: str, note: str = ""
) -> SupporterRecord:
    """The interview or briefing, without deciding yet."""
    record = _record(session, member, now)
    _met(record, met_on, met_how, note)
    return record


def _met(record: SupporterRecord, met_on: date | None, met_how: str, note: str) -> None:
    if met_on is not None:
        record.met_on = met_on
    if met_how:
        record.met_how = met_how
    if note:
        record.note = note


def _decide(
    record: SupporterRecord, member: Member, status: SupporterStatus, now: datetime, *, by: str
) -> None:
    record.status, record.decided_at, record.decided_by = status, now, by[:100]
    member.is_supporter = status == SupporterStatus.APPROVED
    if member.is_supporter:
        member.paused = False


def listing(session: Session, status: SupporterStatus | None = None) -> Sequence[SupporterRecord]:
    """Supporter records with their members, applicants oldest first (who has waited longest)."""
    query = (
        select(SupporterRecord)
        .join(Member, Member.id == SupporterRecord.member_id)
        .options(selectinload(SupporterRecord.member).selectinload(Member.skills))
        .order_by(SupporterRecord.applied_at, SupporterRecord.member_id)
    )
    if status is not None:
        query = query.where(SupporterRecord.status == status)
    return session.scalars(query).all()


# --- the scheme's rules and confidentiality text -------------------------------------------------


def latest_agreement(session: Session) -> Agreement | None:
    return session.scalar(select(Agreement).order_by(Agreement.version.desc()).limit(1))


def add_agreement(session: Session, body: str, now: datetime, *, by: str, first_version: int) -> Agreement:
    """A new version of the rules; everyone is asked to agree again at their next accept."""
    highest = session.scalar(select(func.max(Agreement.version)))
    agreement = Agreement(
        version=max(highest or 0, first_version - 1) + 1, body=body, created_at=now, created_by=by[:100]
    )
    session.add(agreement)
    session.flush()
    return agreement


def record_agreement(session: Session, member: Member, version: int, now: datetime) -> None:
    record = _record(session, member, now)
    record.agreement_version, record.agreed_at = version, now


# --- volunteer insurance -------------------------------------------------------------------------


def insurance_year(day: date) -> int:
    """Japanese volunteer insurance runs 1 April to 31 March: 2027-03-31 is in the year 2026."""
    return day.year if day.month >= 4 else day.year - 1


def set_insurance(session: Session, member: Member, year: int | None, now: datetime, note: str = "") -> None:
    record = _record(session, member, now)
    record.insured_year = year
    if note:
        record.insurance_note = note[:100]


def is_insured(record: SupporterRecord | None, day: date) -> bool:
    return record is not None and record.insured_year == insurance_year(day)


def renewal_due(session: Session, year: int) -> Sequence[SupporterRecord]:
    """Approved supporters insured for `year`, reachable in LINE, not yet reminded to renew this year."""
    return session.scalars(
        select(SupporterRecord)
        .join(Member, Member.id == SupporterRecord.member_id)
        .where(
            SupporterRecord.status == SupporterStatus.APPROVED,
            SupporterRecord.insured_year == year,
            or_(
                SupporterRecord.renewal_reminded_year.is_(None), SupporterRecord.renewal_reminded_year < year
            ),
            Member.active.is_(True),
            Member.line_user_id.is_not(None),
        )
        .options(selectinload(SupporterRecord.member))
    ).all()
