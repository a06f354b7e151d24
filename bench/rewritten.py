"""Evaluation: the danger lines of every labelled set, rewritten into kana as people type them.

Usage:
    .venv/bin/python bench/rewritten.py [STYLE ...] [--misses]

Each emergency, maybe-urgent and not-for-volunteers line written in the given styles (default: kanji,
polite, casual, elderly) is rewritten by its Sudachi readings into all hiragana, all katakana with
spaces between words (as older phones give it) and half-width katakana, and read again. A word the safety
net finds only as written in kanji shows here: the issue asks for recognition however it is written.
Lines full of written jargon (胸部圧迫感, 起立不能) read oddly in kana, and nobody types them so:
read the misses before acting on them.
"""

from __future__ import annotations

import argparse
import glob
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety import answer_of, read_lines  # noqa: E402
from matching import understand  # noqa: E402
from matching.normalize import to_hiragana, tokenize  # noqa: E402

DANGER = ("emergency", "maybe_urgent", "not_allowed")
# Half-width katakana by the full-width character it stands for; voicing marks are separate characters.
HALF = {
    unicodedata.normalize("NFKC", chr(cp)): chr(cp)
    for cp in range(0xFF66, 0xFFA0)
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1
} | {"\u3099": "ﾞ", "\u309a": "ﾟ"}


def katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def half_width(text: str) -> str:
    return "".join(HALF.get(c, c) for c in unicodedata.normalize("NFD", katakana(text)))


def in_kana(text: str, spaced: bool) -> str:
    words = []
    for t in tokenize(unicodedata.normalize("NFKC", text)):
        if t.pos == "空白":
            continue
        words.append(t.surface if t.pos == "補助記号" or not t.reading else t.reading)
    return (" " if spaced else "").join(to_hiragana(w) for w in words)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("styles", nargs="*", default=["kanji", "polite", "casual", "elderly"])
    parser.add_argument("--misses", action="store_true", help="print each rewritten line answered wrong")
    args = parser.parse_args()
    counts: Counter[tuple[str, str, bool]] = Counter()
    for path in sorted(glob.glob(str(ROOT / "tests/data/safety*.tsv"))):
        for line in read_lines(Path(path)):
            if line.expect not in DANGER or line.style not in args.styles:
                continue
            hiragana = in_kana(line.text, spaced=False)
            forms = {
                "hiragana": hiragana,
                "katakana": katakana(in_kana(line.text, spaced=True)),
                "halfwidth": half_width(hiragana),
            }
            for form, text in forms.items():
                got = answer_of(understand(text))
                flagged = got in ("emergency", "maybe_urgent")
                right = got == "not_allowed" if line.expect == "not_allowed" else flagged
                counts[(line.expect, form, right)] += 1
                if args.misses and not right:
                    print(f"MISS {line.expect}/{line.kind} {form} -> {got}: {text}   [{line.text}]")
    for expect in DANGER:
        for form in ("hiragana", "katakana", "halfwidth"):
            right, wrong = counts[(expect, form, True)], counts[(expect, form, False)]
            if right + wrong:
                print(f"{expect:13} {form:10} {right}/{right + wrong} = {right / (right + wrong):.1%}")


if __name__ == "__main__":
    main()
