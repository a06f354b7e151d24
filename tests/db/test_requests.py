"""db/requests.py: what a member has going on, read with a session on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from db import requests as request_repo
from db.models import ProposalStatus, RequestStatus
from tests.db.repo import NOW, ask, member, request


def test_accepted_by_lists_a_supporters_matched_requests_soonest_first(session: Session) -> None:
    resident, sato, other = member(session, "resident"), member(session, "sato"), member(session, "other")
    later = request(
        session, resident, RequestStatus.MATCHED, supporter=sato, wanted_at=NOW + timedelta(days=2)
    )
    anytime = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    sooner = request(
        session, resident, RequestStatus.MATCHED, supporter=sato, wanted_at=NOW + timedelta(days=1)
    )
    request(session, resident, RequestStatus.DONE, supporter=sato, wanted_at=NOW)
    request(session, resident, RequestStatus.MATCHED, supporter=other, wanted_at=NOW)
    found = [r.id for r in request_repo.accepted_by(session, sato.id)]
    assert sorted(found) == sorted([sooner.id, later.id, anytime.id])
    assert found.index(sooner.id) < found.index(later.id)


def test_matched_of_and_matched_with_take_the_residents_side_or_either(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    mine = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    request(session, resident, RequestStatus.OPEN)
    theirs = request(session, sato, RequestStatus.MATCHED, supporter=resident)
    assert [r.id for r in request_repo.matched_of(session, resident.id)] == [mine.id]
    assert [r.id for r in request_repo.matched_with(session, resident.id)] == [mine.id, theirs.id]
    assert [r.id for r in request_repo.matched_with(session, sato.id)] == [mine.id, theirs.id]


def test_cards_waiting_are_open_requests_asked_and_not_answered(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    waiting, passed, taken = (request(session, resident, RequestStatus.OPEN) for _ in range(3))
    ask(session, waiting, sato, ProposalStatus.ASKED)
    ask(session, passed, sato, ProposalStatus.PASSED)
    ask(session, taken, sato, ProposalStatus.ASKED)
    taken.status = RequestStatus.MATCHED
    session.flush()
    assert [r.id for r in request_repo.cards_waiting(session, sato.id)] == [waiting.id]


def test_going_on_is_active_of_cards_waiting_and_accepted_by_in_one_read(session: Session) -> None:
    resident, sato, other = member(session, "resident"), member(session, "sato"), member(session, "other")
    # sato as a resident: one open, one matched (to other), one draft and one done that do not count
    own_open = request(session, sato, RequestStatus.OPEN)
    request(session, sato, RequestStatus.DRAFT)
    own_matched = request(session, sato, RequestStatus.MATCHED, supporter=other)
    request(session, sato, RequestStatus.DONE, supporter=other)
    # sato as a supporter: cards asked and not answered, and visits taken (one of them いつでも)
    card, passed = (
        request(session, resident, RequestStatus.OPEN),
        request(session, resident, RequestStatus.OPEN),
    )
    ask(session, card, sato, ProposalStatus.ASKED)
    ask(session, passed, sato, ProposalStatus.PASSED)
    ask(session, own_open, other, ProposalStatus.ASKED)
    later = request(
        session, resident, RequestStatus.MATCHED, supporter=sato, wanted_at=NOW + timedelta(days=2)
    )
    request(session, resident, RequestStatus.MATCHED, supporter=sato)
    request(session, resident, RequestStatus.MATCHED, supporter=sato, wanted_at=NOW + timedelta(days=1))
    session.flush()
    own, cards, accepted = request_repo.going_on(session, sato.id)
    assert [r.id for r in own] == [r.id for r in request_repo.active_of(session, sato.id)]
    assert [r.id for r in own] == [own_open.id, own_matched.id]
    assert [r.id for r in cards] == [r.id for r in request_repo.cards_waiting(session, sato.id)] == [card.id]
    assert [r.id for r in accepted] == [r.id for r in request_repo.accepted_by(session, sato.id)]
    assert later.id in [r.id for r in accepted] and len(accepted) == 3
    assert request_repo.going_on(session, other.id) == ([], [own_open], [own_matched])


def test_since_someone_left_their_cancelled_and_given_back_requests(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    since = NOW - timedelta(days=3)
    old = request(session, resident, RequestStatus.CANCELLED, closed_at=since - timedelta(hours=1))
    new = request(session, resident, RequestStatus.CANCELLED, closed_at=since + timedelta(hours=1))
    draft = request(session, resident, RequestStatus.DRAFT)
    assert [r.id for r in request_repo.cancelled_since(session, resident.id, since)] == [new.id]
    assert old.id not in [r.id for r in request_repo.drafts_of(session, resident.id)]
    assert [r.id for r in request_repo.drafts_of(session, resident.id)] == [draft.id]
    given_back = request(session, resident, RequestStatus.OPEN)
    ask(session, given_back, sato, ProposalStatus.WITHDRAWN, answered_at=since + timedelta(minutes=5))
    before = request(session, resident, RequestStatus.OPEN)
    ask(session, before, sato, ProposalStatus.WITHDRAWN, answered_at=since - timedelta(minutes=5))
    assert [r.id for r in request_repo.given_back_since(session, sato.id, since)] == [given_back.id]


def test_recent_visits_newest_first_done_ones_only_lately(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    cutoff = NOW - timedelta(days=30)
    old_done = request(
        session, resident, RequestStatus.DONE, supporter=sato, closed_at=cutoff - timedelta(days=1)
    )
    done = request(
        session, resident, RequestStatus.DONE, supporter=sato, closed_at=cutoff + timedelta(days=1)
    )
    matched = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    request(session, resident, RequestStatus.OPEN)
    as_resident = request_repo.recent_visits(session, resident.id, cutoff, as_supporter_only=False, limit=10)
    assert [r.id for r in as_resident] == [matched.id, done.id]
    assert old_done.id not in [r.id for r in as_resident]
    assert request_repo.recent_visits(session, resident.id, cutoff, as_supporter_only=True, limit=10) == []
    assert len(request_repo.recent_visits(session, sato.id, cutoff, as_supporter_only=True, limit=1)) == 1


def test_sent_since_counts_requests_opened_in_the_window(session: Session) -> None:
    resident = member(session, "resident")
    request(session, resident, RequestStatus.OPEN, opened_at=NOW - timedelta(hours=2))
    request(session, resident, RequestStatus.CANCELLED, opened_at=NOW - timedelta(hours=30))
    request(session, resident, RequestStatus.DRAFT)
    assert request_repo.sent_since(session, resident.id, NOW - timedelta(days=1)) == 1
    assert request_repo.sent_since(session, resident.id, NOW - timedelta(days=2)) == 2


def test_accepted_visits_by_time_or_by_accept_for_anytime_ones(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    start, end = NOW, NOW + timedelta(days=30)
    timed = request(session, resident, RequestStatus.DONE, supporter=sato, wanted_at=NOW + timedelta(days=3))
    anytime = request(
        session, resident, RequestStatus.MATCHED, supporter=sato, matched_at=NOW + timedelta(days=1)
    )
    request(session, resident, RequestStatus.MATCHED, supporter=sato, wanted_at=NOW - timedelta(days=1))
    request(session, resident, RequestStatus.OPEN, wanted_at=NOW + timedelta(days=2))
    assert {r.id for r in request_repo.accepted_visits(session, start, end)} == {timed.id, anytime.id}


def test_latest_place_is_the_newest_request_that_had_one(session: Session) -> None:
    resident, other = member(session, "resident"), member(session, "other")
    assert request_repo.latest_place(session, resident.id) == (None, None)
    request(session, resident, RequestStatus.DONE, lat=35.1, lon=139.1)
    request(session, resident, RequestStatus.OPEN, lat=35.2, lon=139.2)
    request(session, resident, RequestStatus.OPEN)
    request(session, other, RequestStatus.OPEN, lat=36.0, lon=140.0)
    assert request_repo.latest_place(session, resident.id) == (35.2, 139.2)


def test_active_offers_come_with_their_members(session: Session) -> None:
    sato, blocked = member(session, "sato"), member(session, "blocked")
    blocked.blocked = True
    first = request_repo.add_offer(session, sato, "将棋を教えたい", ["hobby"])
    request_repo.add_offer(session, sato, "もうやめた", ["hobby"]).active = False
    second = request_repo.add_offer(session, blocked, "編み物", [])
    session.flush()
    session.expire_all()
    found = request_repo.active_offers(session)
    assert [o.id for o in found] == [first.id, second.id]
    assert "member" in found[0].__dict__ and found[1].member.display_name == "blocked"


def test_requests_with_their_people(session: Session) -> None:
    sato, resident = member(session, "sato"), member(session, "resident")
    taken = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    waiting = request(session, resident, RequestStatus.OPEN)
    request(session, resident, RequestStatus.OPEN)
    session.expire_all()
    rows = request_repo.with_people(session, [waiting.id, taken.id])
    assert sorted(r.id for r in rows) == [taken.id, waiting.id]
    by_id = {r.id: r for r in rows}
    assert "requester" in by_id[waiting.id].__dict__ and by_id[taken.id].accepted_by is not None
    assert by_id[taken.id].accepted_by.display_name == "sato" and by_id[waiting.id].accepted_by is None
    assert request_repo.with_people(session, []) == []


def test_a_draft_is_written_with_its_time_in_one_insert(session: Session) -> None:
    resident = member(session, "resident")
    session.flush()
    statements: list[str] = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        draft = request_repo.create_draft(
            session, resident, "電球", "repair", wanted_at=NOW + timedelta(days=1), anytime=False
        )
        session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s.split()[0] for s in statements] == ["INSERT"]
    session.expire(draft)
    assert draft.wanted_at == NOW + timedelta(days=1) and draft.status == RequestStatus.DRAFT
