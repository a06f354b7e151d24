"""handlers/request_flow.py as whole dialogues: each step tapped or typed (times, places, 郵便番号, changes at
the confirmation card), cancelled, and never left half-made. The clock reads Wednesday 25 November 2026,
10:00 in Tokyo."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Conversation, HelpRequest, Member, RequestStatus
from handlers import texts
from matching import haversine_km
from tests.handlers.cycle import run_due
from tests.handlers.dialogue import (
    NEAR,
    RESIDENT_ADDRESS,
    RESIDENT_HOME,
    last,
    register_supporter,
    submit_request,
    tap_label,
)
from tests.support import Chat, FakeClock, actions_in


def _requests_with(session: Session, status: RequestStatus) -> int:
    return session.scalar(select(func.count()).where(HelpRequest.status == status)) or 0


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


@pytest.mark.parametrize("slip", ["まちがえました", "間違えた", "まちごうた"])
def test_a_slip_at_the_confirmation_card_asks_what_to_change(chat: Chat, slip: str) -> None:
    """「まちがえました」 got 「よければ「依頼する」…」, as if nothing was wrong."""
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "いつでも")
    assert chat.say(user, slip) == ["どこを直しますか？ 下から選んでください。"]
    labels = [a["label"] for a in actions_in(last(chat, user))]
    assert labels == ["日時を変える", "場所を変える", "書き足す", "やめる"]


# The clock reads Wednesday 25 November 2026, 10:00 in Tokyo.
CONFIRM = "この内容で依頼しますか？"


SENT_TO_ONE = (
    "依頼しました。\n近くのサポーター1人に、お知らせしました。\n引き受ける人が決まったら、お知らせします。"
)


def _request(session: Session) -> HelpRequest:
    session.expire_all()
    found = session.scalars(select(HelpRequest).order_by(HelpRequest.id.desc())).first()
    assert found is not None
    return found


def test_a_typed_time_is_read_and_shown_back_on_the_card(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "あしたの１０じ") == [CONFIRM]
    assert "11月26日(木) 10:00" in str(last(chat, user))
    assert _request(db_session).wanted_at is not None
    assert _request(db_session).wanted_at.isoformat() == "2026-11-26T01:00:00+00:00"  # type: ignore[union-attr]
    assert chat.say(user, "はい それでお願いします") == [SENT_TO_ONE]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "ｱｼﾀ ｺﾞｺﾞ 3ｼﾞ",
            "11月26日(木) 15:00",
        ),  # half-width katakana: the day alone was read, then 「ﾊｲ」 failed
        ("アサッテノ ユウガタ", "11月27日(金) 16:00"),
        ("ｷﾝﾖｳﾋﾞﾉ ｺﾞｾﾞﾝﾁｭｳ", "11月27日(金) 10:00"),
    ],
)
def test_a_time_typed_in_katakana_or_kana(chat: Chat, db_session: Session, typed: str, shown: str) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, typed) == [CONFIRM]
    assert shown in str(last(chat, user))
    assert chat.say(user, "ﾊｲ") == [SENT_TO_ONE]


def test_a_day_alone_asks_the_time_of_day_then_takes_a_word(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    answer = chat.say(user, "来週の火曜")
    assert answer == [
        "12月1日(火)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。"
    ]
    labels = [a["label"] for a in actions_in(last(chat, user))]
    assert labels[:3] == ["午前", "午後", "夕方"]
    assert chat.say(user, "午後") == [CONFIRM]
    assert "12月1日(火) 14:00" in str(last(chat, user))


def test_what_is_not_a_time_gets_one_line_with_the_buttons(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "えーと") == [
        "「あした10時」「あさっての午後」「いつでも」のように書くか、下のボタンを押してください。"
    ]
    assert any(a["type"] == "datetimepicker" for a in actions_in(last(chat, user)))
    assert chat.say(user, "いつでもいいです") == [CONFIRM]
    assert "いつでも" in str(last(chat, user))


def test_a_time_in_the_first_message_skips_the_time_step(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "あさっての午後2時に電球を替えてほしい")
    assert chat.location(user, *RESIDENT_HOME) == [CONFIRM]
    assert "11月27日(金) 14:00" in str(last(chat, user))
    chat.say(user, "電球が切れた")  # a new 困りごと with no time still asks it
    chat.say(user, "やめる")


@pytest.mark.parametrize(
    ("typed", "said_back", "then", "stored"),
    [
        (
            "あしたの10時にきてほしい",
            "日時は「11月26日(木) 10:00」ですね。",
            CONFIRM,
            "2026-11-26T01:00:00+00:00",
        ),
        ("ｱｻｯﾃﾉ ｺﾞｺﾞ", "日時は「11月27日(金) 14:00」ですね。", CONFIRM, "2026-11-27T05:00:00+00:00"),
        (
            "いつでもええよ",
            "日時は「いつでも」ですね。",
            CONFIRM,
            None,
        ),  # was the town 「いつ」, in several places
        (
            "都合のええときに",
            "日時は「いつでも」ですね。",
            CONFIRM,
            None,
        ),  # was an address (都) for a coordinator
        (
            "らいしゅうのげつようび",
            "日にちは「11月30日(月)」ですね。",
            "11月30日(月)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。",
            None,
        ),
    ],
)
def test_a_time_typed_at_the_place_step_is_kept_and_the_place_asked_again(
    chat: Chat, db_session: Session, typed: str, said_back: str, then: str, stored: str | None
) -> None:
    """The time answered before the place: it got 「場所が分かりませんでした」 and was lost, and once the
    place came the time was asked all over again."""
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    answer = chat.say(user, typed)
    assert answer[0].startswith(said_back), answer
    assert answer[-1] == texts.REQUEST_ASK_PLACE
    assert any(a["type"] == "location" for a in actions_in(last(chat, user)))
    assert chat.location(user, *RESIDENT_HOME) == [then]
    request = _request(db_session)
    assert (request.wanted_at.isoformat() if request.wanted_at else None) == stored
    assert request.anytime == ("いつでも" in said_back)


def test_words_at_the_place_step_that_are_no_time_still_get_the_place_hint(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "夜は家にいます")[0] == texts.PLACE_NOT_FOUND
    assert chat.location(user, *RESIDENT_HOME) == ["いつ手伝ってほしいですか？"]


def test_a_typed_town_is_placed_shown_back_and_matched(
    app: Flask, clock: FakeClock, chat: Chat, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "三軒茶屋です") == [
        "世田谷区三軒茶屋のあたりですね。",
        "いつ手伝ってほしいですか？",
    ]
    tap_label(chat, user, "いつでも")
    assert tap_label(chat, user, "依頼する") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.area == "世田谷区三軒茶屋" and stored.lat is not None and not stored.needs_coordinator
    run_due(app, clock)  # the worker sends what a busy webhook left to it
    card = str(chat.stub.messages_for(sato)[-1])
    assert "世田谷区三軒茶屋" in card and "三軒茶屋です" not in card


def test_a_postal_code_is_placed_at_its_town(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "〒１５４－０００４")[0] == "世田谷区太子堂のあたりですね。"
    assert chat.say(user, "いつでも") == [CONFIRM]
    assert chat.say(user, "大丈夫です") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.area == "世田谷区太子堂" and abs((stored.lat or 0) - 35.6467) < 0.01


def test_day_place_and_details_change_at_the_confirmation_card(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "あした10時")
    assert chat.say(user, "日にちを変えたい") == ["いつ手伝ってほしいですか？"]
    assert chat.say(user, "あさっての10時") == [CONFIRM]
    assert "11月27日(金) 10:00" in str(last(chat, user))
    chat.say(user, "あさってにして")  # said again in place: the card comes back unchanged
    assert chat.say(user, "金曜の夕方にして") == [CONFIRM]
    assert "11月27日(金) 16:00" in str(last(chat, user))
    assert chat.say(user, "場所をかえます")[0].startswith("どこで手伝ってほしいですか？")
    assert chat.say(user, "154-0004") == ["世田谷区太子堂のあたりですね。", CONFIRM]
    assert "11月27日(金) 16:00" in str(last(chat, user))  # the time is kept
    assert tap_label(chat, user, "書き足す")[0].startswith("付け足すことを書いて送ってください。")
    assert chat.say(user, "脚立はうちにあります") == ["書き足しました。", CONFIRM]
    assert chat.say(user, "ちがいます") == ["どこを直しますか？ 下から選んでください。"]
    assert chat.say(user, "それでいいです") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.status == RequestStatus.OPEN and stored.area == "世田谷区太子堂"
    assert stored.text == "電球が切れた\n脚立はうちにあります"


def test_two_needs_in_one_message_become_two_requests(
    app: Flask, clock: FakeClock, chat: Chat, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "草むしり", NEAR)
    chat.new_texts(sato), chat.new_texts(suzuki)
    user = chat.user("alice")
    assert chat.say(user, "電球と、あと庭の草も")[0] == (
        "「電球と、あと庭の草も」ですね。\n【電球・修理、庭・草むしり】の2つのお手伝いをさがします。"
    )
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "いつでも")
    assert "2件の依頼として出します。" in str(last(chat, user))
    answer = chat.say(user, "お願いします")
    assert answer == [SENT_TO_ONE + "\n【庭・草むしり】の依頼も出しました。"]
    db_session.expire_all()
    opened = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)).all()
    assert sorted(r.category or "" for r in opened) == ["garden", "repair"]
    run_due(app, clock)  # the worker sends what a busy webhook left to it
    assert "電球・修理" in str(chat.stub.messages_for(sato)[-1])
    assert "庭・草むしり" in str(chat.stub.messages_for(suzuki)[-1])


@pytest.mark.parametrize("step", ["place", "when", "confirm"])
def test_another_need_written_mid_step_is_kept_not_lost(chat: Chat, db_session: Session, step: str) -> None:
    """「あと庭の草むしりもお願いしたい」 got the step's hint, and the words were lost."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    if step != "place":
        chat.location(user, *RESIDENT_HOME)
    if step == "confirm":
        chat.say(user, "いつでも")
    answer = chat.say(user, "あと庭の草むしりもお願いしたい")
    assert answer[0] == "【庭・草むしり】のお手伝いも、いっしょに依頼します。"
    assert len(answer) == 2  # and the step, asked again
    if step == "place":
        chat.location(user, *RESIDENT_HOME)
    if step != "confirm":
        chat.say(user, "いつでも")
    assert "電球・修理、庭・草むしり" in str(last(chat, user))
    assert chat.say(user, "はい") == [SENT_TO_ONE + "\n【庭・草むしり】の依頼も出しました。"]
    db_session.expire_all()
    opened = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)).all()
    assert sorted(r.category or "" for r in opened) == ["garden", "repair"]
    assert all(r.text.endswith("あと庭の草むしりもお願いしたい") for r in opened)


