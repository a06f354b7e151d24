"""Typed step answers, read against the development sets in tests/data/steps_*.tsv (a table per kind)."""

from __future__ import annotations

import pytest

from matching.phrases import answer_of, command_of
from matching.when import read_when
from tests.matching import stepsets

# Accuracy on each development set must not fall below these (measured when the sets were written;
# the misses left are listed by `python -m tests.matching.stepsets`).
FLOORS = {
    "steps_time.tsv": 0.97,
    "steps_place.tsv": 0.95,
    "steps_distance.tsv": 0.95,
    "steps_confirm.tsv": 0.95,
    "steps_registration.tsv": 0.95,
    "steps_commands.tsv": 0.93,
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_each_step_kind_has_at_least_200_typed_answers(name: str) -> None:
    assert len(stepsets.rows(name)) >= 200


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_on_the_development_sets_does_not_regress(name: str) -> None:
    accuracy, misses = stepsets.score(name)
    assert accuracy >= FLOORS[name], "\n".join(f"{t!r}: expected {e}, read {g}" for t, e, g in misses)


def test_a_no_is_never_read_as_yes_nor_a_yes_as_no() -> None:
    """The one mistake that must not happen at a confirmation card: sending what was refused."""
    for text, expected in stepsets.rows("steps_confirm.tsv"):
        read = stepsets.read_confirm(text)
        assert not (expected in ("no", "none") and read == "yes"), text
        assert not (expected == "yes" and read == "no"), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("いいです", None),  # often "no, thank you"
        ("いいですね", None),
        ("はい", "yes"),
        ("はい、それでお願いします", "yes"),
        ("いいえ、ちがいます", "no"),
        ("👍", "yes"),
        ("はいけんしました", None),
    ],
)
def test_yes_and_no_are_read_from_the_whole_message(text: str, expected: str | None) -> None:
    assert answer_of(text, ("yes", "no")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("入院するのでしばらく休みます", "pause"),
        ("買い物に行けなくなった", None),  # a 困りごと, not a supporter giving a job back
        ("スマホの使い方がわからない", None),
        ("サポーターになりたいんですが", "supporter"),
    ],
)
def test_commands_in_a_reason_and_not_inside_a_need(text: str, expected: str | None) -> None:
    assert command_of(text) == expected


if __name__ == "__main__":  # pragma: no cover
    for set_name in sorted(FLOORS):
        print(set_name, f"{stepsets.score(set_name)[0]:.3f}")


@pytest.mark.parametrize(
    "text",
    [
        "今日電球が切れた",  # when it broke, not when help is wanted
        "昨日から電気がつかない",
        "朝から電気がつかない",
        "毎週火曜のゴミ出しを手伝ってほしい",  # a regular: for a person to settle
        "火曜と金曜のゴミ出し",
        "10年使ったテレビが壊れた",
        "3時間くらいかかる草むしり",
    ],
)
def test_a_first_message_is_not_given_a_time_it_does_not_ask_for(text: str) -> None:
    assert read_when(text, stepsets.NOW, strict=True) is None
