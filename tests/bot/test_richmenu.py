"""The rich menu: drawn, uploaded to the LINE stand-in over real HTTP (menu on the API host, image on the
data host), default for everyone, coordinators' own per user; deploy again replaces; the stand-in refuses
what LINE refuses."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import LineStub, user_id_for
from bot.richmenu import (
    HEIGHT,
    WIDTH,
    Menu,
    RichMenus,
    coordinator_menu,
    deploy,
    draw,
    main_menu,
    remove,
    show,
)
from tests.handlers.dialogue import RESIDENT_HOME
from tests.handlers.places_town import seed_town
from tests.support import TOKEN, Chat

COORDINATOR = user_id_for("coordinator")
RESIDENT = user_id_for("resident")


@pytest.fixture
def menus(line_stub: LineStub) -> Iterator[RichMenus]:
    with RichMenus(TOKEN, line_stub.url, line_stub.data_url) as client:
        yield client


def test_deploy_makes_the_main_menu_everyones_and_the_desk_menu_the_coordinators(
    line_stub: LineStub, menus: RichMenus
) -> None:
    report = deploy(menus, [COORDINATOR])

    everyone = line_stub.rich_menu_for(RESIDENT)
    coordinator = line_stub.rich_menu_for(COORDINATOR)
    assert everyone is not None and everyone.rich_menu_id == report.main_id
    assert coordinator is not None and coordinator.rich_menu_id == report.coordinator_id
    assert _tile_texts(everyone.menu) == [
        "困りごとを相談",
        "近くの食堂・場所",
        "やってみたい",
        "自分の依頼",
        "サポーター",
        "使い方",
    ]
    assert _tile_texts(coordinator.menu) == [
        "要対応の一覧",
        "困りごとを相談",
        "近くの食堂・場所",
        "やってみたい",
        "自分の依頼",
        "サポーター",
    ]
    with Image.open(io.BytesIO(everyone.image)) as image:
        assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    assert len(everyone.image) < 1024 * 1024
    assert report.coordinators_linked == 1 and report.replaced == []


def test_deploying_again_replaces_the_old_menus_instead_of_piling_them_up(
    line_stub: LineStub, menus: RichMenus
) -> None:
    first = deploy(menus, [COORDINATOR])
    second = deploy(menus, [COORDINATOR])

    assert sorted(line_stub.rich_menu_ids) == sorted([second.main_id, second.coordinator_id])
    assert sorted(second.replaced) == sorted([first.main_id, first.coordinator_id])
    assert line_stub.rich_menu_for(COORDINATOR).rich_menu_id == second.coordinator_id  # type: ignore[union-attr]


def test_show_and_remove(line_stub: LineStub, menus: RichMenus) -> None:
    report = deploy(menus, [COORDINATOR])

    state = show(menus, [COORDINATOR, RESIDENT])
    assert state.default_id == report.main_id
    assert state.coordinator_links == {COORDINATOR: report.coordinator_id, RESIDENT: None}
    summary = state.summary({COORDINATOR: "伊藤"})
    assert "otagai-main  2500x1686  6 areas  (default)" in summary
    assert f"coordinator 伊藤: {report.coordinator_id}" in summary

    assert remove(menus, [COORDINATOR]) == 2
    assert line_stub.rich_menu_ids == [] and line_stub.rich_menu_for(COORDINATOR) is None
    assert "no Otagai rich menu" in show(menus, []).summary({})


def test_cli_deploy_show_remove_link_the_coordinators_in_the_database(
    chat: Chat, database_url: str, line_stub: LineStub
) -> None:
    coordinator = chat.user("coord", "伊藤和子")
    chat.follow(coordinator)
    env = {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": "secret",
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_ENDPOINT": line_stub.url,
        "LINE_API_DATA_ENDPOINT": line_stub.data_url,
    }
    runner = CliRunner()
    assert runner.invoke(main, ["coordinators", "add", "伊藤和子"], env=env).exit_code == 0

    deployed = runner.invoke(main, ["richmenu", "deploy"], env=env)
    assert deployed.exit_code == 0, deployed.output
    assert "linked to 1 coordinator(s)" in deployed.output
    linked = line_stub.rich_menu_for(coordinator)
    assert linked is not None and linked.menu["name"] == "otagai-coordinator"

    shown = runner.invoke(main, ["richmenu", "show"], env=env)
    assert "(default)" in shown.output and "coordinator 伊藤和子: richmenu-" in shown.output

    removed = runner.invoke(main, ["richmenu", "remove"], env=env)
    assert removed.exit_code == 0 and "2 Otagai rich menu(s) deleted" in removed.output
    assert line_stub.rich_menu_for(coordinator) is None


def test_cli_says_what_line_answered_when_it_refuses(database_url: str, line_stub: LineStub) -> None:
    env = {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": "secret",
        "LINE_CHANNEL_ACCESS_TOKEN": "wrong-token",
        "LINE_API_ENDPOINT": line_stub.url,
        "LINE_API_DATA_ENDPOINT": line_stub.data_url,
    }
    result = CliRunner().invoke(main, ["richmenu", "show"], env=env)
    assert result.exit_code == 1 and "LINE answered 401" in result.output


def test_a_tap_on_the_supporter_tile_starts_registration_for_a_resident(chat: Chat) -> None:
    resident = chat.user("resident", "山田花子")
    chat.follow(resident)
    tile = next(
        area["action"] for area in main_menu().to_json()["areas"] if area["action"]["label"] == "サポーター"
    )

    answer = chat.say(resident, tile["text"])

    assert answer[0].startswith("どんなことを手伝えますか？"), answer  # registration begins


def _tile(menu: Menu, text: str) -> dict[str, Any]:
    action: dict[str, Any] = next(
        area["action"] for area in menu.to_json()["areas"] if area["action"]["text"] == text
    )
    return action


@pytest.mark.parametrize("menu", [main_menu(), coordinator_menu()], ids=["main", "coordinator"])
def test_each_menu_is_six_big_tiles_that_cover_the_image_once(menu: Menu) -> None:
    """LINE only checks each area is inside the image; a tile hiding another would be a silent bug."""
    areas = menu.to_json()["areas"]
    assert len(areas) == 6
    covered = [[0] * 3 for _ in range(2)]
    for area in areas:
        box = area["bounds"]
        column, row = round(box["x"] * 3 / WIDTH), round(box["y"] * 2 / HEIGHT)
        for step in range(round(box["width"] * 3 / WIDTH)):
            covered[row][column + step] += 1
        assert box["x"] + box["width"] <= WIDTH and box["y"] + box["height"] <= HEIGHT
        assert len(area["action"]["label"]) <= 20  # read aloud by screen readers; LINE's limit
        assert area["action"]["text"]  # every tap says something the bot answers
    assert covered == [[1, 1, 1], [1, 1, 1]]


def test_the_places_tile_asks_where_then_shows_every_kind_of_place_nearby(
    chat: Chat, db_session: Session
) -> None:
    seed_town(db_session)
    resident = chat.user("resident", "山田花子")
    chat.follow(resident)
    tile = _tile(main_menu(), "近くの食堂・場所")

    assert chat.say(resident, tile["text"]) == [
        "どのあたりで探しますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
    ]
    answer = chat.location(resident, *RESIDENT_HOME, address="東京都世田谷区世田谷4丁目21-27")

    assert answer[0].endswith("「行き方」を押すと、地図を送ります。")
    names = _carousel_names(chat, resident)
    assert names[0] == "みんなのおうち せたがや"  # nearest first, whatever its kind
    assert {"ひまわりこども食堂", "みんなの食堂さくら", "まちの食品受付"} <= set(names)
    assert "なにわこども食堂" not in names  # Osaka is far away
    # The place given once is remembered: the next tap shows the places at once.
    again = chat.say(resident, tile["text"])
    assert again[0].endswith("「行き方」を押すと、地図を送ります。")


def test_the_places_tile_interrupts_a_flow_in_progress_like_every_tile(
    chat: Chat, db_session: Session
) -> None:
    seed_town(db_session)
    resident = chat.user("resident", "山田花子")
    chat.follow(resident)
    tile = _tile(main_menu(), "近くの食堂・場所")
    chat.say(resident, tile["text"])
    chat.location(resident, *RESIDENT_HOME)  # now their place is known
    assert chat.say(resident, "サポーターになる")[0].startswith("どんなことを手伝えますか？")

    answer = chat.say(resident, tile["text"])

    assert answer[0].endswith("「行き方」を押すと、地図を送ります。")
    assert _carousel_names(chat, resident)[0] == "みんなのおうち せたがや"
    assert chat.say(resident, "やめる")[0] == "今、進めている手続きはありません。"  # registration was left


def test_a_coordinator_taps_the_places_tile_too(chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    coordinator = chat.user("coord", "伊藤和子")
    chat.follow(coordinator)
    tile = _tile(coordinator_menu(), "近くの食堂・場所")
    assert chat.say(coordinator, tile["text"])[0].startswith("どのあたりで探しますか？")
    assert chat.say(coordinator, "世田谷区世田谷")[0].endswith("「行き方」を押すと、地図を送ります。")


def _carousel_names(chat: Chat, user: str) -> list[str]:
    flex = next(m for m in reversed(chat.stub.messages_for(user)) if m["type"] == "flex")
    return [bubble["body"]["contents"][0]["text"] for bubble in flex["contents"]["contents"]]


# --- LINE's limits, as the stand-in enforces them ---------------------------------------------


def _menu(**changes: Any) -> dict[str, Any]:
    menu = main_menu().to_json()
    menu.update(changes)
    return menu


@pytest.mark.parametrize(
    ("menu", "prop"),
    [
        (_menu(size={"width": 3000, "height": 1686}), "size.width"),
        (_menu(size={"width": 1200, "height": 1000}), "size"),
        (_menu(size={"width": 2500, "height": 200}), "size.height"),
        (_menu(chatBarText="メニューを開いてボタンを押してください"), "chatBarText"),
        (_menu(areas=[main_menu().to_json()["areas"][0]] * 21), "areas"),
        (
            _menu(
                areas=[
                    {
                        "bounds": {"x": 2000, "y": 0, "width": 1000, "height": 843},
                        "action": {"type": "message", "text": "はい"},
                    }
                ]
            ),
            "areas[0].bounds",
        ),
        (
            _menu(
                areas=[{"bounds": {"x": 0, "y": 0, "width": 10, "height": 10}, "action": {"type": "message"}}]
            ),
            "areas[0].action.text",
        ),
    ],
)
def test_the_stand_in_refuses_a_menu_line_would_refuse(menu: dict[str, Any], prop: str) -> None:
    from tests.bot.dev.test_line_stub import raw_call

    with LineStub(TOKEN) as stub:
        status, body, _ = raw_call(stub, "POST", "/v2/bot/richmenu", menu)
    assert status == 400
    assert prop in [detail["property"] for detail in body["details"]], body


def test_the_image_goes_to_the_data_host_once_in_the_menus_size_before_any_link() -> None:
    from tests.bot.dev.test_line_stub import raw_call

    small = io.BytesIO()
    Image.new("RGB", (800, 540)).save(small, format="PNG")
    png = draw(coordinator_menu())
    with LineStub(TOKEN) as stub:
        _, created, _ = raw_call(stub, "POST", "/v2/bot/richmenu", main_menu().to_json())
        menu_id = created["richMenuId"]
        path = f"/v2/bot/richmenu/{menu_id}/content"

        early, _, _ = raw_call(stub, "POST", f"/v2/bot/user/all/richmenu/{menu_id}")
        on_api_host, _, _ = raw_call(stub, "POST", path, headers={"Content-Type": "image/png"}, data=png)
        data = _DataHost(stub)
        wrong_size = data.upload(path, small.getvalue())
        as_jpeg = data.upload(path, png, "image/jpeg")
        uploaded = data.upload(path, png)
        again = data.upload(path, png)
        default, _, _ = raw_call(stub, "POST", f"/v2/bot/user/all/richmenu/{menu_id}")

    assert early == 400  # LINE: upload the image before applying the menu
    assert on_api_host == 404
    assert (wrong_size, as_jpeg, uploaded, again) == (400, 400, 200, 400)
    assert default == 200


class _DataHost:
    def __init__(self, stub: LineStub) -> None:
        self.stub = stub

    def upload(self, path: str, data: bytes, content_type: str = "image/png") -> int:
        import http.client
        from urllib.parse import urlsplit

        url = urlsplit(self.stub.data_url)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        try:
            headers = {"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"}
            connection.request("POST", path, body=data, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def _tile_texts(menu: dict[str, Any]) -> list[str]:
    return [area["action"]["text"] for area in menu["areas"]]


def test_the_stand_in_allows_100_menu_changes_an_hour() -> None:
    from tests.bot.dev.test_line_stub import FakeClock, raw_call

    clock = FakeClock()
    with LineStub(TOKEN, clock=clock) as stub:
        statuses = [raw_call(stub, "POST", "/v2/bot/richmenu", main_menu().to_json())[0] for _ in range(101)]
        clock.advance(3600)
        later, _, _ = raw_call(stub, "POST", "/v2/bot/richmenu", main_menu().to_json())
    assert statuses[:100] == [200] * 100 and statuses[100] == 429
    assert later == 200
