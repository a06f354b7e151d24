"""Evaluation: how well the safety net reads a labelled TSV (text, expect, kind, style).

Usage:
    .venv/bin/python bench/safety.py [tests/data/safety.tsv ...] [--cli N] [--misses] [--rules-only]

For each line the text is understood as the bot understands it, and the answer is sorted into
emergency (urgency now), maybe_urgent (urgency maybe), not_allowed, harmful, referral or ordinary.
Printed per expect, per kind and per writing style:

- emergencies and maybe-urgent lines: share flagged as an emergency (either urgency; never ordinary),
  and share whose kind is the labelled one;
- not_allowed: share flagged not_allowed (and flagged at all);
- referral: share given the referral;
- ordinary: share flagged anything (false positives), and category top-1 where a category is named.

--cli N also runs a sample of N lines through `otagai match --json` (a temporary SQLite database
with a few supporters) and checks that no emergency, not_allowed or referral line ranks anyone.
--misses prints every line that did not get the expected answer, and every ordinary line whose category
is not the labelled one (never use it on a blind set).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import Understanding, understand  # noqa: E402

EXPECTS = ("emergency", "maybe_urgent", "not_allowed", "referral", "ordinary")


@dataclass(frozen=True)
class Line:
    text: str
    expect: str
    kind: str
    style: str


def read_lines(path: Path) -> list[Line]:
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, expect, kind, style = raw.split("\t")
        if expect not in EXPECTS:
            raise SystemExit(f"{path}: unknown expect {expect!r}")
        rows.append(Line(text, expect, kind, style))
    return rows


def answer_of(u: Understanding) -> str:
    if u.flag == "emergency":
        return "emergency" if u.urgency == "now" else "maybe_urgent"
    if u.flag in ("not_allowed", "harmful"):
        return u.flag
    if u.referral:
        return "referral"
    return "ordinary"


def passed(line: Line, u: Understanding) -> bool:
    """The target for the line's kind of expectation (the issue's "what must be true")."""
    got = answer_of(u)
    if line.expect in ("emergency", "maybe_urgent"):
        return got in ("emergency", "maybe_urgent")
    if line.expect == "not_allowed":
        return got == "not_allowed"
    if line.expect == "referral":
        return got == "referral"
    return got == "ordinary"


def kind_right(line: Line, u: Understanding) -> bool:
    if line.expect in ("emergency", "maybe_urgent", "not_allowed"):
        return u.flag_reason == line.kind
    if line.expect == "referral":
        return u.referral == line.kind
    return line.kind == "none" or u.category == line.kind


class Tally:
    def __init__(self) -> None:
        self.count: dict[str, int] = defaultdict(int)
        self.ok: dict[str, int] = defaultdict(int)
        self.kind: dict[str, int] = defaultdict(int)

    def add(self, key: str, ok: bool, kind: bool) -> None:
        self.count[key] += 1
        self.ok[key] += ok
        self.kind[key] += kind

    def table(self, title: str, keys: list[str]) -> str:
        out = [f"{title:<34} {'n':>4} {'target':>7} {'kind':>6}"]
        for key in keys:
            n = self.count[key]
            if n:
                out.append(f"{key:<34} {n:>4} {self.ok[key] / n:>7.1%} {self.kind[key] / n:>6.1%}")
        return "\n".join(out)


def evaluate(lines: list[Line], show_misses: bool) -> None:
    by_expect, by_kind, by_style = Tally(), Tally(), Tally()
    started = time.perf_counter()
    ordinary_top1 = [0, 0]
    for line in lines:
        u = understand(line.text)
        ok, kind = passed(line, u), kind_right(line, u)
        by_expect.add(line.expect, ok, kind)
        by_kind.add(f"{line.expect}/{line.kind}", ok, kind)
        by_style.add(f"{line.style} ({'ordinary' if line.expect == 'ordinary' else 'flag'})", ok, kind)
        if line.expect == "ordinary" and line.kind != "none":
            ordinary_top1[0] += u.category == line.kind
            ordinary_top1[1] += 1
        if show_misses and not ok:
            print(
                f"MISS {line.expect}/{line.kind} [{line.style}] {line.text} -> {answer_of(u)}/{u.flag_reason}"
            )
        elif show_misses and line.expect == "ordinary" and not kind:
            print(f"MISS ordinary/{line.kind} [{line.style}] {line.text} -> {u.category} {u.scores[:3]}")
    elapsed = time.perf_counter() - started
    print(by_expect.table("expect (target met)", list(EXPECTS)))
    print()
    print(by_kind.table("expect/kind", sorted(by_kind.count)))
    print()
    print(by_style.table("style (which lines)", sorted(by_style.count)))
    print()
    n_ord = by_expect.count["ordinary"]
    flagged = n_ord - by_expect.ok["ordinary"]
    print(f"ordinary flagged: {flagged}/{n_ord} = {flagged / max(n_ord, 1):.1%}")
    if ordinary_top1[1]:
        right, named = ordinary_top1
        print(f"ordinary top-1: {right}/{named} = {right / named:.1%}")
    print(f"{len(lines)} lines in {elapsed:.2f} s ({elapsed / max(len(lines), 1) * 1000:.1f} ms a line)")


ROSTER = (
    "name,line_user_id,skills,latitude,longitude,radius_km\n"
    "佐藤,,repair;errands;housework;garden;moving;digital,35.6500,139.6580,5\n"
    "鈴木,,childcare;company;outing;pets;cafeteria;teaching,35.6590,139.6600,5\n"
    "田中,,seasonal;rubbish;errands;company;housework,35.6480,139.6550,5\n"
)


def through_cli(lines: list[Line], sample: int) -> None:
    """Run a sample through `otagai match --json` and check nobody is ranked for a flagged line."""
    chosen = random.Random(7).sample(lines, min(sample, len(lines)))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        otagai = [sys.executable, "-m", "bot.cli"]
        subprocess.run([*otagai, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
        roster = Path(tmp) / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        subprocess.run(
            [*otagai, "supporters", "import", str(roster)], env=env, check=True, capture_output=True, cwd=ROOT
        )
        wrong = 0
        for line in chosen:
            out = subprocess.run(
                [*otagai, "match", line.text, "--lat", "35.6466", "--lon", "139.6532", "--json"],
                env=env,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            report = json.loads(out.stdout)
            ranked = bool(report["candidates"])
            flagged = report["flag"] is not None or report.get("referral") is not None
            bad = (line.expect != "ordinary" and (ranked or not flagged)) or (
                line.expect == "ordinary" and flagged
            )
            wrong += bad
            if bad:
                print(f"CLI {line.expect}/{line.kind}: flag={report['flag']} ranked={ranked}")
        print(f"otagai match --json: {len(chosen) - wrong}/{len(chosen)} sampled lines answered as labelled")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, default=[ROOT / "tests/data/safety.tsv"])
    parser.add_argument(
        "--cli", type=int, default=0, help="also run N sampled lines through otagai match --json"
    )
    parser.add_argument("--misses", action="store_true", help="print lines that missed (not on blind sets)")
    parser.add_argument(
        "--rules-only", action="store_true", help="without the learned second reader (what the rules catch)"
    )
    args = parser.parse_args()
    if args.rules_only:
        # The reader's thresholds out of reach: it is still consulted (same cost), never heard.
        reading = sys.modules["matching.understand"]
        reading.ASK_FROM = reading.REFUSE_FROM = reading.REFER_FROM = 2.0  # type: ignore[attr-defined]
    understand("電球が切れた")  # load the dictionary before timing
    for path in args.files:
        print(f"== {path}")
        lines = read_lines(path)
        evaluate(lines, args.misses)
        if args.cli:
            through_cli(lines, args.cli)
        print()


if __name__ == "__main__":
    main()
