"""db/shifts.py: coming shifts and who signed up, on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from db import shifts as shift_repo
from db.models import CommunityPlace, PlaceShift, ShiftSignup
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
