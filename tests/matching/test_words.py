"""The words people say that steer the bot (matching/words.toml), read as tables."""

from __future__ import annotations

import pytest

from matching.words import (
    asks_for_a_person,
    asks_what_now,
    command_key,
    command_words,
    denies_a_danger,
    ends_relay,
    hints_a_request,
    is_no,
    is_pleasantry,
    is_trouble,
    is_unclear,
    is_unsure,
    is_yes,
    offers_to_do,
    offers_to_teach,
    says_stop_supporting,
    sounds_desperate,
    teaching,
    words,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("やめる", "やめる"),
        (" や める ", "やめる"),
        ("ＣＡＮＣＥＬ", "cancel"),
        ("Help", "help"),
        ("ﾒﾆｭｰ", "めにゅー"),
        ("メニュー！", "めにゅー"),
        ("やめます。", "やめます"),
        ("ﾔﾒﾙ🙇\u200d♀️", "やめる"),
        ("退会したいです", "退会したい"),
        ("です", "です"),
    ],
)
def test_command_keys_ignore_width_spaces_case_marks_and_a_last_desu(typed: str, key: str) -> None:
    assert command_key(typed) == key


def test_every_command_has_words_and_no_word_belongs_to_two_commands() -> None:
    seen: dict[str, str] = {}
    for name, said in words().commands.items():
        assert said, name
        for word in said:
            assert seen.setdefault(command_key(word), name) == name, word


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("cancel", "やめる"),
        ("said_stop", "もういい"),
        ("checkin_done", "終わりました"),
        ("desk", "ようたいおう"),
    ],
)
def test_command_words(name: str, word: str) -> None:
    assert word in command_words(name)


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("料理を教えたい", True),
        ("子ども食堂を手伝ってみたい", True),
        ("ボランティアしたい", True),
        ("スマホを使ってみたいけど、わからない", False),
        ("電球が切れて困っている", False),
        ("こんにちは", False),
        ("スマホの基本操作、教えられます📱 困ってる方いたら気軽にどうぞ", True),
        ("将棋を教えます", True),
        ("スマホ教えられる人いませんか", False),
    ],
)
def test_offers_to_do(text: str, offer: bool) -> None:
    assert offers_to_do(text) is offer


# Offers to teach, as residents write them: potential and plain polite forms, kana, katakana and
# half-width, typos, regional forms, and needs of others beside them (困ってる方, わからない方).
OFFERS_TO_TEACH = [
    "スマホの基本操作、教えられます📱 困ってる方いたら気軽にどうぞ",
    "パソコンのエクセル、ワードならオシエラレマス。カイシャでツカッテいました",
    "前に救命講習の補助してました、AEDの使い方なら教えられます",
    "この浦の盆踊りの踊り方ば教えちゃるけん、覚えたか人おいで",
    "スマホの使いかた　教えらます　高齢者のかたにでも",
    "編み物なら教えてあげられるよ",
    "将棋を教えます",
    "ｽﾏﾎの使い方ｵｼｴﾗﾚﾏｽ",
    "ﾊﾟﾝ作り教えます。ｵｰﾌﾞﾝなくてもﾌﾗｲﾊﾟﾝで焼けます",
    "あみものを おしえられます すきな ひとが いたら どうぞ",
    "料理なら教えたるで",
    "畑仕事教えちゃるけぇ",
    "お好み焼きの焼き方なら教えられるけぇ、子ども食堂でやらせてもらえんかね",
    "将棋なら教えちゃれるで。子どもでも年寄りでもかまわんけえ",
    "草刈り機の使い方なら教えてやれる",
    "そろばんなら子どもでも年寄りでも教えてやれるぞ",
    "網の繕い方なら、いつでも港の小屋で教えてやるけえ",
    "こけしの絵付け、教えでけっから、やってみてえ人いだら来てけろ",
    "漬物の漬け方、若い人さ教えでもいいど",
    "俳句をやっとるけえ、始めたい人がおったら一緒にやろうや。教えるけえ",
    "魚のさばき方ば教えるけん、習いたか人おったら言うてね",
    "ぬか漬けのつくりかたをおしえられまず。うちのぬか床は五十年ものてす",
    "スマホのことなら教えれるよ",
    "書道を教えることができます。子どもでも大人でも歓迎です",
    "英会話を少しお教えできますので、ご希望の方がいらっしゃいましたらお声がけください",
    "書道を四十年続けております。ご希望の方にお教えできればと存じます。",
    "筆の持ち方からお教えいたします",
    "囲碁なら教えましょうか",
    "たこ焼きの焼き方、子どもらに教えたろか？",
    "ピアノ教えてあげますよ",
    "お裁縫、教えられますよ。わからない方どうぞ",
    "LINEの使い方なら教えられるので、困ってる人がいたらお願いします",
    "えっと編み物が得意なんで誰か習いたい人がいたら教えられたらなと思ってて",
    "料理なら誰にでも教えられます",
    "料理を教えたい",
    "竹細工を教えてみたい",
    "子どもらに木の箱の作り方でも教えてやりたいんじゃ",
    "雪国の漬物の漬け方、若い人さ教えでぇんだ",
    "子どもに囲碁ば教えたかっちゃけど",
]

