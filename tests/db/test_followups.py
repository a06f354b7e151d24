"""db/followups.py: whether a check-in was asked, and a request's follow-ups still to go (real database)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from db import followups as followup_repo
from db.models import FollowUp, FollowUpKind, FollowUpState, RequestStatus
from tests.db.repo import NOW, member, request


def test_checkin_answered_since_needs_a_done_checkin_to_that_member_after_the_accept(
    session: Session,
) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    row = request(session, resident, RequestStatus.MATCHED, supporter=sato, matched_at=NOW)

    def checkin(member_id: int, state: FollowUpState, done_at: object) -> None:
        session.add(
            FollowUp(
                request_id=row.id,
                kind=FollowUpKind.CHECKIN,
                member_id=member_id,
                due_at=NOW,
                state=state,
                done_at=done_at,
            )
        )
        session.flush()

    checkin(sato.id, FollowUpState.DONE, NOW - timedelta(hours=1))  # before this accept
    checkin(resident.id, FollowUpState.DONE, NOW + timedelta(hours=1))  # someone else
    checkin(sato.id, FollowUpState.PENDING, None)
    assert not followup_repo.checkin_answered_since(session, row.id, sato.id, NOW)
    checkin(sato.id, FollowUpState.DONE, NOW + timedelta(hours=2))
    assert followup_repo.checkin_answered_since(session, row.id, sato.id, NOW)


def test_pending_of_is_the_requests_followups_still_to_go_soonest_first(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    row = request(session, resident, RequestStatus.MATCHED, supporter=sato, matched_at=NOW)
    other = request(session, resident, RequestStatus.MATCHED, supporter=sato, matched_at=NOW)

    def followup(request_id: int, kind: FollowUpKind, hours: int, state: FollowUpState) -> FollowUp:
        row = FollowUp(
            request_id=request_id,
            kind=kind,
            member_id=sato.id,
            due_at=NOW + timedelta(hours=hours),
            state=state,
        )
        session.add(row)
        session.flush()
        return row

    later = followup(row.id, FollowUpKind.CHECKIN, 5, FollowUpState.PENDING)
    sooner = followup(row.id, FollowUpKind.REMIND_HOUR, 1, FollowUpState.PENDING)
    followup(row.id, FollowUpKind.REMIND_EVE, 0, FollowUpState.DONE)
    followup(other.id, FollowUpKind.CHECKIN, 2, FollowUpState.PENDING)
    assert list(followup_repo.pending_of(session, row.id)) == [sooner, later]


def _followups(session: Session) -> tuple[int, list[FollowUp]]:
    """A matched request's follow-ups (late, done, skipped, soon) and one of another request."""
    resident, sato = member(session, "resident"), member(session, "sato")
    row = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    other = request(session, resident, RequestStatus.OPEN)
    made = [
        FollowUp(request_id=of, kind=FollowUpKind.REMIND_HOUR, due_at=NOW + timedelta(hours=h), state=state)
        for of, h, state in (
            (row.id, 5, FollowUpState.PENDING),
            (row.id, -2, FollowUpState.DONE),
            (row.id, -5, FollowUpState.SKIPPED),
            (row.id, 1, FollowUpState.PENDING),
            (other.id, 0, FollowUpState.PENDING),
        )
    ]
    session.add_all(made)
    session.flush()
    return row.id, made


def test_by_ids_in_id_order(session: Session) -> None:
    late, _done, _skipped, soon, elsewhere = _followups(session)[1]
    assert followup_repo.by_ids(session, [soon.id, elsewhere.id, late.id]) == [late, soon, elsewhere]
    assert followup_repo.by_ids(session, []) == []


def test_of_request_in_these_states_by_due_time(session: Session) -> None:
    request_id, (late, done, skipped, soon, _elsewhere) = _followups(session)
    assert followup_repo.of_request(session, request_id, (FollowUpState.PENDING,)) == [soon, late]
    assert followup_repo.of_request(session, request_id, (FollowUpState.DONE, FollowUpState.SKIPPED)) == [
        skipped,
        done,
    ]
