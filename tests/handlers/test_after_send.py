"""After a request is sent, typed words act on it: details, questions, cancel, status, check-in, cards."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest, RequestStatus
from tests.handlers.cycle import at, carded, conversation_of, jst, matched
from tests.handlers.dialogue import NEAR, last, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock

# Pushes the worker would send within seconds are read as sent (see SweptChat).
pytestmark = pytest.mark.swept

ONE_CARD = "このお願いを、引き受けますか？\n下のボタンで答えてください。"
ASK_AFTER_ACCEPTING = "引き受けたあとは、「メッセージを送る」で依頼した方に聞けます。"


def _requests(db_session: Session) -> list[tuple[str, str]]:
    db_session.expire_all()
    rows = db_session.scalars(select(HelpRequest).order_by(HelpRequest.id))
    return [(r.category or "", r.status.value) for r in rows]


def test_a_detail_typed_after_sending_joins_the_request_and_reaches_who_accepts(
    chat: Chat, db_session: Session
) -> None:
    waiting = carded(chat, when=None)
    assert chat.say(waiting.resident, "脚立はうちにあります") == [
        "【電球・修理】の依頼に、書き加えました。\n引き受けた方に、お伝えします。"
    ]
    assert _requests(db_session) == [("repair", "open")]  # no second draft
    assert conversation_of(db_session, waiting.resident) is None
    details = tap_label(chat, waiting.supporter, "引き受ける")[0]
    assert "（追加）脚立はうちにあります" in details


def test_a_detail_after_accept_is_passed_to_the_supporter(chat: Chat) -> None:
    match = matched(chat)
    assert chat.say(match.resident, "電球は2階の廊下のほうです") == [
        "【電球・修理】の依頼に、書き加えました。\n佐藤一郎さんにも、伝えました。"
    ]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理の依頼】山田花子さんから、追加のお知らせです：\n電球は2階の廊下のほうです"
    ]


def test_a_supporters_question_is_relayed_and_the_answer_too(chat: Chat) -> None:
    match = matched(chat)
    sent = chat.say(match.supporter, "電球は何ワットですか？")
    assert sent[0].startswith("山田花子さんに送りました。")
    assert chat.new_texts(match.resident) == [
        "【電球・修理の依頼】佐藤一郎さんから：\n電球は何ワットですか？"
    ]
    chat.say(match.resident, "60ワットです。何時ごろ来られますか")
    assert chat.new_texts(match.supporter) == [
        "【電球・修理の依頼】山田花子さんから：\n60ワットです。何時ごろ来られますか"
    ]


def test_cancel_and_status_act_on_the_request_the_words_name(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "買い物、病院の付き添い", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "買い物をお願いしたい")
    asked = chat.say(resident, "病院の付き添いをお願いしたい")
    assert asked[0].startswith("「病院の付き添いをお願いしたい」ですね。")  # plainly new: a new request
    chat.location(resident, 35.6466, 139.6532, address="東京都世田谷区世田谷4丁目21-27")
    tap_label(chat, resident, "いつでも")
    tap_label(chat, resident, "依頼する")
    assert _requests(db_session) == [("errands", "open"), ("outing", "open")]

    assert chat.say(resident, "買い物の依頼はどうなりましたか") == [
        "【買い物・用事】の依頼は、今サポーターをさがしています。\n"
        "近くの1人にお知らせしました。決まったら、お知らせします。"
    ]
    assert chat.say(resident, "病院の依頼を取り消したい") == [
        "【通院・外出の付き添い】の依頼を、取り消しますか？"
    ]
    assert _requests(db_session) == [("errands", "open"), ("outing", "open")]  # not on one word
    assert tap_label(chat, resident, "取り消す") == ["依頼を取り消しました。"]
    assert _requests(db_session) == [("errands", "open"), ("outing", "cancelled")]
    assert chat.say(resident, "取り消したいです") == ["【買い物・用事】の依頼を、取り消しますか？"]
    assert tap_label(chat, resident, "取り消さない") == ["わかりました。依頼は、そのままにします。"]
    assert _requests(db_session) == [("errands", "open"), ("outing", "cancelled")]


def test_check_in_answered_in_words_even_after_other_messages(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    assert chat.new_texts(match.resident)[0].startswith("【電球・修理】のお手伝いは、どうでしたか？")
    chat.say(match.supporter, "今日はありがとうございました")  # another message arrives in between
    chat.new_texts(match.resident)
    done = chat.say(match.resident, "きてくれました ありがとう")
    assert done[0].startswith("完了ですね。ありがとうございました！")
    assert _requests(db_session)[0] == ("repair", "done")


def test_no_show_in_words(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    told = chat.say(match.resident, "まだこない")
    assert told[0].startswith("ご迷惑をおかけして、ごめんなさい。")
    assert _requests(db_session)[0] == ("repair", "open")


def test_a_plain_yes_answers_the_check_in(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert chat.say(match.resident, "はい")[0].startswith("完了ですね。")
    assert _requests(db_session)[0] == ("repair", "done")


def test_before_the_time_a_yes_is_only_a_yes(chat: Chat, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    chat.say(match.resident, "はい")
    assert _requests(db_session)[0] == ("repair", "matched")


def test_a_supporter_answers_a_card_in_words(chat: Chat, db_session: Session) -> None:
    waiting = carded(chat, when=None)
    assert chat.say(waiting.supporter, "見送ります") == [
        "わかりました。今回は見送ります。\nまたお願いします。"
    ]
    assert _requests(db_session) == [("repair", "open")]


def test_the_card_the_words_name_is_the_one_accepted(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換、草むしり", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "電球が切れて替えられない")
    other = chat.user("ito", "伊藤")
    chat.follow(other)
    submit_request(chat, other, "庭の草むしりをお願いしたい")
    chat.new_texts(sato)
    accepted = chat.say(sato, "その草むしり、やります")
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。\n【庭・草むしり】")
    assert _requests(db_session) == [("repair", "open"), ("garden", "matched")]


def test_a_supporter_gives_back_in_words(chat: Chat) -> None:
    match = matched(chat, when=None)
    assert chat.say(match.supporter, "いけなくなった")[0].startswith(
        "【電球・修理】（いつでも）の引き受けを、やめますか？"
    )
    assert tap_label(chat, match.supporter, "引き受けをやめる")[0].startswith("わかりました。")


def test_when_unsure_one_tap_decides_detail_or_new(chat: Chat, db_session: Session) -> None:
    waiting = carded(chat, when=None)
    asked = chat.say(waiting.resident, "台所の電気もつかなくて困っています")
    assert asked == [
        "「台所の電気もつかなくて困っています」は、出している【電球・修理】の依頼に書き加えますか？\n"
        "それとも、新しい依頼ですか？"
    ]
    labels = [item["action"]["label"] for item in last(chat, waiting.resident)["quickReply"]["items"]]
    assert labels == ["この依頼への追加", "新しい依頼", "やめる"]
    assert tap_label(chat, waiting.resident, "この依頼への追加")[0].startswith(
        "【電球・修理】の依頼に、書き加えました。"
    )
    assert _requests(db_session) == [("repair", "open")]

    chat.say(waiting.resident, "台所の電気もつかなくて困っています")
    started = tap_label(chat, waiting.resident, "新しい依頼")
    assert started[0].startswith("「台所の電気もつかなくて困っています」ですね。")
    assert [status for _, status in _requests(db_session)] == ["open", "draft"]


def test_greetings_after_sending_are_not_a_request(chat: Chat, db_session: Session) -> None:
    waiting = carded(chat, when=None)
    assert chat.say(waiting.resident, "よろしくお願いします")[0].startswith("ご連絡ありがとうございます。")
    count = db_session.scalar(select(func.count()).select_from(HelpRequest))
    assert count == 1 and _requests(db_session) == [("repair", RequestStatus.OPEN.value)]


def test_after_the_time_words_that_are_no_answer_get_the_check_in_again(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    again = chat.say(match.resident, "きのうは寒かったですね")
    assert again == [
        "ごめんなさい。よく分かりませんでした。\nお手伝いは、どうでしたか？ 下のボタンで教えてください。"
    ]
    labels = [item["action"]["label"] for item in last(chat, match.resident)["quickReply"]["items"]]
    assert labels == ["完了した", "まだ", "来なかった"]
    assert _requests(db_session)[0] == ("repair", "matched")


@pytest.mark.parametrize(
    "thanks", ["ありがとうございました", "ありがとうございます🙇 まっとります", "おおきに"]
)
def test_thanks_to_a_match_is_not_added_to_the_request(chat: Chat, db_session: Session, thanks: str) -> None:
    """They were added to the request as a detail (「書き加えました」) and pushed as 追加のお知らせ."""
    match = matched(chat)
    answer = chat.say(match.resident, thanks)
    assert answer[0].startswith("ご連絡ありがとうございます。"), answer
    assert chat.new_texts(match.supporter) == []
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.text == "電球が切れて替えられない"


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [("ええ、おかげさまで", "done"), ("まだきとらん", "open"), ("来てへんで", "open")],
)
def test_check_in_answered_in_dialect(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, typed: str, outcome: str
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    chat.say(match.resident, typed)
    assert _requests(db_session)[0] == ("repair", outcome)


def test_a_new_day_asked_for_in_words_changes_the_time(chat: Chat, db_session: Session) -> None:
    """「日にちを変えたいんですが」 was added to the request as a detail, and the new day after it too."""
    match = matched(chat)
    assert chat.say(match.resident, "日にちを変えたいんですが") == [
        "今は「11月26日(木) 14:00」です。いつに変えますか？\n"
        "「あした10時」のように書くか、下のボタンを押してください。"
    ]
    assert chat.say(match.resident, "あさっての10時にしてください") == [
        "日時を「11月27日(金) 10:00」に変えました。\n佐藤一郎さんにも、伝えました。"
    ]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理】の依頼の日時が、「11月27日(金) 10:00」に変わりました。\n"
        "都合が悪くなったときは、「行けなくなった」を押してください。"
    ]
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.text == "電球が切れて替えられない"


def test_a_bare_yes_to_a_card_shows_its_buttons(chat: Chat, db_session: Session) -> None:
    """「はい」 under a card got 「困りごとがあれば、そのまま書いて…」, as if there were no card."""
    waiting = carded(chat, when="2026-11-26T14:00")
    assert chat.say(waiting.supporter, "はい") == [
        "このお願いを、引き受けますか？\n下のボタンで答えてください。"
    ]
    labels = [a["label"] for a in last(chat, waiting.supporter)["quickReply"]["items"] for a in [a["action"]]]
    assert [label.split(":")[0] for label in labels] == ["引き受ける", "見送る"]
    assert _requests(db_session) == [("repair", "open")]
    chat.tap(waiting.supporter, last(chat, waiting.supporter)["quickReply"]["items"][0]["action"]["data"])
    assert _requests(db_session) == [("repair", "matched")]


@pytest.mark.parametrize(
    "typed", ["その電球、わたしがやりましょう", "電球ならうちが替えに行くよ", "電球のこと、おらがやるべ"]
)
def test_words_about_the_kind_on_a_card_show_the_card_not_a_request_of_ones_own(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """A supporter under a 電球 card who wrote of 電球 in their own words was taken for someone
    asking for help (「【電球・修理】のお手伝いをさがします。」「どこで手伝ってほしいですか？」),
    the card left waiting."""
    waiting = carded(chat, when=None)
    assert chat.say(waiting.supporter, typed) == [ONE_CARD]
    items = last(chat, waiting.supporter)["quickReply"]["items"]
    labels = [i["action"]["label"].split(":")[0] for i in items]
    assert labels == ["引き受ける", "見送る"]
    assert _requests(db_session) == [("repair", "open")]


def test_a_question_about_the_card_is_told_where_to_ask_it(chat: Chat, db_session: Session) -> None:
    waiting = carded(chat, when=None)
    assert chat.say(waiting.supporter, "電球は何ワットですか？") == [f"{ASK_AFTER_ACCEPTING}\n{ONE_CARD}"]
    assert _requests(db_session) == [("repair", "open")]


@pytest.mark.parametrize("typed", ["どこですか", "なんじですか", "お金はもらえるの", "ばしょはどのへん？"])
def test_any_question_under_a_card_is_told_where_to_ask_it_with_the_card(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """A question without the card's kind in it (「どこですか」「なんじですか」) got
    「ごめんなさい。よく分かりませんでした。困りごとは…」, as if there were no card."""
    waiting = carded(chat, when="2026-11-26T14:00")
    assert chat.say(waiting.supporter, typed) == [f"{ASK_AFTER_ACCEPTING}\n{ONE_CARD}"]
    assert _requests(db_session) == [("repair", "open")]


@pytest.mark.parametrize("typed", ["すまん今週はいそがしい", "ちょっと忙しいけえ"])
def test_busy_under_a_card_passes_it(chat: Chat, db_session: Session, typed: str) -> None:
    """「すまん今週はいそがしい」 got 「ごめんなさい。よく分かりませんでした。」 and the card waited."""
    waiting = carded(chat, when="2026-11-26T14:00")
    assert chat.say(waiting.supporter, typed)[0].startswith("わかりました。今回は見送ります。")
    assert _requests(db_session) == [("repair", "open")]
    assert chat.new_texts(waiting.resident) == []


def test_a_supporter_under_a_card_can_still_ask_for_help_of_that_kind(
    chat: Chat, db_session: Session
) -> None:
    waiting = carded(chat, when=None)
    answer = chat.say(waiting.supporter, "うちの電球も切れてしもうた")
    assert answer[0].startswith("「うちの電球も切れてしもうた」ですね。")
    assert _requests(db_session) == [("repair", "open"), ("repair", "draft")]


@pytest.mark.parametrize("yes", ["ええよ", "うん", "いいよ", "よかよ", "ええで"])
def test_a_bare_yes_after_the_supporter_wrote_is_the_answer_passed_on(
    chat: Chat, db_session: Session, yes: str
) -> None:
    """「ええよ」 to the supporter's question was added to the request as a detail (追加のお知らせ)."""
    match = matched(chat)
    chat.say(match.supporter, "あしたの14時に伺ってもいいですか？")
    chat.new_texts(match.resident)
    answer = chat.say(match.resident, yes)
    assert answer[0].startswith("佐藤一郎さんに送りました。"), answer
    assert chat.new_texts(match.supporter) == [f"【電球・修理の依頼】山田花子さんから：\n{yes}"]
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.text == "電球が切れて替えられない"  # not a detail


