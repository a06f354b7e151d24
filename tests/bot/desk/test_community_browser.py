"""The desk's community pages in real headless Chromium at phone width: food offers waiting and passed on,
this week's needs saved, shifts with who is coming, masters and their classes, the place numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace, DeskAction, FoodGift, PlaceNeed
from tests.bot.desk.test_browser import sign_in
from tests.bot.desk_support import add_account
from tests.bot.dev.test_demo_browser import SCREENSHOTS, needs_chromium
from tests.handlers.dialogue import RESIDENT_HOME, open_class, register_master, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat

if TYPE_CHECKING:
    from playwright.sync_api import Page


@needs_chromium
def test_coordinator_sees_places_needs_food_shifts_masters_and_classes(
    page: Page,
    chat: Chat,
    db_session: Session,
    database_url: str,
) -> None:
    from playwright.sync_api import expect

    seed_town(db_session)
    himawari = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    args = ["places", "shift", str(himawari), "--at", "2026-11-27T16:00", "--role", "配膳", "--people", "2"]
    assert CliRunner().invoke(main, args, env={"DATABASE_URL": database_url}).exit_code == 0
    helper = chat.user("dai", "大")
    chat.say(helper, "お手伝いの募集")
    tap_label(chat, helper, "参加する")
    farmer = chat.user("nouka", "農家")
    chat.say(farmer, "畑の野菜が余ってます")
    chat.location(farmer, *RESIDENT_HOME)
    master = register_master(chat)
    open_class(chat, master, "2026-11-28T10:00", "3")
    learner = chat.user("kei", "恵")
    chat.say(learner, "教室")
    tap_label(chat, learner, "参加する")
    add_account(db_session)
    db_session.commit()

    sign_in(page)
    page.get_by_role("link", name="場所").click()
    gifts = page.locator("section", has=page.get_by_role("heading", name="届いた食品の申し出（1件）"))
    expect(gifts).to_contain_text("野菜")
    expect(gifts).to_contain_text("まちの食品受付")
    shifts = page.locator("section", has=page.get_by_role("heading", name="お手伝いの募集と、来る人"))
    expect(shifts).to_contain_text("来る人：大")
    expect(shifts).to_contain_text("1/2人")
    card = page.locator("section", has=page.get_by_role("heading", name="ひまわりこども食堂"))
    card.get_by_label("野菜").check()
    card.get_by_label("米").check()
    card.get_by_label("ひとこと（あれば）").fill("夕方に")
    card.get_by_role("button", name="今週ほしいものを保存").click()
    expect(page.get_by_role("status")).to_contain_text("ひまわりこども食堂の今週ほしいもの：野菜・米")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "otagai-desk-places.png"), full_page=True)
    page.get_by_role("button", name="渡した").click()
    expect(page.get_by_role("status")).to_contain_text("渡したことを記録しました")
    expect(page.get_by_role("heading", name="届いた食品の申し出（0件）")).to_be_visible()

    page.get_by_role("link", name="場所を登録").click()
    page.get_by_label("種類").select_option(label="サロン")
    page.get_by_label("名前").fill("太子堂サロン")
    page.get_by_label("住所・町名").fill("世田谷区太子堂")
    page.get_by_label("開いている日時").fill("毎週火曜 13:00-15:00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("status")).to_contain_text("太子堂サロンを登録しました。")
    salon = page.locator("section", has=page.get_by_role("heading", name="太子堂サロン"))
    expect(salon).to_contain_text("毎週火曜 13:00-15:00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="名人・達人").click()
    lessons = page.locator("section", has=page.get_by_role("heading", name="これからの教室"))
    expect(lessons).to_contain_text("しめ縄づくりの教室（松本さん）")
    expect(lessons).to_contain_text("参加する人：恵")
    expect(
        page.locator("section", has=page.get_by_role("heading", name="名人・達人（1人）"))
    ).to_contain_text("季節のときだけ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="数字").click()
    expect(page.locator("dl")).to_contain_text("食品の申し出（渡した）")

    need = db_session.scalar(select(PlaceNeed))
    assert need is not None and (need.foods, need.note) == (["野菜", "米"], "夕方に")
    gift = db_session.scalar(select(FoodGift))
    assert gift is not None and gift.passed_on_at is not None
    actions = sorted(a.action for a in db_session.scalars(select(DeskAction)))
    assert actions[:3] == ["food_passed_on", "place_added", "place_needs"]
    salon_row = db_session.scalar(select(CommunityPlace).where(CommunityPlace.name == "太子堂サロン"))
    assert salon_row is not None and salon_row.kind == "salon" and salon_row.openings
