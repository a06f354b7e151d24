"""handlers/routes.py: the route table's order as a table, then dialogues about what the dispatcher decides:
safety first even mid-flow, a kind answer to anything, flows left idle or replaced, old cards' buttons."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import Conversation, HelpRequest, Member, RequestStatus
from handlers import routes, texts
from tests.handlers.cycle import matched
from tests.handlers.dialogue import NEAR, RESIDENT_HOME, last, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock, action_data, actions_in


def _order() -> list[str]:
    return [route.name for route in routes.ROUTES]


def test_route_names_are_unique() -> None:
    assert len(set(_order())) == len(_order())


def test_the_fallback_is_the_last_route_and_matches_anything() -> None:
    last = routes.ROUTES[-1]
    assert last.name == "ignored"
    assert last.matches(object(), object())  # type: ignore[arg-type]


def test_safety_comes_before_relay_chat_commands_and_free_text() -> None:
    order = _order()
    for later in ("relay", "command", "said-command", "after-send", "text"):
        assert order.index("safety") < order.index(later)


def test_what_routes_come_first() -> None:
    """A follow, an unfollow and a blocked member come before anything; relay chat before commands."""
    order = _order()
    assert order[:4] == ["follow", "unfollow", "blocked", "postback"]
    assert order.index("relay") < order.index("command") < order.index("said-command") < order.index("text")
    assert order.index("text") < order.index("location") < order.index("other-message")


def _requests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(HelpRequest)) or 0


def _requests_with(session: Session, status: RequestStatus) -> int:
    return session.scalar(select(func.count()).where(HelpRequest.status == status)) or 0


def test_emergency_words_win_even_in_the_middle_of_a_flow(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert "119" in chat.say(user, "夫が倒れて意識がない")[0]


def test_unexpected_input_always_gets_a_helpful_answer(chat: Chat) -> None:
    user = chat.user("alice")
    chat.send(ev.sticker_event(user, chat.token(user)))
    assert chat.new_texts(user) == [texts.STICKER_REPLY]  # one answer, not two bubbles
    chat.send(ev.image_event(user, chat.token(user)))
    assert chat.new_texts(user) == [texts.FALLBACK_MEDIA]
    assert "quickReply" in chat.stub.messages_for(user)[-1]
    for text in ("あ", "asdfghjkl", "😀😀😀", "ﾃｽﾄ", "\t\x01\x07", "?" * 10, "\x00"):
        answer = chat.say(user, text)
        assert len(answer) == 1, text
        assert "quickReply" in chat.stub.messages_for(user)[-1]
    assert "【電球・修理】" in chat.say(user, "電球\x00が切れた")[0]  # NUL dropped, the rest understood
    chat.say(user, "やめる")
    assert chat.tap(user, "a=rq&s=ok&r=1")[0].startswith("ごめんなさい。このボタンは使えなくなりました。")


@pytest.mark.parametrize("typed", ["元気ですか", "まあまあじゃのう", "ｱﾘｶﾞﾀｲｺﾄﾃﾞｽ"])
def test_words_not_understood_are_not_asked_to_be_written_in_words(chat: Chat, typed: str) -> None:
    """A typed message the bot could not read got 「困りごとは、文字で書いて送ってください」, as a photo
    does: it was written already. It is shown how a 困りごと is written instead."""
    user = chat.user("alice")
    assert chat.say(user, typed) == [
        "ごめんなさい。よく分かりませんでした。\n"
        "困りごとは、「電球が切れて替えられない」のように、そのまま書いて送ってください。\n"
        "下のボタンも使えます。"
    ]
    assert "quickReply" in last(chat, user)


def test_greetings_and_thanks_are_not_a_new_request(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for text in ("よろしくお願いします", "ありがとうございました😊", "はい"):
        assert chat.say(user, text) == [
            "ご連絡ありがとうございます。\n困りごとがあれば、そのまま書いて送ってください。"
        ]
    assert _requests(db_session) == 0


def test_thanks_in_dialect_are_not_misunderstood(chat: Chat, db_session: Session) -> None:
    """「ありがとね」「おおきに」 got 「ごめんなさい。よく分かりませんでした。」."""
    user = chat.user("alice")
    _answered_as_small_talk(chat, user, ("ありがとね", "ありがとうね😊", "おおきに", "お疲れさまです"))
    assert _requests(db_session) == 0


def test_a_word_on_the_weather_is_small_talk_not_a_request(chat: Chat, db_session: Session) -> None:
    """「きょうはさむいね」 began a 雪かき・灯油 request (「どこで手伝ってほしいですか？」); asking still does
    one."""
    user = chat.user("alice")
    _answered_as_small_talk(chat, user, ("きょうはさむいね", "毎日暑いのう", "いい天気ですね☀️", "ｹｻﾊ ｻﾑｲﾈ"))
    assert _requests(db_session) == 0
    assert "どこで" in chat.say(user, "きょうはさむいけん、とうゆをいれてほしい")[-1]


def _answered_as_small_talk(chat: Chat, user: str, typed: tuple[str, ...]) -> None:
    for text in typed:
        assert chat.say(user, text) == [
            "ご連絡ありがとうございます。\n困りごとがあれば、そのまま書いて送ってください。"
        ], text


def test_someone_matched_who_writes_freely_is_shown_how_to_reach_the_other_side(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    tap_label(chat, sato, "引き受ける")
    chat.new_texts(resident)
    answer = chat.say(resident, "ありがとうございます。お待ちしています。")
    assert answer == [
        "ご連絡ありがとうございます。\n相手の方に伝えたいときは、「メッセージを送る」を押してから書いてください。"
    ]
    first_button = chat.stub.messages_for(resident)[-1]["quickReply"]["items"][0]["action"]
    assert first_button == {"type": "message", "label": "メッセージを送る", "text": "メッセージを送る"}
    # A photo or a sticker outside the relay: one answer saying how it would reach them.
    for event in (ev.image_event, ev.sticker_event):
        chat.send(event(resident, chat.token(resident)))
        assert chat.new_texts(resident) == [texts.MEDIA_MATCHED]
        first_button = chat.stub.messages_for(resident)[-1]["quickReply"]["items"][0]["action"]
        assert first_button["label"] == "メッセージを送る"
    assert chat.new_texts(sato) == []
    # Words plainly for the other side go to them (tests/handlers/test_after_send.py has more).
    assert chat.say(sato, "明日の午後に伺います")[0].startswith("山田花子さんに送りました。")
    assert chat.new_texts(resident) == ["【電球・修理の依頼】佐藤一郎さんから：\n明日の午後に伺います"]


def test_emergency_in_relay_chat_is_answered_not_passed_on(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    tap_label(chat, sato, "引き受ける")
    chat.say(resident, "メッセージを送る")
    chat.new_texts(sato)
    answer = chat.say(resident, "夫が倒れて息が苦しい")
    assert len(answer) == 2 and "119" in answer[0]
    assert chat.new_texts(sato) == []


def test_wanting_to_try_but_needing_help_is_a_request(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    answer = chat.say(user, "スマホを使ってみたいけど、使い方がわからない")
    assert "【スマホ・パソコン】" in answer[0]
    assert _requests(db_session) == 1


def test_a_flow_left_for_a_day_is_over(chat: Chat, clock: FakeClock, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "やってみたい")
    clock.advance(days=2)
    answer = chat.say(user, "電球が切れて替えられない")
    assert "【電球・修理】" in answer[0]
    chat.say(user, "やめる")
    clock.advance(days=2)
    chat.say(user, "ゴミ出しを手伝ってほしい")
    clock.advance(hours=25)
    assert "【電球・修理】" in chat.say(user, "電球が切れた")[0]
    statuses = db_session.scalars(select(HelpRequest.status).order_by(HelpRequest.id)).all()
    assert statuses == [RequestStatus.CANCELLED, RequestStatus.CANCELLED, RequestStatus.DRAFT]


def test_starting_another_flow_abandons_the_draft(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.say(user, "サポーターになる")
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.status == RequestStatus.CANCELLED


def test_starting_another_flow_mid_request_keeps_the_new_one(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "サポーターになる")
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    state = db_session.scalar(select(Conversation).where(Conversation.member_id == member.id))
    assert state is not None and state.flow == "supporter"
    draft = db_session.scalar(select(HelpRequest))
    assert draft is not None and draft.status == RequestStatus.CANCELLED
    # What they write next is what they can do, not a new 困りごと.
    assert _requests(db_session) == 1
    chat.say(user, "電球の交換")
    assert _requests(db_session) == 1


def test_an_old_cards_cancel_button_leaves_only_its_own_flow(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *RESIDENT_HOME)
    tap_label(chat, user, "いつでも")
    card = chat.stub.messages_for(user)[-1]
    assert card["type"] == "flex"
    old_cancel = action_data(card, "やめる")

    chat.say(user, "サポーターになる")  # a new flow; the request card is still in the chat
    assert chat.tap(user, old_cancel) == [
        "そのボタンは、前の手続きのものです。\n今の手続きは、そのまま続いています。"
    ]
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    state = db_session.scalar(select(Conversation).where(Conversation.member_id == member.id))
    assert state is not None and state.flow == "supporter"
    # Typed, or from a button of the flow itself, やめる still leaves it.
    assert chat.say(user, "やめる")[0].startswith("わかりました。やめました。")
    assert _requests_with(db_session, RequestStatus.OPEN) == 0


def test_a_draft_is_not_left_half_made_when_a_button_starts_another_flow(
    chat: Chat, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.resident, "庭の草むしりをお願いしたい")
    assert chat.say(match.resident, "メッセージを送る")[0].startswith("佐藤一郎さんへのメッセージを")
    alice = chat.user("alice")
    chat.say(alice, "草むしりを手伝ってみたい")  # its answer offers サポーター登録
    chat.say(alice, "電球が切れた")
    assert "\n今のところ：庭・草むしり" in tap_label(chat, alice, "サポーター登録")[0]
    drafts = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.DRAFT))
    assert drafts.all() == []


def test_an_old_cards_button_mid_flow_goes_on_with_the_flow_in_progress(
    chat: Chat, db_session: Session
) -> None:
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *RESIDENT_HOME)
    old_anytime = action_data(chat.stub.messages_for(user)[-1], "いつでも")
    chat.say(user, "やめる")
    chat.say(user, "網戸が破れて直したい")  # a new draft, asking where
    answer = chat.tap(user, old_anytime)
    assert answer[0] == "そのボタンは、前のものです。\n今の手続きを、このまま続けます。"
    assert answer[1].startswith("続けるときは、下のボタンを押してください。")
    assert next(a["type"] for a in actions_in(chat.stub.messages_for(user)[-1])) == "location"
    # The draft in progress is untouched, and the flow goes on from where it was.
    chat.location(user, *RESIDENT_HOME)
    tap_label(chat, user, "いつでも")
    assert tap_label(chat, user, "依頼する")[0].startswith("依頼を受け付けました。")
    drafts = db_session.scalars(select(HelpRequest).order_by(HelpRequest.id)).all()
    assert [r.status for r in drafts] == [RequestStatus.CANCELLED, RequestStatus.OPEN]

    # The same during supporter registration: an old request button does not end it.
    chat.say(user, "サポーターになる")
    answer = chat.tap(user, old_anytime)
    assert answer[0] == "そのボタンは、前のものです。\n今の手続きを、このまま続けます。"
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    state = db_session.scalar(select(Conversation).where(Conversation.member_id == member.id))
    assert state is not None and state.flow == "supporter"


def test_english_chinese_and_romaji_get_an_answer_in_their_language(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    english = chat.say(user, "Hello, can someone help me change a light bulb?")
    assert english == [
        "Thank you for your message. This service is in Japanese only.\n"
        "Please ask someone to help you write in Japanese,\n"
        "or contact a coordinator at your local community hub."
    ]
    assert "quickReply" in last(chat, user)
    assert chat.say(user, "我需要帮助换灯泡")[0].startswith("感谢您的留言")
    assert chat.say(user, "denkyuu ga kirete komatte imasu")[0].startswith("Messeeji arigatou")
    assert db_session.scalar(select(HelpRequest)) is None