# Asking to be taught, or for someone who can teach, or telling (not teaching) something.
NOT_OFFERS_TO_TEACH = [
    "スマホ教えられる人いませんか",
    "教えられますか？",
    "LINEの使い方を教えてほしい",
    "孫に勉強を教えてあげてほしい",
    "教えてくれませんか",
    "使い方を教えてください",
    "教えてもらえたら",
    "スマホ教えられる若い人いないかな",
    "だれかスマホ教えられる？",
    "どなたかパソコンを教えられる方いらっしゃいますか",
    "エクセルを教えられる方を探しています",
    "スマホの使い方を教えられる人、募集してます",
    "パソコン教えてあげられる人おらん？",
    "誰か教えれる人おらんか",
    "将棋を教えてほしいんじゃが、教えられる人おるか",
    "教えられますでしょうか",
    "教えられるならお願いしたい",
    "スマホを教えられると助かります",
    "教えられるようになりたいので習いたい",
    "ズームの入り方をお教えいただけますでしょうか",
    "見方教えでけろ",
    "竹とんぼの作り方、教えでけねが",
    "孫に教えてやってくれんか",
    "教えたってや",
    "ぬか漬けの作り方を教えてくれんね",
    "この前スマホを教えてもらいました、ありがとう",
    "母に教えられたレシピを作りたい",
    "教えられませんでした",
    "孫に教えてあげたいので、まず私に教えてほしい",
    "孫にLINEを教えたいけど、自分がわからない",
    "暗証番号を教えるので、ATMで年金を下ろしてきて",
    "暗証番号教えるけん、お金おろしてきて",
    "決まったら教えます",
    "住所はあとで教えますね",
    "電話番号教えます",
]


@pytest.mark.parametrize("text", OFFERS_TO_TEACH)
def test_an_offer_to_teach_is_a_yattemitai(text: str) -> None:
    assert offers_to_teach(text) and offers_to_do(text)
    assert not is_trouble(text, "digital")  # after やってみたい, 困ってる方 beside it keeps it an offer


@pytest.mark.parametrize("text", NOT_OFFERS_TO_TEACH)
def test_asking_to_be_taught_is_no_offer(text: str) -> None:
    assert not offers_to_teach(text) and not offers_to_do(text)


def test_what_is_taught_is_before_the_verb_as_written() -> None:
    found = teaching("ﾜｰﾄﾞなら　ｵｼｴﾗﾚﾏｽ")
    assert found is not None and (found.before, found.wish) == ("ワードなら ", False)
    wish = teaching("料理を教えたい")
    assert wish is not None and (wish.before, wish.wish) == ("料理を", True)
    assert teaching("手品を見せたい") is None and teaching("手品を見せたい", also=True) is not None
    assert teaching(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "category", "trouble"),
    [
        ("電球が切れて困っている", "repair", True),
        ("電球が切れて困っている", None, False),
        ("電球の交換を手伝いたい", "repair", False),
        ("電球を替えてみたい", "repair", False),
    ],
)
def test_is_trouble(text: str, category: str | None, trouble: bool) -> None:
    assert is_trouble(text, category) is trouble


@pytest.mark.parametrize(
    ("text", "hint"),
    [("助けてください", True), ("お願いがあります", True), ("できない", True), ("天気がいい", False)],
)
def test_hints_a_request(text: str, hint: bool) -> None:
    assert hints_a_request(text) is hint


@pytest.mark.parametrize(
    ("text", "pleasantry"),
    [
        ("よろしくお願いします", True),
        ("ありがとうございました！", True),
        ("はい", True),
        ("🙏", True),
        ("ＯＫ", True),
        ("", False),
        ("   ", False),
        ("よろしく、電球を替えて", False),
        # A word on the weather, said in passing; the weather as a reason for asking is no pleasantry.
        ("きょうはさむいね", True),
        ("今日は冷えますね", True),
        ("けさはさむかね", True),
        ("いいお天気ですね", True),
        ("今日は寒いので灯油を買ってきて", False),
        ("寒くて困っとる", False),
        ("暑くてぐったり", False),
    ],
)
def test_is_pleasantry(text: str, pleasantry: bool) -> None:
    assert is_pleasantry(text) is pleasantry


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("はい", True),
        ("はい、お願いします！", True),
        ("OK", True),
        ("それで", True),
        ("いいです", False),  # often "no, thank you"
        ("はいけん", False),
        ("", False),
        # As typed by elderly people, in the regions, with emoji and punctuation.
        ("そうです", True),
        ("ええ、そうです。", True),
        ("うん、たのむ", True),
        ("はいっ！🙏", True),
        ("そやそや", True),
        ("んだ", True),
        ("ほうじゃ", True),
        ("はよ来て", True),
        ("いのちにかかわります", True),
        ("大丈夫じゃない", True),
        ("だいじょうぶやない", True),
        ("そうじゃない", False),
        ("そうじ", False),
        ("ﾊｲ", True),
        ("ｿｳﾃﾞｽ", True),
        ("そうじゃのう", True),  # 広島, elderly speech
        ("なんともないのう", False),
    ],
)
def test_is_yes(text: str, yes: bool) -> None:
    assert is_yes(text) is yes


