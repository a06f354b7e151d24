"""Skipping ja-timex for a text that cannot hold a time changes no reading (every text in tests/data)."""

from __future__ import annotations

from pathlib import Path

from matching import when

DATA = Path(__file__).resolve().parent.parent / "data"


def _texts() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t", 1)[0])
    return texts


def test_the_shortcut_is_derived_from_ja_timex_patterns() -> None:
    may_hold = when._may_hold_a_time()
    assert may_hold is not None  # every pattern of the installed ja-timex could be bounded
    for text in ("あした10時", "来週の火曜", "三時ごろ", "１０時", "12/3", "毎週", "一昨日", "日曜", "正午"):
        assert when._parser().parse(when._prepare(text)), text  # ja-timex tags these…
        assert may_hold.search(when._prepare(text)) is not None, text  # …and the shortcut lets them through


def test_every_skipped_text_gets_no_tags_from_ja_timex() -> None:
    may_hold = when._may_hold_a_time()
    assert may_hold is not None
    texts = _texts()
    assert len(texts) > 1000
    skipped = [text for text in texts if may_hold.search(when._prepare(text)) is None]
    for text in skipped:
        # read_when uses ja-timex only through its tags: none from the full parse, none from the shortcut.
        assert when._parser().parse(when._prepare(text)) == [], text
        assert when._tags(when._prepare(text)) == []
    assert len(skipped) > len(texts) // 2  # the shortcut is worth having
    assert may_hold.search(when._prepare("電球が切れて替えられない")) is None