QUESTIONS = {
    "place": "どこで手伝ってほしいですか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。",
    "when": "いつ手伝ってほしいですか？",
    "confirm": "この内容で依頼しますか？",
}


@pytest.mark.parametrize("step", ["place", "when", "confirm"])
def test_the_same_need_typed_again_mid_step_is_kept_not_lost(
    chat: Chat, db_session: Session, step: str
) -> None:
    """「トイレのでんきもきれとるんじゃ」 (the same kind, typed as elders type) got the step's hint, and the
    words were lost: the supporter never read them. They are now written into the request."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at(chat, user, step)
    typed = "トイレのでんきもきれとるんじゃ"
    assert chat.say(user, typed) == [texts.REQUEST_NOTE_KEPT.format(text=typed), QUESTIONS[step]]
    _to_the_card(chat, user, step)
    assert chat.say(user, "はい")[0].startswith("依頼しました。")
    db_session.expire_all()
    sent = db_session.scalars(select(HelpRequest)).one()
    assert (sent.status, sent.text) == (RequestStatus.OPEN, f"電球が切れて替えられない\n{typed}")


@pytest.mark.parametrize("answer", ["はい", "いいえ", "かきたして", "tap"])
@pytest.mark.parametrize("step", ["place", "when", "confirm"])
def test_another_need_without_asking_words_mid_step_is_asked_about_never_lost(
    chat: Chat, db_session: Session, step: str, answer: str
) -> None:
    """「にわのくさむしりをたのみたい」 (another kind; たのみたい in kana is not read as asking) got the
    step's hint and was lost. Now the resident is asked: another request beside the first, or words added."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at(chat, user, step)
    typed = "にわのくさむしりをたのみたい"
    ask = texts.REQUEST_ALSO_ASK.format(text=typed, category="庭・草むしり")
    assert chat.say(user, typed) == [ask]
    labels = [a["label"] for a in actions_in(last(chat, user))]
    assert labels == [texts.REQUEST_ALSO_YES, texts.REQUEST_ALSO_NOTE, "やめる"]
    said = tap_label(chat, user, texts.REQUEST_ALSO_YES) if answer == "tap" else chat.say(user, answer)
    both = answer in ("はい", "tap")
    kept = (
        texts.REQUEST_ALSO_KEPT.format(category="庭・草むしり")
        if both
        else texts.REQUEST_NOTE_KEPT.format(text=typed)
    )
    assert said == [kept, QUESTIONS[step]]
    _to_the_card(chat, user, step)
    chat.say(user, "はい")
    db_session.expire_all()
    opened = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)).all()
    assert sorted(r.category or "" for r in opened) == (["garden", "repair"] if both else ["repair"])
    assert all(r.text == f"電球が切れて替えられない\n{typed}" for r in opened)


