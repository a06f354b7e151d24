"""Fees in prepaid tickets (OTAGAI_FEES=on): the price before confirming and at completion, travel and
materials at the check-in, same-day cancellation, and a month's settlement that adds up."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import TicketEntry, TimeCredit, VisitFee
from handlers.fees import Tariff, is_holiday, parse_extras, price
from handlers.settings import Settings
from tests.handlers.cycle import at, jst, matched
from tests.handlers.dialogue import tap_label
from tests.support import Chat, FakeClock

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(fees=True, fee_night_holiday_yen=800, fee_helper_percent=80)


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    """An operator command, with the fee settings these dialogues run under."""
    env = {"DATABASE_URL": database_url, "OTAGAI_FEES": "on", "OTAGAI_FEE_NIGHT_HOLIDAY_YEN": "800"}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_a_visit_is_priced_before_confirming_and_charged_at_the_check_in(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    card = str(chat.stub.messages_for(match.resident))
    assert "利用料" in card and "1時間600円、夜・休日は800円（交通費・材料費は実費）" in card
    code, out = otagai(database_url, "tickets", "sell", "山田花子", "3000", "--note", "600円券×5")
    assert code == 0 and out.strip().endswith("sold 3,000 yen; tickets left 3,000 yen"), out

    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    at(app, clock, clock.now)
    chat.new_texts(match.supporter)
    assert tap_label(chat, match.supporter, "1時間半") == [
        "1時間30分を記録しました。ありがとうございます！\nこれまでのお手伝い：合計1時間30分（1.5ポイント）\n"
        "交通費や材料費はかかりましたか？\n"
        "かかったときは「交通費300円 材料費480円」のように送ってください。\n"
        "なければ「なし」を押してください。"
    ]
    assert chat.say(match.supporter, "たくさん")[0].startswith("ごめんなさい。金額が分かりませんでした。")
    chat.new_texts(match.resident)
    assert chat.say(match.supporter, "交通費 300円、材料費４８０円") == [
        "利用料1,680円を記録しました（1,500円をお支払いします）。\nありがとうございました！"
    ]
    at(app, clock, clock.now)  # the worker sends what the webhook left (LINE allows it 2 seconds)
    assert chat.new_texts(match.resident) == [
        "【電球・修理】佐藤一郎さんのお手伝いの利用料は、1,680円です。\n"
        "（お手伝い1時間30分 900円、交通費 300円、材料費 480円）\n"
        "利用券から支払いました。利用券の残りは1,320円です。"
    ]
    assert tap_label(chat, match.supporter, "なし") == ["この依頼の利用料は、もう記録しています。"]
    fee = db_session.get(VisitFee, match.request_id)
    assert fee is not None and (fee.labour_yen, fee.helper_yen, fee.org_yen) == (900, 1500, 180)

    csv_file = tmp_path / "settle.csv"
    code, out = otagai(database_url, "fees", "settle", "--month", "2026-11", "--output", str(csv_file))
    assert code == 0 and out.strip() == f"wrote 3 lines to {csv_file}"
    rows = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig"))))
    assert rows == [
        ["区分", "名前", "件数", "利用料", "交通費", "材料費", "金額", "利用券残高"],
        ["利用者（支払）", "山田花子", "1", "900", "300", "480", "1680", "1320"],
        ["サポーター（受取）", "佐藤一郎", "1", "900", "300", "480", "1500", ""],
        ["団体（受取）", "団体", "1", "900", "0", "0", "180", ""],
    ]
    # What residents paid is what helpers and the scheme receive, and what the tickets were used for.
    used = db_session.scalar(select(func.sum(TicketEntry.yen)).where(TicketEntry.kind == "used"))
    assert int(rows[1][6]) == int(rows[2][6]) + int(rows[3][6]) == -(used or 0)
    assert otagai(database_url, "tickets", "balance")[1].strip() == f"山田花子 ({match.resident}): 1,320 yen"


def test_cancelling_on_the_day_costs_one_hour_and_a_short_balance_is_owed(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-25T19:00")  # today, in the evening: the night rate
    chat.say(match.resident, "自分の依頼")
    assert tap_label(chat, match.resident, "取り消す") == [
        "【電球・修理】の依頼を、取り消しますか？\n佐藤一郎さんが、引き受けてくれています。\n"
        "当日のお取り消しは、1時間分の利用料（800円）がかかります。"
    ]
    assert tap_label(chat, match.resident, "取り消す") == [
        "依頼を取り消しました。\n当日のお取り消しのため、1時間分の利用料800円をいただきました。\n"
        "利用券が800円足りません。コーディネーターから連絡しますので、お待ちください。"
    ]
    fee = db_session.get(VisitFee, match.request_id)
    assert fee is not None and (fee.kind, fee.minutes, fee.helper_yen, fee.org_yen) == (
        "cancel",
        60,
        640,
        160,
    )
    code, out = otagai(database_url, "fees", "settle", "--month", "2026-11")
    assert (
        code == 0
        and out.splitlines()[0] == "利用者（支払）  山田花子  1 visit(s)  800 yen  tickets left -800 yen"
    )
    code, out = otagai(database_url, "tickets", "refund", "山田花子", "100")
    assert code == 1 and "cannot refund 100" in out


def test_a_cancellation_before_the_day_is_free(chat: Chat, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    chat.say(match.resident, "自分の依頼")
    tap_label(chat, match.resident, "取り消す")
    assert tap_label(chat, match.resident, "取り消す") == ["依頼を取り消しました。"]
    assert db_session.scalar(select(func.count()).select_from(VisitFee)) == 0


def test_fees_alone_without_time_credits(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    app.extensions["otagai.processor"].settings = app.extensions["otagai.processor"].settings.with_overrides(
        time_credits=False
    )
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    at(app, clock, clock.now)  # the supporter's 完了 notice, if the webhook left it to the worker
    chat.new_texts(match.supporter)
    assert tap_label(chat, match.supporter, "1時間")[0].startswith(
        "1時間を記録しました。ありがとうございます！\n交通費"
    )
    assert tap_label(chat, match.supporter, "なし")[0].startswith(
        "利用料600円を記録しました（480円をお支払いします）。"
    )
    assert db_session.scalar(select(func.count()).select_from(TimeCredit)) == 0


def test_rates_at_night_and_on_japanese_holidays() -> None:
    tariff = Tariff.of(Settings("s", "t", "sqlite://", fee_hourly_yen=600, fee_night_holiday_yen=800))
    assert tariff.rate_at(datetime(2026, 11, 24, 10, tzinfo=JST)) == 600  # a Tuesday
    assert tariff.rate_at(datetime(2026, 11, 23, 10, tzinfo=JST)) == 800  # 勤労感謝の日
    assert tariff.rate_at(datetime(2026, 11, 24, 18, tzinfo=JST)) == 800  # from 18:00
    assert tariff.rate_at(datetime(2026, 11, 24, 7, 59, tzinfo=JST)) == 800
    assert is_holiday(date(2027, 1, 1)) and is_holiday(date(2026, 5, 6))  # 元日, 振替休日
    assert not is_holiday(date(2026, 5, 7))
    same = Tariff.of(Settings("s", "t", "sqlite://", fee_hourly_yen=700))
    assert same.rate_at(datetime(2026, 11, 23, 22, tzinfo=JST)) == 700


def test_labour_is_charged_by_the_minute_and_split() -> None:
    cost = price(45, 700, 80, travel_yen=210)
    assert (cost.labour_yen, cost.helper_yen, cost.org_yen, cost.total_yen) == (525, 630, 105, 735)
    assert price(10, 600, 100).org_yen == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("なし", (0, 0)),
        ("ありません", (0, 0)),
        ("交通費300円", (300, 0)),
        ("こうつうひ　３００えん", (300, 0)),
        ("材料費 1,280円", (0, 1280)),
        ("電車代240円と、電球を買ったので480円", (240, 480)),
        ("バス 220 部品 1500", (220, 1500)),
        ("500", (500, 0)),
        ("５００円", (500, 0)),
        ("たくさん", None),
        ("300円と500円", None),
        ("交通費9999999円", None),
    ],
)
def test_travel_and_materials_typed_in_many_ways(typed: str, expected: tuple[int, int] | None) -> None:
    assert parse_extras(typed) == expected


def test_a_resident_not_at_home_pays_the_booking(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    otagai(database_url, "tickets", "sell", "山田花子", "1000")
    code, out = otagai(database_url, "fees", "absent", str(match.request_id), "--minutes", "90")
    assert code == 0, out
    assert (
        out.strip() == f"#{match.request_id}: the booking (90 min) is charged, 900 yen; tickets left 100 yen"
    )
    fee = db_session.get(VisitFee, match.request_id)
    assert fee is not None and (fee.kind, fee.labour_yen, fee.helper_yen) == ("absent", 900, 720)
    code, out = otagai(database_url, "fees", "absent", str(match.request_id))
    assert code == 1 and "was charged already" in out
    tomorrow_noon = (datetime.now(JST) + timedelta(days=1)).replace(hour=12)
    app.extensions["otagai.processor"].deliverer.deliver_due(tomorrow_noon)
    assert chat.new_texts(match.resident)[-1] == (
        "【電球・修理】のお約束の時間に、お留守だったと連絡がありました。\n"
        "ご予約（1時間30分）の利用料900円をいただきました。\n利用券から支払いました。利用券の残りは100円です。"
    )
    assert f"fee_absent  request #{match.request_id}" in otagai(database_url, "audit")[1]
