"""handlers/accept.py in the help cycle: supporters register, a resident asks, they hear, one accepts."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import HelpRequest, Member, OutboundMessage, Proposal, ProposalStatus, RequestStatus
from tests.handlers.cycle import carded
from tests.handlers.dialogue import (
    FAR,
    MID,
    NEAR,
    RESIDENT_ADDRESS,
    card_request_id,
    last,
    register_supporter,
    submit_request,
    tap_label,
)
from tests.support import Chat, action_data


def test_resident_to_accept_whole_dialogue(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換や簡単な修理ならできます", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球交換、家具の組み立て", MID, km=5)
    register_supporter(chat, "tanaka", "田中三郎", "パソコンを教えられます", NEAR)  # wrong skill
    register_supporter(chat, "far", "遠藤四郎", "電球の交換", FAR, km=1)  # too far for their radius
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)

    understood = chat.say(resident, "電球が切れて替えられないんです。山田です")
    assert understood[0].startswith("「電球が切れて替えられないんです。山田です」ですね。")
    assert "【電球・修理】" in understood[0]
    assert "どこで手伝ってほしいですか" in understood[1]
    assert {"type": "location", "label": "位置情報を送る"} in chat.actions_received(resident)

    assert chat.location(resident, 35.6466, 139.6532, address=RESIDENT_ADDRESS) == [
        "いつ手伝ってほしいですか？"
    ]
    assert tap_label(chat, resident, "いつでも") == ["この内容で依頼しますか？"]
    # A draft notifies nobody.
    assert chat.new_texts(sato) == [] and chat.new_texts(suzuki) == []

    sent = tap_label(chat, resident, "依頼する")
    assert sent == [
        "依頼しました。\n近くのサポーター2人に、お知らせしました。\n引き受ける人が決まったら、お知らせします。\n"
        "お名前や住所・電話番号は、引き受けた方にだけお伝えします。"  # the text says 「山田です」
    ]

    for supporter in (sato, suzuki):
        card = chat.new_messages(supporter)[-1]
        assert card["type"] == "flex"
        assert card["altText"] == "お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"
        shown = json.dumps(card, ensure_ascii=False)
        for secret in ("山田", "21-27", "4丁目", "35.64", "139.65", "154-0017"):
            assert secret not in shown, secret
    assert chat.new_texts(chat.user("tanaka", "田中三郎")) == []
    assert chat.new_texts(chat.user("far", "遠藤四郎")) == []

    request_id = card_request_id(last(chat, sato))
    accepted = tap_label(chat, sato, "引き受ける")
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。")
    assert "山田花子さん" in accepted[0] and RESIDENT_ADDRESS in accepted[0]
    assert accepted[1] == f"[location] {RESIDENT_ADDRESS}"
    assert chat.new_texts(resident) == [
        "佐藤一郎さんが、引き受けてくれました。\n【電球・修理】電球が切れて替えられないんです。山田です\n日時：いつでも"
    ]
    assert chat.new_texts(suzuki) == [
        "この依頼は、ほかの方が引き受けました。\nありがとうございました。またお願いします。"
    ]
    # Suzuki taps the old card anyway: thanked, told it is taken, nothing changes.
    assert tap_label(chat, suzuki, "引き受ける") == [
        "この依頼は、ほかの方が引き受けました。\nありがとうございました。またお願いします。"
    ]
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and request.status == RequestStatus.MATCHED
    assert request.accepted_by is not None and request.accepted_by.display_name == "佐藤一郎"


def test_the_multicast_carries_a_retry_key(chat: Chat) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    register_supporter(chat, "suzuki", "鈴木次郎", "電球交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    pushes = [
        r for r in chat.stub.requests if r.path in ("/v2/bot/message/multicast", "/v2/bot/message/push")
    ]
    assert pushes and all(len(r.headers.get("x-line-retry-key", "")) == 36 for r in pushes)
    multicasts = [r for r in pushes if r.path.endswith("multicast")]
    assert len(multicasts) == 1 and len(multicasts[0].json["to"]) == 2


def test_pass_is_recorded_and_never_asked_again(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    request_id = card_request_id(last(chat, sato))
    chat.new_texts(sato)
    assert tap_label(chat, sato, "見送る") == ["わかりました。今回は見送ります。\nまたお願いします。"]
    proposal = db_session.scalar(select(Proposal).where(Proposal.request_id == request_id))
    assert proposal is not None and proposal.status == ProposalStatus.PASSED


def test_nobody_fits_is_told_honestly_and_coordinator_hears(chat: Chat, db_session: Session) -> None:
    coordinator = chat.user("coord", "コーディネーター")
    chat.follow(coordinator)
    member = db_session.scalar(select(Member).where(Member.line_user_id == coordinator))
    assert member is not None
    member.is_coordinator = True
    db_session.commit()
    resident = chat.user("yamada", "山田花子")
    answer = submit_request(chat, resident, "犬の散歩をお願いしたい")
    assert answer[0].startswith("依頼を受け付けました。\n今は、近くに合うサポーターが見つかりませんでした。")
    notice = chat.new_texts(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【要対応】依頼番号") and "ペット" in notice[0]
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN and request.needs_coordinator


def test_two_supporters_accepting_at_once_exactly_one_wins(
    app: Flask, chat: Chat, db_session: Session
) -> None:
    supporters = [register_supporter(chat, f"s{i}", f"サポーター{i}", "電球の交換", NEAR) for i in range(4)]
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    data = action_data(last(chat, supporters[0]), "引き受ける")
    bodies = [ev.body(ev.postback_event(s, chat.token(s), data)) for s in supporters]
    assert chat.post_at_once(bodies) == [200] * len(bodies)
    winners = [
        s
        for s in supporters
        if any(t.startswith("ありがとうございます！ 引き受けました") for t in chat.stub.texts_for(s))
    ]
    assert len(winners) == 1
    assert len([t for t in chat.stub.texts_for(resident) if "引き受けてくれました" in t]) == 1
    accepted = db_session.scalars(select(Proposal).where(Proposal.status == ProposalStatus.ACCEPTED)).all()
    assert len(accepted) == 1 and accepted[0].supporter.line_user_id == winners[0]


def test_redelivered_event_is_processed_once(chat: Chat, db_session: Session) -> None:
    resident = chat.user("yamada", "山田花子")
    event = ev.text_event(resident, "電球が切れた", chat.token(resident))
    chat.send(event)
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    chat.send(redelivered)
    chat.send(event)
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert len(chat.new_texts(resident)) == 2  # one answer (two messages), not three
    assert db_session.scalar(select(func.count()).select_from(OutboundMessage)) == 1


def test_forged_or_unoffered_postbacks_change_nothing(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    request_id = card_request_id(last(chat, sato))
    stranger = chat.user("stranger", "知らない人")
    polite = "ごめんなさい。このボタンは使えません。\nお知らせしたカードのボタンを使ってください。"
    assert chat.tap(stranger, f"a=acc&r={request_id}") == [polite]
    assert chat.tap(resident, f"a=acc&r={request_id}") == [polite]
    assert chat.tap(stranger, "a=acc&r=99999") == [polite]
    for garbage in ("%%%", "a=acc&r=1&r=2", "r=1", "a=acc&r=-1", "x" * 300, "a=nonsense"):
        answer = chat.tap(stranger, garbage)
        assert len(answer) == 1 and answer[0].startswith("ごめんなさい。"), garbage
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and request.status == RequestStatus.OPEN and request.accepted_by_id is None


def test_pass_on_a_job_already_taken_keeps_it_and_offers_the_next_steps(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    tap_label(chat, sato, "引き受ける")
    chat.new_texts(resident)
    assert tap_label(chat, sato, "見送る") == ["この依頼は、もうあなたが引き受けています。"]
    labels = [i["action"]["label"] for i in last(chat, sato)["quickReply"]["items"]]
    assert labels[:2] == ["メッセージを送る", "行けなくなった"]
    assert chat.new_texts(resident) == []


def test_card_hides_kanji_house_numbers_and_phone_numbers(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "世田谷四丁目二十一番の山田です。電球が切れた。電話は090-1234-5678")
    shown = json.dumps(last(chat, sato), ensure_ascii=False)
    for secret in ("四丁目", "二十一番", "山田", "090", "5678"):
        assert secret not in shown, secret
    assert "電球が切れた" in shown


@pytest.mark.parametrize("typed", ["わしがいく", "おらがいぐ", "まかしとき", "うん行ける"])
def test_a_supporter_accepts_a_card_in_their_own_words(chat: Chat, typed: str) -> None:
    """These got 「よく分かりませんでした。困りごとは、文字で書いて…」, the card left waiting."""
    match = carded(chat, "2026-11-26T14:00")
    assert chat.say(match.supporter, typed)[0].startswith("ありがとうございます！ 引き受けました。")
    assert any("引き受けて" in t or "決まりました" in t for t in chat.new_texts(match.resident))


def test_a_nod_to_a_card_shows_its_buttons(chat: Chat) -> None:
    """「ええよ」 got 「ご連絡ありがとうございます」 and the card was forgotten."""
    match = carded(chat, "2026-11-26T14:00")
    assert chat.say(match.supporter, "ええよ") == [
        "このお願いを、引き受けますか？\n下のボタンで答えてください。"
    ]
