"""Reading a search for a 名人・達人, and how a master's skill fits it (tables)."""

from __future__ import annotations

import pytest

from matching.masters import FITS, master_topic, names_a_teacher, offer_fits, seeks_a_master, skill_fit


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("しめ縄を教えてくれる人", "しめ縄"),
        ("しめなわを教えてくれる人はいますか？", "しめなわ"),
        ("竹細工の名人", "竹細工"),
        ("近くの着付けの先生", "着付け"),
        ("着付けを習いたい", "着付け"),
        ("スマホ教室ある？", "スマホ"),
        ("昔遊びの達人いませんか", "昔遊び"),
        ("電球が切れた", None),
        ("教室", None),
        ("何か教えてくれる人", None),
        ("スマホの使い方を教えてほしい", None),  # a 困りごと, not a search for a master
        ("料理を教えたい", None),  # a やってみたい to teach
    ],
)
def test_master_topic(text: str, topic: str | None) -> None:
    assert master_topic(text) == topic


@pytest.mark.parametrize(
    ("topic", "skill", "fits"),
    [
        ("しめ縄", "しめ縄づくり", True),
        ("しめなわ", "しめ縄づくり", True),
        ("スマホ", "スマホ教室", True),
        ("着付け", "竹細工", False),
        ("郷土料理", "昔遊び", False),
    ],
)
def test_skill_fit(topic: str, skill: str, fits: bool) -> None:
    assert (skill_fit(topic, skill) >= FITS) is fits


@pytest.mark.parametrize(
    ("offer", "fits"),
    [
        ("しめ縄を習ってみたい", True),
        ("しめ縄づくりを習ってみたい", True),
        ("しめなわを作ってみたい", True),
        ("子ども食堂を手伝ってみたい", False),
        ("着付けを習いたい", False),
    ],
)
def test_offer_fits_a_masters_skill(offer: str, fits: bool) -> None:
    assert offer_fits("しめ縄づくり", offer) is fits


def test_only_a_teacher_named_is_a_search_without_a_master() -> None:
    assert names_a_teacher("竹細工の名人") and names_a_teacher("しめ縄を教えてくれる人")
    assert not names_a_teacher("スマホの使い方を習いたい")  # a 困りごと unless a master fits


@pytest.mark.parametrize(
    ("text", "seeks"),
    [
        ("しめ縄を教えてくれる人はいますか？", True),
        ("竹細工の名人はいますか", True),
        ("着付けの先生を探しています", True),
        ("スマホを教えてもらえるところ", True),
        ("料理の名人です", False),  # says what one can do
        ("公民館の教室", False),  # a place named at a step
        ("しめ縄づくり", False),
    ],
)
def test_a_search_clear_enough_to_answer_in_the_middle_of_a_flow(text: str, seeks: bool) -> None:
    assert seeks_a_master(text) is seeks
