"""The scheme on the desk over HTTP: 面談・承認, 利用券, 月の精算, 活動報告, 保険, 記録 and 顔合わせ, each
with the same effect as its operator command, audited, and hidden when its feature is off."""

from __future__ import annotations

import csv
import io
import re

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import DeskAction, Member, SupporterRecord, SupporterStatus, TicketEntry
from handlers.settings import Settings
from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.handlers.cycle import at, jst, make_coordinator, matched, submit
from tests.handlers.dialogue import NEAR, register_supporter, tap_label
from tests.support import Chat, FakeClock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(vetting=True, fees=True)


def insurance_on(app: Flask) -> None:
    """The desk's 保険 page, once the visits are arranged (the supporters of these dialogues are not
    insured: with the check on in chat they could not accept)."""
    app.extensions["otagai.settings"] = app.extensions["otagai.settings"].with_overrides(insurance=True)


@pytest.fixture
def desk(client: FlaskClient, db_session: Session) -> FlaskClient:
    add_account(db_session)
    db_session.commit()
    assert sign_in(client) == 302
    return client


def audit_log(db_session: Session) -> list[tuple[str, str, str]]:
    db_session.expire_all()
    return [(a.who, a.action, a.note) for a in db_session.scalars(select(DeskAction).order_by(DeskAction.id))]


def member_id(db_session: Session, name: str) -> int:
    return db_session.scalars(select(Member.id).where(Member.display_name == name)).one()


