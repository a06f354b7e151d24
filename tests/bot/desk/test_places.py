"""bot/desk/places.py over HTTP: a typed address or 郵便番号 is located offline and said back."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.handlers.dialogue import NEAR, register_supporter
from tests.support import Chat


def test_a_typed_address_or_postcode_is_located_offline_and_said_back(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    form = {"name": "木村トメ", "phone": "03-9999-0000", "anytime": "1", "text": "電球が切れてしまって"}
    page = post(client, "/desk/proxy", {**form, "address": "〒154-0017"}, page="/desk/proxy")
    assert "世田谷区世田谷」の町の中心で探します" in page and "近くのサポーター1人にお知らせしました" in page
    assert chat.new_texts(near)

    # A place nobody can find is still taken, flagged for the coordinator, who places it later.
    page = post(client, "/desk/proxy", {**form, "address": "ふじみ荘の二階"}, page="/desk/proxy")
    assert "「ふじみ荘の二階」の場所が見つかりませんでした" in page and "まだ誰にも知らせていません" in page
    lost = db_session.scalars(select(HelpRequest).where(HelpRequest.lat.is_(None))).one()
    assert lost.needs_coordinator
    assert "場所が名前だけです" in client.get("/desk/").get_data(as_text=True)
    path = f"/desk/requests/{lost.id}"
    page = post(client, f"{path}/place", {"address": "世田谷区世田谷4丁目", "lat": "", "lon": ""}, page=path)
    assert "町の中心で探します" in page and "場所を変えました" in page
    db_session.expire_all()
    placed = db_session.get(HelpRequest, lost.id)
    assert placed is not None and placed.lat is not None and not placed.needs_coordinator
    assert chat.new_texts(near), "the supporter nearby is asked once the place is known"
    # Coordinates outside Japan are refused, with the form kept.
    token = csrf_from(client, "/desk/proxy")
    bad = client.post("/desk/proxy", data={**form, "lat": "51.5", "lon": "-0.12", "csrf_token": token})
    assert bad.status_code == 400 and "日本の中の場所ではありません" in bad.get_data(as_text=True)
