"""bot/desk/proxy.py over HTTP: a request entered for a resident without LINE is matched, and its check-in
comes to the desk."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.handlers.dialogue import NEAR, register_supporter
from tests.support import Chat, FakeClock


def test_proxy_request_is_matched_and_its_supporter_is_asked(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    form = {
        "name": "木村トメ",
        "phone": "03-9999-0000",
        "address": "東京都世田谷区世田谷4丁目",
        "lat": "35.6466",
        "lon": "139.6532",
        "anytime": "1",
        "text": "台所の電球が切れてしまって",
    }
    page = post(client, "/desk/proxy", form, page="/desk/proxy")
    assert "近くのサポーター1人にお知らせしました" in page and "木村トメ" in page
    card = chat.new_texts(near)
    assert card and "木村" not in " ".join(card)
    from tests.handlers.dialogue import tap_label

    accepted = " ".join(tap_label(chat, near, "引き受ける"))
    assert "木村トメ" in accepted and "コーディネーター（田中）に電話してください：03-1234-5678" in accepted
    # An emergency is not queued: the coordinator is told what to do.
    token = csrf_from(client, "/desk/proxy")
    refused = client.post("/desk/proxy", data={**form, "text": "母が倒れて息が苦しい", "csrf_token": token})
    assert refused.status_code == 400 and "119" in refused.get_data(as_text=True)
    assert len(db_session.scalars(select(HelpRequest)).all()) == 1


def test_a_proxy_residents_check_in_comes_to_the_desk_and_done_credits_the_supporter(
    chat: Chat, client: FlaskClient, db_session: Session, clock: FakeClock
) -> None:
    from db.models import TimeCredit
    from tests.handlers.dialogue import tap_label

    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    form = {
        "name": "木村トメ",
        "phone": "03-9999-0000",
        "address": "東京都世田谷区世田谷4丁目",
        "lat": "35.6466",
        "lon": "139.6532",
        "when": "2026-11-26T14:00",
        "text": "台所の電球が切れてしまって",
    }
    post(client, "/desk/proxy", form, page="/desk/proxy")
    tap_label(chat, near, "引き受ける")
    request_id = db_session.scalars(select(HelpRequest.id)).one()
    assert "電話で確かめてください" not in client.get("/desk/").get_data(as_text=True)
    clock.advance(days=1, hours=6)  # past 14:00 on the 26th and the two hours after it
    today = client.get("/desk/").get_data(as_text=True)
    assert (
        "人の手が必要（1件）" in today
        and "LINEのない方です。終わったかどうか、電話で確かめてください" in today
    )
    chat.new_texts(near)
    page = post(client, f"/desk/requests/{request_id}/done", {}, page=f"/desk/requests/{request_id}")
    assert "完了にしました" in page and "田中さん（コーディネーター）が完了にした" in page
    assert "人の手が必要（0件）" in client.get("/desk/").get_data(as_text=True)
    tap_label(chat, near, "30分")
    minutes = {(c.entry.value, c.minutes) for c in db_session.scalars(select(TimeCredit))}
    assert minutes == {("given", 30), ("received", 30)}
