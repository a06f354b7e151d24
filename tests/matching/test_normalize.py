"""The Japanese normalisation pipeline."""

import pytest

from matching import normalize
from matching.normalize import to_hiragana


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｽﾏﾎ", "スマホ"),  # half-width katakana
        ("ＬＩＮＥ", "line"),  # full-width latin, case
        ("付添い", "付き添い"),  # okurigana variant, folded by Sudachi
        ("買物", "買い物"),
        ("草刈", "草刈り"),
        ("蛍光燈", "蛍光灯"),
        ("ごみ出し", "ゴミ出し"),  # taxonomy [variants]
        ("ゴミ出し", "ゴミ出し"),  # not folded to the rare kanji 塵
        ("スマートフォン", "スマホ"),
        ("電球🙏💡切れた", "電球 切れた"),  # emoji dropped, words kept apart
        ("  よろしく　　お願いします  ", "よろしく お願いします"),
        ("ぱそこ〜ん", "ぱそこーん"),  # wave dash inside kana is a long vowel
        ("お願い〜〜", "お願い"),  # elsewhere it is decoration
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_is_idempotent():
    for raw in ["ｽﾏﾎで買物と付添い🙏　ごみ出し〜", "でんきゅうがきれた", "ＬＩＮＥの設定"]:
        once = normalize(raw)
        assert normalize(once) == once


def test_normalize_bounds_long_text():
    assert len(normalize("あ" * 50_000)) <= 2000


def test_fragments_are_not_folded_when_asked():
    assert normalize("おむつを買", fold=False) == "おむつを買"


def test_to_hiragana_keeps_length():
    assert to_hiragana("パソコンとLINE") == "ぱそこんとLINE"


def test_default_spelling_variants_are_the_taxonomys_table() -> None:
    """normalize() reads taxonomy.toml's [variants] itself (no import cycle with matching.taxonomy)."""
    from matching.normalize import spelling_variants
    from matching.taxonomy import taxonomy

    assert dict(spelling_variants()) == dict(taxonomy().variants)
    assert normalize("スマートフォンのごみ") == normalize("スマートフォンのごみ", taxonomy().variants)
