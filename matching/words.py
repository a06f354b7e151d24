"""The words people say that steer the bot (commands, stop, yes/no, pleasantries, offers), from words.toml."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from matching.normalize import to_hiragana


@dataclass(frozen=True)
class Words:
    commands: Mapping[str, tuple[str, ...]]  # command name -> its exact words
    relay_end: frozenset[str]
    patterns: Mapping[str, re.Pattern[str]]


@cache
def words() -> Words:
    raw = tomllib.loads(resources.files("matching").joinpath("words.toml").read_text(encoding="utf-8"))
    return Words(
        commands=MappingProxyType({name: tuple(said) for name, said in raw["commands"].items()}),
        relay_end=frozenset(raw["relay"]["end"]),
        patterns=MappingProxyType({name: re.compile(p) for name, p in raw["patterns"].items()}),
    )


def command_key(text: str) -> str:
    """The form command words are compared in: NFKC, no spaces, lower case, katakana as hiragana, without
    marks or emoji at either end or a polite です (「 やめる 」「やめます。」「ﾔﾒﾙ」「退会したいです」)."""
    said = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    start, end = 0, len(said)
    while start < end and _is_mark(said[start]):
        start += 1
    while end > start and _is_mark(said[end - 1]):
        end -= 1
    said = to_hiragana(said[start:end])
    return said.removesuffix("です") or said


def _is_mark(char: str) -> bool:
    """Punctuation, symbols and emoji (with their joiners and variation selectors); not ー."""
    return unicodedata.category(char)[0] in "PS" or unicodedata.category(char) in ("Cf", "Mn", "Sk")


def command_words(name: str) -> tuple[str, ...]:
    return words().commands[name]


def _pattern(name: str) -> re.Pattern[str]:
    return words().patterns[name]


_SPACE = re.compile(r"\s+")
_CLAUSE_END = re.compile(r"[。．.!！?？\n、,]")


@dataclass(frozen=True)
class Teaching:
    """An offer to teach as read in a text: what is written before its verb, and whether it is a wish."""

    before: str  # the text (NFKC) before the verb, where what is taught is named
    wish: bool  # 教えたい rather than 教えられます: a need beside it makes the text a 困りごと


def _folded(text: str) -> tuple[str, list[int]]:
    """NFKC, katakana as hiragana, no spaces; with each character's place in the NFKC text."""
    written = unicodedata.normalize("NFKC", text)
    kept = [(i, ch) for i, ch in enumerate(to_hiragana(written)) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept] + [len(written)]


def _teaching_in(folded: str, names: tuple[str, ...]) -> tuple[int, int] | None:
    """The first verb of these patterns that offers to teach in a folded text: (start, end)."""
    for name in names:
        for found in _pattern(name).finditer(folded):
            start, end = found.span()
            clause_start = max((m.end() for m in _CLAUSE_END.finditer(folded, 0, start)), default=0)
            after = _CLAUSE_END.search(folded, end)
            if _pattern("teach_asker").search(folded, clause_start, start):
                continue
            if _pattern("teach_sought").search(folded, end, after.start() if after else len(folded)):
                continue
            if _pattern("told").search(folded[:start]):
                continue
            return start, end
    return None


def teaching(text: str, *, also: bool = False) -> Teaching | None:
    """「スマホの基本操作、教えられます」「将棋を教えたい」: an offer to teach (words.toml teach, teach_wish).

    Not 「教えられますか？」「スマホ教えられる人いませんか」「使い方を教えてください」. also: in a text
    already kept as a やってみたい, 伝えたい and 見せたい count too (teach_also).
    """
    if not isinstance(text, str):
        return None
    names = ("teach", "teach_wish", "teach_also") if also else ("teach", "teach_wish")
    folded, places = _folded(text)  # once: every pattern reads the same folded text
    read = [(name, _teaching_in(folded, (name,))) for name in names]
    found = [(found[0], name) for name, found in read if found is not None]
    if not found:
        return None
    start, name = min(found)
    written = unicodedata.normalize("NFKC", text)
    return Teaching(before=written[: places[start]], wish=name != "teach")


