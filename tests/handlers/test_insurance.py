"""Volunteer insurance (OTAGAI_INSURANCE=on): a lapsed supporter cannot accept, every accepted visit is
on the insurer's advance list, and renewals are reminded in March."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import HelpRequest, RequestStatus
from db.supporters import insurance_year
from handlers.settings import Settings
from tests.handlers.cycle import at, make_coordinator, submit
from tests.handlers.dialogue import NEAR, RESIDENT_ADDRESS, register_supporter, tap_label
from tests.support import Chat, FakeClock

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(insurance=True)


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def test_the_insurance_year_runs_from_april_to_march() -> None:
    assert insurance_year(datetime(2027, 3, 31).date()) == 2026
    assert insurance_year(datetime(2027, 4, 1).date()) == 2027
    assert insurance_year(datetime(2026, 11, 25).date()) == 2026


def test_a_lapsed_insurance_blocks_an_accept_and_the_coordinator_is_told(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    coordinator = make_coordinator(chat, db_session)
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    code, out = otagai(database_url, "insurance", "set", "佐藤一郎", "--year", "2025", "--note", "No.123")
    assert code == 0 and "is insured for 2025 (April 2025 to March 2026)" in out
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", "2026-11-26T14:00")
    chat.new_texts(sato)

    assert tap_label(chat, sato, "引き受ける")[0].startswith(
        "ごめんなさい。ボランティア保険の手続きが、まだ確認できていません。"
    )
    at(app, clock, clock.now)  # the worker's sweep: a loaded machine may leave the notice to it
    assert chat.new_texts(coordinator) == [
        "【要対応】佐藤一郎さんが依頼 #1（電球・修理）を引き受けようとしましたが、"
        "ボランティア保険が確認できないため、お断りしました。\n保険の手続きを確認してください。"
    ]
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN
    assert "not insured this year" in otagai(database_url, "supporters", "list")[1]

    assert otagai(database_url, "insurance", "set", sato, "--year", "2026")[0] == 0
    assert tap_label(chat, sato, "引き受ける")[0].startswith("ありがとうございます！ 引き受けました。")
    db_session.refresh(request)
    assert request.status == RequestStatus.MATCHED

    code, out = otagai(database_url, "insurance", "visits", "--month", "2026-11")
    assert code == 0 and out.startswith(
        "#1  2026-11-26 14:00  佐藤一郎  〒154-0017 東京都世田谷区世田谷4丁目21-27"
    )
    csv_file = tmp_path / "visits.csv"
    assert (
        otagai(database_url, "insurance", "visits", "--month", "2026-11", "--output", str(csv_file))[0] == 0
    )
    rows = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig"))))
    assert rows == [
        ["依頼番号", "活動者", "日時", "場所", "活動内容", "状態"],
        [
            "1",
            "佐藤一郎",
            "2026-11-26 14:00",
            RESIDENT_ADDRESS,
            "電球・修理：電球が切れて替えられない",
            "matched",
        ],
    ]
    assert otagai(database_url, "insurance", "visits", "--month", "2026-12")[1].strip() == (
        "no accepted visits in 2026-12"
    )
    code, out = otagai(database_url, "insurance", "visits", "--month", "2026-13")
    assert code == 2 and "is not a month like 2026-11" in out


def test_insured_supporters_are_reminded_once_in_march(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "草むしり", NEAR)
    otagai(database_url, "insurance", "set", sato, "--year", "2026")
    otagai(database_url, "insurance", "set", suzuki, "--year", "2025")  # lapsed: nothing to renew
    chat.new_texts(sato), chat.new_texts(suzuki)

    assert at(app, clock, datetime(2027, 2, 28, 12, tzinfo=JST)).renewal_reminders == 0
    assert at(app, clock, datetime(2027, 3, 1, 9, tzinfo=JST)).renewal_reminders == 0  # too early
    assert at(app, clock, datetime(2027, 3, 1, 10, tzinfo=JST)).renewal_reminders == 1
    assert chat.new_texts(sato) == [
        "佐藤一郎さん、ボランティア保険は3月31日で切れます。\n"
        "4月からも活動していただけるときは、更新の手続きをお願いします。\n"
        "分からないことは、コーディネーターにご相談ください。"
    ]
    assert at(app, clock, datetime(2027, 3, 2, 10, tzinfo=JST)).renewal_reminders == 0
    assert chat.new_texts(sato) == [] and chat.new_texts(suzuki) == []
