"""The safety net as whole dialogues: emergencies, maybe-urgent questions, refusals and referrals.

In every one no supporter receives anything, the stub enforces LINE's limits on every message, and
coordinators hear of emergencies and referrals after the person has been answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CoordinatorNotice, HelpRequest, RequestStatus
from handlers import texts
from matching import safety, understand
from matching.words import is_no
from tests.handlers.cycle import make_coordinator, matched, run_due
from tests.handlers.dialogue import NEAR, RESIDENT_HOME, register_supporter, tap_label
from tests.support import Chat, FakeClock, actions_in


def _requests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(HelpRequest)) or 0


def _neighbourhood(chat: Chat, db_session: Session) -> tuple[list[str], str]:
    """Supporters for every everyday kind of help nearby, and a coordinator."""
    supporters = [
        register_supporter(chat, "sato", "佐藤一郎", "電球の交換、家具の組み立て、買い物", NEAR),
        register_supporter(chat, "suzuki", "鈴木花子", "子どもの預かり、話し相手、見守り、玄関の掃除", NEAR),
    ]
    for user in supporters:
        chat.new_texts(user)
    return supporters, make_coordinator(chat, db_session)


def _resident(chat: Chat) -> str:
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    chat.new_texts(resident)
    return resident


def _tel_uris(message: dict[str, Any]) -> list[str]:
    return [a["uri"] for a in actions_in(message) if a.get("type") == "uri"]


Heard = Callable[[str], list[str]]


@pytest.fixture
def heard(app: Flask, clock: FakeClock, chat: Chat) -> Heard:
    """What a user received, once the worker has sent anything a busy webhook left to it."""

    def new_texts(user: str) -> list[str]:
        run_due(app, clock)
        return chat.new_texts(user)

    return new_texts


def _nobody_else_heard(heard: Heard, supporters: list[str]) -> None:
    for user in supporters:
        assert heard(user) == [], user


def _paths(chat: Chat) -> list[str]:
    return [r.path for r in chat.stub.requests if r.path.startswith("/v2/bot/message/")]


@pytest.mark.parametrize(
    ("text", "first_line", "numbers"),
    [
        # A category word (子ども, 玄関) is in each text: the danger wins.
        ("こどもが あめを のどに つまらせた！", "背中を強くたたいて", ["tel:119", "tel:%237119", "tel:110"]),
        ("玄関に知らない男がいて、ドアを開けようとしてる", "110", ["tel:110", "tel:119"]),
        ("ｶﾞｽｸｻｲ", "火や電気のスイッチにさわらない", ["tel:119", "tel:110"]),
    ],
)
def test_an_emergency_gets_what_to_do_and_tap_to_call_buttons_and_nobody_else_hears(
    chat: Chat, db_session: Session, heard: Heard, text: str, first_line: str, numbers: list[str]
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    before = len(_paths(chat))
    chat.say(resident, text)
    messages = chat.stub.messages_for(resident)[-2:]
    assert messages[0]["text"].startswith(texts.EMERGENCY_HEAD) and first_line in messages[0]["text"]
    assert _tel_uris(messages[1]) == numbers
    assert all(len(a["label"]) <= 40 for a in actions_in(messages[1]))
    notice = heard(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【緊急の可能性】山田花子さんから") and text in notice[0]
    # The person is answered first; the coordinators' notice follows.
    assert _paths(chat)[before:][:2] == ["/v2/bot/message/reply", "/v2/bot/message/push"]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


@pytest.mark.parametrize("answer", ["tap", "はい"])
def test_maybe_urgent_asks_at_once_and_yes_gives_the_emergency_answer(
    chat: Chat, db_session: Session, heard: Heard, answer: str
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    asked = chat.say(resident, "たすけて")
    assert asked == [texts.MAYBE_URGENT]
    quick = chat.stub.messages_for(resident)[-1]["quickReply"]["items"]
    assert [item["action"]["label"] for item in quick][:2] == ["はい", "いいえ"]
    assert [item["action"].get("uri") for item in quick][2:] == ["tel:119", "tel:110", "tel:%237119"]
    assert heard(coordinator) == []
    said = tap_label(chat, resident, "はい") if answer == "tap" else chat.say(resident, answer)
    assert said[0].startswith(texts.EMERGENCY_HEAD) and "119" in said[0]
    assert "tel:119" in _tel_uris(chat.stub.messages_for(resident)[-1])
    notice = heard(coordinator)
    assert len(notice) == 1 and "【緊急の可能性】" in notice[0] and "たすけて" in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


@pytest.mark.parametrize("answer", ["tap", "いいえ、大丈夫です"])
def test_maybe_urgent_answered_no_goes_on_as_a_request_with_nothing_lost(
    chat: Chat, db_session: Session, heard: Heard, answer: str
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, "倒れた") == [texts.MAYBE_URGENT]
    said = tap_label(chat, resident, "いいえ") if answer == "tap" else chat.say(resident, answer)
    assert said[0] == texts.MAYBE_NOT_URGENT
    assert "「倒れた」ですね。" in said[1]  # the text as written; the kind of help is asked
    tap_label(chat, resident, "電球・修理")
    chat.location(resident, *RESIDENT_HOME)
    tap_label(chat, resident, "いつでも")
    tap_label(chat, resident, "依頼する")
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.text == "倒れた" and request.status.value == "open"
    # Now an ordinary request: a supporter for repairs gets its card; no coordinator alarm.
    cards = heard(supporters[0])
    assert cards == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert heard(coordinator) == []


@pytest.mark.parametrize("answer", ["はい", "いいえ"])
def test_what_only_the_learned_reader_notices_is_asked_about_like_any_maybe(
    chat: Chat, db_session: Session, heard: Heard, answer: str
) -> None:
    """A wording the rules do not list (matching/second_reader.py): asked at once, never a card."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    text = "じいちゃんが庭でうずくまったまま声をかけても黙っとる"
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    said = chat.say(resident, answer)
    if answer == "はい":
        assert said[0].startswith(texts.EMERGENCY_HEAD)
        notice = heard(coordinator)
        assert len(notice) == 1 and "【緊急の可能性】" in notice[0] and text in notice[0]
        assert _requests(db_session) == 0
    else:
        # Not asked a second time: the text goes on as a 困りごと, as written.
        assert said[0] == texts.MAYBE_NOT_URGENT and f"「{text}」ですね。" in said[1]
        assert heard(coordinator) == []
    _nobody_else_heard(heard, supporters)