def test_another_need_asked_about_then_the_step_answered_keeps_the_words(
    chat: Chat, db_session: Session
) -> None:
    """Asked about 「犬がいます」 at the place step, the resident sends the place instead: the words are kept
    in the request (as written beside it), and the steps go on."""
    user = chat.user("alice")
    _at(chat, user, "place")
    assert len(chat.say(user, "犬がいます")) == 1
    assert chat.location(user, *RESIDENT_HOME) == [QUESTIONS["when"]]
    db_session.expire_all()
    assert db_session.scalars(select(HelpRequest)).one().text == "電球が切れて替えられない\n犬がいます"


def _at(chat: Chat, user: str, step: str) -> None:
    chat.say(user, "電球が切れて替えられない")
    if step != "place":
        chat.location(user, *RESIDENT_HOME)
    if step == "confirm":
        chat.say(user, "いつでも")


def _to_the_card(chat: Chat, user: str, step: str) -> None:
    if step == "place":
        chat.location(user, *RESIDENT_HOME)
    if step != "confirm":
        chat.say(user, "いつでも")


@pytest.mark.swept  # pushes the worker would send within seconds are read as sent
def test_a_plain_request_gets_no_privacy_note(chat: Chat) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    chat.say(resident, "電球が切れて替えられない")
    chat.location(resident, *RESIDENT_HOME, address=RESIDENT_ADDRESS)
    tap_label(chat, resident, "いつでも")
    answer = tap_label(chat, resident, "依頼する")
    assert "引き受けた方にだけ" not in answer[-1]


ASK_PLACE = "どこで手伝ってほしいですか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
ASK_WHEN = "いつ手伝ってほしいですか？"
STEPS = [("place", ASK_PLACE), ("when", ASK_WHEN), ("confirm", CONFIRM)]
FREE = "お金はかかりません。\n近所のサポーターが、助け合いでお手伝いします。お礼のお金や品物もいりません。"


def _at_step(chat: Chat, user: str, step: str) -> None:
    chat.say(user, "電球が切れて替えられない")
    if step != "place":
        chat.location(user, *RESIDENT_HOME)
    if step == "confirm":
        chat.say(user, "いつでも")