def test_an_applicant_is_met_approved_and_then_asked_for_help(
    chat: Chat, desk: FlaskClient, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    kato = register_supporter(chat, "kato", "加藤次郎", "電球の交換", NEAR, approve=False)
    chat.new_texts(sato), chat.new_texts(kato)
    page = desk.get("/desk/applicants").get_data(as_text=True)
    assert "佐藤一郎" in page and "加藤次郎" in page and "電球・修理" in page

    sato_id, kato_id = member_id(db_session, "佐藤一郎"), member_id(db_session, "加藤次郎")
    meeting = {"met_on": "2026-11-24", "how": "briefing", "note": "説明会に参加"}
    page = post(desk, f"/desk/applicants/{sato_id}", {**meeting, "decision": "record"}, "/desk/applicants")
    assert "佐藤一郎さんの面談・説明会を記録しました" in page and "2026-11-24（説明会）" in page
    assert chat.new_texts(sato) == []  # a meeting alone tells nobody anything
    page = post(
        desk,
        f"/desk/applicants/{sato_id}",
        {**meeting, "how": "interview", "decision": "approve"},
        "/desk/applicants",
    )
    assert "佐藤一郎さんを承認しました" in page and "佐藤一郎さんを承認する" not in page  # off the list
    assert chat.new_texts(sato) == [
        "佐藤一郎さん、サポーターの登録が完了しました。ありがとうございます！\n近くで困りごとがあったら、お知らせします。"
    ]
    post(desk, f"/desk/applicants/{kato_id}", {**meeting, "decision": "decline"}, "/desk/applicants")
    assert chat.new_texts(kato)[0].startswith(
        "加藤次郎さん、サポーターへのお申し込み、ありがとうございました。"
    )

    db_session.expire_all()
    record = db_session.get(SupporterRecord, sato_id)
    assert record is not None and record.status == SupporterStatus.APPROVED and record.decided_by == "田中"
    assert str(record.met_on) == "2026-11-24" and record.met_how == "面談"
    assert audit_log(db_session) == [
        ("田中", "supporter_met", "説明会 2026-11-24 説明会に参加"),
        ("田中", "supporter_approved", "面談 2026-11-24 説明会に参加"),
        ("田中", "supporter_declined", "説明会 2026-11-24 説明会に参加"),
    ]

    # Approval makes the next request reach them; the declined one never hears of it.
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    assert any("引き受ける" in str(m) for m in chat.stub.messages_for(sato))
    assert chat.new_texts(kato) == []
    token = csrf_from(desk, "/desk/applicants")
    bad = desk.post(f"/desk/applicants/{sato_id}", data={**meeting, "decision": "maybe", "csrf_token": token})
    assert bad.status_code == 400


def money(page: str, label: str) -> int:
    found = re.search(rf"<dt>{label}</dt><dd>(-?[\d,]+)円</dd>", page)
    assert found, label
    return int(found.group(1).replace(",", ""))


def test_tickets_are_sold_and_refunded_and_the_month_settles_to_the_tickets_used(
    app: Flask, chat: Chat, clock: FakeClock, desk: FlaskClient, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    yamada = member_id(db_session, "山田花子")
    page = desk.get("/desk/tickets").get_data(as_text=True)
    assert "山田花子さん" in page and ">0円<" in page
    page = post(
        desk,
        "/desk/tickets",
        {"member_id": str(yamada), "yen": "3000", "kind": "sold", "note": "600円券×5"},
        "/desk/tickets",
    )
    assert "山田花子さんに3,000円分の利用券を販売しました。残りは3,000円です。" in page
    page = post(
        desk, "/desk/tickets", {"member_id": str(yamada), "yen": "5000", "kind": "refunded"}, "/desk/tickets"
    )
    assert "山田花子さんの利用券は3,000円分しか残っていません。" in page
    page = post(
        desk, "/desk/tickets", {"member_id": str(yamada), "yen": "0", "kind": "sold"}, "/desk/tickets"
    )
    assert "金額は1円から" in page

    # The visit: done, 1時間半, travel and materials; then a same-month second visit cancelled on the day.
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    at(app, clock, clock.now)
    tap_label(chat, match.supporter, "1時間半")
    chat.say(match.supporter, "交通費 300円、材料費480円")
    page = post(
        desk, "/desk/tickets", {"member_id": str(yamada), "yen": "200", "kind": "refunded"}, "/desk/tickets"
    )
    assert "山田花子さんに200円を払い戻しました。残りは1,120円です。" in page

    page = desk.get("/desk/settlement?month=2026-11").get_data(as_text=True)
    resident, helpers, scheme = (
        money(page, "利用者の支払い"),
        money(page, "サポーターへ"),
        money(page, "団体へ"),
    )
    used = -(db_session.scalar(select(func.sum(TicketEntry.yen)).where(TicketEntry.kind == "used")) or 0)
    assert resident == helpers + scheme == money(page, "使われた利用券") == used == 1680
    assert "佐藤一郎" in page and "1,500円" in page and "1,120円" in page
    csv_body = desk.get("/desk/settlement.csv?month=2026-11")
    assert csv_body.headers["Content-Disposition"] == "attachment; filename=settlement-2026-11.csv"
    rows = list(csv.reader(io.StringIO(csv_body.get_data().decode("utf-8-sig"))))
    assert rows[1] == ["利用者（支払）", "山田花子", "1", "900", "300", "480", "1680", "1120"]
    assert "ありません" in desk.get("/desk/settlement?month=2026-10").get_data(as_text=True)
    assert desk.get("/desk/settlement?month=2026-13").status_code == 400
    assert desk.get("/desk/settlement?month=junk").status_code == 400

    assert [(who, action) for who, action, _ in audit_log(db_session)] == [
        ("田中", "tickets_sold"),
        ("田中", "tickets_refunded"),
    ]


def test_the_report_insurance_list_and_audit_pages(
    app: Flask, chat: Chat, clock: FakeClock, desk: FlaskClient, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    insurance_on(app)
    insurance = desk.get("/desk/insurance?month=2026-11").get_data(as_text=True)
    assert "佐藤一郎" in insurance and "2026-11-26 14:00" in insurance  # before the visit
    rows = list(
        csv.reader(io.StringIO(desk.get("/desk/insurance.csv?month=2026-11").get_data().decode("utf-8-sig")))
    )
    assert rows[0] == ["依頼番号", "活動者", "日時", "場所", "活動内容", "状態"] and rows[1][1] == "佐藤一郎"

    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    at(app, clock, clock.now)
    tap_label(chat, match.supporter, "1時間")
    chat.say(match.supporter, "なし")
    page = desk.get("/desk/reports?month=2026-11").get_data(as_text=True)
    assert "<dd>1件</dd>" in page and "<dd>1人</dd>" in page and "1時間0分" in page
    pdf = desk.get("/desk/reports.pdf?month=2026-11")
    assert pdf.mimetype == "application/pdf" and pdf.get_data().startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf.get_data())
    try:  # the summary ends with the places' figures (none registered here)
        summary = document[len(document) - 1].get_textpage().get_text_range()
    finally:
        document.close()
    assert "地域の場所（食堂・みんなのおうちなど）" in summary and "場所がひらいた回数：0回" in summary
    report_csv = desk.get("/desk/reports.csv?month=2026-11").get_data().decode("utf-8-sig")
    assert "佐藤一郎" in report_csv and "山" in report_csv

    post(desk, "/desk/settings", {"agreement": "きまり 第2版"}, "/desk/settings")
    post(desk, f"/desk/requests/{match.request_id}/close", {"note": "電話で確認"})
    everything = desk.get("/desk/audit").get_data(as_text=True)
    assert "活動のきまりを新しくした" in everything and "対応済みにした" in everything
    only = desk.get("/desk/audit?action=close").get_data(as_text=True)
    assert "対応済みにした" in only and "活動のきまりを新しくした" not in only.split("<table>")[1]
    assert "電話で確認" in desk.get(f"/desk/audit?request={match.request_id}").get_data(as_text=True)
    assert "この条件の記録は、ありません" in desk.get("/desk/audit?who=だれか").get_data(as_text=True)
    assert "この条件の記録は、ありません" in desk.get("/desk/audit?from=2030-01-01").get_data(as_text=True)


def test_a_coordinator_going_along_writes_to_both_sides_and_gets_the_reminders(
    app: Flask, chat: Chat, clock: FakeClock, client: FlaskClient, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    account = add_account(db_session, "伊藤")
    account.member_id = member_id(db_session, "コーディネーター")
    db_session.commit()
    assert sign_in(client, "伊藤") == 302
    page_path = f"/desk/requests/{match.request_id}"
    page = client.get(page_path).get_data(as_text=True)
    assert "顔合わせ" in page and "メッセージを送る" not in page

    page = post(client, f"{page_path}/first-visit", {"member_id": str(account.member_id)}, page_path)
    assert "顔合わせにしました" in page and "コーディネーターさんが同行します" in page
    told = chat.new_texts(coordinator)
    assert told and told[0].startswith(f"【顔合わせ】依頼 #{match.request_id}（電球・修理）に同行します。")
    assert any("一緒に伺います" in t for t in chat.new_texts(match.supporter))

    page = post(
        client,
        f"{page_path}/first-visit/message",
        {"message": "当日は私も伺います。よろしくお願いします。"},
        page_path,
    )
    assert "2人に、LINEで送りました。" in page
    written = (
        "【電球・修理の依頼】コーディネーターのコーディネーターさん（顔合わせに同行）から：\n"
        "当日は私も伺います。よろしくお願いします。"
    )
    assert chat.new_texts(match.resident) == [written] and chat.new_texts(match.supporter) == [written]
    # Each side can answer through the relay as usual, and the coordinator reads it.
    tap_label(chat, match.resident, "返事を送る")
    chat.say(match.resident, "ありがとうございます")
    assert chat.new_texts(coordinator) == ["【電球・修理の依頼】山田花子さんから：\nありがとうございます"]

    at(app, clock, jst(25, 18))  # the evening before: the coordinator gets the reminder too
    assert any(
        t.startswith("明日 14:00から、【電球・修理】のお手伝いです。") for t in chat.new_texts(coordinator)
    )
    assert ("伊藤", "first_visit_message", "2人へ") in audit_log(db_session)
    assert "当日は私も伺います" not in str(audit_log(db_session))

    page = post(client, f"{page_path}/first-visit", {"off": "1"}, page_path)
    assert "同行をやめました" in page
    token = csrf_from(client, page_path)
    refused = client.post(
        f"{page_path}/first-visit/message", data={"message": "x", "csrf_token": token}, follow_redirects=True
    )
    assert "送れませんでした" in refused.get_data(as_text=True)


def test_pages_of_features_switched_off_are_hidden(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    processor_settings = app.extensions["otagai.settings"]
    app.extensions["otagai.settings"] = processor_settings.with_overrides(fees=False)
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    today = client.get("/desk/").get_data(as_text=True)
    assert "利用券" not in today and "月の精算" not in today and "保険" not in today
    assert "面談・承認" in today and "活動報告" in today and "記録" in today
    for path in (
        "/desk/tickets",
        "/desk/settlement",
        "/desk/settlement.csv",
        "/desk/insurance",
        "/desk/insurance.csv",
    ):
        assert client.get(path).status_code == 404, path
    app.extensions["otagai.settings"] = processor_settings
    insurance_on(app)
    today = client.get("/desk/").get_data(as_text=True)
    assert "利用券" in today and "月の精算" in today and "保険" in today
