"""Which language a message is written in, when it is plainly not Japanese (English, Chinese, romaji).

Decided from the writing system first (kana means Japanese; Han characters without kana and with
characters or words only Chinese uses mean Chinese), then, for Latin letters, whether the words are
made of Japanese syllables (romaji) or not (English). Short codes, numbers and 「OK」 are not a language.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Language = Literal["en", "zh", "romaji"]

_KANA = re.compile(r"[ぁ-ゖァ-ヺｦ-ﾟ]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Simplified forms and function words of Chinese that Japanese writing does not use.
_CHINESE = re.compile(
    r"[们这吗呢么谢请帮灯泡没说话该还给让对么买药医时间么个师问题]|我们|你们|需要|可以|的人|不会|什么|怎么|谢谢|帮助"
)
_WORD = re.compile(r"[a-z]+")
# One romaji syllable (Hepburn and common keyboard spellings); a word of only these is romaji.
_SYLLABLE = (
    r"(?:(?:ky|gy|sh|sy|ch|ty|cy|ny|hy|by|py|my|ry|j|jy|ts|dz|[kgsztdnhbpmyrwfvc])?[aiueo]|n"
    r"|(?<=[aiueo])[kgsztdhbpmrjcf](?=[kgsztdhbpmrjcf]))"
)
_ROMAJI_WORD = re.compile(rf"(?:{_SYLLABLE})+")
_ENGLISH_HINTS = frozenset(
    {
        "the",
        "i",
        "you",
        "my",
        "me",
        "is",
        "are",
        "can",
        "please",
        "help",
        "need",
        "want",
        "hello",
        "hi",
        "what",
        "how",
        "where",
        "when",
        "this",
        "that",
        "with",
        "for",
        "and",
        "do",
        "does",
        "english",
        "speak",
        "thanks",
        "thank",
        "light",
        "bulb",
        "someone",
        "anyone",
        "not",
        "have",
        "it",
        "to",
        "of",
        "in",
        "a",
    }
)


def foreign_language(text: str) -> Language | None:
    """en / zh / romaji for a message plainly in that language; None for Japanese or too little to tell."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFKC", text).lower()
    if _KANA.search(text):
        return None
    if _HAN.search(text):
        return "zh" if _CHINESE.search(text) else None
    words = _WORD.findall(text)
    if len(words) < 2 or sum(len(w) for w in words) < 6:
        return None  # 「ok」「15km」「asdf」: not enough to say
    if any(w in _ENGLISH_HINTS for w in words):
        return "en"
    romaji = sum(1 for w in words if _ROMAJI_WORD.fullmatch(w))
    return "romaji" if romaji >= max(2, len(words) * 0.8) else "en"