@pytest.mark.parametrize("typed", ["もういっぺん", "もう一回", "もういちど言って", "もう一度おねがいします"])
@pytest.mark.parametrize(("step", "question"), STEPS)
def test_asked_to_say_it_again_the_step_is_asked_again(
    chat: Chat, typed: str, step: str, question: str
) -> None:
    """「もういっぺん」 got the step's hint (「続けるときは…」), not the question with its buttons."""
    user = chat.user("alice")
    _at_step(chat, user, step)
    asked = chat.stub.messages_for(user)[-1]
    assert chat.say(user, typed) == [question]
    assert actions_in(last(chat, user)) == actions_in(asked)


KEPT = (
    "わかりました。ゆっくりで大丈夫です。\nここまでの内容は、11月26日(木) 10:00まで、とっておきます。\n"
    "続けるときは、下のボタンを押すか、答えを書いて送ってください。"
)


@pytest.mark.parametrize("typed", ["ちょっとまって", "あとでまた連絡します", "すみません、あとで送ります"])
@pytest.mark.parametrize(("step", "question"), STEPS)
def test_asked_to_wait_mid_step_the_draft_is_kept_and_said_so(
    chat: Chat, clock: FakeClock, db_session: Session, typed: str, step: str, question: str
) -> None:
    """「ちょっとまって」 got the step's hint and 「あとでまた連絡します」 was read as a town 「あと」:
    nothing said the draft would wait. Now it is kept (and said until when), and goes on hours later."""
    user = chat.user("alice")
    _at_step(chat, user, step)
    assert chat.say(user, typed) == [KEPT]
    assert actions_in(last(chat, user)["quickReply"])  # the step's buttons, to go on
    clock.advance(hours=20)
    if step == "place":
        assert chat.location(user, *RESIDENT_HOME) == [ASK_WHEN]
    if step in ("place", "when"):
        assert chat.say(user, "いつでも") == [CONFIRM]
    assert tap_label(chat, user, "依頼する")[0].startswith("依頼")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN
    assert request.text == "電球が切れて替えられない"  # the words asking to wait are not written in


OTHER_ADDRESS = "東京都世田谷区三軒茶屋2丁目"


def test_a_location_sent_at_the_time_step_is_kept_as_the_place(chat: Chat, db_session: Session) -> None:
    """A location sent at the time step got 「続けるときは、下のボタンを押してください。」 and was lost."""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.location(user, *NEAR, address=OTHER_ADDRESS) == ["場所を受け取りました。", ASK_WHEN]
    assert chat.say(user, "あした10時") == [CONFIRM]
    assert OTHER_ADDRESS in str(last(chat, user))
    # At the card too: the new place is on it.
    at_card = chat.location(user, *RESIDENT_HOME, address=RESIDENT_ADDRESS)
    assert at_card == ["場所を受け取りました。", CONFIRM]
    assert RESIDENT_ADDRESS in str(last(chat, user))
    tap_label(chat, user, "依頼する")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and (request.lat, request.lon) == RESIDENT_HOME
    assert request.address == RESIDENT_ADDRESS and request.wanted_at is not None


def test_a_location_at_the_time_step_after_a_day_asks_only_the_hour(chat: Chat) -> None:
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, "あさって")[0].startswith("11月27日(金)ですね。")
    answer = chat.location(user, *NEAR, address=OTHER_ADDRESS)
    assert answer[0] == "場所を受け取りました。" and answer[1].startswith("11月27日(金)ですね。")