@pytest.mark.parametrize(
    ("text", "do_now", "numbers"),
    [
        ("裏の家から黒いのがもうもう上がっとる", "すぐに逃げてください", ["tel:119", "tel:110"]),
        (
            "生きとるのがつらいんよ",
            "いのちの電話",
            ["tel:0120279338", "tel:0570783556", "tel:119"],
        ),
    ],
)
def test_a_kind_the_learned_reader_names_gives_its_own_answer_to_yes(
    chat: Chat, db_session: Session, heard: Heard, text: str, do_now: str, numbers: list[str]
) -> None:
    """The rules miss the wording; the reader asks, and はい gets that kind's do-now line and numbers."""
    assert safety.read(text).tier is None, "the rules catch this now: pick a wording only the reader reads"
    assert understand(text).urgency == "maybe"
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    said = tap_label(chat, resident, "はい")
    assert said[0].startswith(texts.EMERGENCY_HEAD) and do_now in said[0]
    assert _tel_uris(chat.stub.messages_for(resident)[-1]) == numbers
    notice = heard(coordinator)
    assert len(notice) == 1 and text in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_something_else_instead_of_an_answer_is_read_as_a_new_message(chat: Chat) -> None:
    resident = _resident(chat)
    chat.say(resident, "動けない")
    answer = chat.say(resident, "電球が切れて替えられない")
    assert "【電球・修理】" in answer[0]


