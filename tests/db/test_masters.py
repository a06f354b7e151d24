"""db/masters.py: masters, their asks and classes, and who sits in a class, on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from db import masters as master_repo
from db.models import ClassSeat, Master, MasterAsk, MasterClass, Member
from tests.db.repo import NOW, member


def _master(session: Session, person: Member, skill: str, **values: object) -> Master:
    master = Master(member_id=person.id, skill=skill, **values)
    session.add(master)
    session.flush()
    return master


def _class(session: Session, master: Master, hours: float, **values: object) -> MasterClass:
    start = NOW + timedelta(hours=hours)
    lesson = MasterClass(
        master_id=master.id,
        title=master.skill,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=3,
    )
    for key, value in values.items():
        setattr(lesson, key, value)
    session.add(lesson)
    session.flush()
    return lesson


def test_who_teaches(session: Session) -> None:
    watanabe, gone, blocked, resident = (member(session, n) for n in ("watanabe", "gone", "blocked", "res"))
    gone.active, blocked.blocked = False, True
    rope = _master(session, watanabe, "しめ縄づくり")
    old = _master(session, watanabe, "竹細工", active=False)
    knit = _master(session, watanabe, "編み物")
    _master(session, gone, "将棋")
    _master(session, blocked, "囲碁")
    assert [m.id for m in master_repo.active_masters(session)] == [rope.id, knit.id]
    assert [m.id for m in master_repo.masters_of(session, watanabe.id)] == [rope.id, knit.id]
    assert master_repo.is_master(session, watanabe.id) and not master_repo.is_master(session, resident.id)
    assert old.id and master_repo.ask_of(session, rope.id, resident.id) is None
    ask = MasterAsk(master_id=rope.id, member_id=resident.id, asked_at=NOW)
    session.add(ask)
    session.flush()
    assert master_repo.ask_of(session, rope.id, resident.id) is ask
    assert master_repo.ask_of(session, knit.id, resident.id) is None


def test_coming_classes(session: Session) -> None:
    watanabe, other = member(session, "watanabe"), member(session, "other")
    rope, go = _master(session, watanabe, "しめ縄づくり"), _master(session, other, "囲碁")
    past = _class(session, rope, -3)
    soon = _class(session, rope, 5)
    cancelled = _class(session, rope, 3, cancelled_at=NOW)
    later = _class(session, go, 30, invited_at=NOW)
    far = _class(session, rope, 24 * 70)
    assert master_repo.next_class(session, rope.id, NOW) is soon
    assert master_repo.next_class(session, go.id, NOW + timedelta(days=2)) is None
    window = NOW + timedelta(days=60)
    assert master_repo.classes_starting_between(session, NOW, window, 10) == [soon, later]
    assert master_repo.classes_starting_between(session, NOW, window, 1) == [soon]
    assert master_repo.classes_starting_between(session, NOW, window, 10, master_id=go.id) == [later]
    assert {c.id for c in master_repo.classes_to_invite(session, NOW)} == {soon.id, far.id}
    assert {c.id for c in master_repo.classes_starting_by(session, NOW, NOW + timedelta(days=2))} == {
        soon.id,
        later.id,
    }
    assert past.id and cancelled.id


def test_who_is_in_a_class(session: Session) -> None:
    watanabe = member(session, "watanabe")
    lesson = _class(session, _master(session, watanabe, "しめ縄づくり"), 5)
    first, second, waits, outsider = (member(session, n) for n in ("first", "second", "waits", "out"))
    session.add_all(
        [
            ClassSeat(class_id=lesson.id, member_id=second.id, status="seat", created_at=NOW),
            ClassSeat(
                class_id=lesson.id, member_id=first.id, status="seat", created_at=NOW - timedelta(hours=1)
            ),
            ClassSeat(class_id=lesson.id, member_id=waits.id, status="waiting", created_at=NOW),
        ]
    )
    session.flush()
    assert master_repo.in_class(session, lesson.id) == [first, second]
    assert master_repo.in_class(session, lesson.id, "waiting") == [waits]
    assert master_repo.waiting_count(session, lesson.id) == 1
    assert master_repo.seat_status(session, lesson.id, first.id) == "seat"
    assert master_repo.seat_status(session, lesson.id, waits.id) == "waiting"
    assert master_repo.seat_status(session, lesson.id, outsider.id) is None
    assert master_repo.class_member_ids(session, lesson.id) == {first.id, second.id, waits.id}


def test_what_the_desk_lists(session: Session) -> None:
    watanabe, blocked, resident = (member(session, n) for n in ("watanabe", "blocked", "res"))
    blocked.blocked = True
    rope = _master(session, watanabe, "しめ縄づくり")
    _master(session, watanabe, "竹細工", active=False)
    go = _master(session, blocked, "囲碁")
    assert master_repo.teaching(session) == [rope, go]
    session.add_all(
        [
            MasterAsk(master_id=rope.id, member_id=resident.id, asked_at=NOW),
            MasterAsk(master_id=rope.id, member_id=blocked.id, asked_at=NOW, status="agreed"),
        ]
    )
    session.flush()
    assert sorted(master_repo.ask_statuses(session, rope.id)) == ["agreed", "asked"]
    assert master_repo.ask_statuses(session, go.id) == []
    under_way = _class(session, rope, -1)
    _class(session, rope, -3)
    later = _class(session, go, 30)
    soon = _class(session, rope, 5)
    _class(session, go, 2, cancelled_at=NOW)
    assert master_repo.classes_ending_after(session, NOW) == [under_way, soon, later]
