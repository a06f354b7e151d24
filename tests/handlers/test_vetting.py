"""Vetting: who registers in chat is an applicant, never asked, until a coordinator approves them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import Member, Proposal, SupporterRecord, SupporterStatus, TicketEntry
from handlers.settings import Settings
from tests.handlers.cycle import at, make_coordinator
from tests.handlers.dialogue import NEAR, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(vetting=True)


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def deliver_pushes_from_commands(app: Flask) -> None:
    """The worker's delivery, after the wall-clock time the command queued its push (and in daytime)."""
    tomorrow_noon = (datetime.now(ZoneInfo("Asia/Tokyo")) + timedelta(days=1)).replace(hour=12)
    app.extensions["otagai.processor"].deliverer.deliver_due(tomorrow_noon.astimezone(UTC))


def record_of(db_session: Session, user_id: str) -> tuple[Member, SupporterRecord]:
    db_session.expire_all()
    member = db_session.scalar(select(Member).where(Member.line_user_id == user_id))
    assert member is not None
    record = db_session.get(SupporterRecord, member.id)
    assert record is not None
    return member, record


def test_an_applicant_is_told_what_happens_next_and_is_never_sent_a_card(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    sato = chat.user("sato", "佐藤一郎")
    chat.say(sato, "サポーターになる")
    chat.say(sato, "電球の交換")
    tap_label(chat, sato, "次へ")
    chat.location(sato, *NEAR, address="東京都世田谷区世田谷1丁目")
    tap_label(chat, sato, "3km")
    tap_label(chat, sato, "登録する")
    assert tap_label(chat, sato, "同意する") == [
        "お申し込みを受け付けました。ありがとうございます！\n"
        "このあと、コーディネーターから連絡して、お話（面談）をします。\n"
        "面談が終わったら、近くの困りごとをお知らせするようになります。"
    ]
    at(app, clock, clock.now)  # the worker's sweep: a loaded machine may leave the notice to it
    assert chat.new_texts(coordinator) == [
        "【要対応】サポーターのお申し込みがありました。\n佐藤一郎さん（東京都世田谷区世田谷）\n"
        "できること：電球・修理\n面談や説明会のあと、承認してください（otagai supporters approve 佐藤一郎）。"
    ]
    member, record = record_of(db_session, sato)
    assert not member.is_supporter and record.status == SupporterStatus.APPLICANT
    assert record.agreement_version == 1 and record.agreed_at is not None

    assert "状態：確認中" in chat.say(sato, "サポーター設定")[0]
    assert chat.say(sato, "お休みする")[0].startswith("サポーターのお申し込みは、受け付けています。")

    resident = chat.user("yamada", "山田花子")
    answer = submit_request(chat, resident, "電球が切れて替えられない")
    assert answer[0].startswith("依頼を受け付けました。\n今は、近くに合うサポーターが見つかりませんでした。")
    assert chat.new_texts(sato) == []
    assert db_session.scalars(select(Proposal)).all() == []


def test_approval_makes_the_next_request_reach_them(
    app: Flask, chat: Chat, database_url: str, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    code, out = otagai(database_url, "supporters", "list", "--applicants")
    assert code == 0 and out.startswith(f"佐藤一郎 ({sato})  applicant  applied 2026-11-25  not met yet"), out
    assert "rules v1" in out and "電球・修理" in out

    code, out = otagai(
        database_url, "supporters", "approve", "佐藤一郎", "--met", "2026-11-24", "--note", "説明会に参加"
    )
    assert (
        code == 0 and out.strip() == f"佐藤一郎 ({sato}) is approved: nearby requests reach them from now on"
    )
    member, record = record_of(db_session, sato)
    assert member.is_supporter and record.status == SupporterStatus.APPROVED
    assert (str(record.met_on), record.met_how, record.note) == ("2026-11-24", "面談", "説明会に参加")
    deliver_pushes_from_commands(app)
    assert chat.new_texts(sato)[-1].startswith("佐藤一郎さん、サポーターの登録が完了しました。")
    assert otagai(database_url, "supporters", "list", "--applicants")[1].strip() == "no applicants waiting"

    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れて替えられない")
    assert chat.new_texts(sato) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]
    assert tap_label(chat, sato, "引き受ける")[0].startswith("ありがとうございます！ 引き受けました。")


def test_a_declined_applicant_is_told_kindly_and_never_asked(
    app: Flask, chat: Chat, database_url: str, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    code, out = otagai(database_url, "supporters", "decline", sato, "--how", "briefing", "--by", "鈴木")
    assert code == 0 and "is declined" in out, out
    member, record = record_of(db_session, sato)
    assert not member.is_supporter and record.status == SupporterStatus.DECLINED
    assert (record.met_how, record.decided_by) == ("説明会", "鈴木")
    deliver_pushes_from_commands(app)
    told = chat.new_texts(sato)[-1]
    assert "申し訳ありませんが、今回はサポーターとしてのご案内を見送らせていただきます" in told
    submit_request(chat, chat.user("yamada", "山田花子"), "電球が切れて替えられない")
    assert chat.new_texts(sato) == []


def test_the_commands_say_clearly_what_is_wrong(chat: Chat, database_url: str) -> None:
    code, out = otagai(database_url, "supporters", "approve", "だれか")
    assert code == 1 and "nobody called 'だれか' has added the bot yet" in out
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    code, out = otagai(database_url, "supporters", "approve", "山田花子")
    assert code == 1 and "has not applied" in out
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    code, out = otagai(database_url, "supporters", "approve", "佐藤一郎", "--met", "yesterday")
    assert code == 2 and "is not a date" in out


def test_erasing_a_supporter_removes_the_vetting_notes_and_keeps_ticket_amounts(
    chat: Chat, database_url: str, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    otagai(database_url, "supporters", "approve", sato, "--note", "説明会で家族の話を聞いた")
    otagai(database_url, "tickets", "sell", sato, "600", "--note", "領収書 No.12")
    member, _ = record_of(db_session, sato)
    code, out = otagai(database_url, "members", "erase", str(member.id), "--yes")
    assert code == 0, out
    db_session.expire_all()
    assert db_session.get(SupporterRecord, member.id) is None
    entries = db_session.scalars(select(TicketEntry).where(TicketEntry.member_id == member.id)).all()
    assert [(e.yen, e.note) for e in entries] == [(600, "")]