def test_not_for_volunteers_names_the_reason_and_a_next_step(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    for text, reason, next_step in [
        ("お金を少し貸してもらえませんか", "お金の貸し借り", "日常生活自立支援事業"),
        ("じいちゃんの着替えば手伝ってくれんね", "着替え", "地域包括支援センター"),
        ("二階の窓の外側を拭いてほしい", "2階の外", "シルバー人材センター"),
        ("病院まで車に乗せてってほしい", "車での送り迎え", "介護タクシー"),
    ]:
        answer = chat.say(resident, text)
        assert len(answer) == 1 and reason in answer[0] and next_step in answer[0], text
    # Each refusal waits on the desk's 今日 for a person to follow up (not pushed in LINE).
    kept = [n.text for n in db_session.scalars(select(CoordinatorNotice).order_by(CoordinatorNotice.id))]
    assert [n.split("：")[0] for n in kept] == [
        "【お断りした相談】山田花子さんから（" + r + "）"
        for r in (
            texts.NOT_ALLOWED_REASONS["money"],
            texts.NOT_ALLOWED_REASONS["bodily_care"],
            texts.NOT_ALLOWED_REASONS["height"],
            texts.NOT_ALLOWED_REASONS["driving"],
        )
    ]
    assert "お金を少し貸して" in kept[0] and "車に乗せて" in kept[3]
    assert heard(coordinator) == []
    answer = tap_label(chat, resident, texts.ASK_COORDINATOR)
    assert answer == [texts.ASKED_COORDINATOR]
    notice = heard(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【相談】山田花子さんが")
    assert "車での送り迎え" in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_harassment_gets_a_referral_and_a_coordinator_not_a_refusal(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    answer = chat.say(resident, "近所の人に毎日嫌がらせをされていて怖いです")
    assert answer[0] == texts.REFERRAL and "ごめんなさい" not in answer[0]
    assert _tel_uris(chat.stub.messages_for(resident)[-1]) == ["tel:110", "tel:%239110", "tel:188"]
    notice = heard(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【相談】山田花子さんから") and "嫌がらせ" in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_numbers_with_119_in_relay_chat_pass_through_but_an_emergency_does_not(
    chat: Chat, heard: Heard
) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    chat.new_texts(match.supporter)
    for text in ("電話番号は090-1190-2345です", "1190円のお米もお願いします", "〒110-0001の近くです"):
        assert chat.say(match.resident, text) == ["佐藤一郎さんに送りました。"], text
        assert heard(match.supporter) == [f"【電球・修理の依頼】山田花子さんから：\n{text}"]
    answer = chat.say(match.resident, "主人が倒れて息をしてない")
    assert answer[0].startswith(texts.EMERGENCY_HEAD)
    assert heard(match.supporter) == []


@pytest.mark.parametrize(
    ("typed", "no"),
    [
        ("いいえ", True),
        ("大丈夫です", True),
        ("ちがいます！", True),
        ("いや", True),
        ("はい", False),
        ("", False),
    ],
)
def test_a_typed_no(typed: str, no: bool) -> None:
    assert is_no(typed) is no


def test_emergency_points_to_119_and_queues_nothing(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for text in ("母が倒れた！", "息が苦しい", "火事です", "血が止まらない"):
        answer = chat.say(user, text)
        buttons = str(chat.stub.messages_for(user)[-1])
        assert len(answer) == 2 and "119" in answer[0] and "tel:119" in buttons, text
    assert _requests(db_session) == 0


def test_things_volunteers_may_not_do_get_a_kind_referral(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    answer = chat.say(user, "通帳からお金をおろしてきてほしい")
    assert answer[0].startswith("ごめんなさい。このご相談は、近所のサポーターではお手伝いできません。")
    assert "通帳" in answer[0] and "コーディネーター" in answer[0]
    assert chat.say(user, "屋根の雪下ろしをしてほしい")[0].startswith("ごめんなさい。")
    assert _requests(db_session) == 0


# --- typed as people really type ------------------------------------------------------------------


def _notices(heard: Heard, coordinator: str) -> list[str]:
    return [n for n in heard(coordinator) if n.startswith("【緊急の可能性】")]


def test_typed_yes_in_many_forms_gets_the_emergency_answer(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock
) -> None:
    """Regional, hiragana, emoji, 。and ！; unsure (わからん) and alarm (はよ来て) count as yes. Each round
    comes after the last answer's window (just after it, 「たすけて」 is answered at once, not asked)."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    for answer in [
        "はい",
        "そうです",
        "ええ",
        "うん、たのむ",
        "はい。",
        "はいっ！🙏",
        "そうじゃ",  # not 掃除
        "んだんだ",
        "大丈夫じゃない",
        "わからん",  # not a スマホ question
        "はよ来て",
        "救急車よんだほうがええかね",
        "いのちにかかわります",
    ]:
        clock.advance(minutes=31)
        assert chat.say(resident, "たすけて") == [texts.MAYBE_URGENT], answer
        said = chat.say(resident, answer)
        assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD), (answer, said)
        assert "tel:119" in _tel_uris(chat.stub.messages_for(resident)[-1]), answer
        notice = _notices(heard, coordinator)
        assert len(notice) == 1 and "「たすけて" in notice[0], (answer, notice)
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_typed_no_in_many_forms_goes_on_as_a_request(chat: Chat, db_session: Session, heard: Heard) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    for answer in [
        "いや、だいじょうぶ",
        "ちがうちがう",
        "いいや",
        "いいえ。",
        "ううん",
        "大丈夫です、ありがとう",
        "へいきです😊",
        "急ぎません！",
        "そうじゃない",
        # 「いや、そこまでじゃない」 was read as a new 困りごと (the question dropped); the others
        # below were asked again and again.
        "いや、そこまでじゃない",
        "命にかかわるほどではありません",
        "いのちにはかかわらんです",
        "救急車はいらん",
        "だいじょぶ",
        "だいじょうぶだぁ",
        "そげなことない",
        # Asked again instead: 「なんともない」 and a no with a regional ending.
        "なんともない",
        "なんともねえ",
        "だいじょうぶだべ",
        "だいじょうぶばい",
        "大丈夫じゃけえ",
        # Asked again, or (なんもなんも, read as maybe urgent itself) given the emergency answer.
        "ちごう",
        "ちがうと",
        "そげんことなか",
        "なんでんなか",
        "んでね",
        "そんなんちゃう",
        "へーきへーき",
        "なんもなんも",
        # Asked once more: an ending in のう (広島, elderly speech).
        "なんともないのう",
        "だいじょうぶじゃのう",
    ]:
        assert chat.say(resident, "倒れた") == [texts.MAYBE_URGENT], answer
        said = chat.say(resident, answer)
        assert said[0] == texts.MAYBE_NOT_URGENT and "「倒れた」ですね。" in said[1], (answer, said)
        chat.say(resident, "やめる")
    assert heard(coordinator) == []
    _nobody_else_heard(heard, supporters)


@pytest.mark.parametrize(
    ("second", "do_now"),
    [
        ("はよ来て！！", texts.EMERGENCY_DO_NOW["uncertain"]),
        ("どうしよう", texts.EMERGENCY_DO_NOW["uncertain"]),
        ("母が倒れて息をしてない", texts.EMERGENCY_DO_NOW["unconscious"]),
    ],
)
def test_a_second_alarming_message_instead_of_an_answer_is_never_asked_twice(
    chat: Chat, db_session: Session, heard: Heard, second: str, do_now: str
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, "たすけて") == [texts.MAYBE_URGENT]
    said = chat.say(resident, second)
    assert said[0].startswith(texts.EMERGENCY_HEAD) and do_now in said[0]
    notice = _notices(heard, coordinator)
    assert len(notice) == 1 and "たすけて" in notice[0] and second in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_words_that_mean_nothing_get_the_question_once_more(chat: Chat, heard: Heard) -> None:
    resident = _resident(chat)
    chat.say(resident, "たすけて")
    assert chat.say(resident, "えっ？") == [texts.MAYBE_AGAIN]
    quick = chat.stub.messages_for(resident)[-1]["quickReply"]["items"]
    assert [item["action"]["label"] for item in quick][:2] == ["はい", "いいえ"]
    said = chat.say(resident, "ううん")
    assert said[0] == texts.MAYBE_NOT_URGENT and "「たすけて」ですね。" in said[1]


def test_no_in_elders_words_goes_on_as_a_request(chat: Chat, db_session: Session, heard: Heard) -> None:
    """「いらん」, half-width katakana and 「きゅうきゅうしゃはいらん」 were asked again (or answered as an
    emergency: 救急車 is an alarming word); each is a plain no with the numbers on screen."""
    coordinator = make_coordinator(chat, db_session)
    resident = _resident(chat)
    for answer in [
        "いらん",
        "いらんいらん",
        "ちがう",
        "だいじょうぶ",
        "ﾁｶﾞｳ",
        "ｲｲｴ",
        "ﾀﾞｲｼﾞｮｳﾌﾞ",
        "きゅうきゅうしゃはいらん",
        "よばんでいい",
        "いのちはだいじょうぶ",
    ]:
        assert chat.say(resident, "たすけて") == [texts.MAYBE_URGENT], answer
        said = chat.say(resident, answer)
        assert said[0] == texts.MAYBE_NOT_URGENT and "「たすけて」ですね。" in said[1], (answer, said)
        chat.say(resident, "やめる")
    assert heard(coordinator) == []


def test_dame_is_asked_once_more_kindly_with_the_numbers_and_nothing_is_dropped(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock
) -> None:
    """「だめ」 may be "no" or "it is no good": it was asked again with no number in the text, and a second
    「だめ」 was answered 「よく分かりませんでした」 with 「たすけて」 dropped."""
    coordinator = make_coordinator(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "たすけて")
    assert chat.say(resident, "だめ") == [texts.MAYBE_AGAIN]
    asked = chat.stub.messages_for(resident)[-1]
    assert "119" in asked["text"] and "#7119" in asked["text"]
    assert _tel_uris(asked) == ["tel:119", "tel:110", "tel:%237119"]
    assert [item["action"]["label"] for item in asked["quickReply"]["items"]][:2] == ["はい", "いいえ"]
    said = chat.say(resident, "いいえ")  # then a plain no: what they wrote goes on, as written
    assert said[0] == texts.MAYBE_NOT_URGENT and "「たすけて」ですね。" in said[1]
    assert heard(coordinator) == []
    chat.say(resident, "やめる")
    # 「だめ」 twice (or no answer twice): unsure, so the numbers at once and a coordinator told.
    for first, second in [("ダメ", "だめです"), ("だめ", "えっ？"), ("えっ？", "？")]:
        clock.advance(minutes=31)  # past the last emergency answer's window
        chat.say(resident, "たすけて")
        assert chat.say(resident, first) == [texts.MAYBE_AGAIN], first
        said = chat.say(resident, second)
        assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD), (first, second, said)
        notice = _notices(heard, coordinator)
        assert len(notice) == 1 and "「たすけて" in notice[0] and first in notice[0], notice
    # Despair is never asked about again.
    for despair in ("もうだめ", "もうあかん", "もう無理"):
        clock.advance(minutes=31)
        chat.say(resident, "たすけて")
        said = chat.say(resident, despair)
        assert said[0].startswith(texts.EMERGENCY_HEAD), despair
        assert len(_notices(heard, coordinator)) == 1, despair
    assert _open_requests(db_session) == 0


def _open_requests(session: Session) -> int:
    query = select(func.count()).select_from(HelpRequest).where(HelpRequest.status != RequestStatus.CANCELLED)
    return session.scalar(query) or 0


def test_a_yes_tapped_after_the_question_ended_tells_coordinators_what_happened(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    _, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "たすけて")
    chat.say(resident, "電球が切れて替えられない")  # something else: the question ends
    assert tap_label(chat, resident, "はい")[0].startswith(texts.EMERGENCY_HEAD)
    notice = _notices(heard, coordinator)
    assert len(notice) == 1 and texts.YES_TAPPED_LATE in notice[0] and "「」" not in notice[0]


def test_typed_follow_ups_after_a_refusal(chat: Chat, db_session: Session, heard: Heard) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    refusal = "お金を少し貸してもらえませんか"
    next_step = texts.NOT_ALLOWED_NEXT["money"]
    chat.say(resident, refusal)
    said = chat.say(resident, "じゃあどうしたらいい")
    assert said == [texts.NOT_ALLOWED_WHAT_NOW.format(next=next_step)]
    assert texts.ASK_COORDINATOR in [a["label"] for a in actions_in(chat.stub.messages_for(resident)[-1])]
    assert heard(coordinator) == []
    for asked in ("コーディネーターさんにつないで", "ほかの人にたのめんかね"):
        chat.say(resident, refusal)
        assert chat.say(resident, asked) == [texts.ASKED_COORDINATOR], asked
        notice = heard(coordinator)
        assert len(notice) == 1 and notice[0].startswith("【相談】山田花子さんが"), asked
        assert "お金" in notice[0]
    chat.say(resident, refusal)
    assert chat.say(resident, "わかりました") == [texts.SMALL_TALK]
    chat.say(resident, refusal)
    assert "【買い物・用事】" in chat.say(resident, "じゃあ買い物はお願いできますか？")[0]  # a new 困りごと
    chat.say(resident, "やめる")
    # Later words are read as new, not against the refusal.
    assert "【電球・修理】" in chat.say(resident, "電球が切れて替えられない")[0]
    assert heard(coordinator) == []
    _nobody_else_heard(heard, supporters)


def test_a_question_after_a_referral_gets_the_numbers_again_not_a_second_notice(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "近所の人に毎日嫌がらせをされていて怖いです")
    assert len(heard(coordinator)) == 1
    said = chat.say(resident, "110にかけたほうがいい？")
    assert said[0] == texts.REFERRAL_AGAIN
    assert _tel_uris(chat.stub.messages_for(resident)[-1]) == ["tel:110", "tel:%239110", "tel:188"]
    assert heard(coordinator) == []
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


# --- a maybe that names a kind, answered as elders type ------------------------------------------------

_MEDICAL = ["tel:119", "tel:%237119", "tel:110"]
_CALLS = {
    "gas": ["tel:119", "tel:110"],
    "fire": ["tel:119", "tel:110"],
    "uncertain": ["tel:119", "tel:110", "tel:%237119"],
}


@pytest.mark.parametrize(
    ("text", "kind", "answer", "kind_told"),
    [
        ("へんな においが する", "gas", "はい", "gas"),
        ("へんな においが する", "gas", "ええ", "gas"),
        ("ころんでしもうた", "fall", "そうじゃ", "fall"),
        ("やけどしてしもた", "burn", "はい", "burn"),
        # (てが しびれる, named stroke here once, is now asked about as uncertain: the reader is less sure)
        ("くるしい", "chest_pain", "ええ", "chest_pain"),
        ("けむりが みえる", "fire", "そうじゃ", "fire"),
        ("ゆびを きった", "bleeding", "うん", "bleeding"),
        ("もちが のどに", "choking", "はい", "choking"),
        ("へんな においが する", "gas", "ガスのにおいじゃ", "gas"),
        # A yes and what it is was asked again (「はい」か「いいえ」で…).
        ("へんな においが する", "gas", "はい、ガスです", "gas"),
        ("へんな においが する", "gas", "ええ、くさいです", "gas"),
        # 「ようわからん」 was read as a スマホ question: the smell was dropped and a request begun.
        ("へんな においが する", "gas", "ようわからん", "gas"),
        # The answer names the kind the question could not: it was answered as uncertain.
        ("うごけない", "uncertain", "ころんでしもうた", "fall"),
    ],
    ids=[
        "gas-hai",
        "gas-ee",
        "fall-souja",
        "burn-hai",
        "chest-ee",
        "fire-souja",
        "bleeding-un",
        "choking-hai",
        "gas-detail",
        "gas-yes-and-detail",
        "gas-ee-and-detail",
        "gas-unsure-west",
        "uncertain-then-fall",
    ],
)
def test_a_maybe_with_a_kind_answered_yes_as_elders_type(
    chat: Chat, db_session: Session, heard: Heard, text: str, kind: str, answer: str, kind_told: str
) -> None:
    """The safety net names a kind for some maybe-urgent texts; a yes in any form gets that kind's do-now
    line and numbers, the coordinators' notice names the kind, and no supporter hears anything."""
    read = understand(text)
    assert (read.urgency, read.flag_reason) == ("maybe", kind), "the safety net reads this otherwise now"
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    _nobody_else_heard(heard, supporters)
    assert heard(coordinator) == []
    said = chat.say(resident, answer)
    assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD), said
    assert texts.EMERGENCY_DO_NOW[kind_told] in said[0]
    assert _tel_uris(chat.stub.messages_for(resident)[-1]) == _CALLS.get(kind_told, _MEDICAL)
    notice = _notices(heard, coordinator)
    assert len(notice) == 1 and f"「{text}" in notice[0], notice
    assert f"（{texts.EMERGENCY_KIND_LABELS[kind_told]}）" in notice[0]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


@pytest.mark.parametrize(
    ("text", "answer", "written"),
    [
        ("へんな においが する", "いいえ", "へんな においが する"),
        ("ころんでしもうた", "ちがう", "ころんでしもうた"),
        ("けむりが みえる", "いいえ、大丈夫です", "けむりが みえる"),
        # Asked again (「はい」か「いいえ」で…), and typed twice it was answered as an emergency.
        ("へんな においが する", "だいじょうぶ、ガスじゃない", "へんな においが する"),
        ("へんな においが する", "ちがう、ガスではないです", "へんな においが する"),
        # Read as a new message: 「うごけない」 was dropped, and 「わかりました…」 never said.
        ("うごけない", "いや、でんきゅうが きれとるだけ", "うごけない\nいや、でんきゅうが きれとるだけ"),
    ],
    ids=["gas-iie", "fall-chigau", "fire-daijoubu", "gas-denied", "gas-denied-polite", "no-and-the-trouble"],
)
def test_a_maybe_with_a_kind_answered_no_goes_on_with_nothing_lost(
    chat: Chat, db_session: Session, heard: Heard, text: str, answer: str, written: str
) -> None:
    """いいえ in elders' words: the ordinary flow goes on with what they wrote; supporters hear of it only
    once it is sent, as of any request; coordinators are not alarmed."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    said = chat.say(resident, answer)
    assert said[0] == texts.MAYBE_NOT_URGENT, said
    assert said[1].startswith(f"「{written}」ですね。"), said
    if "どんなお手伝いですか" in said[1]:
        tap_label(chat, resident, "電球・修理")
    _nobody_else_heard(heard, supporters)
    chat.location(resident, *RESIDENT_HOME)
    tap_label(chat, resident, "いつでも")
    _nobody_else_heard(heard, supporters)
    tap_label(chat, resident, "依頼する")
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.text == written and request.status == RequestStatus.OPEN
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert heard(coordinator) == []


def test_a_maybe_with_a_kind_in_relay_chat_reaches_the_supporter_only_after_no(
    chat: Chat, heard: Heard
) -> None:
    """Written to a matched supporter: held until いいえ, then passed on as written; never after はい."""
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    chat.new_texts(match.supporter)
    assert chat.say(match.resident, "へんな においが する") == [texts.MAYBE_URGENT]
    assert heard(match.supporter) == []
    assert chat.say(match.resident, "ちがう、ガスじゃない")[0].startswith("佐藤一郎さんに送りました。")
    assert heard(match.supporter) == ["【電球・修理の依頼】山田花子さんから：\nへんな においが する"]
    chat.say(match.resident, "メッセージを送る")
    assert chat.say(match.resident, "けむりが みえる") == [texts.MAYBE_URGENT]
    said = chat.say(match.resident, "ええ")
    assert said[0].startswith(texts.EMERGENCY_HEAD) and texts.EMERGENCY_DO_NOW["fire"] in said[0]
    assert heard(match.supporter) == []


# --- in the middle of another flow ----------------------------------------------------------------


def test_maybe_urgent_at_a_requests_time_question_keeps_the_request(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "電球が切れて替えられない")
    assert chat.location(resident, *RESIDENT_HOME) == ["いつ手伝ってほしいですか？"]
    assert chat.say(resident, "あ、たすけて") == [texts.MAYBE_URGENT]
    said = chat.say(resident, "いや、ちがいます")
    assert said[0] == texts.MAYBE_GO_ON and said[-1] == "いつ手伝ってほしいですか？"
    tap_label(chat, resident, "いつでも")
    tap_label(chat, resident, "依頼する")
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.text == "電球が切れて替えられない" and request.status.value == "open"
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert heard(coordinator) == []


def test_an_emergency_mid_registration_then_registration_goes_on(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    _, coordinator = _neighbourhood(chat, db_session)
    user = chat.user("kato", "加藤")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    assert chat.say(user, "いま台所から火が出た！")[0].startswith(texts.EMERGENCY_HEAD)
    assert chat.say(user, "電球の交換")[0].startswith("今のところ：電球・修理")
    assert chat.say(user, "くるしい") == [texts.MAYBE_URGENT]
    assert chat.say(user, "そうです")[0].startswith(texts.EMERGENCY_HEAD)
    assert chat.say(user, "買い物")[0].startswith("今のところ：")  # the step goes on
    notices = _notices(heard, coordinator)
    assert len(notices) == 2 and "火が出た" in notices[0] and "くるしい" in notices[1]


@pytest.mark.parametrize("answer", ["ちがうちがう、だいじょうぶ", "はい"])
def test_maybe_urgent_in_relay_chat_goes_to_the_other_side_only_when_not_urgent(
    chat: Chat, heard: Heard, answer: str
) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    chat.new_texts(match.supporter)
    assert chat.say(match.resident, "たすけて") == [texts.MAYBE_URGENT]
    assert heard(match.supporter) == []
    said = chat.say(match.resident, answer)
    if answer == "はい":
        assert said[0].startswith(texts.EMERGENCY_HEAD)
        assert heard(match.supporter) == []
    else:
        assert said[0] == "佐藤一郎さんに送りました。\n続けて送るときは「メッセージを送る」を押してください。"
        assert heard(match.supporter) == ["【電球・修理の依頼】山田花子さんから：\nたすけて"]


# --- long rambling messages -------------------------------------------------------------------------

_RAMBLE = (
    "きのうから雨がふって、ひざがいたくて、となりの奥さんは親切で、"
    "むすこは東京におって、なかなか帰ってこれんし、"
)


def test_a_long_rambling_message_with_the_emergency_in_the_middle(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    middle = "さっきトイレでじいちゃんが倒れて息をしてないみたいで、"
    text = _RAMBLE * 4 + middle + _RAMBLE * 4 + "電球も切れとって。"
    said = chat.say(resident, text)
    assert said[0].startswith(texts.EMERGENCY_HEAD) and texts.EMERGENCY_DO_NOW["unconscious"] in said[0]
    notice = _notices(heard, coordinator)
    assert len(notice) == 1 and len(notice[0]) < 500  # the text clipped for the notice
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


def test_a_very_long_maybe_answered_no_keeps_the_text_within_lines_limits(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    text = _RAMBLE * 20 + "たすけて" + "🙏" * 1000  # LINE's limit is 5,000 UTF-16 units
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    said = chat.say(resident, "いいえ")
    assert said[0] == texts.MAYBE_NOT_URGENT and len(said) <= 5
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.text.startswith(_RAMBLE) and request.status.value == "draft"
    assert heard(coordinator) == []
    _nobody_else_heard(heard, supporters)


# --- the question answered in free text, as elders type or speak it -----------------------------------


def _line_accepted_everything(chat: Chat) -> None:
    """Every message the bot sent was within LINE's limits (the stand-in answers 400 otherwise)."""
    sent = [r for r in chat.stub.requests if r.path.startswith("/v2/bot/message/")]
    assert sent and all(r.status == 200 for r in sent), [(r.path, r.status) for r in sent if r.status != 200]


@pytest.mark.parametrize(
    ("text", "answer", "category"),
    [
        # Asked again (「はい」か「いいえ」で…): the no came with what it is, but no kind of help was named.
        ("たおれた", "ちがうちがう、テレビがたおれただけ", None),
        ("たすけて", "ちゃうちゃう、たなの上の箱がとれへんねん", None),
        ("たおれた", "へいきへいき、たなが倒れただけじゃけえ", None),
        # いや/ちがう before pain may be distress; pain made small (だけ) is not.
        ("うごけない", "ちごうちごう、ひざがいたいだけじゃ", None),
        # Answered as an emergency: うごけん alone is asked about, but life was said to be safe.
        ("たすけて", "いのちはだいじょうぶやけど、うごけんのよ", None),
        ("たすけて", "いのちはだいじょうぶやけどうごけんのよ", None),  # by voice: no comma
        # By voice, the no run on into the trouble: read as new, 「うごけない」 dropped.
        ("うごけない", "いやいや電球がきれたんよ", "電球・修理"),
    ],
    ids=[
        "tv-fell",
        "kansai-shelf",
        "hiroshima-shelf",
        "knee-only",
        "life-safe-but",
        "life-safe-voice",
        "no-run-on",
    ],
)
def test_a_no_typed_with_what_it_is_goes_on_as_a_request_with_both_texts(
    chat: Chat, db_session: Session, heard: Heard, text: str, answer: str, category: str | None
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, text) == [texts.MAYBE_URGENT]
    said = chat.say(resident, answer)
    assert said[0] == texts.MAYBE_NOT_URGENT, said
    assert said[1].startswith(f"「{text}\n{answer}」ですね。"), said
    if category is None:
        assert "どんなお手伝いですか" in said[1]
        tap_label(chat, resident, "電球・修理")
    else:
        assert f"【{category}】" in said[1]
    chat.location(resident, *RESIDENT_HOME)
    tap_label(chat, resident, "いつでも")
    _nobody_else_heard(heard, supporters)
    tap_label(chat, resident, "依頼する")
    request = db_session.scalars(select(HelpRequest)).one()
    assert request.text == f"{text}\n{answer}" and request.status == RequestStatus.OPEN
    # Now an ordinary request: the supporter for repairs gets its card; no coordinator alarm.
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert heard(coordinator) == []
    _line_accepted_everything(chat)


@pytest.mark.parametrize(
    "answer",
    ["いや、くるしい", "ちがう、くるしいの", "だいじょうぶ、たすけて", "だいじょうぶやけど血がとまらん"],
)
def test_words_of_pain_after_a_no_word_are_still_an_emergency(
    chat: Chat, db_session: Session, heard: Heard, answer: str
) -> None:
    """いや and ちがう before pain may be distress, help asked again takes the no back, and a real
    emergency after "but" is one: none of them goes on as a request."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "たすけて")
    said = chat.say(resident, answer)
    assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD), said
    assert len(_notices(heard, coordinator)) == 1
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0
    _line_accepted_everything(chat)


def test_a_no_then_not_knowing_is_asked_once_more_never_in_a_loop(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    """「いや、わからん」 was read as a スマホ question (「たすけて」 dropped); now asked once more, and not
    knowing again is answered as unsure: the numbers and a coordinator."""
    coordinator = make_coordinator(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "たすけて")
    assert chat.say(resident, "いや、わからん") == [texts.MAYBE_AGAIN]
    said = chat.say(resident, "わからん")
    assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD)
    notice = _notices(heard, coordinator)
    assert len(notice) == 1 and "いや、わからん" in notice[0]
    assert _requests(db_session) == 0
    _line_accepted_everything(chat)


# --- after the emergency answer ---------------------------------------------------------------------


def _news(heard: Heard, coordinator: str) -> list[str]:
    return [n for n in heard(coordinator) if n.startswith("【緊急のその後】")]


@pytest.mark.parametrize(
    ("alarm", "typed", "kind", "news"),
    [
        # Asked 今すぐ命にかかわりますか？ again, as if the ambulance were a new alarm.
        ("主人がたおれていきしてない", "もう救急車よんだ", "unconscious", True),
        ("いまむねがくるしい", "きゅうきゅうしゃきました🚑", "chest_pain", True),
        # A second emergency answer (事件) and a second 【緊急の可能性】 to the coordinators.
        ("血がとまらん", "110番した", "bleeding", True),
        # 「よく分かりませんでした」.
        ("火事です", "だいじょうぶになりました", "fire", True),
        ("血がとまらん", "とまりました　ありがとうございました", "bleeding", True),
        ("胸がいたい", "おちついたわ", "chest_pain", True),
        ("胸がいたい", "むすめがきてくれた", "chest_pain", True),
        # Thanks: kind words and the numbers again, no notice.
        ("胸がいたい", "ありがとう", "chest_pain", False),
        ("火事です", "はい", "fire", False),
    ],
)
def test_what_is_typed_after_the_emergency_answer_gets_a_kind_answer(
    chat: Chat, db_session: Session, heard: Heard, alarm: str, typed: str, kind: str, news: bool
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    assert chat.say(resident, alarm)[0].startswith(texts.EMERGENCY_HEAD)
    assert len(_notices(heard, coordinator)) == 1
    said = chat.say(resident, typed)
    assert len(said) == 2, said  # never silence, never asked again
    head = texts.EMERGENCY_NEWS + texts.EMERGENCY_NEWS_TOLD if news else texts.EMERGENCY_THANKS
    assert said[0] == f"{head}\n{texts.EMERGENCY_CALL_AGAIN}"
    numbers = [f"tel:{n.replace('#', '%23')}" for n in _NUMBERS_OF[kind]]
    assert _tel_uris(chat.stub.messages_for(resident)[-1]) == numbers
    told = heard(coordinator)
    assert [n for n in told if n.startswith("【緊急の可能性】")] == []  # no second alarm
    assert told == ([f"【緊急のその後】山田花子さんから：\n「{typed}」"] if news else [])
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0
    _line_accepted_everything(chat)


_NUMBERS_OF = {
    "unconscious": ("119", "#7119", "110"),
    "chest_pain": ("119", "#7119", "110"),
    "bleeding": ("119", "#7119", "110"),
    "fire": ("119", "110"),
}


def test_news_when_no_coordinator_is_on_line_does_not_say_they_were_told(chat: Chat) -> None:
    resident = _resident(chat)
    chat.say(resident, "胸がいたい")
    said = chat.say(resident, "もう救急車よんだ")
    assert said[0] == f"{texts.EMERGENCY_NEWS}\n{texts.EMERGENCY_CALL_AGAIN}"


@pytest.mark.parametrize("again", ["まだくるしい", "救急車よんだけどまだ胸がいたい", "たすけて"])
def test_a_new_alarm_just_after_the_emergency_answer_is_answered_at_once(
    chat: Chat, db_session: Session, heard: Heard, again: str
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    chat.say(resident, "胸がいたい")
    said = chat.say(resident, again)
    assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD), said  # not asked about
    assert texts.EMERGENCY_DO_NOW["chest_pain"] in said[0]  # the kind already known, when none is named
    notices = _notices(heard, coordinator)
    assert len(notices) == 2 and again in notices[1]
    _nobody_else_heard(heard, supporters)
    assert _requests(db_session) == 0


# --- an emergency in the middle of a 困りごと ----------------------------------------------------------


def _draft_at(chat: Chat, resident: str, step: str) -> None:
    chat.say(resident, "でんきゅうがきれてかえられん")
    if step in ("when", "confirm"):
        assert chat.location(resident, *RESIDENT_HOME) == ["いつ手伝ってほしいですか？"]
    if step == "confirm":
        assert tap_label(chat, resident, "いつでも") == ["この内容で依頼しますか？"]


@pytest.mark.parametrize("step", ["place", "when", "confirm"])
def test_an_emergency_mid_request_wins_and_a_yes_after_it_sends_nothing(
    chat: Chat, db_session: Session, heard: Heard, step: str
) -> None:
    """At the confirmation card, 「はい」 typed after the emergency answer sent the half-written request to
    supporters; at the time step 「ありがとう」 got the time's hint. The draft now waits, unsent, until
    続ける is tapped (or its own buttons are), and only its own yes sends it."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, step)
    said = chat.say(resident, "いま胸がいたい")
    assert len(said) == 2 and said[0].startswith(texts.EMERGENCY_HEAD)
    for typed in ("はい", "ありがとう"):
        said = chat.say(resident, typed)
        assert said == [
            f"{texts.EMERGENCY_THANKS}\n{texts.EMERGENCY_CALL_AGAIN}",
            "\n".join([texts.EMERGENCY_CALL_AGAIN, texts.CALL_119, texts.CALL_7119, texts.CALL_110]),
            texts.EMERGENCY_HELD,
        ], typed
        assert [a["label"] for a in actions_in(chat.stub.messages_for(resident)[-1])] == ["続ける", "やめる"]
    _nobody_else_heard(heard, supporters)
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.DRAFT
    said = tap_label(chat, resident, texts.EMERGENCY_GO_ON)
    assert said[0] == texts.MAYBE_GO_ON
    if step == "place":
        chat.location(resident, *RESIDENT_HOME)
    if step in ("place", "when"):
        tap_label(chat, resident, "いつでも")
    tap_label(chat, resident, "依頼する")
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.OPEN
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert len(_notices(heard, coordinator)) == 1
    _line_accepted_everything(chat)


def test_the_held_requests_own_buttons_and_typed_go_on_still_work(
    chat: Chat, db_session: Session, heard: Heard
) -> None:
    """A location sent, or いつでも tapped, at the step the emergency interrupted: that step takes it (both
    got 「よく分かりませんでした」 or 「このボタンは使えなくなりました」 while a question held the flow)."""
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "place")
    chat.say(resident, "いま胸がいたい")
    assert chat.location(resident, *RESIDENT_HOME) == ["いつ手伝ってほしいですか？"]
    chat.say(resident, "いきができん")
    assert tap_label(chat, resident, "いつでも") == ["この内容で依頼しますか？"]
    chat.say(resident, "いきができん")
    assert chat.say(resident, "つづけます") == [texts.MAYBE_GO_ON, "この内容で依頼しますか？"]
    _nobody_else_heard(heard, supporters)
    chat.say(resident, "はい")  # its own yes, to the card shown again
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]


@pytest.mark.parametrize("how", ["idle", "やめる"])
def test_a_request_held_by_an_emergency_is_dropped_idle_or_stopped_never_sent(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock, how: str
) -> None:
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    if how == "idle":
        clock.advance(minutes=40)
        said = chat.say(resident, "はい")
    else:
        said = chat.say(resident, how)
    assert said and not said[0].startswith("依頼しました"), said
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.CANCELLED
    _nobody_else_heard(heard, supporters)


@pytest.mark.parametrize("yes", ["tap", "はい", "おくってください", "はい、おねがいします"])
def test_the_held_cards_send_button_tapped_after_an_emergency_asks_first(
    chat: Chat, db_session: Session, heard: Heard, yes: str
) -> None:
    """依頼する on the card shown before 「むねがくるしいんじゃ」, tapped just after the emergency answer,
    sent the held request to supporters at once. Now the resident is asked kindly whether to send it, now
    that things are calmer; 「ありがとう」 still sends nothing, and only a yes to that question sends it."""
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    assert tap_label(chat, resident, "依頼する") == [texts.HELD_SEND_ASK]  # the card from before
    labels = [a["label"] for a in actions_in(chat.stub.messages_for(resident)[-1])]
    assert labels == [texts.HELD_SEND, "やめる", texts.CALL_119]
    assert chat.say(resident, "ありがとう")[-1] == texts.EMERGENCY_HELD
    _nobody_else_heard(heard, supporters)
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.DRAFT
    tap_label(chat, resident, "依頼する")  # asked once more, never sent by the old card
    _nobody_else_heard(heard, supporters)
    said = tap_label(chat, resident, texts.HELD_SEND) if yes == "tap" else chat.say(resident, yes)
    assert said[0].startswith("依頼しました。"), said
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.OPEN
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    assert len(_notices(heard, coordinator)) == 1
    _line_accepted_everything(chat)


@pytest.mark.parametrize("no", ["いいえ", "まだいい", "いらん"])
def test_asked_whether_to_send_the_held_request_a_no_sends_nothing(
    chat: Chat, db_session: Session, heard: Heard, no: str
) -> None:
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    tap_label(chat, resident, "依頼する")
    said = chat.say(resident, no)
    assert said and not said[0].startswith("依頼"), said
    _nobody_else_heard(heard, supporters)
    assert db_session.scalars(select(HelpRequest)).one().status != RequestStatus.OPEN


@pytest.mark.parametrize("typed", ["はい", "ありがとう", "こんにちは"])
def test_a_held_request_dropped_after_30_minutes_is_said_and_can_be_sent_again(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock, typed: str
) -> None:
    """The draft held since the emergency answer was cancelled after 30 minutes without a word: what was
    typed next got only its usual answer. Now the resident hears first that the request was not sent, and
    もう一度依頼する brings back what they wrote (kind, place, time) to its card."""
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    clock.advance(minutes=40)
    said = chat.say(resident, typed)
    assert said[0].startswith(texts.HELD_DROPPED) and len(said) >= 2, (
        said
    )  # then the usual answer to the words
    dropped = chat.stub.messages_for(resident)[-len(said)]
    assert "でんきゅうがきれてかえられん" in str(dropped)
    assert [a["label"] for a in actions_in(dropped)] == [texts.HELD_SEND_AGAIN]
    assert db_session.scalars(select(HelpRequest)).one().status == RequestStatus.CANCELLED
    _nobody_else_heard(heard, supporters)
    assert tap_label(chat, resident, texts.HELD_SEND_AGAIN) == ["この内容で依頼しますか？"]
    _nobody_else_heard(heard, supporters)
    assert tap_label(chat, resident, "依頼する")[0].startswith("依頼しました。")
    sent = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)).one()
    assert (sent.text, sent.category, sent.anytime) == ("でんきゅうがきれてかえられん", "repair", True)
    assert heard(supporters[0]) == ["お手伝いのお願い：電球・修理（東京都千代田区丸の内）"]
    tap_label(chat, resident, texts.HELD_SEND_AGAIN)  # tapped once more: never a second request
    assert db_session.scalar(select(func.count()).where(HelpRequest.status == RequestStatus.OPEN)) == 1
    _line_accepted_everything(chat)


