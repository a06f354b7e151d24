"""Small repository functions on a real database: check-ins asked, insurance renewals due, one flow's
conversations, never asked again, a departed supporter's cards passed, a request's follow-ups still to
go, every coordinator, and every food offer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import conversations, lifecycle, places, supporters
from db import followups as followup_repo
from db import members as member_repo
from db.models import (
    FollowUp,
    FollowUpKind,
    FollowUpState,
    FoodGift,
    MatchExclusion,
    Proposal,
    ProposalStatus,
    RequestStatus,
    SupporterRecord,
    SupporterStatus,
)
from tests.db.repo import NOW, ask, member, request


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


def test_renewal_due_is_the_insured_approved_reachable_and_not_yet_reminded(session: Session) -> None:
    people = {name: member(session, name) for name in ("due", "reminded", "other_year", "applicant", "gone")}
    people["gone"].active = False
    for name, person in people.items():
        session.add(
            SupporterRecord(
                member_id=person.id,
                status=SupporterStatus.APPLICANT if name == "applicant" else SupporterStatus.APPROVED,
                applied_at=NOW,
                insured_year=2025 if name == "other_year" else 2026,
                renewal_reminded_year=2026 if name == "reminded" else 2025,
            )
        )
    session.flush()
    assert [r.member_id for r in supporters.renewal_due(session, 2026)] == [people["due"].id]


def test_in_flow_finds_every_conversation_of_one_flow(session: Session) -> None:
    a, b, c = member(session, "a"), member(session, "b"), member(session, "c")
    conversations.set_state(session, a.id, "relay", "talking", {"request_id": 1}, now=NOW)
    conversations.set_state(session, b.id, "relay", "talking", {"request_id": 2}, now=NOW)
    conversations.set_state(session, c.id, "request", "place", {}, now=NOW)
    session.flush()
    assert sorted(s.member_id for s in conversations.in_flow(session, "relay")) == [a.id, b.id]


def test_exclude_is_kept_once_however_often_it_is_tapped(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    member_repo.exclude(session, sato.id, resident.id, NOW)
    member_repo.exclude(session, sato.id, resident.id, NOW + timedelta(minutes=1))
    assert member_repo.declined_by(session, resident.id) == {sato.id}
    assert len(session.scalars(select(MatchExclusion)).all()) == 1


def test_pass_all_asked_passes_only_that_supporters_open_cards(session: Session) -> None:
    resident, sato, suzuki = member(session, "resident"), member(session, "sato"), member(session, "suzuki")
    one, two = request(session, resident, RequestStatus.OPEN), request(session, resident, RequestStatus.OPEN)
    ask(session, one, sato, ProposalStatus.ASKED)
    ask(session, two, sato, ProposalStatus.ACCEPTED)
    ask(session, one, suzuki, ProposalStatus.ASKED)
    lifecycle.pass_all_asked(session, sato.id, NOW)
    states = {
        (p.supporter_id, p.request_id): (p.status, p.answered_at)
        for p in session.scalars(select(Proposal).execution_options(populate_existing=True))
    }
    assert states[(sato.id, one.id)][0] == ProposalStatus.PASSED and states[(sato.id, one.id)][1] is not None
    assert states[(sato.id, two.id)][0] == ProposalStatus.ACCEPTED
    assert states[(suzuki.id, one.id)] == (ProposalStatus.ASKED, None)


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


def test_all_coordinators_are_every_marked_member_reachable_or_not(session: Session) -> None:
    gone, resident, kept = member(session, "gone"), member(session, "resident"), member(session, "kept")
    gone.is_coordinator, gone.active, kept.is_coordinator = True, False, True
    session.flush()
    assert list(member_repo.all_coordinators(session)) == [gone, kept]
    assert list(member_repo.coordinators(session)) == [kept]
    assert resident.id


def test_all_gifts_keeps_those_passed_on_and_waiting_gifts_does_not(session: Session) -> None:
    giver = member(session, "giver")
    passed = FoodGift(member_id=giver.id, text="野菜", foods=["野菜"], passed_on_at=NOW)
    waiting = FoodGift(member_id=giver.id, text="お米", foods=["お米"])
    session.add_all([passed, waiting])
    session.flush()
    assert places.all_gifts(session) == [passed, waiting]
    assert places.waiting_gifts(session) == [waiting]
