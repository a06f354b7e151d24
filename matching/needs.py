"""Two needs in one message (「電球と、あと庭の草も」): each part's kind of help, in the order written."""

from __future__ import annotations

import re
import unicodedata

from matching.taxonomy import STRONG_WEIGHT
from matching.understand import understand

MAX_NEEDS = 3
# Where one need ends and the next begins: 「と、あと」「それから」「。」「それと」「ついでに」, a new line.
_JOINS = re.compile(
    r"(?:[、,，。.\n]\s*)?(?:あと|それと|それから|それに|ついでに|おまけに|さらに|あとは|もうひとつ|もう一つ|ほかに|他に)[、,，]?"
    r"|と[、,，]\s*|[。\n]+|[、,，]\s*(?=.{2,}(?:も|もお願い|も頼み))"
)


def split_needs(text: str) -> tuple[str, ...]:
    """The distinct kinds of help asked for, when the message clearly asks for more than one.

    Each part must be understood on its own; a part that names no kind (「替えられない」) belongs to the
    need before it, so 「電球が切れて、替えられない」 stays one need.
    """
    if not isinstance(text, str):
        return ()
    parts = [p for p in _JOINS.split(unicodedata.normalize("NFKC", text)) if p and p.strip()]
    if len(parts) < 2:
        return _joined_by_to(text)
    found: list[str] = []
    for part in parts:
        understanding = understand(part)
        if understanding.category is not None and understanding.category not in found:
            found.append(understanding.category)
    return tuple(found[:MAX_NEEDS]) if len(found) > 1 else ()


def _joined_by_to(text: str) -> tuple[str, ...]:
    """「草むしりとゴミ出し」: two kinds each named clearly, joined by と or も."""
    if "と" not in text and "も" not in text:
        return ()
    strong = [c for c, score in understand(text).scores if score >= STRONG_WEIGHT]
    return tuple(strong[:MAX_NEEDS]) if len(strong) > 1 else ()
