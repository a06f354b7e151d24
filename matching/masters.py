"""名人・達人: reading a search for someone who teaches something, and how well a master's skill fits it."""

from __future__ import annotations

import re

from matching.normalize import normalize_chars, to_hiragana
from matching.score import content_words, text_similarity

# What people ask masters for, offered as buttons when a master registers (anything else may be typed).
SKILL_EXAMPLES = ("郷土料理", "着付け", "しめ縄づくり", "竹細工", "スマホ教室", "昔遊び")

# 「しめ縄を教えてくれる人」「竹細工の名人」「着付けを習いたい」「スマホ教室ある？」: the words before these.
_ASKING = re.compile(
    r"^(?P<topic>.+?)(?:を|の|が|について)?"
    r"(?:教えてくれる(?:人|ひと|方|かた)|おしえてくれる(?:人|ひと|方|かた)|教えられる(?:人|ひと|方)|"
    r"おしえられる(?:人|ひと|方)|教えてもらえる(?:人|ひと|方|ところ|所)|名人|めいじん|達人|たつじん|先生|せんせい|"
    r"習いたい|ならいたい|習える|ならえる|教わりたい|おそわりたい|教室|きょうしつ)"
    r"(?:は|を|が)?(?:いますか|いませんか|いる|いない|はいますか|ありますか|ある|ない|ないかな|知りたい|探しています|"
    r"さがしています|を探して|を教えて|紹介して|どこ|です|[?？!！。、\s]|かな|か)*$"
)
# Words that say nothing about the topic: 「近くの」「だれか」.
_FILLER = re.compile(r"^(?:近くの|ちかくの|近所の|きんじょの|この辺の|このへんの|誰か|だれか|どなたか)+")
_GENERIC = frozenset({"", "何か", "なにか", "なんでも", "何でも", "いろいろ", "色々"})


def master_topic(text: str) -> str | None:
    """What someone wants to learn from a master (「しめ縄」), or None when the text is not such a search."""
    cleaned = normalize_chars(text).strip().replace(" ", "")
    if not cleaned or len(cleaned) > 40:
        return None
    found = _ASKING.match(cleaned)
    if found is None:
        return None
    topic = _FILLER.sub("", found.group("topic")).strip("をのがはに、。")
    return None if topic in _GENERIC else topic[:30]


_NAMES_A_TEACHER = re.compile(
    r"教えてくれる|おしえてくれる|教えられる|おしえられる|教えてもらえる|名人|めいじん|達人|たつじん|先生|せんせい|教室|きょうしつ"
)


def names_a_teacher(text: str) -> bool:
    """「しめ縄を教えてくれる人」「竹細工の名人」 ask for a master even when none is registered.

    「〜を習いたい」 alone is a search only when a master fits (else it stays a 困りごと or a やってみたい).
    """
    return _NAMES_A_TEACHER.search(normalize_chars(text)) is not None


# Asking for a person in so many words: 「〜を教えてくれる人」「〜の名人はいますか」 (not 「料理の名人です」).
_SEEKS = re.compile(
    r"(?:教えてくれる|おしえてくれる|教えてもらえる|おしえてもらえる)(?:人|ひと|方|かた|ところ|所)|"
    r"(?:名人|めいじん|達人|たつじん|先生|せんせい)(?:は|を|が)?"
    r"(?:いますか|いませんか|いる|いない|ありますか|探して|さがして|を?教えて|紹介して|どこ|[?？])"
)


def seeks_a_master(text: str) -> bool:
    """A search for a master clear enough to be read as one in the middle of another flow's step."""
    return _SEEKS.search(normalize_chars(text)) is not None


def _fold(text: str) -> str:
    return to_hiragana(normalize_chars(text)).replace(" ", "")


def skill_fit(topic: str, skill: str) -> float:
    """0..1: how well a master's skill (「しめ縄づくり」) answers a topic (「しめなわ」), written or read."""
    a, b = _fold(topic), _fold(skill)
    if a and b and (a in b or b in a):
        return 1.0
    return max(
        text_similarity(content_words(topic), content_words(skill)),
        text_similarity(content_words(skill), content_words(topic)) * 0.8,
    )


FITS = 0.6

# 「しめ縄を習ってみたい」: what a やってみたい wants to learn (the words before these).
_LEARNING = re.compile(
    r"^(?P<topic>.+?)(?:を|の|が)?(?:習ってみたい|ならってみたい|習いたい|ならいたい|教わりたい|おそわりたい|"
    r"覚えたい|おぼえたい|やってみたい|してみたい|作ってみたい|つくってみたい|体験したい|たいけんしたい)"
)


def offer_fits(skill: str, offer_text: str) -> bool:
    """Whether a やってみたい to learn (「しめ縄を習ってみたい」) is about a skill (「しめ縄づくり」)."""
    found = _LEARNING.match(normalize_chars(offer_text).strip().replace(" ", ""))
    topic = _FILLER.sub("", found.group("topic")) if found else offer_text
    return skill_fit(topic, skill) >= FITS
