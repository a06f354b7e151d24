"""The safety net against the safety development set (tests/data/safety.tsv) and its rules.

The targets are the issue's: every emergency flagged (now or maybe-urgent, never ordinary), at
least 97% of what volunteers may not do flagged, at most 1% of ordinary lines flagged even when
they are full of danger-looking words. The blind set is only scored (bench/safety.py), never tuned.
"""

import tomllib

import pytest

import matching
from matching import safety
from tests.matching import devset

NOT_ALLOWED_RECALL = 0.97
ORDINARY_FLAGGED = 0.01


def _answer(text: str) -> str:
    u = matching.understand(text)
    if u.flag == "emergency":
        return "emergency" if u.urgency == "now" else "maybe_urgent"
    if u.referral:
        return "referral"
    return u.flag or "ordinary"


def test_the_development_set_is_broad():
    lines = devset.safety()
    expects = {e: sum(line.expect == e for line in lines) for e in ("emergency", "not_allowed", "ordinary")}
    assert len(lines) >= 400 and expects["emergency"] >= 120
    assert expects["not_allowed"] >= 100 and expects["ordinary"] >= 180
    kinds = {line.kind for line in lines if line.expect == "emergency"}
    assert len(kinds) == 14
    assert {"hiragana", "halfwidth", "voice", "emoji", "kansai", "tohoku", "hakata", "hiroshima"} <= {
        line.style for line in lines
    }


# The development set, and a third set written while working on the gaps it left (not blind either).
SETS = ["safety.tsv", "safety_extra.tsv"]


@pytest.mark.parametrize("name", SETS)
def test_every_emergency_is_flagged(name):
    urgent = ("emergency", "maybe_urgent")
    lines = [line for line in devset.safety(name) if line.expect in urgent]
    missed = [line.text for line in lines if _answer(line.text) not in urgent]
    assert missed == []


@pytest.mark.parametrize("name", SETS)
def test_what_volunteers_may_not_do_is_flagged(name):
    lines = [line for line in devset.safety(name) if line.expect == "not_allowed"]
    flagged = sum(_answer(line.text) == "not_allowed" for line in lines)
    assert flagged / len(lines) >= NOT_ALLOWED_RECALL


@pytest.mark.parametrize("name", SETS)
def test_ordinary_lines_are_rarely_flagged_and_harassment_is_referred(name):
    lines = devset.safety(name)
    ordinary = [line for line in lines if line.expect == "ordinary"]
    flagged = [line.text for line in ordinary if _answer(line.text) != "ordinary"]
    assert len(flagged) / len(ordinary) <= ORDINARY_FLAGGED, flagged
    referrals = [line for line in lines if line.expect == "referral"]
    assert all(_answer(line.text) == "referral" for line in referrals)


