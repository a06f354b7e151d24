"""Retention of personal data: members who left, closed requests, relay photos (counted in each pass)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from bot.jobs.retention import Retention, RetentionReport
from db.models import HelpRequest, Member, RelayMedia, RequestStatus
from db.reports import month_report
from handlers.settings import Settings
from tests.handlers.cycle import matched
from tests.handlers.dialogue import (
    NEAR,
    RESIDENT_ADDRESS,
    RESIDENT_HOME,
    register_supporter,
    submit_request,
    tap_label,
)
from tests.privacy_scan import leftovers
from tests.support import Chat, FakeClock

SATO_HOME = "東京都世田谷区桜3丁目5-8 サトウハイツ"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(public_url="https://otagai.example.org")


def _retention(app: Flask, clock: FakeClock, *, dry_run: bool = False) -> RetentionReport:
    processor = app.extensions["otagai.processor"]
    return Retention(processor.session_factory, settings=processor.settings).run(clock(), dry_run=dry_run)


def _member(db_session: Session, member_id: int) -> Member:
    db_session.expire_all()
    member = db_session.get(Member, member_id)
    assert member is not None
    return member


def _id_of(db_session: Session, user: str) -> int:
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    return member.id


def test_after_unfollow_offers_stop_at_once_and_data_goes_30_days_later(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換や棚の修理", NEAR, address=SATO_HOME)
    chat.say(sato, "子ども食堂で料理を手伝ってみたい")
    sato_id = _id_of(db_session, sato)
    chat.send(ev.unfollow_event(sato))
    other = chat.user("ito", "伊藤")
    chat.follow(other)
    assert "手伝ってみたい" not in "\n".join(chat.say(other, "子ども食堂で料理を作ってみたい"))
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れて替えられない")
    assert all("お手伝いのお願い" not in t for t in chat.new_texts(sato))  # no longer available

    clock.advance(days=29)
    assert _retention(app, clock).members == 0
    clock.advance(days=1, minutes=1)
    assert _retention(app, clock, dry_run=True).members == 1
    assert _retention(app, clock).members == 1
    needles = ["佐藤一郎", sato, SATO_HOME, "電球の交換や棚の修理", "子ども食堂で料理を手伝ってみたい"]
    assert leftovers(db_session, needles, NEAR) == []
    assert _member(db_session, sato_id).erased_at is not None
    assert _retention(app, clock).members == 0


def test_coming_back_before_the_erasure_keeps_everything(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    sato_id = _id_of(db_session, sato)
    chat.send(ev.unfollow_event(sato))
    clock.advance(days=20)
    chat.send(ev.follow_event(sato, chat.token(sato), unblocked=True))
    clock.advance(days=20)
    assert _retention(app, clock).members == 0
    member = _member(db_session, sato_id)
    assert member.display_name == "佐藤一郎" and member.is_supporter and member.left_at is None


def test_closed_requests_lose_words_and_place_after_180_days_but_still_count(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "電球が切れて替えられない")
    chat.say(resident, "自分の依頼")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None
    assert tap_label(chat, resident, "取り消す") == ["【電球・修理】の依頼を、取り消しますか？"]
    tap_label(chat, resident, "取り消す")
    clock.advance(days=179)
    assert _retention(app, clock).requests == 0
    clock.advance(days=1, minutes=1)
    assert _retention(app, clock, dry_run=True).requests == 1
    assert _retention(app, clock).requests == 1
    db_session.expire_all()
    request = db_session.get(HelpRequest, request.id)
    assert request is not None
    assert (request.text, request.address, request.lat, request.lon) == ("", None, None, None)
    assert request.status == RequestStatus.CANCELLED and request.category == "repair"
    # Only the member's own remembered home stays (theirs to erase with 退会); no request holds a place.
    found = leftovers(db_session, ["電球が切れて替えられない", RESIDENT_ADDRESS], RESIDENT_HOME)
    assert {where.split(".")[0] for where, _, _ in found} == {"members"}
    report = month_report(db_session, "2026-11", ZoneInfo("Asia/Tokyo"))
    assert report.by_status == {"cancelled": 1}
    assert _retention(app, clock).requests == 0


def test_relay_photo_rows_go_after_14_days(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    photo = ev.image_event(match.resident, chat.token(match.resident))
    chat.stub.add_content(photo["message"]["id"], b"\xff\xd8jpeg", "image/jpeg")
    chat.send(photo)
    assert db_session.scalar(select(RelayMedia)) is not None
    clock.advance(days=13)
    assert _retention(app, clock).photos == 0
    clock.advance(days=1, minutes=1)
    report = _retention(app, clock)
    assert report.photos == 1 and "1 relay photos deleted" in report.summary()
    db_session.expire_all()
    assert db_session.scalar(select(RelayMedia)) is None


def test_retention_summary_counts_each_kind(app: Flask, clock: FakeClock) -> None:
    assert _retention(app, clock).summary() == (
        "retention: 0 processed events, 0 outbound messages deleted; 0 message bodies erased; "
        "0 departed members erased; 0 closed requests anonymised; 0 relay photos deleted"
    )
