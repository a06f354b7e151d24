"""The local demo in real headless Chromium: a resident asks for help and a supporter accepts, by tapping."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from bot.demo import Demo

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path("/tmp")

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium); "
    "Playwright's own browser download is not used",
)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with Demo(database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}", port=0) as running:
        yield running


@pytest.fixture
def page(demo: Demo) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 760, "height": 1100}
            )
            page = context.new_page()
            page.goto(demo.page_url)
            yield page
            context.close()
        finally:
            browser.close()


@needs_chromium
def test_resident_asks_supporter_accepts_in_the_browser(page: Page) -> None:
    from playwright.sync_api import expect

    log, quick = page.locator("#log"), page.locator("#quick")

    # The resident's chat opens with the bot's real greeting and its quick replies.
    expect(page.get_by_role("heading", name="山田さん（依頼する人）のトーク")).to_be_visible()
    expect(log).to_contain_text("山田 花子さん、はじめまして。")
    expect(quick.get_by_role("button", name="困りごとを相談")).to_be_visible()

    page.get_by_role("textbox", name="メッセージ").fill("電球が切れて替えられない")
    page.get_by_role("button", name="送信").click()
    expect(log.locator(".from-user").last).to_have_text(re.compile("電球が切れて替えられない"))
    expect(log).to_contain_text("【電球・修理】のお手伝いをさがします。")

    quick.get_by_role("button", name="位置情報を送る").click()
    expect(log.locator(".from-user .location").last).to_contain_text("東京都世田谷区太子堂2丁目14-5")
    expect(log).to_contain_text("いつ手伝ってほしいですか？")

    # The datetime picker opens like LINE's, with the bot's suggested time; closing it sends nothing.
    quick.get_by_role("button", name="日時をえらぶ").click()
    picker = page.get_by_role("dialog")
    expect(picker).to_be_visible()
    expect(page.locator("#picker-input")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT10:00$"))
    picker.get_by_role("button", name="やめる").click()
    expect(picker).to_be_hidden()

    quick.get_by_role("button", name="いつでも").click()
    confirmation = log.locator(".flex-bubble").last
    expect(confirmation).to_contain_text("この内容で依頼しますか？")
    expect(confirmation).to_contain_text("いつでも")
    confirmation.get_by_role("button", name="依頼する").click()
    expect(log).to_contain_text("近くのサポーター2人に、お知らせしました。")

    # Two supporters fit (電球・修理, close enough); the one who cannot fix things hears nothing.
    expect(persona_badge(page, "佐藤さん")).to_have_text("1")
    expect(persona_badge(page, "高橋さん")).to_have_text("1")
    expect(persona_badge(page, "鈴木さん")).to_be_hidden()

    page.get_by_role("button", name="佐藤さん").click()
    expect(page.get_by_role("heading", name="佐藤さん（サポーター）のトーク")).to_be_visible()
    card = log.locator(".flex-bubble", has_text="お手伝いのお願い")
    expect(card).to_contain_text("電球が切れて替えられない")
    expect(card).to_contain_text("東京都世田谷区太子堂")
    expect(card).to_contain_text("1km以内")
    shown = card.inner_text()
    for private in ("山田", "花子", "2丁目", "14-5", "35.64"):
        assert private not in shown, f"{private!r} is on the card before accepting: {shown!r}"
    card.get_by_role("button", name="引き受ける").click()
    expect(log.locator(".from-user").last).to_have_text(re.compile("引き受けます"))
    expect(log).to_contain_text("依頼した方：山田 花子さん")
    expect(log).to_contain_text("場所：東京都世田谷区太子堂2丁目14-5")
    expect(log.locator(".from-bot .location").last).to_contain_text("電球・修理の場所")
    page.screenshot(path=str(SCREENSHOTS / "otagai-demo-supporter.png"))

    page.get_by_role("button", name="山田さん").click()
    expect(log).to_contain_text("佐藤 健一さんが、引き受けてくれました。")
    page.screenshot(path=str(SCREENSHOTS / "otagai-demo-resident.png"))

    page.get_by_role("button", name="高橋さん").click()
    expect(log).to_contain_text("この依頼は、ほかの方が引き受けました。")


def persona_badge(page: Page, name: str) -> Any:
    return page.locator("#personas").get_by_role("button", name=name).locator(".badge")


# --- the demo without a browser ------------------------------------------------------------------


def test_the_production_app_has_no_demo(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/demo/").status_code == 404
    assert client.post("/demo/api/send", json={"persona": "yamada", "kind": "location"}).status_code == 404


def test_demo_api_refuses_what_a_page_would_not_send(demo: Demo) -> None:
    send = f"{demo.page_url}api/send"
    assert post(send, {"persona": "yamada", "kind": "text", "text": ""}) == 400
    assert post(send, {"persona": "nobody", "kind": "text", "text": "こんにちは"}) == 404
    assert post(send, {"persona": "yamada", "kind": "postback", "data": "a=x", "params": {"x": "1"}}) == 400
    assert post(send, {"persona": "yamada", "kind": "text", "text": "こんにちは"}, as_json=False) == 415
    # Another site that rebinds its name to 127.0.0.1 arrives with its own Host header.
    assert post(send, {"persona": "yamada", "kind": "location"}, host="evil.example") == 403


def test_the_demo_webhook_is_signed_with_a_secret_of_its_own(demo: Demo) -> None:
    from bot.line_stub import events as ev

    body = ev.body(ev.text_event("U" + "0" * 32, "こんにちは", "token"))
    forged = ev.signature("test-channel-secret", body)
    assert raw_post(f"{demo.url}/callback", body, {"X-Line-Signature": forged}) == 400


def post(url: str, payload: dict[str, Any], *, as_json: bool = True, host: str | None = None) -> int:
    headers = {"Content-Type": "application/json" if as_json else "text/plain"}
    if host:
        headers["Host"] = host
    return raw_post(url, json.dumps(payload).encode(), headers)


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
