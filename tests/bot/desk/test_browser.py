"""The coordinators' desk in real headless Chromium: sign in, handle an unmatched request, assign by hand,
enter a proxy request and see it matched, on a phone-sized screen, with the CSP never violated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from tests.bot.desk_support import PASSWORD, add_account
from tests.bot.dev.test_demo_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, needs_chromium
from tests.handlers.cycle import submit
from tests.handlers.dialogue import FAR, NEAR, register_supporter
from tests.support import Chat

if TYPE_CHECKING:
    from playwright.sync_api import Page


def sign_in(page: Page) -> None:
    page.get_by_label("名前").fill("田中")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


@needs_chromium
def test_coordinator_handles_an_unmatched_request_and_a_proxy_request(
    page: Page, chat: Chat, db_session: Session
) -> None:
    from playwright.sync_api import expect

    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    request_id = db_session.scalars(select(HelpRequest.id)).one()
    add_account(db_session)
    db_session.commit()

    expect(page.get_by_role("heading", name="ログイン")).to_be_visible()
    page.get_by_label("名前").fill("田中")
    page.get_by_label("パスワード").fill("まちがい")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("alert")).to_contain_text("名前かパスワードがちがいます")
    sign_in(page)
    expect(page.get_by_role("heading", name="人の手が必要（1件）")).to_be_visible()
    needs = page.locator("section", has=page.get_by_role("heading", name="人の手が必要（1件）"))
    expect(needs).to_contain_text("近くに合うサポーターがいません")
    page.screenshot(path=str(SCREENSHOTS / "otagai-desk-today.png"), full_page=True)
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A neighbour registers; the coordinator opens the request and asks them by hand.
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    needs.get_by_role("link", name=f"{request_id}番").click()
    expect(page.get_by_role("heading", name=f"{request_id}番　電球・修理")).to_be_visible()
    page.get_by_role("button", name="佐藤一郎さんを指名する").click()
    expect(page.get_by_role("status")).to_contain_text("佐藤一郎さんにLINEでお願いしました")
    expect(page.locator("ol.timeline")).to_contain_text(
        "田中さん（コーディネーター）がサポーターを指名：佐藤一郎さん"
    )
    assert any("コーディネーターから" in text for text in chat.new_texts(near))
    page.screenshot(path=str(SCREENSHOTS / "otagai-desk-request.png"), full_page=True)

    # A phone call from a resident without LINE: entered on the desk, and matched at once.
    page.get_by_role("link", name="代理で受け付け").click()
    page.get_by_label("依頼する方の名前").fill("木村トメ")
    page.get_by_label("電話番号").fill("03-9999-0000")
    page.get_by_label("住所・町名・郵便番号").fill("〒154-0017 世田谷4丁目")
    page.get_by_label("いつでも").check()
    page.get_by_label("困りごと").fill("玄関の電球が切れてしまいました")
    page.get_by_role("button", name="受け付ける").click()
    # The postcode is located offline and said back, and the neighbour is asked.
    expect(page.get_by_role("status").filter(has_text="町の中心で探します")).to_contain_text("世田谷区世田谷")
    expect(page.get_by_role("status").filter(has_text="近くのサポーター")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("木村トメさん（代理受付・電話 03-9999-0000）")
    expect(page.locator("ol.timeline")).to_contain_text("代理で受け付け")

    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("status")).to_contain_text("ログアウトしました")


@needs_chromium
def test_coordinator_imports_a_shift_jis_roster_exports_it_and_reads_the_charts(
    page: Page, db_session: Session, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    add_account(db_session)
    db_session.commit()
    sign_in(page)
    page.get_by_role("link", name="サポーター").click()
    expect(page.get_by_role("heading", name="サポーター名簿")).to_be_visible()

    # Excel's plain 「CSV」 is Shift_JIS: one bad row first, and nothing is imported.
    roster = tmp_path / "名簿.csv"
    header = "名前,LINEユーザーID,できること,緯度,経度,半径km\r\n"
    roster.write_bytes(
        (header + "髙橋①,,電球の交換,35.65,139.65,3\r\n鈴木,,,35.65,139.65,20\r\n").encode("cp932")
    )
    page.get_by_label("名簿のCSVを取り込む").set_input_files(str(roster))
    page.get_by_role("button", name="取り込む", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("名簿に2件の問題があります。何も取り込んでいません")
    problems = page.locator("section", has=page.get_by_role("heading", name="名簿の問題（2件）"))
    expect(problems).to_contain_text("3行目")
    expect(problems).to_contain_text("半径kmは0より大きく10以下にしてください")

    roster.write_bytes((header + "髙橋①,,電球の交換、草むしり,35.65,139.65,3\r\n").encode("cp932"))
    page.get_by_label("名簿のCSVを取り込む").set_input_files(str(roster))
    page.get_by_role("button", name="取り込む", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("名簿を取り込みました：1人")
    expect(page.locator("table.roster")).to_contain_text("髙橋①")
    expect(page.locator("table.roster")).to_contain_text("電球・修理")

    with page.expect_download() as download:
        page.get_by_role("link", name="名簿をCSVで保存（Excelで開けます）").click()
    saved = Path(download.value.path())
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
    first = saved.read_bytes().decode("utf-8-sig").splitlines()[1]
    assert first.startswith("髙橋①,,庭・草むしり、電球・修理,35.65")

    page.get_by_role("link", name="数字").click()
    expect(page.get_by_role("heading", name="まとめ")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("種類ごとの依頼"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("依頼のその後"))).to_contain_text("0件")
    page.screenshot(path=str(SCREENSHOTS / "otagai-desk-numbers.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@needs_chromium
def test_the_demo_opens_the_desk_signed_in_as_its_coordinator(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from bot.dev.demo import Demo

    with Demo(database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}", port=0) as demo, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.goto(demo.page_url)
            page.get_by_role("button", name="閉じる").click()  # the first-visit guide
            page.locator("#personas").get_by_role("button", name="伊藤さん").click()
            with context.expect_page() as opened:
                page.get_by_role("link", name="デスクを開く").click()
            desk = opened.value
            expect(desk.get_by_role("heading", name="今日の依頼")).to_be_visible()
            expect(desk.locator(".who")).to_have_text("伊藤和子さん")
            # The route is the demo's alone: the production app has no such door.
            from tests.bot.dev.test_demo_browser import raw_post

            assert raw_post(f"{demo.url}/desk/demo-sign-in", b"", {}) == 405
        finally:
            browser.close()


def test_the_production_app_has_no_demo_sign_in(client: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    assert client.get("/desk/demo-sign-in").status_code in (302, 404)
    assert client.get("/desk/").status_code == 302
