"""Reading a text against what is going on after a request was sent: a detail, a cancel, a check-in answer…

Once a request is out, most of what its resident or supporter types is about it: 「脚立はうちにあります」
adds a detail, 「おわりました」 answers the check-in, 「その草むしり、やります」 accepts a card. Only a text
that is plainly a new need starts a new request; when it is not plain, the caller asks (`Meaning.UNSURE`).
The words are data (after_send.toml); kanji and kana are folded by their SudachiPy readings.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from matching.normalize import normalize_chars, to_hiragana, tokenizer
from matching.understand import understand
from matching.when import read_when


class Meaning(enum.StrEnum):
    DETAIL = "detail"
    RELAY = "relay"
    CANCEL = "cancel"
    CHANGE_WHEN = "change_when"
    STATUS = "status"
    CHECKIN_DONE = "checkin_done"
    CHECKIN_NOT_YET = "checkin_not_yet"
    CHECKIN_NOSHOW = "checkin_noshow"
    ACCEPT = "accept"
    PASS = "pass"
    GIVE_BACK = "give_back"
    NEW_REQUEST = "new_request"
    UNSURE = "unsure"  # a detail of the request, or a new one? The caller asks in one tap.
    CARD_UNSURE = "card_unsure"  # a bare はい, or words of its kind, under a card: show its buttons
    CHECKIN_UNCLEAR = "checkin_unclear"  # asked how it went, and the words say neither: ask again


@dataclass(frozen=True)
class Situation:
    """What the writer has going on: their requests (as a resident) and cards and jobs (as a supporter)."""

    open_requests: bool = False
    matched_requests: bool = False
    checkin_due: bool = False  # a matched request's time has come: 「はい」 answers "how did it go?"
    cards: bool = False  # unanswered cards
    accepted: bool = False  # requests they accepted and still hold
    categories: frozenset[str] = field(default_factory=frozenset)  # of their active requests
    texts: tuple[str, ...] = ()  # of their active requests
    card_categories: frozenset[str] = field(default_factory=frozenset)  # of their unanswered cards

    @property
    def is_resident(self) -> bool:
        return self.open_requests or self.matched_requests

    @property
    def is_supporter(self) -> bool:
        return self.cards or self.accepted


@dataclass(frozen=True)
class Keys:
    """A text folded two ways: as written (katakana to hiragana, no spaces or marks) and as read."""

    written: str
    read: str
    question: bool
    starts: frozenset[int] = frozenset()  # where a morpheme begins in `read`
    ends: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Group:
    phrases: tuple[Keys, ...]
    unless: tuple[Keys, ...]
    alone: frozenset[str]


_MARKS = re.compile(r"[\s\W_ー〜~]+")
_QUESTION = re.compile(r"[?？]|(か|かね|かな|の|っけ|でしょう|ますか|ですか)[。!！]*$")


def keys(text: str) -> Keys:
    chars = normalize_chars(text)
    written = _MARKS.sub("", to_hiragana(chars))
    read, starts, ends = "", {0}, {0}
    for morpheme in tokenizer().tokenize(chars) if chars else []:
        if morpheme.part_of_speech()[0] in ("補助記号", "空白"):
            continue
        read += _MARKS.sub("", to_hiragana(morpheme.reading_form()))
        starts.add(len(read))
        ends.add(len(read))
    return Keys(written, read, bool(_QUESTION.search(chars)), frozenset(starts), frozenset(ends))


@cache
def _groups() -> dict[str, Group]:
    raw = tomllib.loads(resources.files("matching").joinpath("after_send.toml").read_text(encoding="utf-8"))
    return {
        name: Group(
            phrases=tuple(keys(p) for p in body.get("phrases", [])),
            unless=tuple(keys(p) for p in body.get("unless", [])),
            alone=frozenset(keys(p).written for p in body.get("alone", [])),
        )
        for name, body in raw["groups"].items()
    }


def _found(phrase: Keys, text: Keys) -> bool:
    if not phrase.written:
        return False
    if phrase.written in text.written:
        return True
    # As read, a phrase must start where a word starts (中止 is not in 駐車場, ちゅうしゃじょう), and end
    # where one ends unless it is a stem written to end in kana (来て…, 困っ…).
    open_end = "ぁ" <= phrase.written[-1] <= "ゖ"
    start = text.read.find(phrase.read)
    while phrase.read and start != -1:
        end = start + len(phrase.read)
        if start in text.starts and (open_end or end in text.ends):
            return True
        start = text.read.find(phrase.read, start + 1)
    return False


def says(group: str, text: Keys) -> bool:
    """Whether the text says one of the group's phrases (and none of its exceptions)."""
    found = _groups()[group]
    if any(_found(u, text) for u in found.unless):
        return False
    return any(_found(p, text) for p in found.phrases)


