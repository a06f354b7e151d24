"""Dialogues around the core cycle: safety answers, bad input, dates, cancelling, and never silence."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import Conversation, HelpRequest, Member, RequestStatus
from tests.handlers.cycle import matched
from tests.handlers.dialogue import NEAR, RESIDENT_HOME, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock, action_data, actions_in


def _requests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(HelpRequest)) or 0


def test_emergency_points_to_119_and_queues_nothing(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for text in ("母が倒れた！", "息が苦しい", "火事です", "血が止まらない"):
        answer = chat.say(user, text)
        buttons = str(chat.stub.messages_for(user)[-1])
        assert len(answer) == 2 and "119" in answer[0] and "tel:119" in buttons, text
    assert _requests(db_session) == 0


def test_emergency_words_win_even_in_the_middle_of_a_flow(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert "119" in chat.say(user, "夫が倒れて意識がない")[0]


def test_things_volunteers_may_not_do_get_a_kind_referral(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    answer = chat.say(user, "通帳からお金をおろしてきてほしい")
    assert answer[0].startswith("ごめんなさい。このご相談は、近所のサポーターではお手伝いできません。")
    assert "通帳" in answer[0] and "コーディネーター" in answer[0]
    assert chat.say(user, "屋根の雪下ろしをしてほしい")[0].startswith("ごめんなさい。")
    assert _requests(db_session) == 0


def test_unexpected_input_always_gets_a_helpful_answer(chat: Chat) -> None:
    user = chat.user("alice")
    chat.send(ev.sticker_event(user, chat.token(user)))
    assert chat.new_texts(user)[0].startswith("送ってくださって、ありがとうございます。")
    chat.send(ev.image_event(user, chat.token(user)))
    assert chat.new_texts(user)
    for text in ("あ", "asdfghjkl", "😀😀😀", "ﾃｽﾄ", "\t\x01\x07", "?" * 10, "\x00"):
        answer = chat.say(user, text)
        assert len(answer) == 1, text
        assert "quickReply" in chat.stub.messages_for(user)[-1]
    assert "【電球・修理】" in chat.say(user, "電球\x00が切れた")[0]  # NUL dropped, the rest understood
    chat.say(user, "やめる")
    assert chat.tap(user, "a=rq&s=ok&r=1")[0].startswith("ごめんなさい。このボタンは使えなくなりました。")


def test_long_emoji_and_control_text_is_stored_intact(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    text = "電球が切れて困っています🙇‍♀️ ｽﾏﾎも\x0b\x1fよく分からない\u200b\r\n。" + "よろしく" * 1240
    text = text[:5000]
    answer = chat.say(user, text)
    assert answer and all(len(t) <= 5000 for t in answer)
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.text == text


def test_impossible_place_is_asked_again(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    for lat, lon in ((91.0, 139.0), (0.0, 0.0), (51.5, -0.12)):
        assert chat.location(user, lat, lon)[0].startswith("場所がうまく分かりませんでした。")
    assert chat.location(user, *RESIDENT_HOME) == ["いつ手伝ってほしいですか？"]


def test_datetime_picker_rejects_the_past_and_keeps_local_time(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    past = tap_label(chat, user, "日時をえらぶ", {"datetime": "2026-11-24T10:00"})
    assert past[0].startswith("その日時は、もう過ぎています。")
    confirm = tap_label(chat, user, "日時をえらぶ", {"datetime": "2026-11-27T14:30"})
    assert confirm == ["この内容で依頼しますか？"]
    assert "11月27日(金) 14:30" in str(chat.stub.messages_for(user)[-1])
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.wanted_at is not None
    assert stored.wanted_at.isoformat() == "2026-11-27T05:30:00+00:00"  # 14:30 in Tokyo


def test_each_step_can_be_cancelled_and_a_draft_notifies_nobody(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "やめる") == ["わかりました。やめました。\nまた、いつでも送ってください。"]
    chat.say(user, "電球が切れた")
    assert tap_label(chat, user, "やめる")[0].startswith("わかりました。やめました。")
    statuses = db_session.scalars(select(HelpRequest.status)).all()
    assert statuses == [RequestStatus.CANCELLED, RequestStatus.CANCELLED]
    assert db_session.scalar(select(Conversation)) is None
    assert chat.new_texts(sato) == []
    assert chat.say(user, "やめる") == ["今、進めている手続きはありません。"]


def test_text_mid_flow_reprompts_instead_of_starting_over(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    answer = chat.say(user, "よろしくお願いします")
    # One short line saying what is possible, with the step's buttons (never a new request).
    assert answer == [
        "場所が分かりませんでした。\n「世田谷区太子堂」のように町の名前か、郵便番号を書いてください。"
    ]
    assert actions_in(chat.stub.messages_for(user)[-1])[0]["type"] == "location"


def test_unclear_request_asks_for_the_category(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    answer = chat.say(user, "ちょっと困ってるんです")
    assert "どんなお手伝いですか" in answer[0]
    assert tap_label(chat, user, "ゴミ出し")[0].startswith("どこで手伝ってほしいですか")
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.category == "rubbish"


def test_registered_place_is_one_tap_next_time(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "やめる")
    chat.say(user, "ゴミ出しを手伝ってほしい")
    assert tap_label(chat, user, "登録した場所") == ["いつ手伝ってほしいですか？"]
    drafts = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.DRAFT)).all()
    assert [(d.lat, d.lon) for d in drafts] == [RESIDENT_HOME]


def test_greetings_and_thanks_are_not_a_new_request(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for text in ("よろしくお願いします", "ありがとうございました😊", "はい"):
        assert chat.say(user, text) == [
            "ご連絡ありがとうございます。\n困りごとがあれば、そのまま書いて送ってください。"
        ]
    assert _requests(db_session) == 0


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


def test_an_address_that_cannot_be_placed_goes_to_a_coordinator(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    coordinator = chat.user("coord", "伊藤和子")
    chat.follow(coordinator)
    member = db_session.scalar(select(Member).where(Member.line_user_id == coordinator))
    assert member is not None
    member.is_coordinator = True
    db_session.commit()
    chat.new_texts(sato)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert tap_label(chat, user, "場所を送れない")[0].startswith(
        "町の名前か、郵便番号を書いて送ってください。"
    )
    assert chat.say(user, "ちょっと分からない")[0].startswith("場所が分かりませんでした。")
    # No such municipality in the data: a coordinator confirms the place rather than refusing it.
    assert chat.say(user, "夢見ケ丘区あおば3丁目") == [
        "「夢見ケ丘区あおば3丁目」ですね。\nくわしい場所は、コーディネーターが確認します。",
        "いつ手伝ってほしいですか？",
    ]
    tap_label(chat, user, "いつでも")
    assert tap_label(chat, user, "依頼する") == [
        "依頼を受け付けました。\n場所をたしかめるため、コーディネーターから連絡します。"
    ]
    assert chat.new_texts(coordinator)[-1].startswith(
        "【要対応】依頼番号1（電球・修理・夢見ケ丘区あおば）は、位置情報がありません。"
    )
    assert chat.new_texts(sato) == []  # nobody is asked to go to a place nobody knows
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.status == RequestStatus.OPEN and stored.needs_coordinator


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


def _requests_with(session: Session, status: RequestStatus) -> int:
    return session.scalar(select(func.count()).where(HelpRequest.status == status)) or 0


def test_a_time_that_passes_while_the_draft_waits_is_asked_again(
    chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    tap_label(chat, user, "日時をえらぶ", {"datetime": "2026-11-25T11:00"})
    clock.advance(hours=3)  # the confirmation card waited until 13:00
    answer = tap_label(chat, user, "依頼する")
    assert answer[0].startswith("その日時は、もう過ぎています。")
    assert answer[-1] == "いつ手伝ってほしいですか？"
    assert chat.new_texts(sato) == []  # nobody is asked to come at a time that has gone
    tomorrow = tap_label(chat, user, "日時をえらぶ", {"datetime": "2026-11-26T11:00"})
    assert tomorrow == ["この内容で依頼しますか？"]
    assert tap_label(chat, user, "依頼する")[0].startswith("依頼しました。")
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.status == RequestStatus.OPEN
    assert stored.wanted_at is not None and stored.wanted_at.isoformat() == "2026-11-26T02:00:00+00:00"


def test_a_draft_is_not_left_half_made_when_a_button_starts_another_flow(
    chat: Chat, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.resident, "庭の草むしりをお願いしたい")
    assert chat.say(match.resident, "メッセージを送る")[0].startswith("佐藤一郎さんへのメッセージを")
    alice = chat.user("alice")
    chat.say(alice, "草むしりを手伝ってみたい")  # its answer offers サポーター登録
    chat.say(alice, "電球が切れた")
    assert tap_label(chat, alice, "サポーター登録")[0].startswith("今のところ：庭・草むしり")
    drafts = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.DRAFT))
    assert drafts.all() == []


def test_a_second_tap_on_a_sent_request_or_a_registration_says_it_is_done(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    assert tap_label(chat, sato, "登録する") == [
        "サポーターの登録は、もう済んでいます。\n「サポーター設定」で見られます。"
    ]
    chat.new_texts(sato)
    user = chat.user("alice")
    assert submit_request(chat, user, "電球が切れた")[0].startswith("依頼しました。")
    assert len(chat.new_texts(sato)) == 1
    for label in ("依頼する", "いつでも"):
        assert tap_label(chat, user, label) == [
            "この依頼は、もう受け付けています。\n「自分の依頼」で見られます。"
        ]
    assert chat.new_texts(sato) == []


def test_wanting_to_stop_can_be_said_in_ones_own_words(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for words in ("やめたい", "キャンセルしたい", "もういい", "やっぱりやめます", "もういいです"):
        chat.say(user, "電球が切れた")
        assert chat.say(user, words) == ["わかりました。やめました。\nまた、いつでも送ってください。"], words
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0
    submit_request(chat, user, "電球が切れた")
    answer = chat.say(user, "キャンセルしたい")
    assert answer == [
        "今、進めている手続きはありません。\n出した依頼を取り消すときは、「自分の依頼」を押してください。"
    ]
    assert chat.stub.messages_for(user)[-1]["quickReply"]["items"][0]["action"]["text"] == "自分の依頼"


def test_wanting_to_stop_is_passed_on_in_relay_chat(chat: Chat) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    assert chat.say(match.resident, "もういいです")[0].startswith("佐藤一郎さんに送りました。")
    assert chat.new_texts(match.supporter) == ["【電球・修理の依頼】山田花子さんから：\nもういいです"]


def test_a_typed_yes_at_the_confirmation_card_confirms(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *RESIDENT_HOME)
    tap_label(chat, user, "いつでも")
    answer = chat.say(user, "はい、お願いします")
    assert answer[0].startswith("依頼しました。"), answer
    assert _requests_with(db_session, RequestStatus.OPEN) == 1
    # 「いいです」 often means "no, thank you": it never confirms anything.
    chat.say(user, "網戸が破れて直したい")
    chat.location(user, *RESIDENT_HOME)
    tap_label(chat, user, "いつでも")
    assert not chat.say(user, "いいです")[0].startswith("依頼しました。")
    assert _requests_with(db_session, RequestStatus.OPEN) == 1


def test_a_typed_yes_registers_a_supporter(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, "電球の交換")
    tap_label(chat, user, "次へ")
    chat.location(user, *NEAR, address="東京都世田谷区")
    tap_label(chat, user, "3km")
    assert chat.say(user, "はい")[-1].startswith("上の「活動のきまり」を読んで")  # 登録する
    assert any("サポーターに登録しました" in t for t in chat.say(user, "はい"))  # 同意する
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None and member.is_supporter


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
