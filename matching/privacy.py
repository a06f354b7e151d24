"""Masking what would identify a resident (names, building and room, street number, phone, e-mail) in a text.

Supporters read a request before they accept it, so its text must not name the resident or their door.
People write such details in many ways (「ハイツ三軒茶屋の203に住んでいる、やまもとです」), so two kinds of
evidence are combined: SudachiPy's proper-noun tags (人名 for family and given names, 地名 next to a
building or a number) and patterns for what has a fixed shape (phone numbers, e-mail, 1丁目2番3号, 2-3-4,
203号室, building names, 「〜と申します」, 「〜さん」). The town itself is not masked: the card shows the
rough area anyway, and helpers need it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from matching.normalize import MAX_ANALYSED_CHARS, tokenizer

if TYPE_CHECKING:
    from sudachipy import Morpheme

MASK = "＊＊＊"

_DIGIT = "0-9〇零一二三四五六七八九"
_KANJI_NUMBER = "[〇零一二三四五六七八九十百千]+"
_DASH = "-‐‑–—―ー−の"

_PHONE = re.compile(
    r"(?<![0-9])(?:0\d{1,4}[-‐ー−(（)） ]{0,2}\d{1,4}[-‐ー−)） ]{0,2}\d{3,4}|0[5789]0\d{8}|0\d{9})(?![0-9])"
)
_KANJI_DIGIT = "[〇零一二三四五六七八九]"
_KANJI_PHONE = re.compile(
    rf"[〇零]{_KANJI_DIGIT}{{1,3}}[-ー の、]?{_KANJI_DIGIT}{{3,4}}[-ー の、]?{_KANJI_DIGIT}{{4}}"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_POSTCODE = re.compile(r"〒\s?\d{3}[-‐ー−]?\d{4}|(?<![0-9])\d{3}[-‐ー−]\d{4}(?![0-9])")
# Kanji house numbers only with 丁目/番/号, so 「一番困っている」 stays as written.
_HOUSE_NUMBER = re.compile(
    rf"{_KANJI_NUMBER}丁目(?:{_KANJI_NUMBER}番地?(?:の?{_KANJI_NUMBER})?)?(?:{_KANJI_NUMBER}号)?"
    rf"|{_KANJI_NUMBER}番地(?:の{_KANJI_NUMBER})?"
    rf"|{_KANJI_NUMBER}番{_KANJI_NUMBER}号"
    r"|\d+\s?丁目(?:\s?\d+\s?番地?(?:\s?の?\s?\d+)?)?(?:\s?\d+\s?号)?"
    r"|\d+\s?番地(?:の\d+)?"
    r"|\d+\s?番\s?\d+\s?号?"
    r"|(?<![0-9])\d{1,4}[-‐ー−]\d{1,4}(?:[-‐ー−]\d{1,4})?(?![0-9])"
    r"|(?<![0-9])\d{1,4}の\d{1,4}(?:の\d{1,4})?(?![0-9])"
)
_ROOM = re.compile(
    rf"[{_DIGIT}A-Za-z]{{1,5}}\s?(?:号室|号棟|号館|棟|号)"
    r"|[A-Za-z]棟"
    r"|(?<![0-9.])\d{3,4}(?![0-9.]|\s?(?:円|えん|分|ふん|時|じ|歳|才|さい|回|年|月|日|人|個|こ|本|枚|キロ|kg|g|m|cm|mm|"
    r"km|w|ワット|ml|リットル|l|冊|件|軒|通|件|度|%|パーセント|ページ|型|番線|系統|便|台|羽|匹|着|足|箱|袋|缶|本))"
)

_HONORIFIC = re.compile(r"(?:さん|さま|様|ちゃん|くん|君|氏|殿|はん|どの)")
_INTRODUCTION = re.compile(
    r"と(?:申し|もうし|いい|言い|云い)(?:ます|まーす|ますが|ますけど|ますけれど)|と申す|といいまーす"
    r"|でございます|ともうします"
)
_NAME_LABEL = re.compile(r"(?:名前|なまえ|氏名|しめい)(?:は|：|:|、)?\s*")
_SELF = re.compile(r"(?:わたし|私|わたくし|あたし|わし|ぼく|僕|おれ|俺|うち|自分)(?:は|、|\s)")


@dataclass(frozen=True)
class _Words:
    building: re.Pattern[str]
    building_end: re.Pattern[str]
    not_buildings: frozenset[str]
    kin: re.Pattern[str]
    not_before_honorific: frozenset[str]
    not_before_desu: frozenset[str]
    ambiguous_kana_names: frozenset[str]


@cache
def _words() -> _Words:
    """The word lists in personal.toml, compiled once."""
    raw = tomllib.loads(resources.files("matching").joinpath("personal.toml").read_text(encoding="utf-8"))
    building = "|".join(sorted(map(re.escape, raw["building_words"]), key=len, reverse=True))
    name_part = "[ァ-ヶーA-Za-z0-9一-龯々・]"
    kin = "|".join(sorted(map(re.escape, raw["kin_words"]), key=len, reverse=True))
    return _Words(
        building=re.compile(
            rf"(?:{name_part}{{1,12}}|[ぁ-ん]{{2,5}})(?:{building}){name_part}{{0,10}}"
            rf"|(?:{building}){name_part}{{1,12}}"
            # コーポさくら203, ハイツあおば: a kana name after the word, up to a room number or a break.
            rf"|(?:{building})(?![のにをはがでへとも])[ぁ-ん]{{2,6}}(?=[0-9\s、。,]|$|の[0-9])"
        ),
        building_end=re.compile(rf"(?:{building})$"),
        not_buildings=frozenset(raw["not_buildings"]),
        kin=re.compile(rf"(?:{kin})[のは・、]"),
        not_before_honorific=frozenset(raw["not_names_before_honorific"]),
        not_before_desu=frozenset(raw["not_names_before_desu"]),
        ambiguous_kana_names=frozenset(raw["ambiguous_kana_names"]),
    )


_BOUNDARY = "、。，．,.!！?？\n 　"


def mask_personal(text: str, names: Iterable[str] = ()) -> str:
    """The text with every personal detail replaced by ＊＊＊ (also any of `names`, e.g. the display name)."""
    if not isinstance(text, str) or not text:
        return ""
    text = unicodedata.normalize("NFKC", text).replace("＊＊＊", MASK)
    spans = [*_pattern_spans(text), *_token_spans(text), *_name_spans(text, names)]
    return _apply(text, spans)


def has_personal_details(text: str, names: Iterable[str] = ()) -> bool:
    """Whether masking would hide anything (the resident is then told who will see it)."""
    normal = unicodedata.normalize("NFKC", text or "")
    return mask_personal(text, names) != normal


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for begin, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    out, position = [], 0
    for begin, end in merged:
        out.append(text[position:begin])
        out.append(MASK)
        position = end
    out.append(text[position:])
    return "".join(out)


def _pattern_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (_EMAIL, _PHONE, _KANJI_PHONE, _POSTCODE, _HOUSE_NUMBER, _ROOM):
        spans += [m.span() for m in pattern.finditer(text)]
    for match in _words().building.finditer(text):
        word = match.group()
        if word in _words().not_buildings:
            continue
        spans.append(match.span())
    spans += _introduction_spans(text)
    spans += _kin_name_spans(text)
    return spans


def _word_before(text: str, end: int, limit: int = 10) -> int:
    """Where the word ending at `end` begins: back to a boundary, a particle は/が/の/を, or `limit` chars."""
    begin = end
    while begin > 0 and end - begin < limit:
        ch = text[begin - 1]
        if ch in _BOUNDARY or (ch in "はがをにへで" and end - begin >= 2) or ch == "の":
            break
        begin -= 1
    return begin


def _introduction_spans(text: str) -> list[tuple[int, int]]:
    """「山本と申します」「名前は やまもと」「わたしは さとうです」: the name said as one's own."""
    spans = []
    for match in _INTRODUCTION.finditer(text):
        begin = _word_before(text, match.start())
        if match.start() - begin >= 1:
            spans.append((begin, match.start()))
    for match in _NAME_LABEL.finditer(text):
        end = match.end()
        while end < len(text) and text[end] not in _BOUNDARY and end - match.end() < 10:
            if text.startswith(("です", "でーす", "と申", "といい"), end):
                break
            end += 1
        spans.append((match.end(), end))
    for match in re.finditer(r"(?:です|でーす|だす|じゃ|や)(?=$|[、。,.!！?？\s]|よ|ね)", text):
        spans += _name_before_desu(text, match.start())
    return spans


