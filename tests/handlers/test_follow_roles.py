"""Someone registered before they add the bot (a roster supporter, a coordinator) is greeted in that role."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Member
from tests.support import Chat


def _registered(db_session: Session, chat: Chat, key: str, name: str, **role: bool) -> str:
    user_id = chat.user(key, name)
    db_session.add(Member(line_user_id=user_id, display_name=name, **role))
    db_session.commit()
    return user_id


def test_a_roster_supporter_is_greeted_as_a_supporter(chat: Chat, db_session: Session) -> None:
    supporter = _registered(db_session, chat, "sato", "佐藤健一", is_supporter=True)

    greeting = chat.follow(supporter)

    assert greeting[0].startswith("佐藤健一さん、はじめまして。")
    assert "サポーターとして登録されています" in greeting[0]
    assert "困りごと" not in greeting[0]


def test_a_coordinator_is_greeted_as_a_coordinator(chat: Chat, db_session: Session) -> None:
    coordinator = _registered(db_session, chat, "ito", "伊藤和子", is_coordinator=True, is_supporter=True)

    greeting = chat.follow(coordinator)

    assert "コーディネーターとして登録されています" in greeting[0]
    assert "要対応の一覧" in greeting[0]


def test_a_new_resident_is_still_asked_for_a_trouble(chat: Chat) -> None:
    resident = chat.user("yamada", "山田花子")

    assert "困りごと" in chat.follow(resident)[0]
