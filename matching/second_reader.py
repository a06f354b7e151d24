"""A learned second reader for the safety net: it may raise the rules' answer, never lower it.

The rules (safety.toml) read phrases and combinations; everyday writing keeps finding wordings they
do not list. The second reader is a linear classifier (scikit-learn's logistic regression) over
character n-grams of a text's hiragana, reading and lemma views, trained when first used on the
labelled example sets packaged in matching/examples/ (the same sets the tests hold the rules to).
It only ever asks: a text the rules found ordinary that reads like an emergency gets the maybe-urgent
question (今すぐ命にかかわりますか？), which costs an ordinary request one tap and can save a life.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion

from matching.once import Once
from matching.safety import safety_data, sentences

log = logging.getLogger(__name__)
Fitted = TypeVar("Fitted")

DANGER, NOT_ALLOWED, REFERRAL = "danger", "not_allowed", "referral"
# Shares of probability from which a text the rules found ordinary is raised, chosen by leaving out
# one author's set at a time (six authors, 3,000 lines): with 0.65, 99.2% of their emergencies and
# 95.8% of their not-for-volunteers requests were answered as such, and 0.6% more ordinary lines were
# flagged than by the rules alone (0.6: 99.3% and 0.8%; 0.7: 98.9% and 0.4%).
ASK_FROM = 0.65  # reads like an emergency: asked 今すぐ命にかかわりますか？
REFUSE_FROM = 0.6  # reads like work volunteers may not do: refused with that kind's reason
REFER_FROM = 0.5  # reads like harassment or fraud: the consultation numbers
# An emergency kind is named (its do-now line and numbers once はい is answered) only from this share;
# below it the answer stays the general one. Leaving one author out at a time, kinds named from 0.5
# were right on every line they covered (85-94% of an author's emergencies).
NAME_KIND_FROM = 0.5
# A text the rules ask about (たおれた, 変なにおいがする) is named a kind only from this share, as most such
# texts are too short to tell (だれか たすけて may be a fall as well as a burglar). Leaving one author out at
# a time (24 authors, 599 asked-about lines): from 0.9, 83 of 123 emergencies were named, all rightly, and 11
# of 476 other lines, each with a fitting answer (変なにおい: gas; もう無理、死ぬ: suicide); from 0.8, 65
# other lines, some badly (だれか たすけて: crime, 110 first).
MAYBE_KIND_FROM = 0.9
# Below this share for every answer (danger, not for volunteers, referral) the reader overrules a
# verdict of the rules on a text that asks for an ordinary kind of help: the rules matched a fragment
# (心臓の検査に付き添って, 包丁を持つと手が震えて) that the whole text, read as a situation, does not
# bear out. Chosen by leaving out one author's set at a time (sixteen authors, 8,500 lines; see
# bench/held_out.py --veto): ordinary lines flagged 1.8% -> 1.3%, emergencies 99.5% both, not-for-volunteers
# 97.6% -> 97.5% (two lines lost); on four fresh authors before they were learnt, 18 of 31 false alarms saved.
OVERRULE_BELOW = 0.05
# A referral or refusal rule that fired beside an emergency rule wins when the reader finds that answer
# this likely (GIVE_WAY_FROM) and an emergency this unlikely (GIVE_WAY_BELOW): a salesman who will not
# leave the door (断っても帰らない) is not a missing person, daily care after a stroke is not a stroke now.
# Either answer sends no card. Chosen by leaving out one author's set at a time (sixteen authors and the
# probes, 9,672 lines; bench/held_out.py --demote): five lines saved, none lost, emergencies 99.9% both.
GIVE_WAY_BELOW = 0.15
GIVE_WAY_FROM = 0.7
# A refusal of the rules is asked about instead (今すぐ命にかかわりますか？) when the reader finds an
# emergency this likely: a tool or a debt named in a text that tells of a wound or a rope
# (チェーンソーで脚を切って地が止まらない, 借金で…ロープ用意した) must never wait behind "volunteers may
# not do this". Leaving one author out at a time (29 authors, 15,829 lines): from 0.8 no line of theirs
# changes (from 0.65 a 夜中に屋根の上で音 line would be asked, rightly, and a gas water-heater repair
# wrongly); on two fresh authors, both emergencies the rules refused were asked about.
ASK_OVER_REFUSAL_FROM = 0.8
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
    not_allowed_kind: str = ""  # empty unless raised to a refusal (REFUSE_FROM)
    emergency_kind: str = ""  # empty unless asked about (ASK_FROM) and one kind stands out (NAME_KIND_FROM)

    def finds_nothing(self) -> bool:
        """Every answer but ordinary is unlikely enough to overrule the rules (OVERRULE_BELOW)."""
        return max(self.danger, self.not_allowed, self.referral) < OVERRULE_BELOW

    def gives_way_to(self, answer: str) -> bool:
        """Whether an emergency the rules read gives way to a referral or refusal that fired beside it."""
        share = self.referral if answer == "referral" else self.not_allowed
        return self.danger < GIVE_WAY_BELOW and share >= GIVE_WAY_FROM


@dataclass(frozen=True)
class Seen:
    """A text as the reader sees it: its characters in three views, and its words."""

    chars: str  # each sentence's hiragana, reading and lemma views
    words: tuple[str, ...]  # the lemmas, in order


def seen(raw: str) -> Seen:
    parts = sentences(raw, safety_data())
    chars = _VIEW_GAP.join(view for part in parts for view in part.views[1:])
    words = tuple(part.views[3][m.view_start : m.view_end] for part in parts for m in part.morphemes[1])
    return Seen(chars, words)


def features(raw: str) -> str:
    """The text's characters as the reader sees them: each sentence's hiragana, reading and lemma views."""
    return seen(raw).chars


# Module-level, not lambdas: a fitted reader is pickled into the cache.
def _chars_of(text: Seen) -> str:
    return text.chars


def _word_grams(text: Seen) -> list[str]:
    return [*text.words, *(f"{a} {b}" for a, b in pairwise(text.words))]


def _vectorizer(min_df: int) -> FeatureUnion:
    """Character 1-3-grams (spelling, kana and dialect variants) beside lemma 1-2-grams (what is said)."""
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", preprocessor=_chars_of, ngram_range=(1, 3), **_tfidf(min_df)
                ),
            ),
            ("words", TfidfVectorizer(analyzer=_word_grams, **_tfidf(min_df))),
        ]
    )


def _tfidf(min_df: int) -> dict[str, Any]:
    return {"sublinear_tf": True, "min_df": min_df}


class SecondReader:
    """Fitted once, then read-only: safe to share between threads."""

    def __init__(self, examples: Iterable[Example]) -> None:
        rows = list(examples)
        texts = [seen(row.text) for row in rows]
        self._vectorizer = _vectorizer(min_df=2)
        # One-vs-rest liblinear, solved in the dual (far more n-grams than lines): 0.5 s for the whole
        # corpus where the primal took 4 s, for the same model; a slow fit delays every worker's start
        # (gunicorn kills a worker that is not serving within its timeout). Unweighted classes:
        # balancing them raised more ordinary lines of unseen authors for no more emergencies caught.
        model = LogisticRegression(C=10.0, solver="liblinear", dual=True)
        self._answers = OneVsRestClassifier(model)
        self._answers.fit(
            self._vectorizer.fit_transform(texts), [_EXPECT_CLASS.get(r.expect, r.expect) for r in rows]
        )
        self._column = {name: i for i, name in enumerate(self._answers.classes_)}
        # Which kind a raised text is, learnt from the lines of that answer alone.
        self._refusal_kinds = _Kinds(texts, rows, NOT_ALLOWED)
        self._emergency_kinds = _Kinds(texts, rows, "emergency")

    def read(self, raw: str) -> Reading:
        if not isinstance(raw, str) or not raw.strip():
            return Reading()
        text = seen(raw)
        row = self._answers.predict_proba(self._vectorizer.transform([text]))[0]
        share = row / row.sum()  # one-vs-rest scores, made comparable as shares

        def of(name: str) -> float:
            return float(share[self._column[name]]) if name in self._column else 0.0

        danger, not_allowed = of(DANGER), of(NOT_ALLOWED)
        # The kind models run only for an answer the text is raised to: most texts are ordinary and need
        # neither, and the two cost twice what the answer model does.
        emergency_kind = ""
        if danger >= ASK_FROM:
            likeliest, sure = self._emergency_kinds.likeliest(text)
            emergency_kind = likeliest if sure >= NAME_KIND_FROM else ""
        refusal_kind = self._refusal_kinds.likeliest(text)[0] if not_allowed >= REFUSE_FROM else ""
        return Reading(danger, not_allowed, of(REFERRAL), refusal_kind, emergency_kind)

    def emergency_kind_of(self, raw: str, sure_from: float = NAME_KIND_FROM) -> tuple[str, float]:
        """The likeliest emergency kind of a text the rules asked about, and its share ("" below it)."""
        if not isinstance(raw, str) or not raw.strip():
            return "", 0.0
        likeliest, sure = self._emergency_kinds.likeliest(seen(raw))
        return (likeliest if sure >= sure_from else ""), sure


class _Kinds:
    """Which kind of one answer a text is (chest_pain or fire; money or height), with its share."""

    def __init__(self, texts: list[Seen], rows: list[Example], expect: str) -> None:
        chosen = [(text, row.kind) for text, row in zip(texts, rows, strict=True) if row.expect == expect]
        self._vectorizer = _vectorizer(min_df=1)
        self._model = OneVsRestClassifier(LogisticRegression(C=10.0, solver="liblinear", dual=True))
        self._model.fit(self._vectorizer.fit_transform([t for t, _ in chosen]), [k for _, k in chosen])

    def likeliest(self, text: Seen) -> tuple[str, float]:
        row = self._model.predict_proba(self._vectorizer.transform([text]))[0]
        best = int(row.argmax())
        return str(self._model.classes_[best]), float(row[best] / row.sum())


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


_packaged: Once[SecondReader] = Once(lambda: load_or_fit(packaged_examples(), cache_directory()))
# The files a fitted reader depends on besides its examples: how texts are read into features.
READING_CODE = ("second_reader.py", "safety.py", "normalize.py", "safety.toml")
_LIBRARIES = ("scikit-learn", "scipy", "numpy", "SudachiPy", "SudachiDict-core")


def second_reader() -> SecondReader:
    """The packaged reader, fitted on first use (once per process, whichever thread asks first)."""
    return _packaged.get()


def cache_directory() -> Path:
    """Where fitted readers are kept: OTAGAI_CACHE_DIR, else the user's cache folder."""
    configured = os.environ.get("OTAGAI_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "otagai"


def fingerprint(examples: list[Example]) -> str:
    """Changes whenever the fitted reader would: its examples, the reading code, library versions."""
    return digest_of((f"{e.text}\t{e.expect}\t{e.kind}" for e in examples), READING_CODE)


def digest_of(lines: Iterable[str], code: Iterable[str]) -> str:
    """A short digest of a reader's example lines, the package files it reads with, library versions."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(f"{line}\n".encode())
    package = resources.files("matching")
    for name in code:
        digest.update(package.joinpath(name).read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\n".encode())
    return digest.hexdigest()[:32]


def load_or_fit(examples: list[Example], directory: Path) -> SecondReader:
    """A reader fitted on these examples: from the cache when one was kept, else fitted and kept.

    Fitting takes seconds (every example read by Sudachi, then the models); loading takes a fraction
    of one, which matters for each gunicorn worker's start and for every `otagai match` call. The
    cache is only a shortcut: a file that cannot be read or written means fitting, never a failure.
    """
    path = directory / f"second-reader-{fingerprint(examples)}.joblib"
    return kept_or_fitted(path, SecondReader, lambda: SecondReader(examples))


def kept_or_fitted(path: Path, kind: type[Fitted], fit: Callable[[], Fitted]) -> Fitted:
    """The fitted object kept at path when it is one of kind, else fit() kept there (see load_or_fit)."""
    try:
        kept = joblib.load(path)
    except FileNotFoundError:
        kept = None
    except Exception:  # a truncated or foreign file: fit again and replace it
        log.warning("reader cache %s unreadable; fitting again", path, exc_info=True)
        kept = None
    if isinstance(kept, kind):
        return kept
    reader = fit()
    part: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: another process loading at the same moment sees all or nothing.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as file:
            part = Path(file.name)
            joblib.dump(reader, file)
        part.chmod(0o644)  # the web and worker processes may run as different users
        os.replace(part, path)
    except OSError:
        log.warning("reader cache %s not writable; fitted in memory only", path.parent, exc_info=True)
        if part is not None:
            part.unlink(missing_ok=True)
    return reader