def _name_before_desu(text: str, end: int) -> list[tuple[int, int]]:
    """「やまもとです」 at the start of a sentence, or after 「私は」: a self-introduction."""
    begin = end
    while begin > 0 and text[begin - 1] not in _BOUNDARY and end - begin < 12:
        begin -= 1
    word = text[begin:end]
    self_said = _SELF.match(word)
    if self_said:
        word, begin = word[self_said.end() :], begin + self_said.end()
    if not word or len(word) > 8 or (begin > 0 and text[begin - 1] not in _BOUNDARY and not self_said):
        return []
    if re.fullmatch(r"[ぁ-んー]{2,7}", word):
        if word in _words().not_before_desu or not _could_be_kana_name(word):
            return []
        return [(begin, end)]
    if re.fullmatch(r"[ァ-ヶー]{2,8}|[一-龯々]{1,4}[ぁ-んァ-ヶー一-龯々]{0,4}", word) and (
        self_said or _reads_as_name(word)
    ):
        return [(begin, end)]
    return []


def _could_be_kana_name(word: str) -> bool:
    """A kana word said as oneself is a name unless the analyser reads it as something else (まだ, ひま)."""
    tokens = list(tokenizer().tokenize(word))
    if len(tokens) == 1:
        pos = tokens[0].part_of_speech()
        return pos[0] == "名詞" and pos[2] != "形状詞可能"
    # Split into pieces (やま・も・と): an unknown word, most likely a name; a verb phrase is not one.
    return not any(t.part_of_speech()[0] in ("動詞", "助動詞", "形容詞") for t in tokens)