def test_a_held_request_dropped_when_a_new_one_is_written_keeps_both(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock
) -> None:
    """40 minutes later a new 困りごと: the new one goes on, and the one not sent is said and kept."""
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "when")
    chat.say(resident, "むねがくるしいんじゃ")
    clock.advance(minutes=40)
    said = chat.say(resident, "かいものをたのみたい")
    assert said[0].startswith(texts.HELD_DROPPED) and "どこで手伝ってほしいですか" in said[-1], said
    assert tap_label(chat, resident, texts.HELD_SEND_AGAIN)[0] == texts.OLD_BUTTON_MID_FLOW
    _nobody_else_heard(heard, supporters)


def test_a_request_held_by_the_safety_question_dropped_idle_is_said_too(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock
) -> None:
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    assert chat.say(resident, "たすけて") == [texts.MAYBE_URGENT]
    clock.advance(minutes=40)
    said = chat.say(resident, "ありがとう")
    assert said[0].startswith(texts.HELD_DROPPED), said
    assert tap_label(chat, resident, texts.HELD_SEND_AGAIN) == ["この内容で依頼しますか？"]
    _nobody_else_heard(heard, supporters)


def test_a_held_request_dropped_by_another_flow_or_a_late_send_tap_is_said(
    chat: Chat, db_session: Session, heard: Heard, clock: FakeClock
) -> None:
    """The menu's 困りごと tapped while a draft is held (a new one begun) dropped it without a word, and so
    did 送る tapped after the 30 minutes: both now say it was not sent, with もう一度依頼する."""
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    said = chat.say(resident, texts.MENU_REQUEST)
    assert said[0].startswith(texts.HELD_DROPPED) and said[-1] == texts.REQUEST_PROMPT, said
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    tap_label(chat, resident, "依頼する")
    clock.advance(minutes=40)
    said = tap_label(chat, resident, texts.HELD_SEND)
    assert said[0].startswith(texts.HELD_DROPPED) and not said[-1].startswith("依頼しました"), said
    _nobody_else_heard(heard, supporters)
    assert db_session.scalar(select(func.count()).where(HelpRequest.status == RequestStatus.OPEN)) == 0