@pytest.mark.parametrize(
    ("first", "town"),
    [
        ("三軒茶屋2丁目の山田です、電球が切れて替えられない", "三軒茶屋"),
        ("世田谷区太子堂2丁目に住んでます、電球が切れた", "太子堂"),
    ],
)
def test_an_address_in_the_first_message_is_used_not_asked_again(
    chat: Chat, db_session: Session, first: str, town: str
) -> None:
    """「三軒茶屋2丁目の山田です、…」 was still asked 「どこで手伝ってほしいですか？」. Now the place is said
    back and the time asked; the supporter's card shows the town only, never the 丁目 or the name."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("yamada", "山田花子")
    answer = chat.say(user, first)
    assert answer[0].endswith(f"{town}のあたりですね。") and answer[-1] == ASK_WHEN
    assert chat.say(user, "いつでも") == [CONFIRM]
    assert tap_label(chat, user, "依頼する")[0].startswith("依頼しました。")
    card = last(chat, sato)
    assert card["type"] == "flex" and town in str(card)
    assert "2丁目" not in str(card) and "山田" not in str(card)
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.lat is not None and request.area == f"世田谷区{town}"
    accepted = tap_label(chat, sato, "引き受ける")
    assert any("2丁目" in line for line in accepted)  # after accepting, the address reaches the supporter


def test_a_first_message_without_a_usable_place_still_asks_for_it(chat: Chat) -> None:
    user = chat.user("alice")
    for first in ("市役所の手続きを手伝ってほしい", "あとで電球を替えてほしい", "中町の田中です、電球"):
        assert chat.say(user, first)[-1] == ASK_PLACE, first
        chat.say(user, "やめる")


@pytest.mark.parametrize("typed", ["いくらかかりますか", "お金かかる？", "有料ですか"])
@pytest.mark.parametrize(("step", "question"), STEPS)
def test_asked_what_it_costs_mid_step_a_kind_answer_then_the_step(
    chat: Chat, db_session: Session, typed: str, step: str, question: str
) -> None:
    user = chat.user("alice")
    _at_step(chat, user, step)
    assert chat.say(user, typed) == [FREE, question]
    assert _requests_with(db_session, RequestStatus.DRAFT) == 1
    assert _request(db_session).text == "電球が切れて替えられない"  # not kept as a detail


@pytest.mark.parametrize("typed", ["うちの近所", "家の近く"])
def test_near_home_without_a_saved_home_asks_kindly_for_the_area(chat: Chat, typed: str) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    answer = chat.say(user, typed)
    assert answer == [
        "お住まいの場所が、まだ分かりません。\n"
        "町の名前か郵便番号を書くか、「位置情報を送る」を押してください。\n例：「世田谷区太子堂」「154-0004」"
    ]
    assert actions_in(last(chat, user))[0]["type"] == "location"
    assert chat.say(user, "154-0004")[0] == "世田谷区太子堂のあたりですね。"


@pytest.mark.parametrize("typed", ["うちの近所", "家の近く"])
def test_near_home_with_a_saved_home_uses_it(chat: Chat, db_session: Session, typed: str) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "やめる")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, typed) == [ASK_WHEN]
    assert (_request(db_session).lat, _request(db_session).lon) == RESIDENT_HOME


@pytest.mark.parametrize("typed", ["よか", "よかです", "よかよ"])
def test_hakata_yes_at_the_confirmation_card_sends(chat: Chat, db_session: Session, typed: str) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at_step(chat, user, "confirm")
    assert chat.say(user, typed) == [SENT_TO_ONE]
    assert _requests_with(db_session, RequestStatus.OPEN) == 1


@pytest.mark.parametrize(
    "typed",
    [
        "それでええけえ",
        "ほいじゃそれで",
        "頼むけえ",
        "よろしゅうおねがいします",
        "はい、よろしくお願いいたします。",
        "はいそうですおねがいします",
        "はいお願いしますありがとう",
        "それで結構です",
    ],
)
def test_yes_at_the_card_as_elders_type_it_sends(chat: Chat, db_session: Session, typed: str) -> None:
    """Each got 「よければ「依頼する」…を押してください」 and the request waited unsent."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at_step(chat, user, "confirm")
    assert chat.say(user, typed) == [SENT_TO_ONE]
    assert _requests_with(db_session, RequestStatus.OPEN) == 1


@pytest.mark.parametrize(
    ("step", "typed", "answer"),
    [
        ("when", "いつでもええのう", CONFIRM),
        ("when", "いつでもええんじゃ", CONFIRM),
        ("when", "なんじでもかまわんけえのう", CONFIRM),
        ("confirm", "それでええのう", SENT_TO_ONE),
        ("confirm", "おねがいするのう", SENT_TO_ONE),
        ("confirm", "たのむけえのう", SENT_TO_ONE),
        ("confirm", "それでええんじゃ", SENT_TO_ONE),
        ("confirm", "ほうじゃのう、それでたのんます", SENT_TO_ONE),
    ],
)
def test_answers_ending_in_nou_or_nja_as_said_in_hiroshima(
    chat: Chat, db_session: Session, step: str, typed: str, answer: str
) -> None:
    """A のう or a んじゃ after the answer (or after a けえ already left out) was not heard: the step's hint
    came back, and the request waited unsent."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at_step(chat, user, step)
    assert chat.say(user, typed) == [answer]


def test_a_nou_changes_no_no_into_a_yes(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    _at_step(chat, user, "confirm")
    assert chat.say(user, "ちがうのう") == ["どこを直しますか？ 下から選んでください。"]
    assert _requests_with(db_session, RequestStatus.OPEN) == 0


@pytest.mark.swept  # pushes the worker would send within seconds are read as sent
def test_an_elder_types_every_step_in_kana_and_dialect(chat: Chat, db_session: Session) -> None:
    """Voice input without punctuation, the hour in kana, home said as a request, a Hiroshima yes."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice", "有田")
    chat.follow(user)
    chat.say(user, "でんきゅうがきれてかえられん")
    assert chat.say(user, "もういっぺん") == [ASK_PLACE]
    assert chat.say(user, "世田谷区太子堂") == ["世田谷区太子堂のあたりですね。", ASK_WHEN]
    # 「じゅうじ」 was read as スマホ (地デジ?): 【スマホ・パソコン】 was added and the time asked again.
    assert chat.say(user, "あしたのじゅうじでおねがいします") == [CONFIRM]
    assert "11月26日(木) 10:00" in str(last(chat, user))
    assert chat.say(user, "それでええけえ") == [SENT_TO_ONE]
    request = _request(db_session)
    assert request.status == RequestStatus.OPEN and request.category == "repair"
    assert last(chat, sato)["type"] == "flex"  # the card reached the supporter


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("にじ", "11月25日(水) 14:00"),
        ("あさってのさんじはん", "11月27日(金) 15:30"),
        ("なんじでもええ", "いつでも"),
    ],
)
def test_hours_said_in_kana_and_any_time_in_dialect(chat: Chat, typed: str, shown: str) -> None:
    """「にじ」「なんじでもええ」 got 「「あした10時」…のように書くか、下のボタンを押してください。」"""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, typed) == [CONFIRM]
    assert shown in str(last(chat, user))


