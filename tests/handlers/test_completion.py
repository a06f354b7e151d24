"""After the time: 完了した (thanks, time credits), まだ (asked again), 来なかった (offered again)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CreditEntry, HelpRequest, Proposal, ProposalStatus, RequestStatus, TimeCredit
from tests.handlers.cycle import (
    at,
    jst,
    make_coordinator,
    matched,
    pending_kinds,
    submit,
)
from tests.handlers.dialogue import card_request_id, last, register_supporter, tap_label
from tests.support import Chat, FakeClock

CHECKIN = "【電球・修理】のお手伝いは、どうでしたか？\n下のボタンで教えてください。"
TOO_EARLY = (
    "まだ約束の日時の前です。\n来なかったときは、約束の日時のあとで、教えてください。\n"
    "サポーターへの連絡は「メッセージを送る」でできます。"
)
NO_SHOW_OPENING = "ご迷惑をおかけして、ごめんなさい。\nもう一度、サポーターをさがします。\n"


def test_done_thanks_both_passes_on_the_thank_you_and_records_time(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.supporter)
    assert chat.new_texts(match.resident) == [CHECKIN]

    assert tap_label(chat, match.resident, "完了した") == [
        "完了ですね。ありがとうございました！\n佐藤一郎さんに、お礼を伝えませんか？"
    ]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理】のお手伝いが完了しました。\n本当にありがとうございました！\nかかった時間を教えてください。"
    ]
    assert tap_label(chat, match.resident, "ありがとうを送る") == [
        "佐藤一郎さんに、お礼を伝えました。\nまた困ったときは、いつでも送ってください。"
    ]
    assert chat.new_texts(match.supporter) == [
        "依頼した山田花子さんから、お礼が届きました。\n「ありがとうございました。とても助かりました。」"
    ]
    assert tap_label(chat, match.supporter, "1時間半") == [
        "1時間30分を記録しました。ありがとうございます！\nこれまでのお手伝い：合計1時間30分（1.5ポイント）"
    ]
    # Tapping another duration corrects the entry instead of adding one.
    assert tap_label(chat, match.supporter, "1時間")[0].startswith("1時間を記録しました。")
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.DONE
    ledger = {
        (row.entry, row.minutes)
        for row in db_session.scalars(select(TimeCredit).where(TimeCredit.request_id == match.request_id))
    }
    assert ledger == {(CreditEntry.GIVEN, 60), (CreditEntry.RECEIVED, 60)}
    assert pending_kinds(db_session, match.request_id) == []
    # Nothing else falls due for this request.
    at(app, clock, jst(28, 12))
    assert chat.new_texts(match.resident) == [] and chat.new_texts(match.supporter) == []


def test_only_the_supporter_who_did_it_records_time(app: Flask, chat: Chat, clock: FakeClock) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.tap(match.resident, "a=ci&v=done")
    chat.new_texts(match.supporter)
    assert chat.tap(match.resident, f"a=min&r={match.request_id}&m=60") == [
        "ごめんなさい。この依頼の時間は記録できません。"
    ]
    assert chat.tap(match.supporter, f"a=min&r={match.request_id}&m=9999") == [
        "ごめんなさい。この依頼の時間は記録できません。"
    ]


def test_not_yet_asks_again_the_next_day(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert tap_label(chat, match.resident, "まだ") == ["わかりました。\nまた、あとでうかがいます。"]
    at(app, clock, jst(27, 15, 59))
    assert chat.new_texts(match.resident) == []
    at(app, clock, jst(27, 16))
    assert chat.new_texts(match.resident) == [CHECKIN]
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.MATCHED


def test_no_show_reopens_tells_everyone_and_offers_again(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", (35.6480, 139.6550))
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    chat.new_texts(match.supporter)

    assert tap_label(chat, match.resident, "来なかった") == [
        "ご迷惑をおかけして、ごめんなさい。\nもう一度、サポーターをさがします。\n"
        "日時は「いつでも」にしました。くわしい日時は、次に引き受けた人と相談してください。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理】の依頼について、依頼した方から「来なかった」と連絡がありました。\n"
        "この依頼は、ほかの方にお願いします。\n"
        "何かあれば、コーディネーターに連絡してください。"
    ]
    notice = chat.new_texts(coordinator)
    assert len(notice) == 1 and notice[0].startswith(f"【確認】依頼番号{match.request_id}")
    assert "佐藤一郎さんが来なかった" in notice[0]
    assert chat.new_texts(suzuki) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]
    assert card_request_id(last(chat, suzuki)) == match.request_id

    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.OPEN and request.anytime
    assert request.accepted_by_id is None
    sato = db_session.scalar(
        select(Proposal).where(
            Proposal.request_id == match.request_id, Proposal.status == ProposalStatus.NO_SHOW
        )
    )
    assert sato is not None
    assert pending_kinds(db_session, match.request_id) == ["reask", "expire"]
    # The supporter who did not come cannot take it back from an old card.
    assert chat.tap(match.supporter, f"a=acc&r={match.request_id}")[0].startswith("この依頼は")


def test_a_no_show_with_nobody_else_near_tells_coordinators_once(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    chat.new_texts(match.supporter)

    assert tap_label(chat, match.resident, "来なかった") == [
        NO_SHOW_OPENING
        + "日時は「いつでも」にしました。くわしい日時は、次に引き受けた人と相談してください。\n"
        "今は、近くに合うサポーターが見つかりませんでした。\nコーディネーターに伝えました。"
    ]
    assert chat.new_texts(coordinator) == [
        f"【要対応】依頼番号{match.request_id}（電球・修理・東京都世田谷区世田谷）：依頼した方から"
        "「サポーターの佐藤一郎さんが来なかった」と連絡がありました。ほかに合うサポーターがいません。"
    ]
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.OPEN and request.needs_coordinator


def test_no_show_is_taken_only_after_the_appointment(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    clock.now = jst(25, 18)  # the day before
    assert chat.say(match.resident, "こなかった") == [TOO_EARLY]
    labels = [item["action"]["label"] for item in last(chat, match.resident)["quickReply"]["items"]]
    assert labels[0] == "メッセージを送る"
    assert chat.tap(match.resident, "a=ci&v=noshow") == [TOO_EARLY]  # the check-in button
    assert chat.new_texts(match.supporter) == []
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.MATCHED
    assert "checkin" in pending_kinds(db_session, match.request_id)

    clock.now = jst(26, 14, 30)
    assert chat.say(match.resident, "こなかった")[0].startswith(NO_SHOW_OPENING)
    assert chat.new_texts(match.supporter)[0].startswith("【電球・修理】の依頼について")


def test_done_before_the_time_is_taken(app: Flask, chat: Chat, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    assert chat.say(match.resident, "完了しました") == [
        "完了ですね。ありがとうございました！\n佐藤一郎さんに、お礼を伝えませんか？"
    ]
    assert chat.new_texts(match.supporter)[0].startswith("【電球・修理】のお手伝いが完了しました。")
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.DONE
    assert pending_kinds(db_session, match.request_id) == []


def test_no_show_for_an_anytime_request_once_asked_how_it_went(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when=None)
    clock.now = jst(26, 15)
    assert chat.say(match.resident, "来なかった") == [TOO_EARLY]
    assert chat.new_texts(match.supporter) == []
    at(app, clock, jst(28, 10))  # the check-in, three days after the accept
    assert chat.new_texts(match.resident) == [CHECKIN]
    assert tap_label(chat, match.resident, "来なかった")[0].startswith(NO_SHOW_OPENING)
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.OPEN


def test_typed_answers_work_and_several_requests_mean_a_choice(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    # The same resident has a second matched request, taken by another supporter.
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", (35.6480, 139.6550))
    asked = chat.say(first.resident, "電球が切れて替えられない")
    assert asked[0].endswith("それとも、新しい依頼ですか？")  # the same words again: maybe the same need
    tap_label(chat, first.resident, "新しい依頼")
    chat.location(first.resident, 35.6466, 139.6532, address="東京都世田谷区世田谷4丁目21-27")
    tap_label(chat, first.resident, "いつでも")
    tap_label(chat, first.resident, "依頼する")
    tap_label(chat, suzuki, "引き受ける")
    chat.new_texts(first.resident)

    answer = chat.say(first.resident, "完了した")
    assert answer == ["どの依頼のことですか？\n下から選んでください。"]
    labels = [item["action"]["label"] for item in last(chat, first.resident)["quickReply"]["items"]]
    assert labels == ["電球・修理 11月26日(木)", "電球・修理 いつでも", "やめる"]
    assert tap_label(chat, first.resident, "電球・修理 いつでも")[0].startswith("完了ですね。")
    assert chat.new_texts(suzuki)[-1].startswith("【電球・修理】のお手伝いが完了しました。")
    assert not any("完了しました" in text for text in chat.new_texts(first.supporter))


def test_a_checkin_answer_from_someone_with_nothing_matched(chat: Chat) -> None:
    someone = chat.user("nobody", "だれか")
    chat.follow(someone)
    assert chat.say(someone, "来なかった") == ["今、確認する依頼はありません。"]
    assert chat.tap(someone, "a=ci&v=done") == ["今、確認する依頼はありません。"]
    assert chat.tap(someone, "a=ci&v=done&r=1") == [
        "ごめんなさい。このボタンは使えなくなりました。\nもう一度、メニューから選んでください。"
    ]


def test_not_yet_before_the_appointment_keeps_the_usual_checkin(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-27T14:00")
    assert chat.say(match.resident, "まだです") == ["わかりました。\nまた、あとでうかがいます。"]
    at(app, clock, jst(26, 10))
    assert chat.new_texts(match.resident) == []
    at(app, clock, jst(27, 16))
    assert chat.new_texts(match.resident) == [CHECKIN]


def _also_matched(chat: Chat, resident: str, supporter: tuple[str, str], when: str | None) -> int:
    """Another 電球 request of the same resident, accepted by another nearby supporter."""
    helper = register_supporter(chat, *supporter, "電球の交換", (35.6480, 139.6550))
    submit(chat, resident, "電球が切れて替えられない", when)
    request_id = card_request_id(last(chat, helper))
    tap_label(chat, helper, "引き受ける")
    chat.new_texts(resident)
    return request_id


def _status(db_session: Session, request_id: int) -> RequestStatus:
    db_session.expire_all()
    request = db_session.get(HelpRequest, request_id)
    assert request is not None
    return request.status


def test_no_show_offers_only_requests_whose_time_has_come(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    second = _also_matched(chat, first.resident, ("suzuki", "鈴木次郎"), "2026-11-27T09:00")
    future = _also_matched(chat, first.resident, ("tanaka", "田中三郎"), "2026-11-28T14:00")
    anytime = _also_matched(chat, first.resident, ("ito", "伊藤五郎"), None)  # not yet checked in
    clock.now = jst(27, 10)
    assert chat.say(first.resident, "来なかった") == ["どの依頼のことですか？\n下から選んでください。"]
    labels = [item["action"]["label"] for item in last(chat, first.resident)["quickReply"]["items"]]
    assert labels == ["電球・修理 11月26日(木)", "電球・修理 11月27日(金)", "やめる"]
    # The check-in button (shared by all, without a request id) offers the same.
    chat.tap(first.resident, "a=ci&v=noshow")
    assert [item["action"]["label"] for item in last(chat, first.resident)["quickReply"]["items"]] == labels
    assert tap_label(chat, first.resident, "電球・修理 11月27日(金)")[0].startswith(NO_SHOW_OPENING)
    assert [_status(db_session, r) for r in (first.request_id, second, future, anytime)] == [
        RequestStatus.MATCHED,
        RequestStatus.OPEN,
        RequestStatus.MATCHED,
        RequestStatus.MATCHED,
    ]


def test_no_show_with_one_request_whose_time_has_come_takes_that_one(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    future = _also_matched(chat, first.resident, ("suzuki", "鈴木次郎"), "2026-11-28T14:00")
    chat.new_texts(first.supporter)  # the card for the other request
    clock.now = jst(26, 15)
    assert chat.say(first.resident, "来なかった")[0].startswith(NO_SHOW_OPENING)
    assert chat.new_texts(first.supporter)[0].startswith("【電球・修理】の依頼について")
    assert [_status(db_session, r) for r in (first.request_id, future)] == [
        RequestStatus.OPEN,
        RequestStatus.MATCHED,
    ]


def test_no_show_when_no_request_has_had_its_time_is_too_early(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    anytime = _also_matched(chat, first.resident, ("suzuki", "鈴木次郎"), None)
    chat.new_texts(first.supporter)  # the card for the other request
    clock.now = jst(25, 18)
    assert chat.say(first.resident, "来なかった") == [TOO_EARLY]
    assert chat.tap(first.resident, "a=ci&v=noshow") == [TOO_EARLY]
    assert chat.new_texts(first.supporter) == []
    assert [_status(db_session, r) for r in (first.request_id, anytime)] == [RequestStatus.MATCHED] * 2


def test_the_time_it_took_typed_instead_of_tapped(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    """「１時間くらい」 was read as a new 電球 request (くらい as 暗い) and 「30分」 as its place."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.tap(match.resident, "a=ci&v=done")
    chat.new_texts(match.supporter)
    assert chat.say(match.supporter, "１時間くらい") == [
        "1時間を記録しました。ありがとうございます！\nこれまでのお手伝い：合計1時間（1ポイント）"
    ]
    # Typed again, it corrects the entry as a second tap does.
    assert chat.say(match.supporter, "一時間半かかりました")[0].startswith("1時間30分を記録しました。")
    ledger = {
        (row.entry, row.minutes)
        for row in db_session.scalars(select(TimeCredit).where(TimeCredit.request_id == match.request_id))
    }
    assert ledger == {(CreditEntry.GIVEN, 90), (CreditEntry.RECEIVED, 90)}
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    # Days later, a time alone is no answer to anything.
    at(app, clock, jst(29, 10))
    chat.new_texts(match.supporter)
    assert chat.say(match.supporter, "30分")[0].startswith("ごめんなさい。よく分かりませんでした。")