def test_a_held_request_not_dropped_by_stop_words_gets_no_second_notice(
    chat: Chat, db_session: Session
) -> None:
    resident = _resident(chat)
    _draft_at(chat, resident, "confirm")
    chat.say(resident, "むねがくるしいんじゃ")
    assert chat.say(resident, "やめる") == [texts.CANCELLED_FLOW]


@pytest.mark.parametrize("step", ["place", "confirm"])
def test_a_fresh_request_typed_after_an_emergency_mid_request_is_kept_and_nothing_sent(
    chat: Chat, db_session: Session, heard: Heard, step: str
) -> None:
    """「トイレのでんきもきれとるんじゃ」 typed after the emergency answer, at the held request's step, got
    the step's hint and was lost; now it is written into the request, which still waits for its own yes."""
    supporters, _ = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    _draft_at(chat, resident, step)
    chat.say(resident, "むねがくるしいんじゃ")
    said = chat.say(resident, "トイレのでんきもきれとるんじゃ")
    assert said[0] == texts.REQUEST_NOTE_KEPT.format(text="トイレのでんきもきれとるんじゃ"), said
    said = chat.say(resident, "にわのくさもとってほしいんよ")
    assert said[0] == "【庭・草むしり】のお手伝いも、いっしょに依頼します。", said
    _nobody_else_heard(heard, supporters)
    draft = db_session.scalars(select(HelpRequest)).one()
    assert draft.status == RequestStatus.DRAFT
    assert (
        draft.text
        == "でんきゅうがきれてかえられん\nトイレのでんきもきれとるんじゃ\nにわのくさもとってほしいんよ"
    )