@pytest.mark.parametrize(
    "typed",
    [
        "いつでんよか",  # Hakata, Kumamoto
        "いづでもいいっす",  # Tohoku
        "いっでもよか",  # Kagoshima
        "いつでんかまわん",
        "なんどきでも",
        "いつだってええよ",
        "いつなりとどうぞ",
    ],
)
def test_any_time_in_regional_words_at_the_time_step_is_any_time(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「いつでんよか」「いづでもいいっす」 got only the hint 「「あした10時」…のように書くか、
    下のボタンを押してください。」"""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, typed) == [CONFIRM]
    assert "いつでも" in str(last(chat, user))
    assert tap_label(chat, user, "依頼する")[0].startswith("依頼")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.anytime and request.wanted_at is None


def test_any_time_in_regional_words_in_the_first_message_skips_the_time_step(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた、いつでんよか")
    assert chat.location(user, *RESIDENT_HOME) == [CONFIRM]
    # 「いつでんわ」 is 「いつ電話」 (when to call), not any time.
    chat.say(user, "やめる")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "いつでんわすればいい") != [CONFIRM]


@pytest.mark.parametrize("typed", ["うちにきてほしい", "家まで来てください"])
def test_home_asked_for_as_a_request_is_home(chat: Chat, typed: str) -> None:
    """Without a home saved, these got 「場所が分かりませんでした」 rather than being asked for the area."""
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, typed)[0].startswith("お住まいの場所が、まだ分かりません。")


def test_a_municipality_said_without_its_ku_is_placed(chat: Chat) -> None:
    """「世田谷の太子堂です」 got 「場所が分かりませんでした」: 世田谷 without 区, joined by の."""
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "世田谷の太子堂です") == ["世田谷区太子堂のあたりですね。", ASK_WHEN]


def _same_name(name: str, example: str) -> str:
    asked = f"「{name}」という町は、いくつかの場所にあります。\nどこの区か市か、教えてください。\n"
    return f"{asked}例：「{example}」"


@pytest.mark.parametrize(
    ("typed", "asked", "answer", "area"),
    [
        # Six places are named 太子堂 (仙台, 二本松, 新潟, 八尾 …); the example is the one near the community.
        ("太子堂", _same_name("太子堂", "世田谷区の太子堂"), "世田谷区の太子堂", "世田谷区太子堂"),
        ("たいしどうです", _same_name("たいしどう", "世田谷区のたいしどう"), "せたがやく", "世田谷区太子堂"),
        ("自由が丘のあたり", _same_name("自由が丘", "目黒区の自由が丘"), "目黒区", "目黒区自由が丘"),
        ("自由が丘", _same_name("自由が丘", "目黒区の自由が丘"), "東京の自由が丘", "目黒区自由が丘"),
    ],
    ids=["taishido", "in-kana", "ward-alone", "prefecture-said"],
)
def test_a_town_name_in_several_places_asks_for_the_ku_or_shi(
    chat: Chat, db_session: Session, typed: str, asked: str, answer: str, area: str
) -> None:
    """With no home saved, a town name that several places share got 「場所が分かりませんでした」, as if it
    were wrong. It is asked about kindly, what was written is kept, and the 区 or 市 alone answers."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice", "有田")
    chat.follow(user)
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, typed) == [asked]
    assert actions_in(last(chat, user))[0]["type"] == "location"  # the place step's buttons, as before
    assert chat.say(user, answer) == [f"{area}のあたりですね。", ASK_WHEN]
    tap_label(chat, user, "いつでも")
    tap_label(chat, user, "依頼する")
    request = _request(db_session)
    assert request.text == "電球が切れて替えられない" and request.area == area
    assert request.status == RequestStatus.OPEN
    resident = db_session.get(Member, request.requester_id)
    assert resident is not None and resident.home_area == area  # one tap next time