@pytest.mark.parametrize("typed", ["やってもろた", "ちゃんとやってくれた", "来てくださいました"])
def test_done_said_in_the_regions_completes(app: Flask, chat: Chat, clock: FakeClock, typed: str) -> None:
    """These got 「よく分かりませんでした。お手伝いは、どうでしたか？」."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert chat.say(match.resident, typed)[0].startswith("完了ですね。ありがとうございました！")


@pytest.mark.parametrize(
    "typed", ["ちゃんとしてくれはったわ", "おかげさんで", "きれいにしてくれはりました", "ようしてもろうた"]
)
def test_done_said_with_kansai_honorifics_or_in_short_completes(
    app: Flask, chat: Chat, clock: FakeClock, typed: str
) -> None:
    """Asked how it went, these got 「ごめんなさい。よく分かりませんでした。お手伝いは、どうでしたか？」."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert chat.say(match.resident, typed)[0].startswith("完了ですね。ありがとうございました！")


@pytest.mark.parametrize("typed", ["うーん、まだなんよ", "まだなんです", "まだやねん", "まだじゃけえ"])
def test_not_yet_said_as_elders_say_it_is_not_yet(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, typed: str
) -> None:
    """These got 「ごめんなさい。よく分かりませんでした。お手伝いは、どうでしたか？」."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    answer = chat.say(match.resident, typed)
    assert not answer[0].startswith("ごめんなさい。よく分かりませんでした。"), answer
    assert not answer[0].startswith("完了ですね。"), answer
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.MATCHED


@pytest.mark.parametrize("typed", ["だれもこん", "来てくれんかった"])
def test_nobody_came_said_in_the_regions_is_a_no_show(
    app: Flask, chat: Chat, clock: FakeClock, typed: str
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert chat.say(match.resident, typed)[0].startswith("ご迷惑をおかけして、ごめんなさい。")
