"""A learned second reader for the safety net: it may raise the rules' answer, never lower it.

The rules (safety.toml) read phrases and combinations; everyday writing keeps finding wordings they
do not list. The second reader is a linear classifier (scikit-learn's logistic regression) over
character n-grams of a text's hiragana, reading and lemma views, trained when first used on the
labelled example sets packaged in matching/examples/ (the same sets the tests hold the rules to).
It only ever asks: a text the rules found ordinary that reads like an emergency gets the maybe-urgent
question (今すぐ命にかかわりますか？), which costs an ordinary request one tap and can save a life.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from matching.safety import safety_data, sentences

DANGER, NOT_ALLOWED, REFERRAL = "danger", "not_allowed", "referral"
# Shares of probability from which a text the rules found ordinary is raised, chosen by leaving out
# one author's set at a time (four authors, 2,000 lines): the lowest that added at most a few
# ordinary lines flagged while catching what the rules missed (the closing notes give the figures).
ASK_FROM = 0.6  # reads like an emergency: asked 今すぐ命にかかわりますか？
REFUSE_FROM = 0.6  # reads like work volunteers may not do: refused with that kind's reason
REFER_FROM = 0.5  # reads like harassment or fraud: the consultation numbers
_EXPECT_CLASS = {"emergency": DANGER, "maybe_urgent": DANGER}
_VIEW_GAP = " | "  # n-grams never span two views or two sentences


@dataclass(frozen=True)
class Example:
    text: str
    expect: str  # emergency | maybe_urgent | not_allowed | referral | ordinary
    kind: str = ""  # for not_allowed: bodily_care, medical, money, legal, licence, height, driving, long_term


@dataclass(frozen=True)
class Reading:
    """The reader's view of a text: a probability per kind of answer, and the likeliest refusal reason."""

    danger: float = 0.0
    not_allowed: float = 0.0
    referral: float = 0.0
    not_allowed_kind: str = ""


def features(raw: str) -> str:
    """The text as the reader sees it: each sentence's hiragana, reading and lemma views."""
    parts = sentences(raw, safety_data())
    return _VIEW_GAP.join(view for part in parts for view in part.views[1:])


def _vectorizer(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df)


class SecondReader:
    """Fitted once, then read-only: safe to share between threads."""

    def __init__(self, examples: Iterable[Example]) -> None:
        rows = list(examples)
        texts = [features(row.text) for row in rows]
        self._vectorizer = _vectorizer(min_df=2)
        # One-vs-rest liblinear fits the whole corpus in a fraction of a second. Unweighted classes:
        # balancing them raised more ordinary lines of unseen authors for no more emergencies caught.
        model = LogisticRegression(C=10.0, solver="liblinear")
        self._answers = OneVsRestClassifier(model)
        self._answers.fit(
            self._vectorizer.fit_transform(texts), [_EXPECT_CLASS.get(r.expect, r.expect) for r in rows]
        )
        self._column = {name: i for i, name in enumerate(self._answers.classes_)}
        # Which reason a refusal gives is learnt from the not_allowed lines alone.
        refused = [
            (text, row.kind) for text, row in zip(texts, rows, strict=True) if row.expect == NOT_ALLOWED
        ]
        self._kind_vectorizer = _vectorizer(min_df=1)
        self._kinds = OneVsRestClassifier(LogisticRegression(C=10.0, solver="liblinear"))
        self._kinds.fit(self._kind_vectorizer.fit_transform([t for t, _ in refused]), [k for _, k in refused])

    def read(self, raw: str) -> Reading:
        if not isinstance(raw, str) or not raw.strip():
            return Reading()
        seen = features(raw)
        row = self._answers.predict_proba(self._vectorizer.transform([seen]))[0]
        share = row / row.sum()  # one-vs-rest scores, made comparable as shares

        def of(name: str) -> float:
            return float(share[self._column[name]]) if name in self._column else 0.0

        kind = str(self._kinds.predict(self._kind_vectorizer.transform([seen]))[0])
        return Reading(of(DANGER), of(NOT_ALLOWED), of(REFERRAL), kind)


def example_rows(name: str) -> list[list[str]]:
    """The rows of one file in matching/examples/ (tab-separated, without comments)."""
    text = resources.files("matching").joinpath("examples", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def example_sources() -> dict[str, Any]:
    """matching/examples/sources.toml: which example files hold which kind of labelled lines."""
    return tomllib.loads(resources.files("matching").joinpath("examples", "sources.toml").read_text("utf-8"))


def packaged_examples() -> list[Example]:
    """The lines matching/examples/sources.toml names: labelled safety sets and everyday step texts."""
    sources = example_sources()
    out = [
        Example(text, expect, kind)
        for name in sources["labelled"]
        for text, expect, kind, *_ in example_rows(name)
    ]
    for name in sources["requests"]:
        for text, _category, flag, reason, *_ in example_rows(name):
            if flag in ("", "emergency", NOT_ALLOWED):
                out.append(Example(text, flag or "ordinary", reason))
    for name, column in sources["everyday"].items():
        out += [Example(row[column - 1], "ordinary") for row in example_rows(name)]
    return out


_built: SecondReader | None = None
_building = threading.Lock()


def second_reader() -> SecondReader:
    """The packaged reader, fitted on first use (once per process, whichever thread asks first)."""
    global _built
    if _built is None:
        with _building:
            if _built is None:
                _built = SecondReader(packaged_examples())
    return _built