def test_the_example_for_a_shared_town_name_is_near_the_community(chat: Chat) -> None:
    """The example names the place nearest the community's supporters: 「世田谷区の太子堂」, not 仙台's."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "太子堂") == [_same_name("太子堂", "世田谷区の太子堂")]
    # An answer that is no place at all is answered as before, and the name is still kept.
    assert chat.say(user, "ほげほげ")[0].startswith("場所が分かりませんでした。")
    assert chat.say(user, "世田谷") == ["世田谷区太子堂のあたりですね。", ASK_WHEN]


# Far from any 自由が丘 or 太子堂 (Kyoto): the place saved does not decide between them.
KYOTO = (35.0116, 135.7681)


@pytest.mark.parametrize(
    ("typed", "name", "answer", "area"),
    [
        ("自由が丘", "自由が丘", "目黒区", "目黒区自由が丘"),
        ("太子堂のあたり", "太子堂", "せたがやく", "世田谷区太子堂"),
        ("場所は太子堂にかえて", "太子堂", "世田谷区です", "世田谷区太子堂"),
    ],
)
def test_a_shared_town_name_typed_at_the_card_asks_for_the_ku_or_shi(
    chat: Chat, db_session: Session, typed: str, name: str, answer: str, area: str
) -> None:
    """At the confirmation card a town name several places share got the card's hint, and the 区 typed
    next moved the request to the whole 区 (世田谷区, no town). It is asked about as at the place step."""
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    chat.location(user, *KYOTO, address="京都府京都市中京区")
    assert chat.say(user, "いつでも") == [CONFIRM]
    asked = chat.say(user, typed)
    assert len(asked) == 1 and asked[0].startswith(f"「{name}」という町は、いくつかの場所にあります。")
    assert actions_in(last(chat, user))[0]["type"] == "location"  # the place step's buttons
    assert chat.say(user, answer) == [f"{area}のあたりですね。", CONFIRM]  # the time is kept
    tap_label(chat, user, "依頼する")
    request = _request(db_session)
    assert request.area == area and request.anytime and request.status == RequestStatus.OPEN


SOON = texts.WHEN_SOON_SAID


@pytest.mark.parametrize(
    "typed",
    [
        "はやいほうがいい",
        "できるだけはやく",
        "なるべく早めに",
        "いつでもええけどはよ",
        "早めにおねがいします",
    ],
)
@pytest.mark.swept  # the card the worker would push within seconds is read as sent
def test_as_soon_as_it_suits_is_anytime_with_the_wish_kept_for_the_supporter(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """Each got the time hint again (「いつでもええけどはよ」 was いつでも, the wish for soon lost)."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, typed) == [SOON, CONFIRM]
    assert "できるだけ早めを希望" in str(last(chat, user))  # shown back on the card
    assert chat.say(user, "それでええ") == [SENT_TO_ONE]
    request = _request(db_session)
    assert request.anytime and request.wanted_at is None
    assert request.text == "電球が切れて替えられない\n（できるだけ早めを希望）"
    assert "できるだけ早めを希望" in str(last(chat, sato))  # the supporter's card says it


def test_soon_is_not_read_in_a_greeting_or_an_early_hour(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, "おはようございます")[0].startswith("「あした10時」")
    assert chat.say(user, "あしたの朝早く") == [CONFIRM]
    assert "11月26日(木) 09:00" in str(last(chat, user))
    assert "早め" not in _request(db_session).text


def test_two_days_that_suit_take_the_earlier_and_keep_the_other(chat: Chat, db_session: Session) -> None:
    """「あしたでもあさってでもええ」 was read as あした alone; the other day was lost."""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, "あしたでもあさってでもええ") == [
        "11月27日(金)でもよいことも、依頼に書いておきます。",
        "11月26日(木)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。",
    ]
    assert chat.say(user, "ごご") == [CONFIRM]
    assert "11月26日(木) 14:00" in str(last(chat, user))
    assert _request(db_session).text == "電球が切れて替えられない\n（11月27日(金)でも可）"


def test_not_wanted_after_all_typed_at_the_card_cancels_as_the_button_does(
    chat: Chat, db_session: Session
) -> None:
    """「いらん」「また今度にします」 at the card got 「よければ「依頼する」…を押してください」 and the draft
    waited; each cancels it as やめる does (「もういい」「やめとく」 did already), and nobody hears of it."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice")
    typed = [
        "いらん",
        "もういい",
        "やめとく",
        "ｲﾗﾝ",
        "いらんです",
        "やっぱりいらん",
        "もうたのまん",
        "また今度にします",
        "ごめん、やっぱりいらん",
        "すまんけどやめとく",
    ]
    for words in typed:
        _at_step(chat, user, "confirm")
        assert chat.say(user, words) == [texts.CANCELLED_FLOW], words
        labels = [item["action"]["label"] for item in last(chat, user)["quickReply"]["items"]]
        assert labels[0] == texts.MENU_REQUEST, words  # the menu, as after the やめる button
        assert db_session.scalar(select(Conversation)) is None, words
    assert _requests_with(db_session, RequestStatus.CANCELLED) == len(typed)
    assert _requests_with(db_session, RequestStatus.OPEN) == 0
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0
    assert chat.new_texts(sato) == []
    # A yes after all still sends it; a plain no still asks what to change.
    _at_step(chat, user, "confirm")
    assert chat.say(user, "だめ") == [texts.CONFIRM_WHAT_TO_CHANGE]
    assert chat.say(user, "ﾊｲ")[0].startswith("依頼しました。")


def test_a_towns_nickname_is_placed_at_that_town_and_matched(chat: Chat, db_session: Session) -> None:
    """「三茶」 (三軒茶屋, as everyone around says it) was placed at 奈良県吉野町三茶屋, 400 km away, so no
    supporter near the resident heard of it; 「しもきた」「ニコタマ」 were not found at all."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice")
    for typed, town in [
        ("三茶", "世田谷区三軒茶屋"),
        ("さんちゃのほう", "世田谷区三軒茶屋"),
        ("ｻﾝﾁｬ", "世田谷区三軒茶屋"),
        ("世田谷の三茶です", "世田谷区三軒茶屋"),
        ("しもきた", "世田谷区北沢"),
        ("ニコタマの近く", "世田谷区玉川"),
    ]:
        chat.say(user, "電球が切れて替えられない")
        assert chat.say(user, typed) == [f"{town}のあたりですね。", ASK_WHEN], typed
        stored = _request(db_session)
        assert stored.area == town and stored.lat is not None and stored.lon is not None, typed
        assert haversine_km(stored.lat, stored.lon, *RESIDENT_HOME) < 5, typed
        chat.say(user, "やめる")
    chat.say(user, "電球が切れて替えられない")
    chat.say(user, "三茶")
    tap_label(chat, user, "いつでも")
    assert tap_label(chat, user, "依頼する") == [SENT_TO_ONE]


