"""db/shifts.py: coming shifts and who signed up, on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from db import shifts as shift_repo
from db.models import CommunityPlace, PlaceShift, ShiftInvite, ShiftSignup
from tests.db.repo import NOW, member


def _shift(session: Session, place: CommunityPlace, hours: float, **values: object) -> PlaceShift:
    start = NOW + timedelta(hours=hours)
    shift = PlaceShift(
        place_id=place.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        role="調理",
        needed=2,
        **values,
    )
    session.add(shift)
    session.flush()
    return shift


def test_coming_shifts_and_sign_ups(session: Session) -> None:
    place = CommunityPlace(kind="kodomo", name="太子堂こども食堂", lat=35.64, lon=139.66)
    session.add(place)
    session.flush()
    past, soon, later, far = (_shift(session, place, h) for h in (-3, 5, 30, 24 * 40))
    assert [s.id for s in shift_repo.starting_between(session, NOW, NOW + timedelta(days=30), 10)] == [
        soon.id,
        later.id,
    ]
    assert [s.id for s in shift_repo.starting_between(session, NOW, NOW + timedelta(days=30), 1)] == [soon.id]
    sato, gone, left = member(session, "sato"), member(session, "gone"), member(session, "left")
    gone.active = False
    session.add_all(
        [
            ShiftSignup(shift_id=soon.id, member_id=sato.id),
            ShiftSignup(shift_id=later.id, member_id=sato.id, cancelled_at=NOW),
            ShiftSignup(shift_id=soon.id, member_id=gone.id),
            ShiftSignup(shift_id=soon.id, member_id=left.id, cancelled_at=NOW),
        ]
    )
    session.flush()
    assert shift_repo.joined_by(session, sato.id) == {soon.id}
    assert shift_repo.is_joined(session, soon.id, sato.id) and not shift_repo.is_joined(
        session, later.id, sato.id
    )
    assert list(shift_repo.coming_line_ids(session, soon.id)) == [sato.line_user_id]
    due = shift_repo.due_day_before(session, NOW, NOW + timedelta(days=1))
    assert [s.id for s in due] == [soon.id]
    soon.day_before_at = NOW
    session.flush()
    assert shift_repo.due_day_before(session, NOW, NOW + timedelta(days=1)) == []
    assert past.id and far.id


def test_who_is_coming_and_who_was_invited(session: Session) -> None:
    place = CommunityPlace(kind="kodomo", name="太子堂こども食堂", lat=35.64, lon=139.66)
    session.add(place)
    session.flush()
    past, soon, asked = _shift(session, place, -3), _shift(session, place, 5), _shift(session, place, 8)
    asked.invited_at = NOW
    assert [s.id for s in shift_repo.to_invite(session, NOW)] == [soon.id]
    late, early, left, nameless = (member(session, n) for n in ("late", "early", "left", "nameless"))
    nameless.display_name = ""
    session.add_all(
        [
            ShiftSignup(shift_id=soon.id, member_id=late.id, created_at=NOW),
            ShiftSignup(shift_id=soon.id, member_id=early.id, created_at=NOW - timedelta(hours=1)),
            ShiftSignup(shift_id=soon.id, member_id=left.id, created_at=NOW, cancelled_at=NOW),
            ShiftSignup(shift_id=soon.id, member_id=nameless.id, created_at=NOW + timedelta(hours=1)),
            ShiftInvite(shift_id=soon.id, member_id=late.id, asked_at=NOW),
            ShiftInvite(shift_id=soon.id, member_id=left.id, asked_at=NOW),
        ]
    )
    session.flush()
    assert shift_repo.coming_names(session, soon.id) == ["early", "late", ""]
    assert shift_repo.signed_up_ids(session, soon.id) == {early.id, late.id, nameless.id}
    assert shift_repo.invited_ids(session, soon.id) == {late.id, left.id}
    invite = shift_repo.invite_of(session, soon.id, late.id)
    assert invite is not None and invite.member_id == late.id
    assert shift_repo.invite_of(session, soon.id, early.id) is None
    assert shift_repo.invite_of(session, asked.id, late.id) is None
    assert past.id


def test_all_shifts_or_those_still_to_end(session: Session) -> None:
    place = CommunityPlace(kind="kodomo", name="太子堂こども食堂", lat=35.64, lon=139.66)
    session.add(place)
    session.flush()
    later, past, ongoing = _shift(session, place, 30), _shift(session, place, -5), _shift(session, place, -1)
    assert list(shift_repo.all_shifts(session)) == [past, ongoing, later]
    assert list(shift_repo.all_shifts(session, ending_after=NOW)) == [ongoing, later]