def offers_to_teach(text: str) -> bool:
    """An offer that stands: 「教えられます、困ってる方どうぞ」; not 「教えてあげたいので教えてほしい」."""
    found = teaching(text)
    return found is not None and not (found.wish and _pattern("needs_help").search(text))


def offers_to_do(text: str) -> bool:
    """「料理を教えたい」「将棋、教えられます」 are a やってみたい; 「使ってみたいけどわからない」 is not."""
    if offers_to_teach(text):
        return True
    return bool(_pattern("offer").search(text)) and not _pattern("needs_help").search(text)


def is_trouble(text: str, category: str | None) -> bool:
    """Written after やってみたい, 「電球が切れて困っている」 is a 困りごと, not something to try."""
    if category is None or offers_to_teach(text) or _pattern("offer").search(text):
        return False
    return bool(_pattern("needs_help").search(text))


def hints_a_request(text: str) -> bool:
    """No kind of help was recognised, but the words ask for help (困, 助けて, お願い …)."""
    return bool(_pattern("request_hints").search(text))


def is_pleasantry(text: str) -> bool:
    """Greetings and thanks (「よろしくお願いします」, half-width 「ﾊｲ」) only: not a new 困りごと."""
    written = unicodedata.normalize("NFKC", text)
    pattern = _pattern("pleasantries")
    kana = to_hiragana(written)
    # Typed apart as old phones give it (ｹｻﾊ ｻﾑｲﾈ): read joined as well.
    forms = (written, kana, re.sub(r"\s+", "", kana))
    return text.strip() != "" and any(pattern.sub("", form) == "" for form in forms)


_YES_NOISE = re.compile(r"[\s\W_〜]+")
_NO_NOISE = re.compile(r"[\s\W_〜ー]+")


def _answer_said(text: str, noise: re.Pattern[str]) -> str:
    """A typed answer as compared: NFKC, lower case, without thanks, punctuation, emoji or spaces."""
    said = _pattern("courtesy").sub("", unicodedata.normalize("NFKC", text))
    return noise.sub("", said).lower()


def _answers_in_full(name: str, text: str, noise: re.Pattern[str]) -> bool:
    """The whole answer is this pattern's, as written or in hiragana (「ﾁｶﾞｳ」「ｲｲｴ」「ダメ」)."""
    said = _answer_said(text, noise)
    pattern = _pattern(name)
    return bool(said) and any(pattern.fullmatch(form) for form in (said, to_hiragana(said)))


def is_yes(text: str) -> bool:
    """「はい」「そうです」「うん、たのむ」「OK！」: a typed yes (and nothing else) to the question."""
    return _answers_in_full("yes", text, _YES_NOISE)


def is_no(text: str) -> bool:
    """「いいえ」「大丈夫です、ありがとう」「いらん」: a typed no (and nothing else) to the question."""
    return _answers_in_full("no", text, _NO_NOISE)


def denies_a_danger(text: str) -> bool:
    """「ガスじゃない」「火事ではありません」: a danger named only to deny it (and nothing else)."""
    return _answers_in_full("denial", text, _NO_NOISE)


def is_unclear(text: str) -> bool:
    """「だめ」「あかん」: "no", or "it is no good"? (and nothing else)."""
    return _answers_in_full("unclear", text, _NO_NOISE)


def sounds_desperate(text: str) -> bool:
    """「もうだめ」「もうあかん」「もう無理」: despair (and nothing else), answered as a yes."""
    return _answers_in_full("desperate", text, _NO_NOISE)


def emergency_news(text: str) -> str | None:
    """「もう救急車よんだ」「だいじょうぶになりました」: news after the emergency answer; the words around it
    (「けどまだくるしい」, to be read for a new danger), or None when the text gives no such news."""
    plain = unicodedata.normalize("NFKC", text).strip()
    found = _pattern("emergency_news").search(plain)
    return None if found is None else f"{plain[: found.start()]} {plain[found.end() :]}".strip()


