"""やってみたい: offers are kept and connected to open requests and to people who want the same."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest, Member, Offer, RequestStatus
from tests.handlers.dialogue import NEAR, RESIDENT_HOME, last, register_supporter, submit_request, tap_label
from tests.support import Chat


def test_offer_shows_nearby_requests_and_similar_people(chat: Chat, db_session: Session) -> None:
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "庭の草むしりをお願いしたい。山田です")
    friend = chat.user("friend", "友人")
    chat.say(friend, "草むしりを手伝ってみたい")
    volunteer = chat.user("ito", "伊藤")
    chat.say(volunteer, "サポーターになる")
    chat.say(volunteer, "やめる")
    # Give the volunteer a home place by starting (and dropping) a request with a location.
    chat.say(volunteer, "電球が切れた")
    chat.location(volunteer, *NEAR)
    chat.say(volunteer, "やめる")
    assert chat.say(volunteer, "やってみたい")[0].startswith("どんなことを、やってみたいですか？")
    answer = chat.say(volunteer, "庭の手入れや草むしりをやってみたい")[0]
    assert answer.startswith("「庭の手入れや草むしりをやってみたい」ですね。すてきです！")
    assert "近くに、こんな困りごとがあります：\n・【庭・草むしり】" in answer
    assert "山田" not in answer
    assert "同じことをやってみたい人がいます：\n・草むしりを手伝ってみたい" in answer
    offers = db_session.scalars(select(Offer).order_by(Offer.id)).all()
    assert all("garden" in o.categories for o in offers) and len(offers) == 2
    # Tapped: one message, its first line saying what opens (it opened straight on 「今のところ：…」).
    assert tap_label(chat, volunteer, "サポーター登録") == [
        "サポーター登録をはじめます。やってみたいことから、できることを選びました。\n"
        "今のところ：庭・草むしり\nほかにもあれば、書くか選んでください。\n終わったら「次へ」を押してください。"
    ]
    tap_label(chat, volunteer, "次へ")
    chat.location(volunteer, *RESIDENT_HOME)
    tap_label(chat, volunteer, "3km")
    tap_label(chat, volunteer, "登録する")
    tap_label(chat, volunteer, "同意する")
    member = db_session.scalar(select(Member).where(Member.line_user_id == volunteer))
    assert member is not None and member.is_supporter and "garden" in [s.category for s in member.skills]


def test_offer_written_directly_is_recognised(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    answer = chat.say(user, "子ども食堂を手伝ってみたい")[0]
    assert "すてきです" in answer
    offer = db_session.scalar(select(Offer))
    assert offer is not None and "cafeteria" in offer.categories


def test_a_greeting_or_emoji_is_not_kept_as_an_offer(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "やってみたい")
    for text in ("はい", "😀😀", "よろしくお願いします"):
        answer = chat.say(user, text)
        assert answer == [
            "どんなことを、やってみたいですか？\n自由に書いて送ってください。\n例：「子ども食堂を手伝ってみたい」"
        ], text
    assert db_session.scalar(select(Offer)) is None
    assert "すてきです" in chat.say(user, "料理を教えてみたい")[0]
    offer = db_session.scalar(select(Offer))
    assert offer is not None and offer.text == "料理を教えてみたい"


def test_an_offer_without_a_known_kind_is_thanked_once(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "やってみたい")
    assert chat.say(user, "将棋を一緒にさしたい") == [
        "「将棋を一緒にさしたい」ですね。すてきです！\n記録しました。\n"
        "どんなお手伝いに近いか、コーディネーターが確認します。"
    ]


def test_a_trouble_written_after_yattemitai_becomes_a_request(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "やってみたい")
    answer = chat.say(user, "電球が切れて困っている")
    assert db_session.scalar(select(Offer)) is None
    assert "電球・修理" in answer[0], answer  # what the bot understood, then where
    draft = db_session.scalar(select(HelpRequest))
    assert draft is not None and (draft.status, draft.text) == (RequestStatus.DRAFT, "電球が切れて困っている")
    # Something they would like to do, even with 困って in it, is still an offer.
    chat.say(user, "やめる")
    chat.say(user, "やってみたい")
    chat.say(user, "困っている人の買い物を手伝ってみたい")
    offer = db_session.scalar(select(Offer))
    assert offer is not None and offer.text == "困っている人の買い物を手伝ってみたい"


def test_a_supporter_takes_a_listed_need_with_its_button(chat: Chat, db_session: Session) -> None:
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "庭の草むしりをお願いしたい")
    ito = register_supporter(chat, "ito", "伊藤", "電球の交換", NEAR)
    listed = chat.say(ito, "草むしりを手伝ってみたい")
    assert "近くに、こんな困りごとがあります" in listed[0]
    taken = tap_label(chat, ito, "庭・草むしりを引き受ける")
    assert taken[0].startswith("ありがとうございます！ 引き受けました。\n【庭・草むしり】")
    assert chat.new_texts(resident)[-1].startswith("伊藤さんが、引き受けてくれました。")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.MATCHED


def test_home_in_words_and_commands_in_words_while_writing_an_offer(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "うちです")[0].startswith("お住まいの場所が、まだ分かりません。")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "やめる")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "自宅でお願いします") == ["いつ手伝ってほしいですか？"]  # the place sent last time
    chat.say(user, "やめる")
    chat.say(user, "やってみたい")
    assert chat.say(user, "サポーターになりたいです")[0].startswith("どんなことを手伝えますか？")


@pytest.mark.swept  # a card the worker would push within seconds would be read as sent
def test_an_offer_to_teach_in_the_potential_form_is_a_yattemitai_not_a_request(
    chat: Chat, db_session: Session
) -> None:
    supporter = register_supporter(chat, "sato", "佐藤", "スマホやLINEの使い方", NEAR)
    chat.new_texts(supporter)
    resident = chat.user("hana", "花子")
    chat.follow(resident)
    offered = "スマホの基本操作、教えられます📱 困ってる方いたら気軽にどうぞ"
    answer = chat.say(resident, offered)
    assert answer[0].startswith(f"「{offered}」ですね。すてきです！\n記録しました。"), answer
    assert db_session.scalar(select(HelpRequest)) is None
    offer = db_session.scalar(select(Offer))
    assert offer is not None and offer.text == offered and "digital" in offer.categories
    assert tap_label(chat, resident, "名人として登録")[0].startswith("「スマホの基本操作」ですね。")
    chat.say(resident, "やめる")
    # Written after やってみたい with わからない in it, it is still an offer; in katakana or with a typo too.
    chat.say(resident, "やってみたい")
    assert "すてきです" in chat.say(resident, "AEDの使い方なら教えられます。わからない方どうぞ")[0]
    assert "すてきです" in chat.say(resident, "ﾊﾟｿｺﾝのｴｸｾﾙ、ﾜｰﾄﾞならオシエラレマス")[0]
    assert "すてきです" in chat.say(resident, "スマホの使いかた　教えらます　高齢者のかたにでも")[0]
    assert db_session.scalar(select(HelpRequest)) is None
    assert chat.new_texts(supporter) == []  # no card, no news: nobody asked for help


@pytest.mark.swept
def test_asking_for_someone_who_can_teach_is_no_offer(chat: Chat, db_session: Session) -> None:
    resident = chat.user("hana", "花子")
    chat.follow(resident)
    # Asking for a person who can teach is a search for a master (none yet), as before: nothing kept.
    assert chat.say(resident, "スマホ教えられる人いませんか")[0].startswith(
        "「スマホ」を教えてくれる名人は、まだ登録されていません。"
    )
    assert db_session.scalar(select(Offer)) is None
    # Asked as a question, it is a 困りごと: the request flow starts.
    answer = chat.say(resident, "だれかスマホ教えられる？")
    assert answer[0] == "「だれかスマホ教えられる？」ですね。\n【スマホ・パソコン】のお手伝いをさがします。"
    assert answer[1].startswith("どこで手伝ってほしいですか？")
    draft = db_session.scalar(select(HelpRequest))
    assert draft is not None and (draft.status, draft.category) == (RequestStatus.DRAFT, "digital")
    assert chat.say(resident, "やめる")[0].startswith("わかりました。やめました。")
    assert "すてきです" not in chat.say(resident, "LINEの使い方を教えてほしい")[0]
    assert db_session.scalar(select(Offer)) is None


@pytest.mark.parametrize("said", ["なんのこと？", "まちがえました", "何を書けばいいのかわからん"])
def test_a_question_back_is_not_kept_as_an_offer(chat: Chat, db_session: Session, said: str) -> None:
    """It was kept and praised: 「「なんのこと？」ですね。すてきです！記録しました。」."""
    user = chat.user("tanaka", "田中")
    chat.say(user, "やってみたい")
    assert chat.say(user, said) == [
        "やってみたいことを、ひとことで書いてください。\n例：「料理を教えたい」「子ども食堂を手伝ってみたい」\n"
        "やめるときは「やめる」を押してください。"
    ]
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 0
    assert chat.say(user, "料理を教えたい")[0].startswith("「料理を教えたい」ですね。すてきです！")
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 1


@pytest.mark.parametrize("typed", ["もういっぺん", "もう一回言うて", "聞こえんかった"])
def test_say_it_again_at_the_offer_step_asks_again_and_keeps_nothing(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「もういっぺん」 was kept as the offer itself (「…ですね。すてきです！記録しました。」)."""
    user = chat.user("olga")
    chat.follow(user)
    chat.say(user, "やってみたい")
    assert chat.say(user, typed)[0].startswith("どんなことを、やってみたいですか？")
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 0
    assert chat.say(user, "こどもしょくどうをてつだいたい")[0].startswith(
        "「こどもしょくどうをてつだいたい」ですね。"
    )
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 1


