"""The scheme's desk pages in real headless Chromium on a 360 px phone: approve an applicant, sell tickets,
read the month's settlement, download the activity report PDF (opened and rendered), read the audit log,
write as the coordinator going along; and a read-only account sees no button."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DeskRoleKind, Member
from handlers.settings import Settings
from tests.bot.desk_support import PASSWORD, add_account
from tests.bot.dev.test_demo_browser import SCREENSHOTS, needs_chromium
from tests.handlers.cycle import at, jst, make_coordinator, matched
from tests.handlers.dialogue import NEAR, register_supporter, tap_label
from tests.support import Chat, FakeClock

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(vetting=True, fees=True)


def insurance_on(app: Flask) -> None:
    """The desk's 保険 page, once the visits are arranged (the supporters of these dialogues are not
    insured: with the check on in chat they could not accept)."""
    app.extensions["otagai.settings"] = app.extensions["otagai.settings"].with_overrides(insurance=True)


def sign_in_as(page: Page, login: str) -> None:
    page.get_by_label("名前").fill(login)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def fits_the_phone(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"otagai-desk-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


def dark_pixels(document: pdfium.PdfDocument) -> list[int]:
    return [sum(p.render(scale=1).to_pil().convert("L").histogram()[:200]) for p in document]


@needs_chromium
def test_a_coordinator_runs_the_scheme_from_a_phone(
    page: Page, app: Flask, chat: Chat, clock: FakeClock, db_session: Session, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    applicant = register_supporter(chat, "kato", "加藤次郎", "電球の交換", NEAR, approve=False)
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    account = add_account(db_session, "伊藤")
    account.member_id = db_session.scalars(select(Member.id).where(Member.line_user_id == coordinator)).one()
    db_session.commit()
    chat.new_texts(applicant)
    insurance_on(app)
    sign_in_as(page, "伊藤")

    # 面談・承認: the briefing recorded and the applicant approved; they hear it in LINE.
    page.get_by_role("link", name="面談・承認").click()
    expect(page.get_by_role("heading", name="面談・承認")).to_be_visible()
    fits_the_phone(page, "applicants")
    page.get_by_label("どちらで会いましたか").select_option("briefing")
    page.get_by_label("メモ").fill("説明会に来てくれた")
    page.get_by_role("button", name="加藤次郎さんを承認する").click()
    expect(page.get_by_role("status")).to_contain_text("加藤次郎さんを承認しました")
    expect(page.get_by_text("面談を待っている方は、いません。")).to_be_visible()
    assert chat.new_texts(applicant)[0].startswith("加藤次郎さん、サポーターの登録が完了しました。")

    # 顔合わせ: going along the first visit, and writing to both sides.
    page.goto(page.url.replace("/desk/applicants", f"/desk/requests/{match.request_id}"))
    page.get_by_label("同行するコーディネーター").select_option(label="コーディネーター")
    page.get_by_role("button", name="顔合わせにする").click()
    expect(page.get_by_role("status")).to_contain_text("顔合わせにしました")
    page.get_by_label("ふたりへのメッセージ").fill("当日は私も一緒に伺います。")
    page.get_by_role("button", name="メッセージを送る").click()
    expect(page.get_by_role("status")).to_contain_text("2人に、LINEで送りました。")
    fits_the_phone(page, "first-visit")
    heard = chat.new_texts(match.resident)
    assert heard[-1].endswith("コーディネーターさん（顔合わせに同行）から：\n当日は私も一緒に伺います。")

    # 利用券: the resident buys 3,000 yen of tickets; the visit is done and charged.
    page.get_by_role("link", name="利用券").click()
    page.get_by_label("山田花子さんの金額（円）").fill("3000")
    page.get_by_role("button", name="山田花子さんに販売する").click()
    expect(page.get_by_role("status")).to_contain_text("残りは3,000円です")
    fits_the_phone(page, "tickets")
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    at(app, clock, clock.now)
    tap_label(chat, match.supporter, "1時間")
    chat.say(match.supporter, "なし")

    # 月の精算: the residents' total is the helpers' plus the scheme's, and the tickets used.
    page.get_by_role("link", name="月の精算").click()
    page.get_by_label("月をえらぶ").fill("2026-11")
    page.get_by_role("button", name="表示する").click()
    total = page.locator("section", has=page.get_by_role("heading", name="合計"))
    expect(total).to_contain_text("利用者の支払い600円")
    expect(total).to_contain_text("サポーターへ480円")
    expect(total).to_contain_text("団体へ120円")
    expect(total).to_contain_text("使われた利用券600円")
    fits_the_phone(page, "settlement")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="この月の精算をCSVで保存（Excelで開けます）").click()
    assert "山田花子" in Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")

    # 活動報告: the PDF downloaded from the desk opens, one page per supporter and a summary, not blank.
    page.get_by_role("link", name="活動報告").click()
    page.get_by_label("月をえらぶ").fill("2026-11")
    page.get_by_role("button", name="表示する").click()
    expect(page.locator("dl")).to_contain_text("完了した活動1件")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="活動報告書（PDF）を保存").click()
    assert pdf_download.value.suggested_filename == "activity-2026-11.pdf"
    document = pdfium.PdfDocument(pdf_download.value.path())
    assert len(document) == 2
    assert all(pixels > 2000 for pixels in dark_pixels(document)), dark_pixels(document)
    assert "佐藤一郎" in document[0].get_textpage().get_text_range()
    fits_the_phone(page, "reports")

    # 保険 and 記録.
    page.get_by_role("link", name="保険").click()
    page.get_by_label("月をえらぶ").fill("2026-11")
    page.get_by_role("button", name="表示する").click()
    expect(page.locator("table")).to_contain_text("佐藤一郎")
    page.get_by_role("link", name="記録").click()
    page.get_by_label("何を").select_option(label="利用券を販売")
    page.get_by_role("button", name="しぼりこむ").click()
    expect(page.locator("table")).to_contain_text("山田花子さん")
    expect(page.locator("table")).not_to_contain_text("サポーターを承認")
    fits_the_phone(page, "audit")


@needs_chromium
def test_a_read_only_account_sees_the_pages_without_any_button(
    page: Page, chat: Chat, db_session: Session
) -> None:
    from playwright.sync_api import expect

    register_supporter(chat, "kato", "加藤次郎", "電球の交換", NEAR, approve=False)
    match = matched(chat, when="2026-11-26T14:00")
    add_account(db_session, "見る人", role=DeskRoleKind.READ_ONLY)
    db_session.commit()
    sign_in_as(page, "見る人")
    expect(page.locator(".roles")).to_have_text("（すべての地域・見るだけ）")
    for link, text in (("面談・承認", "加藤次郎"), ("利用券", "山田花子"), ("サポーター", "佐藤一郎")):
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.locator("main")).to_contain_text(text)
        expect(page.locator("main button")).to_have_count(0)
    page.goto(page.url.replace("/desk/members", f"/desk/requests/{match.request_id}"))
    expect(page.get_by_role("heading", name=f"{match.request_id}番　電球・修理")).to_be_visible()
    expect(page.locator("main button")).to_have_count(0)
    expect(page.get_by_role("link", name="アカウント")).to_have_count(0)