@pytest.mark.parametrize(
    ("text", "flag", "reason", "urgency"),
    [
        # however it is written
        ("むねがいたい", "emergency", "chest_pain", "now"),
        ("ｶｼﾞﾀﾞ", "emergency", "fire", "now"),
        ("じいちゃんがこけて頭打ってしもうた", "emergency", "fall", "now"),
        ("ばあちゃん転んで起ぎらんねぇ", "emergency", "fall", "now"),
        # a fire emoji alone is no proof of a fire: on a house it is asked about, on work it is nothing
        ("家が🔥🔥", "emergency", "fire", "maybe"),
        ("仕事が🔥🔥", None, None, None),
        # a person, not a thing
        ("テレビが倒れた", None, None, None),
        ("タブレットが反応がない", None, None, None),
        ("母が倒れて動かない", "emergency", "unconscious", "now"),
        # over, and only the reason for the request
        ("救急車で運ばれて入院したので犬の散歩をお願いしたい", None, None, None),
        ("足を骨折したので買い物をお願いしたい", None, None, None),
        ("先週どろぼうに入られたので鍵の交換をお願いしたい", None, None, None),
        # numbers inside numbers
        ("090-1190-2345に電話ください", None, None, None),
        ("1190円のお米を買ってきて", None, None, None),
        ("119番に電話して", "emergency", "uncertain", "maybe"),
        # learning and preparing
        ("消火器の使い方を教えてほしい", None, None, None),
        # maybe urgent
        ("たすけて", "emergency", "uncertain", "maybe"),
        ("夜中に変な音がする", "emergency", "uncertain", "maybe"),
        # safety outranks the category word
        ("子どもが飴をのどに詰まらせた", "emergency", "choking", "now"),
        (
            "一人暮らしの隣のおばあさんを何日も見かけない、新聞がたまってる",
            "emergency",
            "welfare_check",
            "now",
        ),
        # not for volunteers, with the real reason
        ("お金を貸してほしい", "not_allowed", "money", None),
        ("二階の窓の外側を拭いてほしい", "not_allowed", "height", None),
        ("コンセントを増やしてほしい", "not_allowed", "licence", None),
        ("相続の書類にはんこを押してほしい", "not_allowed", "legal", None),
        ("おむつを買ってきてほしい", None, None, None),
        ("24時間やってるスーパーで買い物をお願い", None, None, None),
        ("毎日来るヘルパーさんが休みなので今日だけ来てほしい", None, None, None),
        ("青い屋根の家です。電球を替えてほしい", None, None, None),
    ],
)
def test_situations_named_in_the_issue(text, flag, reason, urgency):
    u = matching.understand(text)
    assert (u.flag, u.flag_reason, u.urgency) == (flag, reason, urgency)


def test_harassment_is_a_referral_and_wanting_to_harass_is_harm():
    assert matching.understand("ストーカーにつきまとわれています").referral == "harassment"
    assert matching.understand("ストーカーにつきまとわれています").flag is None
    assert matching.understand("隣の人に嫌がらせをしたい").flag == "harmful"


# The word classes every rule set names (safety.load needs each of them).
_CLASSES = """
[classes]
person = ["母"]
thing = ["棚"]
body = ["足"]
past = ["先週"]
reason = ["たので"]
now = ["今すぐ"]
learn = ["練習"]
request = ["ほしい"]
"""


def test_a_new_danger_word_is_a_data_change():
    data = tomllib.loads(
        f"""
        [dialect]
        "たおれとる" = "たおれている"
        {_CLASSES}
        [[rule]]
        tier = "now"
        kind = "unconscious"
        subject = true
        all = [["@person"], ["倒れ"]]
        """
    )
    rules = safety.load(data)
    assert safety.read("母がたおれとる", data=rules).kind == "unconscious"
    assert safety.read("棚が倒れた", data=rules).kind is None
    with pytest.raises(ValueError, match="tier"):
        safety.load({**data, "rule": [{"tier": "oops", "kind": "x"}]})


def test_an_exact_word_is_never_found_with_a_voicing_mark_dropped():
    """おとして typed in kana is 落として (つららをおとしてほしい): kept exact, 脅して no longer finds it."""
    table = f"""
        {_CLASSES}
        [[rule]]
        tier = "harmful"
        kind = "harm"
        any = ["脅して"]
        """
    loose = safety.load(tomllib.loads(table))
    exact = safety.load(tomllib.loads('exact_words = ["脅して"]\n' + table))
    assert safety.read("つららを おとして ほしい", data=loose).kind == "harm"  # the dropped mark, forgiven
    assert safety.read("つららを おとして ほしい", data=exact).kind is None
    assert safety.read("あいつを おどして やりたい", data=exact).kind == "harm"
    assert safety.read("あいつを脅してやりたい", data=exact).kind == "harm"


