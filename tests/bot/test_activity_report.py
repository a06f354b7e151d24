"""`otagai report --format pdf|csv`: the monthly activity report (活動報告書), a page per supporter and a
summary for funders, opened and rendered the way a coordinator would see it."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.activity import initials
from db.models import CommunityPlace
from db.places import place_numbers
from db.reports import month_bounds
from tests.handlers.cycle import at, jst, matched
from tests.handlers.dialogue import RESIDENT_HOME, open_class, register_master, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def _two_visits_done(app: Flask, chat: Chat, clock: FakeClock) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    second = matched(
        chat, when="2026-11-27T10:00", supporter=("suzuki", "鈴木次郎"), resident=("tanaka", "田中一")
    )
    at(app, clock, jst(27, 16))
    for match, duration in ((first, "1時間半"), (second, "45分")):
        tap_label(chat, match.resident, "完了した")
        at(app, clock, clock.now)  # the supporter's 完了 notice, if the webhook left it to the worker
        tap_label(chat, match.supporter, duration)


def _dark_pixels(page: pdfium.PdfPage) -> int:
    histogram = page.render(scale=1).to_pil().convert("L").histogram()
    return sum(histogram[:200])


def test_the_pdf_has_a_page_per_supporter_and_a_summary_in_japanese(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, tmp_path: Path
) -> None:
    _two_visits_done(app, chat, clock)
    pdf_file = tmp_path / "report.pdf"
    code, out = otagai(
        database_url, "report", "--month", "2026-11", "--format", "pdf", "--output", str(pdf_file)
    )
    assert code == 0, out
    assert out.strip() == f"wrote the 2026-11 activity report to {pdf_file}: 2 visits by 2 supporter(s)"
    data = pdf_file.read_bytes()
    assert (
        data.startswith(b"%PDF") and b"/FontFile" in data and b"NotoSansCJK" in data
    )  # the font is embedded

    document = pdfium.PdfDocument(data)
    try:
        assert len(document) == 3
        texts = [document[i].get_textpage().get_text_range() for i in range(3)]
        first, second, summary = texts
        assert "活動報告書" in first and "佐藤一郎" in first and "2026年11月分" in first
        assert "山○○" in first and "電球・修理" in first and "1時間30分" in first
        assert "完了の連絡 11/27" in first and "1.5ポイント" in first
        assert "山田花子" not in first  # residents appear by initial only
        assert "鈴木次郎" in second and "田○○" in second and "45分" in second
        assert "活動実績（まとめ）" in summary and "活動回数：2回" in summary
        assert "利用者数（実人数）：2人" in summary and "活動時間：2時間15分" in summary
        page = document[0]
        assert _dark_pixels(page) > 2000  # not a blank page: text and table lines were drawn
        page.render(scale=1.5).to_pil().save(tmp_path / "page1.png")
    finally:
        document.close()


def test_the_csv_lists_every_visit(app: Flask, chat: Chat, clock: FakeClock, database_url: str) -> None:
    _two_visits_done(app, chat, clock)
    code, out = otagai(database_url, "report", "--month", "2026-11", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [
        "月,サポーター,日付,利用者,内容,時間（分）,ポイント,利用料（円）,利用者の確認",
        "2026-11,佐藤一郎,2026-11-26,山○○,電球・修理,90,1.5,,完了の連絡 2026-11-27",
        "2026-11,鈴木次郎,2026-11-27,田○○,電球・修理,45,0.75,,完了の連絡 2026-11-27",
    ]


def test_a_month_without_visits_still_has_its_summary(database_url: str, tmp_path: Path) -> None:
    pdf_file = tmp_path / "empty.pdf"
    code, _ = otagai(
        database_url, "report", "--month", "2026-10", "--format", "pdf", "--output", str(pdf_file)
    )
    assert code == 0
    document = pdfium.PdfDocument(pdf_file.read_bytes())
    try:
        assert len(document) == 1
        assert "この月の活動はありません" in document[0].get_textpage().get_text_range()
    finally:
        document.close()
    code, out = otagai(database_url, "report", "--format", "pdf")
    assert code == 2 and "--format pdf needs --output FILE.pdf" in out


def test_initials_keep_residents_private() -> None:
    assert initials("山田花子") == "山○○"
    assert initials("山田 花子") == "山○○"
    assert initials("John Smith") == "J.S."
    assert initials("") == "○○"


def test_the_summary_counts_what_the_places_did(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    seed_town(db_session)
    farmer = chat.user("nouka", "農家")
    chat.say(farmer, "畑の野菜が余ってます")
    chat.location(farmer, *RESIDENT_HOME)
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    shift = ["places", "shift", str(place_id), "--at", "2026-11-25T16:00", "--hours", "3", "--role", "調理"]
    assert otagai(database_url, *shift, "--people", "1")[0] == 0
    aki = chat.user("aki", "亜紀")
    chat.say(aki, "お手伝いの募集")
    tap_label(chat, aki, "参加する")
    master = register_master(chat)
    open_class(chat, master, "2026-11-28T10:00", "3")
    chat.say(aki, "教室")
    tap_label(chat, aki, "参加する")
    expected = place_numbers(db_session, *month_bounds("2026-11", ZoneInfo("Asia/Tokyo")))
    assert expected.openings > 0

    pdf_file = tmp_path / "report.pdf"
    code, out = otagai(
        database_url, "report", "--month", "2026-11", "--format", "pdf", "--output", str(pdf_file)
    )

    assert code == 0, out
    document = pdfium.PdfDocument(pdf_file.read_bytes())
    try:
        summary = document[len(document) - 1].get_textpage().get_text_range()
    finally:
        document.close()
    assert "地域の場所（食堂・みんなのおうちなど）" in summary
    for line in (
        f"場所がひらいた回数：{expected.openings}回",
        "お手伝いの募集：1件（人がそろった募集 1件）",
        "お手伝いした人（実人数）：1人",
        "名人・達人の教室：1回（参加 1人）",
        "食品の申し出：1件（場所に渡した 0件）",
    ):
        assert line in summary, line