@pytest.mark.parametrize("typed", ["はいよろしくおねがいします", "ええよ、ありがとう", "はい、待っとります"])
def test_a_yes_with_courtesy_after_the_supporter_wrote_is_passed_on(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """A bare 「はい」 was passed on, but 「はいよろしくおねがいします」 got 「ご連絡ありがとうございます。
    相手の方に伝えたいときは、「メッセージを送る」を押してから…」 and the supporter heard nothing."""
    match = matched(chat)
    chat.say(match.supporter, "おばあちゃんこんにちは あしたいきます")
    chat.new_texts(match.resident)
    answer = chat.say(match.resident, typed)
    assert answer[0].startswith("佐藤一郎さんに送りました。"), answer
    assert chat.new_texts(match.supporter) == [f"【電球・修理の依頼】山田花子さんから：\n{typed}"]
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.text == "電球が切れて替えられない"  # not a detail


@pytest.mark.parametrize("yes", ["ええよ", "いいよ", "よかよ"])
def test_a_bare_yes_before_anyone_accepted_is_no_detail(chat: Chat, db_session: Session, yes: str) -> None:
    waiting = carded(chat, when=None)
    answer = chat.say(waiting.resident, yes)
    assert answer[0].startswith("ご連絡ありがとうございます。"), answer
    db_session.expire_all()
    request = db_session.get(HelpRequest, waiting.request_id)
    assert request is not None and request.text == "電球が切れて替えられない"


@pytest.mark.parametrize("typed", ["もうたのまんでええ", "こんでええ", "むすこがやってくれた"])
def test_no_longer_needed_in_an_elders_words_asks_to_cancel(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「もうたのまんでええ」 was added to the request and passed on to the supporter as a detail."""
    user = chat.user("alice")
    chat.follow(user)
    submit_request(chat, user, "電球が切れて替えられない")
    chat.new_texts(user)
    assert chat.say(user, typed) == ["【電球・修理】の依頼を、取り消しますか？"]
    assert chat.say(user, "はい") == ["依頼を取り消しました。"]
    stored = db_session.scalar(select(HelpRequest))
    assert stored is not None and stored.text == "電球が切れて替えられない"


@pytest.mark.parametrize("typed", ["だれかきてくれるんかいな", "はよきてくれるんやろか"])
def test_wondering_whether_someone_will_come_is_told_how_it_stands(chat: Chat, typed: str) -> None:
    """These got 「急ぎのときは、すぐに電話してください。…今すぐ命にかかわりますか？」."""
    user = chat.user("alice")
    chat.follow(user)
    submit_request(chat, user, "電球が切れて替えられない")
    chat.new_texts(user)
    assert chat.say(user, typed)[0].startswith("【電球・修理】の依頼は、今サポーターをさがしています。")


@pytest.mark.parametrize(
    "typed",
    ["わしがやるけえ", "👍", "👍🏻", "やるけん", "行くけえ", "まかせとって", "おらがやっぺ", "やったるで"],
)
def test_an_offer_in_dialect_or_a_thumbs_up_under_a_card_shows_the_card_to_confirm(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「わしがやるけえ」 got 「ごめんなさい。よく分かりませんでした。…」 and 👍 the small-talk answer,
    the card left waiting. Now the card's buttons are shown to confirm; the words alone accept nothing."""
    waiting = carded(chat, when=None)
    assert chat.say(waiting.supporter, typed) == [ONE_CARD]
    items = last(chat, waiting.supporter)["quickReply"]["items"]
    assert [i["action"]["label"].split(":")[0] for i in items] == ["引き受ける", "見送る"]
    assert _requests(db_session) == [("repair", "open")]
    assert chat.new_texts(waiting.resident) == []  # nothing told before the tap
    accepted = chat.tap(waiting.supporter, items[0]["action"]["data"])
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。")
    assert _requests(db_session) == [("repair", "matched")]
