"""Understanding requests: accuracy on the labelled sets, safety flags, and bad input; from many threads at
once it answers as from one (the web process runs threads)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import matching
from matching import understand
from matching.normalize import tokenize
from tests.matching import devset

# Reached on the sets in tests/data/ (see the closing note); raise them, never lower them.
DEV_TOP1, DEV_TOP3 = 0.995, 0.995
HOLDOUT_TOP1, HOLDOUT_TOP3 = 0.98, 1.0


def accuracy(rows: list[devset.Labelled]) -> tuple[float, float]:
    scored = [r for r in rows if r.category and not r.flag]
    top1 = top3 = 0
    for row in scored:
        u = matching.understand(row.text)
        top1 += u.category == row.category
        top3 += row.category in (u.category, *u.alternatives)[:3]
    return top1 / len(scored), top3 / len(scored)


def test_dev_set_is_big_enough():
    rows = devset.requests()
    assert len(rows) >= 200
    assert {r.category for r in rows if r.category} == {c.id for c in matching.categories()}


@pytest.mark.parametrize(
    ("name", "top1", "top3"),
    [("requests.tsv", DEV_TOP1, DEV_TOP3), ("requests_holdout.tsv", HOLDOUT_TOP1, HOLDOUT_TOP3)],
)
def test_category_accuracy_does_not_regress(name, top1, top3):
    got1, got3 = accuracy(devset.requests(name))
    assert (got1, got3) >= (top1, top3) or (got1 >= top1 and got3 >= top3)


@pytest.mark.parametrize("name", ["requests.tsv", "requests_holdout.tsv"])
def test_every_flagged_request_is_flagged_with_its_reason(name):
    for row in devset.requests(name):
        u = matching.understand(row.text)
        if row.flag:
            assert (u.flag, u.flag_reason) == (row.flag, row.flag_reason), row.text
        else:
            assert u.flag is None, row.text


@pytest.mark.parametrize(
    "text",
    [
        "電球が切れた",
        "ゴミ出しをお願い",
        "台風で庭の木が倒れた",
        "自転車が倒れて起こせない",
        "火事が心配なので火の元を確認してほしい",
        "血圧の薬を受け取ってきて",
        "薬局で薬を受け取ってきてほしい",
        "犬の爪切りをお願いしたい",
        "子どものおむつを買ってきて",
        "注射の日に病院へ付き添って",
        "腰を痛めて動けないので買い物お願い",
        "スマホをテレビにつなぎたい",
        "一生懸命がんばります",
        "毎日の買い物が大変",
        "家事を手伝ってほしい",
        "屋根付きの駐輪場の掃除",
    ],
)
def test_everyday_requests_raise_no_flag(text):
    assert matching.understand(text).flag is None


@pytest.mark.parametrize(
    ("text", "category", "flag", "reason"),
    [
        ("電球が切れた", "repair", None, None),
        ("屋根の雪下ろし", "seasonal", "not_allowed", "height"),
        ("薬の受け取り", "errands", None, None),
        ("注射をしてほしい", None, "not_allowed", "medical"),
        ("薬を飲ませて", None, "not_allowed", "medical"),
        ("お金を下ろして", None, "not_allowed", "money"),
        ("通帳を預かって", None, "not_allowed", "money"),
        ("母が倒れた", None, "emergency", "unconscious"),
        ("隣の家に嫌がらせしたい", None, "harmful", "harm"),
    ],
)
def test_the_cases_named_in_the_brief(text, category, flag, reason):
    u = matching.understand(text)
    assert (u.flag, u.flag_reason) == (flag, reason)
    if category:
        assert u.category == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("でんきゅう", "repair"),
        ("ぱそこん", "digital"),
        ("くさむしり", "garden"),
        ("すまほ", "digital"),
        ("デンキュウ", "repair"),
        ("ｽﾏﾎ", "digital"),
        ("ゆきかき", "seasonal"),
        ("でんきゆうがきれた", "repair"),
    ],
)
def test_kana_only_and_typos_still_match(text, category):
    assert matching.understand(text).category == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # 教えて names no kind of help: beside a clearly named one, that one is asked for
        ("スマホの文字入力を教えてほしい", "digital"),
        ("血圧計の使い方を教えてほしい", "digital"),
        ("着物の着方を教えてほしい", "teaching"),
        ("料理を教えてほしい", "teaching"),
    ],
)
def test_general_words_give_way_to_a_named_kind(text, category):
    assert matching.understand(text).category == category


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("スマホの基本操作、教えられます📱 困ってる方いたら気軽にどうぞ", "digital"),
        ("パソコンのエクセル、ワードならオシエラレマス。カイシャでツカッテいました", "digital"),
        ("前に救命講習の補助してました、AEDの使い方なら教えられます", "digital"),
        ("スマホの使いかた　教えらます　高齢者のかたにでも", "digital"),
        ("ｽﾏﾎの使い方ｵｼｴﾗﾚﾏｽ", "digital"),  # the learned reader names digital here: the offer decides
        ("草刈り機の使い方なら教えてやれる", "garden"),
        ("この浦の盆踊りの踊り方ば教えちゃるけん、覚えたか人おいで", "cafeteria"),
        ("料理なら教えたるで", "housework"),
        ("花の育て方、おしえちゃるけぇ来んさい", "garden"),
        ("将棋を教えます", None),
    ],
)
def test_an_offer_to_teach_is_teaching_with_its_subject_kept(text, subject):
    u = matching.understand(text)
    assert u.category == "teaching", u
    assert u.alternatives[:1] == ((subject,) if subject else ()), u
    assert u.flag is None and u.confidence >= 0.5


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("スマホの文字入力を教えて", "digital"),
        ("LINEの使い方を教えてほしい", "digital"),
        ("スマホ教えられる人いませんか", "digital"),
        ("だれかスマホ教えられる？", "digital"),
        ("使い方を教えてください、スマホの", "digital"),
    ],
)
def test_asking_to_be_taught_keeps_the_subjects_kind(text, category):
    assert matching.understand(text).category == category


def test_a_reading_is_not_found_inside_a_verb_or_an_ending():
    from matching.matcher import prepare
    from matching.understand import matched_terms

    assert "内科" not in matched_terms(prepare("母が家にいないか、たまに見に行ってほしい"))
    assert "華道" not in matched_terms(prepare("終わったかどうか教えて"))
    assert "内科" in matched_terms(prepare("ないかのびょういんにつきそって"))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # katakana as the script of the whole message is read like kana: its grammar and verbs count
        ("ﾃﾞﾝｷｭｳｶﾞ ｷﾚﾀ ｶｴﾃﾎｼｲ", "repair"),
        ("ムスコノ ヘヤノ カタヅケ テツダッテ", "housework"),
        ("血圧計ﾉ電池 単3 買ｯﾃｷﾃ", "errands"),
        # a two-kanji word at the end of a compound (ネズミ退治)
        ("夜中に物音がするのでネズミ退治を手伝って", "housework"),
    ],
)
def test_katakana_writing_and_compounds(text, category):
    assert matching.understand(text).category == category


def test_a_typo_guess_must_begin_like_the_word():
    from matching.matcher import prepare
    from matching.understand import matched_terms

    assert "木が倒れ" not in matched_terms(prepare("ﾃﾚﾋﾞｶﾞ ﾀｵﾚﾀ ｵｺｼﾃ ﾎｼｲ"))
    assert matching.understand("でんきゆうがきれた").category == "repair"


def test_words_typed_apart_are_read_together():
    from matching.matcher import prepare
    from matching.understand import matched_terms

    assert "いっしょにいっ" in matched_terms(prepare("かいものに いっしょに いってほしい"))
    assert "led" not in matched_terms(prepare("the le d"))  # latin words stay apart


def test_dialect_voicing_is_forgiven():
    assert matching.understand("ゆぎかぎ てつだってけろ").category == "seasonal"
    assert matching.understand("いいてんきですね").category is None  # でんき is too short to guess


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("換気扇が油でべとべとなので掃除してほしい", "housework"),  # cleaning is asked
        ("換気扇が回らなくなった", "repair"),
        ("風で雨戸外れで倒れだ、付げ直してけろ", "repair"),
        ("わら細工を教えでける人いねぇべが", "teaching"),
        ("にわのひくいえだをきってほしい", "garden"),
        ("ｶﾄﾞﾏﾃﾞ ｲｯｼｮﾆ ｱﾙｲﾃ ﾎｼｲ", "outing"),
        ("ニワトリ ノ コヤ ソウジ テツダッテ", "pets"),
        ("火の用心の夜回りを代わってほしい", "seasonal"),
        ("足をけがした子どもと学校まで一緒に歩いてほしい", "childcare"),
    ],
)
def test_everyday_objects_and_dialect_forms(text, category):
    assert matching.understand(text).category == category


def test_shared_words_follow_the_rest_of_the_text():
    assert matching.understand("料理を教えてほしい").category == "teaching"
    assert matching.understand("料理を作ってほしい").category == "housework"
    assert matching.understand("子ども食堂で料理を作りたい").category == "cafeteria"
    assert matching.understand("犬の散歩をお願い").category == "pets"
    assert matching.understand("散歩に付き添ってほしい").category == "outing"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😊😊😊",
        "🙏",
        "a" * 5000,
        "電球" * 2500,
        "hello world",
        "ok",
        "12345",
        "?!?!",
        "\x00\ufffd",
    ],
)
def test_bad_input_gives_a_clear_result(text):
    u = matching.understand(text)
    assert 0.0 <= u.confidence <= 1.0
    if not any("\u3040" <= ch <= "\u9fff" for ch in text):
        assert (u.category, u.confidence, u.alternatives) == (None, 0.0, ())


def test_non_string_input_is_unknown():
    assert matching.understand(None).category is None  # type: ignore[arg-type]
    assert matching.skills_from_text(None) == frozenset()  # type: ignore[arg-type]


def test_mixed_scripts_and_long_text():
    assert matching.understand("My スマホ が broken です🙏").category == "digital"
    long_text = "こんにちは。" * 600 + "電球が切れました"
    assert matching.understand(long_text).category in (None, "repair")  # truncated, never raises


def test_confidence_is_higher_when_the_text_is_clear():
    clear = matching.understand("スマホでLINEの写真が送れない")
    vague = matching.understand("わからない")
    assert clear.confidence > vague.confidence


def test_skills_and_offers_are_multi_label():
    assert matching.skills_from_text("電球交換とパソコン") == {"repair", "digital"}
    wrong = [
        (t, sorted(e), sorted(matching.skills_from_text(t)))
        for t, e in devset.skills()
        if matching.skills_from_text(t) != e
    ]
    assert not wrong


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # what is asked decides over what is mentioned
        ("代金は払いますので、重たい水を箱で買ってきてほしい", "errands"),
        ("入院中の母の洗濯物を病院に届けてほしい", "errands"),
        ("母が転ばないように手すりをつけてほしい", "repair"),
        ("焦げた鍋を磨いてほしい", "housework"),
        ("タンスを二階へ運んでほしい", "moving"),
    ],
)
def test_the_verb_asked_for_tips_the_category(text, category):
    assert matching.understand(text).category == category


# --- from many threads at once ---------------------------------------------------------------------

THREADS = 8


def test_understanding_from_eight_threads_matches_one_thread() -> None:
    texts = [row.text for row in devset.requests()][:60]
    expected = [understand(text) for text in texts]
    start = threading.Barrier(THREADS)

    def hammer(offset: int) -> list[object]:
        start.wait()  # all threads analyse at the same moment, not one after another
        order = texts[offset:] + texts[:offset]
        results = {text: understand(text) for text in order * 3}
        return [results[text] for text in texts]

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(hammer, range(THREADS)))
    assert all(answer == expected for answer in answers)


def test_each_thread_has_its_own_tokenizer_and_the_same_analysis() -> None:
    text = "台所の電気がつかなくなっちゃって"
    expected = tokenize(text)
    start = threading.Barrier(THREADS)

    def analyse(_: int) -> bool:
        start.wait()
        return all(tokenize(text) == expected for _ in range(200))

    with ThreadPoolExecutor(THREADS) as pool:
        assert all(pool.map(analyse, range(THREADS)))


@pytest.mark.parametrize(
    "text", ["頭が痛うて死にそうじゃ", "腹が痛くて死にそうじゃ", "かわいそうじゃ", "大丈夫そうじゃ"]
)
def test_three_kana_inside_an_ending_are_no_word(text: str) -> None:
    """そうじ (housework) is not in 死にそうじゃ: a pain said so is asked about, not filed as cleaning."""
    assert matching.understand(text).category is None


def test_kana_inside_a_verb_written_with_kanji_is_no_word() -> None:
    """きつけ (着付け, teaching) is not in 巻きつける: wrapping pipes against frost is seasonal."""
    assert teaching_score("外の水道に保温材を巻きつけるのを手伝ってほしい") == 0.0
    assert teaching_score("きつけをおしえたい") > 0.0
    assert matching.understand("外の水道に保温材を巻きつけるのを手伝ってほしい").category == "seasonal"


def teaching_score(text: str) -> float:
    return dict(matching.understand(text).scores).get("teaching", 0.0)


@pytest.mark.parametrize(
    "text", ["お風呂そうじしてほしい", "へやの そうじ おねがい", "といれそうじ", "そうじを手伝って"]
)
def test_cleaning_typed_in_kana_is_still_housework(text: str) -> None:
    assert matching.understand(text).category == "housework"