def _reads_as_name(word: str) -> bool:
    """Whether the analyser reads the word as a name when someone is called by it (林さん, 上野さん)."""
    tokens = tokenizer().tokenize(word + "さん")
    return any(t.part_of_speech()[2] == "人名" for t in tokens if t.begin() < len(word))


_RUN_END = "がはをにもでの、。,.!！?？ 　\n（）()"


def _kin_name_spans(text: str) -> list[tuple[int, int]]:
    """「孫のゆうとが」「父・鈴木一郎の」: the name said after a family word."""
    spans = []
    for match in _words().kin.finditer(text):
        end = match.end()
        while end < len(text) and text[end] not in _RUN_END and end - match.end() < 8:
            end += 1
        word = text[match.end() : end]
        if len(word) >= 2 and _reads_as_name(word):
            spans.append((match.end(), end))
    return spans


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Names the analyser knows (山本, たかはし), 地名 next to a number or a building, names before さん."""
    tokens = list(tokenizer().tokenize(text[:MAX_ANALYSED_CHARS]))
    spans = []
    for index, token in enumerate(tokens):
        pos = token.part_of_speech()
        surface = token.surface()
        following = tokens[index + 1].surface() if index + 1 < len(tokens) else ""
        after = tokens[index + 2].surface() if index + 2 < len(tokens) else ""
        previous = tokens[index - 1].surface() if index > 0 else ""
        if _is_name(pos, surface, following) or _is_address_place(pos, previous, following, after):
            spans.append((token.begin(), token.end()))
        elif _HONORIFIC.fullmatch(surface) and index > 0:
            spans += _name_before_honorific(text, tokens, index)
    return spans


def _is_name(pos: tuple[str, ...], surface: str, following: str) -> bool:
    return pos[1] == "固有名詞" and pos[2] == "人名" and _looks_like_name(surface, following)


def _is_address_place(pos: tuple[str, ...], previous: str, following: str, after: str) -> bool:
    """A place name that is part of an address or a building (太子堂4-5, 三軒茶屋の203, コーポ青葉)."""
    if pos[1] != "固有名詞" or pos[2] != "地名":
        return False
    return (
        _is_numberish(following)
        or (following == "の" and _is_numberish(after))
        or bool(previous and _words().building_end.search(previous))
    )


def _looks_like_name(surface: str, following: str) -> bool:
    # Single kanji tagged 人名 are often ordinary words (明, 誠); a kana word must be said as a name.
    if len(surface) == 1:
        return bool(_HONORIFIC.match(following)) or following in ("です", "と")
    if re.fullmatch(r"[ぁ-ん]+", surface) and surface in _words().ambiguous_kana_names:
        return bool(_HONORIFIC.match(following))
    return True


def _is_numberish(surface: str) -> bool:
    return bool(re.fullmatch(rf"[{_DIGIT}十百千]+|丁目|番地?|号", surface))


def _name_before_honorific(text: str, tokens: list[Morpheme], index: int) -> list[tuple[int, int]]:
    """「田中さん」「たなかさん」: the word before the honorific, unless it is a role (大家さん)."""
    end = tokens[index].begin()
    begin = end
    run_kind = _script(text[end - 1]) if end > 0 else ""
    while begin > 0 and _script(text[begin - 1]) == run_kind and end - begin < 8:
        if run_kind == "hira" and end - begin >= 2 and text[begin - 1] in "のはがをにとへも":
            break  # 「となりのたなかさん」: the name starts after the particle
        begin -= 1
    word = text[begin:end]
    if not word or run_kind in ("", "other"):
        return []
    roles = _words().not_before_honorific
    if word in roles or any(word.endswith(w) for w in roles if len(w) > 1):
        return []
    if text[end - 1] in "屋やヤ" and word not in ("や", "ヤ"):
        return []  # クリーニング屋さん, 八百屋さん: a shop, not a person
    if run_kind == "hira" and len(word) < 2:
        return []
    return [(begin, end)]


def _script(ch: str) -> str:
    if "ぁ" <= ch <= "ゖ":
        return "hira"
    if "ァ" <= ch <= "ヺ" or ch == "ー":
        return "kata"
    if "一" <= ch <= "龯" or ch == "々":
        return "kanji"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "other"


@cache
def _name_pattern(name: str) -> re.Pattern[str] | None:
    parts = {p for p in re.split(r"[\s・　]+", unicodedata.normalize("NFKC", name).strip()) if len(p) >= 2}
    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", name))
    if len(compact) >= 2:
        parts.add(compact)
    if len(compact) >= 3 and all("一" <= c <= "龯" for c in compact[:2]):
        parts.add(compact[:2])  # a likely family name: the first two kanji
    if not parts:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True)))


def _name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for name in names:
        pattern = _name_pattern(name or "")
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(text)]
    return spans
