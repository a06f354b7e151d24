"""The coordinators' desk over HTTP: sign-in, lock-out, CSRF, headers, and what each page shows and does."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DeskAction, HelpRequest, Proposal, ProposalStatus, RequestStatus
from tests.bot.desk_support import PASSWORD, TOKEN, add_account, csrf_from, post, sign_in
from tests.handlers.cycle import submit
from tests.handlers.dialogue import FAR, NEAR, register_supporter
from tests.support import Chat, FakeClock

# Open to anyone by design: the sign-in form, the stylesheet, and one-time links (tested on their own).
PUBLIC = {"desk.sign_in", "desk.static", "desk.link_sign_in"}


def desk_rules(app: Flask) -> list[tuple[str, str, set[str]]]:
    """Every desk route from the app's url_map, with a sample path."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("desk.") and rule.endpoint not in PUBLIC:
            path = re.sub(r"<int:\w+>", "1", rule.rule).replace("<path:filename>", "x")
            found.append((rule.endpoint, path, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return found


def test_every_desk_route_refuses_anonymous_users_and_posts_without_a_token(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    rules = desk_rules(app)
    assert {"desk.today", "desk.request_page", "desk.assign", "desk.proxy"} <= {e for e, _, _ in rules}
    for endpoint, path, methods in rules:
        for method in methods:
            response = client.open(path, method=method)
            assert response.status_code in (302, 400), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/desk/sign-in"), endpoint
    add_account(db_session)
    db_session.commit()
    assert sign_in(client) == 302
    for endpoint, path, methods in rules:
        if "POST" not in methods:
            continue
        for token in (None, "forged-token"):
            data = {} if token is None else {"csrf_token": token}
            response = client.post(path, data=data)
            assert response.status_code == 400, (endpoint, token, response.status_code)
            assert "CSRF" in response.get_data(as_text=True)
    # Signing out needs the token too, and then the desk is closed again.
    assert client.post("/desk/sign-out").status_code == 400
    token = csrf_from(client, "/desk/")
    assert client.post("/desk/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/desk/").status_code == 302


def test_the_webhook_stays_public_and_signature_checked(chat: Chat) -> None:
    assert chat.post() == 200
    assert chat.post(signature="bad") == 400


def test_sign_in_sets_a_safe_cookie_and_pages_carry_security_headers(
    client: FlaskClient, db_session: Session
) -> None:
    add_account(db_session)
    db_session.commit()
    page = client.get("/desk/sign-in")
    assert page.status_code == 200 and "ログイン" in page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = csrf_from(client, "/desk/sign-in")
    response = client.post("/desk/sign-in", data={"login": "田中", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # http://
    https_client = client.application.test_client()
    secure_page = https_client.get("/desk/sign-in", base_url="https://desk.example").get_data(as_text=True)
    https = https_client.post(
        "/desk/sign-in",
        data={"login": "田中", "password": PASSWORD, "csrf_token": TOKEN.search(secure_page).group(1)},  # type: ignore[union-attr]
        base_url="https://desk.example",
        headers={"Referer": "https://desk.example/desk/sign-in"},
    )
    assert "Secure" in https.headers.get("Set-Cookie", ""), https.status_code
    assert client.get("/desk/").status_code == 200
    # An outside address after signing in is ignored.
    token = csrf_from(client, "/desk/sign-in")
    evil = client.post(
        "/desk/sign-in",
        data={"login": "田中", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/desk/"},
    )
    assert evil.headers["Location"] == "/desk/"


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(
    client: FlaskClient, db_session: Session, clock: FakeClock
) -> None:
    add_account(db_session)
    db_session.commit()
    for _ in range(5):
        assert sign_in(client, password="wrong-password") == 401
    assert sign_in(client) == 429
    assert sign_in(client, login="知らない人", password="x") == 401  # other names are not locked
    clock.advance(minutes=16)
    assert sign_in(client) == 302


def test_lock_out_holds_across_web_processes(
    app: Flask, client: FlaskClient, db_session: Session, settings: object
) -> None:
    from bot.app import create_app

    add_account(db_session)
    db_session.commit()
    for _ in range(5):
        sign_in(client, password="wrong-password")
    other = create_app(app.extensions["otagai.settings"], clock=app.extensions["otagai.clock"])
    try:
        assert sign_in(other.test_client()) == 429
    finally:
        other.extensions["otagai.gateway"].close()
        other.extensions["otagai.engine"].dispose()


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


def test_coordinators_add_with_a_password_makes_a_desk_account_of_an_area(
    database_url: str, client: FlaskClient, chat: Chat, db_session: Session
) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    def run(*args: str, typed: str = "") -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url}, input=typed)
        return result.exit_code, result.output

    code, out = run("areas", "add", "世田谷", "--lat", "35.6466", "--lon", "139.6532", "--radius-km", "5")
    assert code == 0, out
    run("areas", "add", "札幌", "--lat", "43.06", "--lon", "141.35", "--radius-km", "5")
    code, out = run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed="short\nshort\n")
    assert code == 1 and "10文字以上" in out
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    code, out = run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed=typed)
    assert code == 0 and "鈴木 can sign in to the desk at /desk/ (area 世田谷)" in out, out
    code, out = run("coordinators", "add", "高橋", "--password", "--area", "札幌", typed=typed)
    assert code == 0, out
    assert PASSWORD not in out

    # A request in Setagaya: the Setagaya coordinator sees it, the Sapporo one does not.
    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    request_id = db_session.scalars(select(HelpRequest.id)).one()
    assert sign_in(client, "鈴木") == 302
    assert f"{request_id}番" in client.get("/desk/").get_data(as_text=True)
    sapporo = client.application.test_client()
    assert sign_in(sapporo, "高橋") == 302
    assert f"{request_id}番" not in sapporo.get("/desk/").get_data(as_text=True)
    assert sapporo.get(f"/desk/requests/{request_id}").status_code == 404

    # A new password signs out the sessions made with the old one; remove closes the desk.
    other = "another-long-password"
    run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed=f"{other}\n{other}\n")
    assert client.get("/desk/").status_code == 302
    code, out = run("coordinators", "remove", "高橋")
    assert code == 0 and "can no longer sign in" in out
    assert sapporo.get("/desk/").status_code == 302


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


def test_roster_page_import_export_edit_and_block(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    from db.models import Member

    add_account(db_session)
    db_session.commit()
    sign_in(client)
    good = (
        "名前,LINEユーザーID,できること,緯度,経度,半径km\r\n"
        "髙橋①,,電球の交換、草むしり,35.65,139.65,3\r\n"
        "=HYPERLINK(1),,買い物,35.65,139.65,2\r\n"
    ).encode("cp932")
    bad = ("名前,LINEユーザーID,できること,緯度,経度,半径km\r\n,,なにもできない,北,139.65,99\r\n").encode(
        "cp932"
    )

    def upload(data: bytes) -> tuple[int, str]:
        import io

        token = csrf_from(client, "/desk/members")
        response = client.post(
            "/desk/members/import",
            data={"csrf_token": token, "file": (io.BytesIO(data), "meibo.csv")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        return response.status_code, response.get_data(as_text=True)

    status, page = upload(bad)
    assert status == 400 and "何も取り込んでいません" in page and "2行目" in page
    assert "名前が空です" in page and "緯度「北」が数字ではありません" in page
    assert db_session.scalars(select(Member)).all() == []
    status, page = upload(good)
    assert status == 200 and "名簿を取り込みました：2人（新しく2人・更新0人）" in page and "髙橋①" in page

    exported = client.get("/desk/members.csv")
    assert exported.mimetype == "text/csv" and exported.data.startswith(b"\xef\xbb\xbf")
    text = exported.data.decode("utf-8-sig")
    assert text.startswith("名前,LINEユーザーID,できること,緯度,経度,半径km,お休み中")
    assert "'=HYPERLINK(1)" in text  # never run as a formula by Excel
    # What was exported imports again as the same people.
    status, page = upload(exported.data)
    assert status == 200 and "2人（新しく0人・更新2人）" in page

    takahashi = db_session.scalars(select(Member).where(Member.display_name == "髙橋①")).one()
    path = f"/desk/members/{takahashi.id}"
    page = post(
        client,
        path,
        {"name": "髙橋①", "skills": "電球の交換", "radius_km": "5", "paused": "1", "blocked": "1"},
        page=path,
    )
    assert "保存しました" in page
    db_session.expire_all()
    takahashi = db_session.get(Member, takahashi.id)  # type: ignore[assignment]
    assert takahashi.paused and takahashi.blocked and takahashi.radius_km == 5
    from db.models import Area

    db_session.add(Area(name="三軒茶屋ハブ", lat=35.65, lon=139.65, radius_km=2))
    db_session.commit()
    roster = client.get("/desk/members").get_data(as_text=True)
    assert "利用停止" in roster and "<td>三軒茶屋ハブ</td>" in roster


def test_numbers_page_draws_the_reports_figures_and_offers_csv(
    app: Flask, chat: Chat, client: FlaskClient, clock: FakeClock, db_session: Session
) -> None:
    from tests.handlers.cycle import at, jst, matched
    from tests.handlers.dialogue import tap_label

    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    tap_label(chat, match.supporter, "1時間半")
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    page = client.get("/desk/numbers?month=2026-11").get_data(as_text=True)
    for figure in (
        "送られた依頼</dt><dd>1件",
        "完了</dt><dd>1件",
        "1.5時間（1人）",
        "0分",
        "返事をしたサポーター</dt><dd>1人",
    ):
        assert figure in page, figure
    assert page.count("<svg") == 3 and 'role="img"' in page and "電球・修理" in page and ">1件</text>" in page
    assert "佐藤一郎" in page and ">1.5時間</text>" in page
    requests_csv = client.get("/desk/numbers.csv?month=2026-11")
    assert requests_csv.data.startswith(b"\xef\xbb\xbf")
    lines = requests_csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "種類,依頼,完了,決まりました,さがしています,取り消し,期限切れ"
    assert lines[1:] == ["電球・修理,1,1,0,0,0,0", "合計,1,1,0,0,0,0"]
    ledger = client.get("/desk/credits.csv?month=2026-11").data.decode("utf-8-sig").splitlines()
    assert ledger == ["名前,手伝った時間,手伝ってもらった時間", "佐藤一郎,1.5,0.0", "山田花子,0.0,1.5"]
    assert client.get("/desk/numbers?month=2026-13").status_code == 400
    empty = client.get("/desk/numbers?month=2025-01").get_data(as_text=True)
    assert "データがありません" in empty
    # A chosen period, both days included: the request was sent on 25 November.
    period = client.get("/desk/numbers?from=2026-11-20&to=2026-11-25").get_data(as_text=True)
    assert "2026-11-20〜2026-11-25の数字" in period and "送られた依頼</dt><dd>1件" in period
    assert "/desk/numbers.csv?from=2026-11-20&amp;to=2026-11-25" in period
    after = client.get("/desk/numbers?from=2026-11-26&to=2026-11-30").get_data(as_text=True)
    assert "データがありません" in after
    period_csv = client.get("/desk/numbers.csv?from=2026-11-20&to=2026-11-25")
    assert period_csv.data.decode("utf-8-sig").splitlines()[-1] == "合計,1,1,0,0,0,0"
    assert client.get("/desk/numbers?from=2026-11-25&to=2026-11-20").status_code == 400
    assert client.get("/desk/numbers?from=2026-11-xx&to=2026-11-20").status_code == 400


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


def test_old_sign_in_attempts_and_handled_notices_are_purged(
    app: Flask, db_session: Session, clock: FakeClock
) -> None:
    from bot.jobs.retention import Retention
    from db import desk as desk_repo
    from db.models import CoordinatorNotice, SignInAttempt

    account = add_account(db_session)
    desk_repo.record_attempt(db_session, "田中", False, clock.now)
    db_session.add(CoordinatorNotice(text="【要対応】古い", created_at=clock.now, handled_at=clock.now))
    db_session.add(CoordinatorNotice(text="【要対応】まだ", created_at=clock.now))
    db_session.commit()
    assert account.id
    retention = Retention(app.extensions["otagai.session_factory"])
    assert retention.run(clock.now).desk == 0
    later = clock.now.replace(year=clock.now.year + 1)
    dry = retention.run(later, dry_run=True)
    assert dry.desk == 2 and "2 desk rows would be deleted" in dry.summary()
    assert retention.run(later).desk == 2
    assert db_session.scalars(select(SignInAttempt)).all() == []
    assert [n.text for n in db_session.scalars(select(CoordinatorNotice))] == ["【要対応】まだ"]


def test_a_one_time_link_in_line_signs_a_coordinator_in_once(
    database_url: str, chat: Chat, client: FlaskClient, clock: FakeClock, line_stub: object
) -> None:
    import re

    from click.testing import CliRunner

    from bot.cli import main
    from bot.dev.line_stub import LineStub
    from tests.support import SECRET
    from tests.support import TOKEN as LINE_TOKEN

    assert isinstance(line_stub, LineStub)
    env = {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_ENDPOINT": line_stub.url,
    }
    ito = chat.user("ito", "伊藤和子")
    chat.follow(ito)
    chat.new_texts(ito)
    assert CliRunner().invoke(main, ["coordinators", "add", "伊藤和子"], env=env).exit_code == 0
    refused = CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    assert refused.exit_code == 1 and "OTAGAI_PUBLIC_URL" in refused.output
    env["OTAGAI_PUBLIC_URL"] = "https://desk.example"
    sent = CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    assert sent.exit_code == 0, sent.output
    message = chat.new_texts(ito)[-1]
    assert "15分のあいだ、1回だけ使えます" in message
    found = re.search(r"https://desk\.example(/desk/link/[\w-]+)", message)
    assert found, message
    path = found.group(1)

    # Opening the link (as a link preview would) spends nothing; the tap does, once.
    page = client.get(path)
    assert page.status_code == 200 and "伊藤和子さんとして、デスクに入ります" in page.get_data(as_text=True)
    assert client.post(path).status_code == 400  # no CSRF token
    token = csrf_from(client, path)
    signed_in = client.post(path, data={"csrf_token": token})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    other = client.application.test_client()
    assert other.get(path).status_code == 410
    # A fresh link, too late.
    CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    late = re.search(r"(/desk/link/[\w-]+)", chat.new_texts(ito)[-1])
    assert late
    from datetime import UTC, datetime, timedelta

    clock.now = datetime.now(UTC) + timedelta(minutes=16)  # the command stamps links with the real time
    assert other.get(late.group(1)).status_code == 410
    assert other.get("/desk/link/not-a-token").status_code == 410
