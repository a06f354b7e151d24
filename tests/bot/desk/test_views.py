"""bot/desk/views.py over HTTP: today's list puts what needs a person first, a request's page acts (cancel,
a no-show told by phone), and coordinator notices reach the desk."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DeskAction, HelpRequest, Proposal, ProposalStatus, RequestStatus
from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.handlers.cycle import submit
from tests.handlers.dialogue import FAR, NEAR, register_supporter
from tests.support import Chat


def test_today_lists_what_needs_a_person_first_and_the_request_page_acts(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.needs_coordinator and request.status == RequestStatus.OPEN
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    today = client.get("/desk/").get_data(as_text=True)
    assert "人の手が必要（1件）" in today and "近くに合うサポーターがいません" in today
    assert f"{request.id}番" in today and "山田花子" in today

    # A nearby supporter registers; the desk now ranks them, and the coordinator asks them by hand.
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    page = client.get(f"/desk/requests/{request.id}").get_data(as_text=True)
    assert "佐藤一郎" in page and "指名する" in page and "種類" in page
    sato = db_session.scalar(select(Proposal.supporter_id).where(Proposal.request_id == request.id))
    assert sato is None
    from db.models import Member

    sato_id = db_session.scalar(select(Member.id).where(Member.line_user_id == near))
    page = post(client, f"/desk/requests/{request.id}/assign", {"member_id": str(sato_id)})
    assert "佐藤一郎さんにLINEでお願いしました" in page
    card = chat.new_texts(near)
    assert any("コーディネーターから" in text for text in card), card
    proposal = db_session.scalars(select(Proposal).where(Proposal.request_id == request.id)).one()
    assert proposal.status == ProposalStatus.ASKED

    # Closing with a note takes it off the list and is written down with who did it.
    page = post(client, f"/desk/requests/{request.id}/close", {"note": "電話で山田さんに説明した"})
    assert "対応済みにしました" in page and "田中さん（コーディネーター）が対応済みにした" in page
    db_session.expire_all()
    assert not db_session.get(HelpRequest, request.id).needs_coordinator  # type: ignore[union-attr]
    actions = db_session.scalars(select(DeskAction).order_by(DeskAction.id)).all()
    assert [(a.action, a.account.login) for a in actions] == [("assign", "田中"), ("close", "田中")]


def test_cancel_tells_the_resident_and_the_supporters(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    chat.new_texts(near)
    chat.new_texts(resident)
    request = db_session.scalars(select(HelpRequest)).one()
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    page = post(client, f"/desk/requests/{request.id}/cancel", {"note": "ご家族が替えた"})
    assert "取り消しました" in page
    assert any("取り消されました" in t for t in chat.new_texts(near))
    assert any("コーディネーターが取り消しました" in t for t in chat.new_texts(resident))
    db_session.expire_all()
    assert db_session.get(HelpRequest, request.id).status == RequestStatus.CANCELLED  # type: ignore[union-attr]


def test_a_no_show_told_by_phone_reopens_the_request(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    from tests.handlers.cycle import matched

    match = matched(chat, when=None)
    chat.say(match.resident, "メッセージを送る")
    assert chat.say(match.resident, "玄関の鍵はあけておきます") == ["佐藤一郎さんに送りました。"]
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    path = f"/desk/requests/{match.request_id}"
    story = client.get(path).get_data(as_text=True)
    assert "ふたりのやりとり（メッセージ）：1通" in story and "玄関の鍵" not in story
    page = post(client, f"{path}/no-show", {}, page=path)
    assert "来なかったことにしました" in page
    told = " ".join(chat.new_texts(match.supporter))
    assert "依頼した方から「来なかった」と連絡がありました" in told
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.OPEN and request.accepted_by_id is None


def test_coordinator_notices_reach_the_desk_even_with_nobody_on_line(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    """A request nobody can take: the 【要対応】 notice is kept for the desk until someone handles it."""
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    add_account(db_session)
    add_account(db_session, "佐々木")
    db_session.commit()
    sign_in(client)
    today = client.get("/desk/").get_data(as_text=True)
    assert "LINEで届いたお知らせ（1件）" in today and "【要対応】依頼番号" in today
    other = client.application.test_client()
    sign_in(other, "佐々木")
    stale = csrf_from(other, "/desk/")
    post(client, "/desk/notices/1/done", {})
    assert "LINEで届いたお知らせ" not in client.get("/desk/").get_data(as_text=True)
    late = other.post("/desk/notices/1/done", data={"csrf_token": stale}, follow_redirects=True)
    assert "ほかのコーディネーターが確認済みです" in late.get_data(as_text=True)