# --- after a refusal, the request asked differently ------------------------------------------------


@pytest.mark.parametrize(
    ("refused", "rephrased", "category"),
    [
        ("通帳を預かってほしい", "じゃあ銀行までいっしょに歩いてほしい", "outing"),
        ("つうちょうをあずかってくれんかのう", "ほんなら銀行までついてきてほしいんじゃが", "outing"),
        ("くすりをぬってほしい", "じゃあ薬局にくすりをとりにいってほしい", "errands"),
        ("病院まで車でおくってほしい", "ほんなら歩いてついてきてくれる？", "outing"),
        ("屋根の雪おろしをたのみたい", "そんなら玄関の前の雪かきだけでも", "seasonal"),
        # The refusal says 「おむつなどの買い物ならお手伝いできます」; in kana it was refused again.
        ("お風呂にいれてほしい", "じゃあおむつのかいものをおねがい", "errands"),
        ("お風呂にいれてほしい", "ほんならおむつこうてきてくれんかのう", "errands"),
    ],
)
def test_a_request_asked_as_the_refusal_suggests_goes_through_the_ordinary_flow(
    chat: Chat, db_session: Session, heard: Heard, refused: str, rephrased: str, category: str
) -> None:
    supporters, coordinator = _neighbourhood(chat, db_session)
    resident = _resident(chat)
    said = chat.say(resident, refused)
    assert len(said) == 1 and said[0].startswith(
        "ごめんなさい。このご相談は、近所のサポーターではお手伝いできません。"
    )
    said = chat.say(resident, rephrased)
    assert said[0].startswith(f"「{rephrased}」ですね。") and "どこで手伝ってほしいですか" in said[-1], said
    chat.location(resident, *RESIDENT_HOME)
    tap_label(chat, resident, "いつでも")
    _nobody_else_heard(heard, supporters)
    assert tap_label(chat, resident, "依頼する")[0].startswith(("依頼しました。", "依頼を受け付けました。"))
    request = db_session.scalars(select(HelpRequest)).one()
    assert (request.text, request.category, request.status) == (rephrased, category, RequestStatus.OPEN)
    if category == "errands":
        assert heard(supporters[0]) == ["お手伝いのお願い：買い物・用事（東京都千代田区丸の内）"]
    assert [n for n in heard(coordinator) if "緊急" in n or n.startswith("【相談】")] == []
    _line_accepted_everything(chat)