def test_a_rule_across_sentences_reads_the_whole_text():
    data = tomllib.loads(
        f"""
        {_CLASSES}
        [[rule]]
        tier = "now"
        kind = "suicide"
        over = "never"
        across = true
        all = [["お世話になりました"], ["片付けました"]]
        unless = ["引っ越"]
        """
    )
    rules = safety.load(data)
    farewell = "長いことお世話になりました。身の回りはもう片付けました。"
    assert safety.read(farewell, data=rules).kind == "suicide"
    assert safety.read(farewell + "来月引っ越します。", data=rules).kind is None
    assert safety.read("お世話になりました。", data=rules).kind is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        # polite negatives by the verb's conjugation, dialect never inside a noun
        ("一人暮らしの母に朝から何度電話してもつながりません", "emergency"),
        ("やかんのお湯を孫がかぶって足が真っ赤、泣き叫んどる", "emergency"),
        # できないようになった is became unable, not so-that-not
        ("じいさんが息ができんようになっとる", "emergency"),
        # a short kana word is never the tail of a kanji word, nor the 関西 copula
        ("去年の片付けがまだ終わらない", "ordinary"),
        ("本棚買うたんやけど組み立て方がわからへん", "ordinary"),
        # the broad net: strong signs whatever the category word, cancelled by the situation
        ("父の腕が変な方向に曲がってる", "maybe_urgent"),
        ("実家に電話してたらドスンって音がして、それから出ない", "maybe_urgent"),
        ("さんまを焼くと煙がすごいので換気扇を見てほしい", "ordinary"),
        ("Wi-Fiがつながらないので設定を手伝ってほしい", "ordinary"),
        ("けが人はいないけど、倒れた本棚を起こしてほしい", "ordinary"),
        ("孫が合格したって聞いて心臓が止まるかと思った", "ordinary"),
        # the verb asked for: bought or fetched is an errand, not bodily care
        ("オトナヨウノ オムツ ドラッグストアデ カッテキテクダサイ", "ordinary"),
        ("爪切りが壊れたけぇ、新しいの買うてきてもらえんじゃろか", "ordinary"),
        ("寝たきりの父のおむつを替えてほしい", "not_allowed"),
        # named but not asked (unneeded, done already), unless asked as a question or denied
        ("猫の世話をお願いします。薬を飲ませる必要はありません", "ordinary"),
        ("おむつ替えは済ませて行くので、一時間だけ子どもを見ててほしい", "ordinary"),
        ("父に薬を飲ませる必要はないか見てほしい", "not_allowed"),
        ("おむつ替えは済ませてないので、お願いします", "not_allowed"),
        # a height told as where someone was hurt long ago; the ask named elsewhere, or the same asked again
        ("玄関前の雪かきをお願いしたい。去年、屋根の雪下ろしで落ちて足を折ったので", "ordinary"),
        ("去年は屋根の雪下ろしで落ちて骨折した。今年も頼めんかのう", "not_allowed"),
        # 博多 ば as an object marker
        ("ばあちゃんの着替えば手伝うてくれんね", "not_allowed"),
    ],
)
def test_the_situation_is_read_from_grammar(text, answer):
    assert _answer(text) == answer


def test_the_verb_asked_for_is_found_past_its_helpers():
    from matching.normalize import tokenize

    assert safety.asked_verb(tokenize("新しいの買ってきてもらえんじゃろか")) == "買う"
    assert safety.asked_verb(tokenize("電球を替えていただけませんか")) == "替える"
    assert safety.asked_verb(tokenize("電球が切れた")) == ""


def _rules_tier(text: str) -> str | None:
    said = matching.understand(text).scores
    return safety.read(text, category_score=said[0][1] if said else 0.0).tier


def test_the_learned_reader_overrules_a_fragment_in_the_reason_for_a_request():
    """The rules see 倒れこむ beside an animal they cannot tell from a person; the reader, which learnt
    whole situations, finds nothing dangerous, and the text asks for a walk: the dog walk goes out."""
    text = "犬が年寄りで、散歩の途中でよく倒れこむので、ゆっくり歩いてくれる人にお願いしたい"
    assert _rules_tier(text) == "now"
    u = matching.understand(text)
    assert (u.flag, u.urgency, u.category) == (None, None, "pets")