OFFER_NONE_NEAR = (
    "「子ども食堂を手伝ってみたい」ですね。すてきです！\n記録しました。\n今は、近くに合う困りごとはありません。\n"
    "合う困りごとがあったときにお知らせできるよう、サポーター登録もしますか？"
)


# Registration opened from the offer: one line introduces it (it opened straight on 「今のところ：…」).
REGISTERING = (
    "サポーター登録をはじめます。やってみたいことから、できることを選びました。\n"
    "今のところ：子ども食堂・拠点の手伝い"
)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("はい", REGISTERING),
        ("ﾊｲ", REGISTERING),
        ("ぜひ", REGISTERING),
        ("はい、おねがいします", REGISTERING),
        ("いいえ", "わかりました。やってみたいことは、記録してあります。"),
        ("あとで", "わかりました。やってみたいことは、記録してあります。"),
        ("ありがとう", "ご連絡ありがとうございます。"),
    ],
)
def test_a_typed_answer_right_after_the_offer_reply(
    chat: Chat, db_session: Session, typed: str, answer: str
) -> None:
    """「はい」 right after the reply to a やってみたい got 「ご連絡ありがとうございます。…」: the
    サポーター登録 it suggested was lost (「ﾊｲ」「ぜひ」 got 「よく分かりませんでした」). The reply now
    asks, and the typed answer answers it; the offer is kept once whatever is typed."""
    user = chat.user("alice")
    assert chat.say(user, "子ども食堂を手伝ってみたい") == [OFFER_NONE_NEAR]
    labels = [item["action"]["label"] for item in last(chat, user)["quickReply"]["items"]]
    assert labels[:2] == ["サポーター登録", "いまはしない"]
    said = chat.say(user, typed)
    assert len(said) == 1 and said[0].startswith(answer), said
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 1
    assert db_session.scalar(select(HelpRequest)) is None
    # A second 「はい」 is no second offer nor a second registration start.
    chat.say(user, "やめる")
    chat.say(user, "はい")
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 1