def wants_to_thank(text: str) -> bool:
    """「おれいをいいたい」: wanting to write a thank-you (not the thank-you itself)."""
    return _pattern("thanks_wanted").search(unicodedata.normalize("NFKC", text)) is not None


def is_not_now(text: str) -> bool:
    """「あとで」「また今度」「今はいい」 to a yes-or-no question: not now, which is its no."""
    said = to_hiragana(_answer_said(text, _NO_NOISE))
    return bool(said) and _pattern("not_now").fullmatch(said) is not None


def is_either(text: str) -> bool:
    """「大丈夫です」「結構です」「いいよ」 to a yes-or-no question: it may mean yes or no (nothing more)."""
    said = _answer_said(text, _NO_NOISE)
    return bool(said) and _pattern("either").fullmatch(said) is not None


def wants_it_stopped(text: str) -> bool:
    """「取り消したいです」「はい、キャンセルで」: wanting to stop something (and nothing else)."""
    said = to_hiragana(_answer_said(text, _NO_NOISE))
    return bool(said) and _pattern("stop_wanted").fullmatch(said) is not None


def wants_it_kept(text: str) -> bool:
    """「取り消さないで」「やめんといて」: not wanting it stopped (and nothing else)."""
    said = to_hiragana(_answer_said(text, _NO_NOISE))
    return bool(said) and _pattern("stop_refused").fullmatch(said) is not None


def is_verb_form(ending: str) -> bool:
    """「きます」「く」「いて」 after a verb's stem: the same verb said another way."""
    return _pattern("verb_form").fullmatch(ending) is not None


def asks_it_done(text: str) -> bool:
    """「取り消してください」「たのみます」 after a はい: go ahead, not held back (「でも…」「…しないで」)."""
    plain = unicodedata.normalize("NFKC", text).strip(" 。.!！🙇")
    return bool(_pattern("do_it").search(plain)) and not _pattern("holds_back").search(plain)


def agrees(text: str) -> bool:
    """「同意します」「わかりました、守ります」 to the rules (「同意できません」 is not)."""
    plain = unicodedata.normalize("NFKC", text)
    return bool(_pattern("agree").search(plain)) and not _pattern("agree_not").search(plain)


def says_thanks(text: str) -> bool:
    """「ほんまにたすかりました」「ありがとね」: thanks, however it is said (searched)."""
    return bool(_pattern("thanks").search(unicodedata.normalize("NFKC", text)))


def is_unsure(text: str) -> bool:
    """「わからん」「どうかな」: neither yes nor no, but not knowing (and nothing else)."""
    return _answers_in_full("unsure", text, _NO_NOISE)


def asks_back(text: str) -> bool:
    """「なんのこと？」「まちがえました」: a question back or a slip, not an answer to the step."""
    return bool(_pattern("asks_back").search(unicodedata.normalize("NFKC", text)))


def asks_for_a_person(text: str) -> bool:
    """「コーディネーターさんにつないで」「ほかの人にたのめんかね」: a person is wanted."""
    return bool(_pattern("ask_person").search(unicodedata.normalize("NFKC", text)))


def asks_what_now(text: str) -> bool:
    """「じゃあどうしたらいい」「どこに電話したらいい？」: what to do next is asked."""
    return bool(_pattern("ask_what_now").search(unicodedata.normalize("NFKC", text)))


def asks_cost(text: str) -> bool:
    """「いくらかかりますか」「お金かかる？」「有料ですか」: what the help costs is asked (not a detail)."""
    plain = unicodedata.normalize("NFKC", text).strip()
    return bool(_pattern("cost").search(plain)) and bool(_pattern("cost_asked").search(plain))


def says_stop_supporting(text: str) -> bool:
    return bool(_pattern("stop_supporting").search(unicodedata.normalize("NFKC", text).replace(" ", "")))


def ends_relay(text: str, button: str) -> bool:
    """おわる (the button) or 終わる/おわり as written: relay chat ends (other words are passed on)."""
    said = text.strip()
    return said == button or said in words().relay_end
