"""db/members.py: never asked again, and who is a coordinator, on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import members as member_repo
from db.models import MatchExclusion, Member
from tests.db.repo import NOW, member


def test_exclude_is_kept_once_however_often_it_is_tapped(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    member_repo.exclude(session, sato.id, resident.id, NOW)
    member_repo.exclude(session, sato.id, resident.id, NOW + timedelta(minutes=1))
    assert member_repo.declined_by(session, resident.id) == {sato.id}
    assert len(session.scalars(select(MatchExclusion)).all()) == 1


def test_all_coordinators_are_every_marked_member_reachable_or_not(session: Session) -> None:
    gone, resident, kept = member(session, "gone"), member(session, "resident"), member(session, "kept")
    gone.is_coordinator, gone.active, kept.is_coordinator = True, False, True
    session.flush()
    assert list(member_repo.all_coordinators(session)) == [gone, kept]
    assert list(member_repo.coordinators(session)) == [kept]
    assert resident.id


def _staff(session: Session) -> tuple[Member, ...]:
    suzuki, gone, ando, off_line, plain = (
        member(session, n) for n in ("suzuki", "gone", "ando", "offline", "plain")
    )
    for person in (suzuki, gone, ando, off_line):
        person.is_coordinator = person.is_supporter = True
    gone.active, off_line.line_user_id = False, None
    ando.blocked = True
    session.flush()
    return suzuki, gone, ando, off_line, plain


def test_coordinators_by_name_are_the_reachable_ones(session: Session) -> None:
    suzuki, _gone, ando, _off_line, _plain = _staff(session)
    assert [m.id for m in member_repo.coordinators_by_name(session)] == [ando.id, suzuki.id]


def test_supporters_by_name_are_all_of_them_with_skills(session: Session) -> None:
    plain = _staff(session)[-1]
    session.expire_all()
    found = member_repo.supporters_by_name(session)
    assert [m.display_name for m in found] == ["ando", "gone", "offline", "suzuki"]
    assert all("skills" in m.__dict__ for m in found) and plain.id not in {m.id for m in found}


def test_off_line_named_finds_only_people_without_line(session: Session) -> None:
    on_line, off_line = member(session, "tanaka"), member(session, "tanaka2")
    off_line.display_name, off_line.line_user_id = "tanaka", None
    session.flush()
    assert member_repo.off_line_named(session, "tanaka") is off_line
    off_line.line_user_id = "U" + "1" * 32
    session.flush()
    assert member_repo.off_line_named(session, "tanaka") is None and on_line.line_user_id


def test_name_if_unknown_fills_only_an_empty_name(session: Session) -> None:
    nameless, named = member(session, "nameless"), member(session, "named")
    nameless.display_name = ""
    session.flush()
    for person in (nameless, named):
        assert person.line_user_id is not None
        member_repo.name_if_unknown(session, person.line_user_id, "さとう")
    session.expire_all()
    assert (nameless.display_name, named.display_name) == ("さとう", "named")