@pytest.mark.parametrize(
    "text",
    [
        "火事です！台所が燃えてる、買い物どころじゃない",  # an emergency beside a request stays one
        "母が倒れて意識がない、買い物の途中で",
        "隣の奴に仕返ししたいので、手伝ってくれる人を探してます",  # harmful is never overruled
        "たすけて",  # a text that asks for no ordinary help keeps the rules' verdict
    ],
)
def test_the_reader_never_overrules_danger_it_can_see_or_a_text_that_asks_no_help(text):
    assert _rules_tier(text) is not None
    assert matching.understand(text).flag is not None


def test_the_learned_reader_asks_about_a_refusal_that_reads_as_an_emergency():
    """A tool volunteers may not use is named, but the text tells of a wound (血 typed as 地): the rules
    refuse, the reader reads an emergency, and safety outranks the refusal: it is asked about at once."""
    text = "チェーンソーで脚を切って地が止まらない、はやく"
    assert _rules_tier(text) == "not_allowed"
    u = matching.understand(text)
    assert (u.flag, u.urgency) == ("emergency", "maybe")
    # the same tool, asked for as work, is still refused
    assert matching.understand("庭の木をチェーンソーで切ってほしい").flag == "not_allowed"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        # 返事 typed in kana after a day is not a 関西 negative (みっかへん -> みっかない)
        ("となりのひと みっか へんじ ない", "emergency"),
        # a day counter typed in kana after a number
        ("ｳｴﾉ ﾍﾔﾉ ﾋﾄ 3ﾆﾁ ﾍﾝｼﾞ ﾅｲ", "emergency"),
        # 祖父 typed in katakana with its particle; ソファ is no person
        ("ソフガ イナクナッタ", "emergency"),
        ("ソファが いらなくなったので運んでほしい", "ordinary"),
        # 東北 voicing is never a word's first sound: キガ カレテ is not 書かれて (harassment)
        ("ニワノ キガ カレテ シンダミタイ ヒッコヌイテ ホシイ", "ordinary"),
        # whether someone is alive, worried over beside a wish for visits, is 見守り
        ("祖母が1人で暮らしてて、雪の日はいきてるか心配。たまに顔を見に行ってくれる人いませんか", "ordinary"),
        ("隣のじいちゃん、生きてるかわからん", "emergency"),
        # a means made ready beside despair
        ("借金でどうにもならん、ロープ用意したんじゃ、もうええんよ", "emergency"),
        ("引っ越しのロープを用意しました、もういいですよ", "ordinary"),
        # help called out; a screen's help page is not
        ("ヘルプ！！", "maybe_urgent"),
        ("スマホのヘルプの見方を教えて", "ordinary"),
        # a figure said for agreement; a symptom beside it stays an emergency
        ("こんにちは。さむくて しにそうですね", "ordinary"),
        ("むねがくるしくてしにそうですね", "emergency"),
        # someone wished for to come and talk is company, not a call for help
        ("入院してから気が弱ってのう、誰か話しに来てくれたら嬉しいんじゃが", "ordinary"),
        ("だれか はやく きて", "maybe_urgent"),
        # a word ending in a verb stem (車椅子に移) is found in kana through its completed reading
        ("べっどから くるまいすに うつして ほしい", "not_allowed"),
        ("ははの つきそいで びょういんに いきたい", "ordinary"),
        # a call typed in kana (きてー is 来てー, not the 東北 wish きたい); いきてー stays a wish
        ("だれか、だれかきてー", "maybe_urgent"),
        # who will come, asked at the card, and going back a step, are no calls for help
        ("だれがきてくれるの？", "ordinary"),
        ("もどる", "ordinary"),
        ("うみさ いきてー", "ordinary"),
        # 鼻血 as it is often typed, and a nosebleed that pressure does not stop
        ("じいちゃんの はなじが おさえても とまらず", "emergency"),
    ],
)
def test_kana_days_particles_and_worries_are_read_as_written(text, answer):
    assert _answer(text) == answer
