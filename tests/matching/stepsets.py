"""The development sets of typed step answers in tests/data/steps_*.tsv, and how each is scored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.request_flow import _ASKS_FOR_A_TIME
from handlers.supporter_flow import typed_km
from matching.geocode import locate, same_name
from matching.phrases import Answer, answer_of, command_of, distance_word, said
from matching.when import read_when
from matching.words import asks_cost

DATA = Path(__file__).resolve().parents[1] / "data"
# The clock every set is written against: Wednesday 25 November 2026, 10:00 in Tokyo.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
MAX_KM = 10


def rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def read_time(text: str) -> str:
    when = read_when(text, NOW)
    if when is None:
        return "none"
    if when.anytime:
        return "anytime"
    if when.start is None:
        return f"day:{when.day.isoformat()}" if when.day else "none"
    assert when.day is not None
    return f"{when.day.isoformat()}T{when.start:%H:%M}"


def read_place(text: str) -> str:
    found = locate(text)
    if found is None:
        return "none"
    return found.label if found.precision == "town" else f"city:{found.label}"


def read_distance(text: str) -> str:
    km = typed_km(text)
    km = distance_word(text) if km is None else km
    if km is None:
        return "none"
    return "over" if km > MAX_KM else str(km)


CONFIRM_ANSWERS: tuple[Answer, ...] = ("yes", "no", "change_when", "change_place", "add_detail", "decline")


def read_confirm(text: str) -> str:
    """What a typed text at the request's confirmation card does (the order routes and request_flow read it
    in: 「もういっぺん」 and a question about cost first, then the card's answers)."""
    if said("again", text):
        return "again"
    if asks_cost(text):
        return "cost"
    answer = answer_of(text, CONFIRM_ANSWERS)
    if answer is not None:
        return answer
    if read_when(text, NOW, strict=_ASKS_FOR_A_TIME.search(text) is None) is not None:
        return "time"
    place_like = any(ch.isdigit() or "\u4e00" <= ch <= "\u9fff" for ch in text)
    # A town name several places share (「太子堂」) is a place too: the 区 or 市 is asked for.
    return "place" if place_like and (locate(text) is not None or same_name(text) is not None) else "none"


REGISTRATION_STEPS: dict[str, tuple[Answer, ...]] = {
    "skills": ("next",),
    "place": ("home",),
    "confirm": ("yes", "no", "change_place"),
}


def read_registration(step: str, text: str) -> str:
    answer = answer_of(text, REGISTRATION_STEPS[step])
    if answer is None and step == "place" and locate(text) is not None:
        return "place"
    return answer or "none"


def read_command(text: str) -> str:
    return command_of(text) or "none"


READERS: dict[str, Callable[[list[str]], tuple[str, str]]] = {
    "steps_time.tsv": lambda row: (row[1], read_time(row[0])),
    "steps_place.tsv": lambda row: (row[1], read_place(row[0])),
    "steps_distance.tsv": lambda row: (row[1], read_distance(row[0])),
    "steps_confirm.tsv": lambda row: (row[1], read_confirm(row[0])),
    "steps_registration.tsv": lambda row: (row[2], read_registration(row[0], row[1])),
    "steps_commands.tsv": lambda row: (row[1], read_command(row[0])),
}


def score(name: str) -> tuple[float, list[tuple[str, str, str]]]:
    """Accuracy on one set, and every miss as (text, expected, read)."""
    misses: list[tuple[str, str, str]] = []
    data = rows(name)
    for row in data:
        expected, got = READERS[name](row)
        if expected != got:
            misses.append(("\t".join(row[:-1]), expected, got))
    return 1 - len(misses) / len(data), misses


if __name__ == "__main__":  # python -m tests.matching.stepsets: accuracy and misses per set
    for set_name in READERS:
        accuracy, missed = score(set_name)
        print(f"{set_name}\t{len(rows(set_name))} answers\taccuracy {accuracy:.3f}")
        for text, expected, got in missed:
            print(f"\t{text!r}: expected {expected}, read {got}")