def says_alone(group: str, text: Keys) -> bool:
    """The whole text is one of the group's short answers (「はい」「まだ」), give or take politeness."""
    bare = _strip_pleasantries(text.written)
    alone = _groups()[group].alone
    if text.written in alone or (bare != text.written and bare in alone):
        return True
    # 「はいよろしくおねがいします」: はい is a courtesy too, so it went with the rest; a short answer first
    # and only courtesy after it is that answer.
    return any(
        text.written.startswith(word) and _strip_pleasantries(text.written[len(word) :]) == ""
        for word in alone
        if word
    )


def only_pleasantries(text: Keys) -> bool:
    return text.written != "" and _strip_pleasantries(text.written) == ""


def _strip_pleasantries(written: str) -> str:
    for phrase in sorted(_groups()["pleasantry"].phrases, key=lambda p: -len(p.written)):
        written = written.replace(phrase.written, "")
    return written


def categories_named(text: str) -> tuple[str, ...]:
    """The kinds of help the text names, best first (「病院の依頼」 names going out)."""
    return tuple(c for c, _ in understand(text).scores)


def read_after_send(text: str, situation: Situation) -> Meaning | None:
    """What the text means here, or None when it is not about anything going on (a greeting)."""
    said = keys(text)
    if not said.written:
        # 👍 under a card: a nod, as a bare 「はい」 is (its buttons are shown); any other emoji says nothing.
        nod = situation.cards and not situation.is_resident and is_a_nod(text)
        return Meaning.CARD_UNSURE if nod else None
    if situation.checkin_due:
        answer = _checkin_answer(said)
        if answer is not None:
            return answer
    if situation.is_supporter:
        meaning = _supporter_answer(text, said, situation)
        if meaning is not None:
            return meaning
    if situation.is_resident:
        meaning = _resident_meaning(text, said, situation)
        if situation.checkin_due and meaning == Meaning.DETAIL:
            # After the time, words that are no answer are not taken for a detail either.
            return Meaning.CHECKIN_UNCLEAR
        return meaning
    if situation.accepted:
        return _supporter_words(text, said)
    return None


def _checkin_answer(said: Keys) -> Meaning | None:
    if says("noshow", said):
        return Meaning.CHECKIN_NOSHOW
    if says("not_yet", said) or says_alone("not_yet", said):
        return Meaning.CHECKIN_NOT_YET
    if says("done", said) or says_alone("done", said):
        return Meaning.CHECKIN_DONE
    return None


def _supporter_answer(text: str, said: Keys, situation: Situation) -> Meaning | None:
    """Accepting or passing a card, or giving back what they took; or words about a card."""
    if situation.accepted and says("give_back", said):
        return Meaning.GIVE_BACK
    if situation.cards and says("decline", said):
        return Meaning.PASS
    if situation.cards and says("accept", said) and not said.question:
        return Meaning.ACCEPT
    if situation.accepted and not situation.is_resident and says("decline", said):
        return Meaning.GIVE_BACK
    if situation.cards and says("card_offer", said):
        return Meaning.CARD_UNSURE  # 「わしがやるけえ」: the card's buttons confirm it, never the words alone
    if situation.cards and not situation.is_resident and says_alone("card_yes", said):
        return Meaning.CARD_UNSURE
    only_cards = situation.cards and not (situation.is_resident or situation.accepted)
    if only_cards and _of_a_card(text, said, situation):
        return Meaning.CARD_UNSURE
    if only_cards and said.question and not says("need", said):
        return Meaning.CARD_UNSURE  # 「どこですか」「なんじですか」: where to ask, and the card's buttons
    return None