@pytest.mark.parametrize(
    ("text", "no"),
    [
        ("いいえ", True),
        ("大丈夫です", True),
        ("急ぎじゃないです", True),
        ("はい", False),
        ("いいえ、倒れた", False),
        ("いや、だいじょうぶ", True),
        ("ちがうちがう", True),
        ("いいや", True),
        ("いんや", True),
        ("ううん", True),
        ("大丈夫です、ありがとう", True),
        ("いいえ大丈夫です。ありがとうございます", True),
        ("へいきです😊", True),
        ("急ぎません", True),
        ("命にはかかわりません", True),
        ("そうじゃない", True),
        ("大丈夫や", True),
        ("大丈夫じゃない", False),  # not fine at all
        ("大丈夫やない", False),
        ("大丈夫やけど", False),  # "fine, but …"
        ("うん", False),
        # Beside the numbers: no need for them; in half-width katakana; 救急車 in kana.
        ("いらん", True),
        ("いらんいらん", True),
        ("いりません", True),
        ("ﾁｶﾞｳ", True),
        ("ｲｲｴ", True),
        ("ﾀﾞｲｼﾞｮｳﾌﾞ", True),
        ("きゅうきゅうしゃはいらん", True),
        ("救急車はよばんでいい", True),
        ("よばなくていいです", True),
        ("いのちはだいじょうぶ", True),
        ("だめ", False),
        ("いらんけど来て", False),
        # with のう (広島, elderly speech): asked once more, it was
        ("なんともないのう", True),
        ("だいじょうぶじゃのう", True),
        ("ちがうのう", True),
        ("そうじゃのう", False),
    ],
)
def test_is_no(text: str, no: bool) -> None:
    assert is_no(text) is no


@pytest.mark.parametrize(
    ("text", "unclear", "desperate"),
    [
        ("だめ", True, False),
        ("ダメ", True, False),
        ("ﾀﾞﾒ", True, False),
        ("だめです", True, False),
        ("だめだめ", True, False),
        ("あかん", True, False),
        ("もうだめ", False, True),
        ("もうダメです", False, True),
        ("もうあかん", False, True),
        ("もう無理", False, True),
        ("限界です", False, True),
        ("だめな電球", False, False),
        ("もういい", False, False),
    ],
)
def test_dame_and_despair(text: str, unclear: bool, desperate: bool) -> None:
    """To 今すぐ命にかかわりますか？ 「だめ」 is asked once more; 「もうだめ」 is answered as a yes."""
    assert (is_unclear(text), sounds_desperate(text)) == (unclear, desperate)


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("わからん", True),
        ("よくわからん…", True),
        ("分かりません", True),
        ("どうかな", True),
        ("まよってる", True),
        ("ようわからん", True),  # as said in the west: it was read as a スマホ question
        ("よーわからん", True),
        ("さっぱりわからん", True),
        ("わかりました", False),
        ("スマホがわからん", False),
    ],
)
def test_is_unsure(text: str, unsure: bool) -> None:
    assert is_unsure(text) is unsure


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("ガスじゃない", True),
        ("ｶﾞｽｼﾞｬﾅｲ", True),
        ("ガスのにおいではありません", True),
        ("火事やないです", True),
        ("けむりじゃねえ", True),
        # A state denied is alarming, not a no.
        ("ふつうじゃない", False),
        ("げんきじゃない", False),
        ("いきができない", False),
        ("ガスがとまらない", False),
    ],
)
def test_a_danger_denied(text: str, denied: bool) -> None:
    """To 今すぐ命にかかわりますか？ 「ガスじゃない」 is a no."""
    assert denies_a_danger(text) is denied


@pytest.mark.parametrize(
    ("text", "person", "what_now"),
    [
        ("コーディネーターさんにつないで", True, False),
        ("ほかの人にたのめんかね", True, False),
        ("だれか相談できる人はおらんかね", True, False),
        ("じゃあどうしたらいい", False, True),
        ("どこに電話したらいい？", False, True),
        ("わかりました", False, False),
    ],
)
def test_follow_ups_after_a_refusal(text: str, person: bool, what_now: bool) -> None:
    assert (asks_for_a_person(text), asks_what_now(text)) == (person, what_now)


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("サポーターをやめたい", True),
        ("サポーター登録を解除して", True),
        ("さぽーたー やめます", True),
        ("サポーターになりたい", False),
        ("やめたい", False),
    ],
)
def test_says_stop_supporting(text: str, stop: bool) -> None:
    assert says_stop_supporting(text) is stop


@pytest.mark.parametrize(
    ("text", "ends"),
    [("おわる", True), (" 終わる ", True), ("おわり", True), ("終わりました", False), ("終", False)],
)
def test_ends_relay(text: str, ends: bool) -> None:
    assert ends_relay(text, "おわる") is ends
