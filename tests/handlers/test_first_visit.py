"""顔合わせ: a coordinator marked to go along on a first visit gets its reminders and relay messages, and
every operator command of the scheme is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from flask import Flask
from sqlalchemy.orm import Session

from bot.cli import main
from tests.handlers.cycle import at, jst, make_coordinator, matched, submit
from tests.handlers.dialogue import NEAR, register_supporter, tap_label
from tests.support import Chat, FakeClock

REMINDER = "明日 14:00から、【電球・修理】のお手伝いです。"


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def deliver_pushes_from_commands(app: Flask) -> None:
    """The worker's delivery after the wall-clock time the command queued its push (and in daytime)."""
    tomorrow_noon = (datetime.now(ZoneInfo("Asia/Tokyo")) + timedelta(days=1)).replace(hour=12)
    app.extensions["otagai.processor"].deliverer.deliver_due(tomorrow_noon.astimezone(UTC))


def test_the_coordinator_going_along_gets_the_reminders_and_the_messages(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    code, out = otagai(database_url, "requests", "first-visit", str(match.request_id), "コーディネーター")
    assert code == 0 and f"#{match.request_id} is a 顔合わせ: コーディネーター ({coordinator})" in out, out

    deliver_pushes_from_commands(app)
    told = chat.new_texts(coordinator)
    assert told and told[0].startswith(f"【顔合わせ】依頼 #{match.request_id}（電球・修理）に同行します。")
    assert "依頼した方：山田花子" in told[0] and "サポーター：佐藤一郎" in told[0]
    assert any(
        "コーディネーターのコーディネーターさんも一緒に伺います" in t for t in chat.new_texts(match.supporter)
    )

    at(app, clock, jst(25, 18))  # the evening before
    for person in (match.supporter, coordinator):
        reminders = [t for t in chat.new_texts(person) if t.startswith(REMINDER)]
        assert len(reminders) == 1, person

    chat.say(match.resident, "メッセージを送る")
    assert chat.say(match.resident, "玄関の鍵はあけておきます") == ["佐藤一郎さんに送りました。"]
    relayed = "【電球・修理の依頼】山田花子さんから：\n玄関の鍵はあけておきます"
    assert chat.new_texts(match.supporter) == [relayed]
    assert chat.new_texts(coordinator) == [relayed]

    code, out = otagai(database_url, "audit")
    assert code == 0 and f"first_visit  request #{match.request_id}" in out, out

    code, out = otagai(database_url, "requests", "first-visit", str(match.request_id), coordinator, "--off")
    assert code == 0 and "no longer goes along" in out
    at(app, clock, jst(26, 13))  # an hour before: the supporter alone
    assert chat.new_texts(coordinator) == []


def test_marked_before_anyone_accepts_the_coordinator_hears_who_comes(
    app: Flask, chat: Chat, database_url: str, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", "2026-11-26T14:00")
    assert otagai(database_url, "requests", "first-visit", "1", coordinator)[0] == 0
    deliver_pushes_from_commands(app)
    assert "サポーター：まだ決まっていません（決まったらお知らせします）" in chat.new_texts(coordinator)[0]
    chat.new_texts(sato)
    accepted = tap_label(chat, sato, "引き受ける")
    assert chat.new_texts(coordinator) == [
        "【顔合わせ】依頼 #1（電球・修理）は、佐藤一郎さんが引き受けました。\n日時：11月26日(木) 14:00"
    ]
    told = accepted + chat.new_texts(sato)
    assert any(t.startswith("【電球・修理】のお手伝いは、はじめての訪問なので") for t in told), told


def test_only_coordinators_go_along_and_only_on_live_requests(chat: Chat, database_url: str) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    code, out = otagai(database_url, "requests", "first-visit", str(match.request_id), "佐藤一郎")
    assert code == 1 and "is not a coordinator" in out
    code, out = otagai(database_url, "requests", "first-visit", "999", "佐藤一郎")
    assert code == 1 and "there is no request #999" in out


def test_scheme_commands_are_in_the_audit_log(chat: Chat, database_url: str) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    otagai(database_url, "supporters", "approve", sato, "--by", "鈴木")
    otagai(database_url, "insurance", "set", sato, "--year", "2026")
    otagai(database_url, "tickets", "sell", sato, "1200")
    code, out = otagai(database_url, "audit")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3, out
    assert "鈴木  supporter_approved  佐藤一郎" in lines[2]
    assert "insurance_set  佐藤一郎" in lines[1] and "2026" in lines[1]
    assert "tickets_sold  佐藤一郎" in lines[0] and "1200" in lines[0]