@pytest.mark.parametrize(
    "typed",
    ["それはなんですか", "どうすればいいの", "なにをかけばいいんですか", "どういうことじゃ", "これなに？"],
)
@pytest.mark.parametrize(
    ("step", "explained", "question"),
    [
        ("place", texts.EXPLAIN_PLACE, ASK_PLACE),
        ("when", texts.EXPLAIN_WHEN, ASK_WHEN),
        ("confirm", texts.EXPLAIN_CONFIRM, CONFIRM),
    ],
)
def test_asked_what_the_step_means_it_is_explained_then_asked(
    chat: Chat, db_session: Session, typed: str, step: str, explained: str, question: str
) -> None:
    """「それはなんですか」「どうすればいいの」 at the place step got 「場所が分かりませんでした。」, at
    the time step 「「あした10時」…のように書くか…」: what was asked back was not heard."""
    user = chat.user("alice")
    _at_step(chat, user, step)
    assert chat.say(user, typed) == [explained, question]
    request = _request(db_session)
    assert request.status == RequestStatus.DRAFT and request.text == "電球が切れて替えられない"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("世田谷区太子堂 あした10じ", "11月26日(木) 10:00"),
        ("あした10時 世田谷区太子堂です", "11月26日(木) 10:00"),
        ("世田谷区太子堂です。あしたの午前中でお願いします", "11月26日(木) 10:00"),
        ("世田谷区太子堂です、いつでもええよ", "いつでも"),
    ],
)
def test_a_place_and_a_time_in_one_answer_at_the_place_step_are_both_kept(
    chat: Chat, db_session: Session, typed: str, shown: str
) -> None:
    """「世田谷区太子堂 あした10じ」 at the place step: the place was said back, then
    「いつ手伝ってほしいですか？」, the time already written asked all over again."""
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, typed) == ["世田谷区太子堂のあたりですね。", CONFIRM]
    assert shown in str(last(chat, user))


def test_a_place_and_a_day_in_one_answer_asks_only_the_hour(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "世田谷区太子堂、あさってがええ") == [
        "世田谷区太子堂のあたりですね。",
        "11月27日(金)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。",
    ]
    # A place with its 丁目 and nothing of a time still asks the time.
    chat.say(user, "やめる")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "世田谷区太子堂2丁目") == ["世田谷区太子堂のあたりですね。", ASK_WHEN]


@pytest.mark.parametrize("typed", ["やっぱりあさってにして", "まちがえた、あさって", "あさってがええ"])
def test_only_the_day_changed_at_the_card_keeps_the_hour_said(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「あしたのごごにじ」, then 「やっぱりあさってにして」 at the card: 「11月27日(金)ですね。何時ごろが
    いいですか？」, the hour already said asked again."""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    chat.say(user, "あしたのごごにじ")
    assert chat.say(user, typed) == ["11月27日(金) 14:00に変えました。", CONFIRM]
    assert "11月27日(金) 14:00" in str(last(chat, user))
    # A day and an hour both said change both.
    assert chat.say(user, "しあさっての10時にして") == [CONFIRM]
    assert "11月28日(土) 10:00" in str(last(chat, user))


def test_a_part_of_the_day_inside_a_kana_word_is_no_time(chat: Chat) -> None:
    """「あしたきてつかあさい」 (広島's ください) held あさ and was read as 11月26日(木) 09:00: the card came
    with a morning nobody said. A part of the day in kana is one only where it begins a word."""
    user = chat.user("alice")
    _at_step(chat, user, "when")
    assert chat.say(user, "あしたきてつかあさい") == [
        "11月26日(木)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。"
    ]
    assert chat.say(user, "あさがええ") == [CONFIRM]
    assert "11月26日(木) 09:00" in str(last(chat, user))
    assert chat.say(user, "あさってにしてつかあさい") == ["11月27日(金) 09:00に変えました。", CONFIRM]


def test_a_shared_town_name_and_a_time_in_one_answer_keep_both(chat: Chat) -> None:
    """「太子堂です。あしたの午前中でお願いします」: the time was kept, but 「太子堂」 was dropped and the
    place asked from the start (「どこで手伝ってほしいですか？」), as if no town had been written."""
    user = chat.user("alice")
    chat.say(user, "買い物をたのみたい")
    answer = chat.say(user, "太子堂です。あしたの午前中でお願いします")
    assert answer[0] == "日時は「11月26日(木) 10:00」ですね。"
    assert answer[1].startswith("「太子堂」という町は、いくつかの場所にあります。")
    assert actions_in(last(chat, user))[0]["type"] == "location"
    assert chat.say(user, "世田谷区") == ["世田谷区太子堂のあたりですね。", CONFIRM]
    assert "11月26日(木) 10:00" in str(last(chat, user))