def _of_a_card(text: str, said: Keys, situation: Situation) -> bool:
    """「その電球、わたしがやりましょう」「電球は何ワットですか？」 under a 電球 card: words of the card's
    kind that ask for no help are about the card (「うちの電球も切れてしもうた」 asks: a request)."""
    return not says("need", said) and bool(situation.card_categories.intersection(categories_named(text)))


# 👍 👌 🙆 ⭕ 💪 🆗, with a skin tone or a variation selector, once or a few times.
_NOD_MARKS = "\U0001f44d\U0001f44c\U0001f646\u2b55\U0001f4aa\U0001f197"
_NOD = re.compile(f"(?:[{_NOD_MARKS}][\U0001f3fb-\U0001f3ff\ufe0f\u200d\u2640\u2642]*)+")


def is_a_nod(text: str) -> bool:
    """The message is only a thumbs-up (or OK hand, 🙆, ⭕, 💪): yes, without words."""
    return _NOD.fullmatch(re.sub(r"\s+", "", text)) is not None


def is_question(text: str) -> bool:
    """「電球は何ワットですか？」: the text asks something."""
    return keys(text).question


def _resident_meaning(text: str, said: Keys, situation: Situation) -> Meaning | None:
    if says_alone("agree", said):
        # 「ええよ」 is no detail: the supporter who asked reads it; with nobody yet, it is only a nod;
        # asked how it went, it says neither done nor not (the check-in is asked again).
        if situation.checkin_due:
            return Meaning.CHECKIN_UNCLEAR
        return Meaning.RELAY if situation.matched_requests else None
    if says("cancel", said):
        return Meaning.CANCEL
    if says("change_when", said):
        return Meaning.CHANGE_WHEN  # 「日にちを変えたいんですが」: not a detail to add
    if says("change_to", said) and _names_a_time(text):
        return Meaning.CHANGE_WHEN  # 「あさってにしてほしい」: it was added as a detail and passed on
    if situation.matched_requests and says("noshow", said):
        return Meaning.CHECKIN_NOSHOW
    if situation.matched_requests and says("done", said) and not said.question:
        return Meaning.CHECKIN_DONE
    if situation.matched_requests and says("relay", said):
        return Meaning.RELAY  # 「何時ごろ来られますか」 is for the helper, who knows
    if says("status", said):
        return Meaning.STATUS
    if any(_same_words(text, earlier) for earlier in situation.texts):
        return Meaning.UNSURE  # the same words again: the same need, or really a second one?
    named = categories_named(text)
    # Plainly another kind only when nothing in it names the kind already asked for (台所の電気 is 電球 too).
    new_kind = bool(named) and not situation.categories.intersection(named)
    if says("need", said) and not says("added", said):
        if new_kind or (says("another", said) and bool(named)):
            return Meaning.NEW_REQUEST
        if named:
            return Meaning.UNSURE
    if only_pleasantries(said):
        return None
    if situation.matched_requests and (says("relay", said) or said.question):
        return Meaning.RELAY
    if said.question:
        return Meaning.STATUS
    if new_kind and not says("added", said) and understand(text).confidence >= 0.5:
        return Meaning.UNSURE
    return Meaning.DETAIL


SAME_WORDS_SCORE = 85
# Whether a text names a day or a clock time does not depend on the day it is read (any date will do).
_ANY_MOMENT = datetime(2026, 1, 7, 10, 0)


def _names_a_time(text: str) -> bool:
    when = read_when(text, _ANY_MOMENT, strict=True)
    return when is not None and not when.anytime


def _same_words(text: str, earlier: str) -> bool:
    first_line = earlier.split("\n", 1)[0]
    return fuzz.ratio(normalize_chars(text), normalize_chars(first_line)) >= SAME_WORDS_SCORE


def _supporter_words(text: str, said: Keys) -> Meaning | None:
    """A supporter holding a job: their words are for the resident, unless it is their own new trouble."""
    if says("need", said) and categories_named(text):
        return Meaning.NEW_REQUEST
    if only_pleasantries(said):
        return None
    return Meaning.RELAY


def pick(named: Iterable[str], choices: Iterable[tuple[int, str | None]]) -> int | None:
    """The one request among (id, category) that the text names by its kind, or the only one."""
    options = list(choices)
    if len(options) == 1:
        return options[0][0]
    for category in named:
        fitting = [request_id for request_id, c in options if c == category]
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            return None
    return None
