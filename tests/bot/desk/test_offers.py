"""bot/desk/offers.py over HTTP: the やってみたい board groups people and messages them in one multicast."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DeskAction
from tests.bot.desk_support import add_account, post, sign_in
from tests.support import Chat


def test_offers_board_groups_people_and_messages_them_in_one_multicast(
    chat: Chat, client: FlaskClient, db_session: Session, line_stub: object
) -> None:
    from bot.dev.line_stub import LineStub

    assert isinstance(line_stub, LineStub)
    people = [chat.user(name, shown) for name, shown in (("a", "青木"), ("b", "馬場"), ("c", "千田"))]
    for user in people:
        chat.follow(user)
    chat.say(people[0], "草むしりを手伝ってみたい")
    chat.say(people[1], "庭の手入れや草むしりをやってみたい")
    chat.say(people[2], "料理を教えてみたい")
    for user in people:
        chat.new_texts(user)
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    board = client.get("/desk/offers").get_data(as_text=True)
    assert "庭・草むしり（2人）" in board and "同じことをやってみたい人が2人います" in board
    assert "青木</strong>さん：草むしりを手伝ってみたい" in board
    before = line_stub.calls("/v2/bot/message/multicast")
    page = post(
        client,
        "/desk/offers/message",
        {"theme": "garden", "message": "土曜の朝、公園に集まりませんか"},
        "/desk/offers",
    )
    assert "「庭・草むしり」の2人に、LINEでまとめて送りました" in page
    assert line_stub.calls("/v2/bot/message/multicast") == before + 1
    for user in people[:2]:
        assert chat.new_texts(user) == [
            "【やってみたい：庭・草むしり】\nコーディネーターからのお知らせです。\n\n土曜の朝、公園に集まりませんか"
        ]
    assert chat.new_texts(people[2]) == []
    action = db_session.scalars(select(DeskAction)).one()
    assert (action.action, action.note) == ("offer_message", "庭・草むしり：2人")
