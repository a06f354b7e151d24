"""Evaluation: the whole safety net and category choice with each independent author held out.

Usage:
    .venv/bin/python bench/held_out.py [--extra FILE ...] [--sweep]

For each labelled author set that matching/examples/sources.toml names (and each --extra file, which is
never learnt from), both learned readers are fitted without that file and the bot's whole reading
(rules, then the readers) is scored on it, as bench/safety.py scores the packaged readers. This is the
figure for an author the readers have never seen. --sweep also prints the figures for other reader
thresholds (the rules' verdicts and the readers' probabilities are kept per line, so a sweep is cheap).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety import Line, answer_of, read_lines  # noqa: E402 (the labelled lines, read one way)
from matching import category_reader as cr  # noqa: E402
from matching import safety  # noqa: E402
from matching import second_reader as sr  # noqa: E402

reading = sys.modules["matching.understand"]  # the module (the package exports its function)


@dataclass(frozen=True)
class Seen:
    """One line as the bot read it: the rules' verdict, the readers' probabilities, the answer."""

    expect: str
    kind: str
    style: str
    tier: str | None  # the rules' tier
    danger: float
    not_allowed: float
    referral: float
    answer: str
    category: str | None
    said: float  # the rules' best category score
    text: str
    lower: tuple[str, ...] = ()  # the referral and not_allowed tiers that fired beside an emergency
    reason: str | None = None  # the kind the answer names (flag_reason)


def read_with(second: sr.SecondReader, category: cr.CategoryReader, rows: list[Line]) -> list[Seen]:
    setattr(reading, "second_reader", lambda: second)  # noqa: B010 (replaces the packaged reader)
    setattr(reading, "category_reader", lambda: category)  # noqa: B010
    out = []
    for text, expect, kind, style in ((r.text, r.expect, r.kind, r.style) for r in rows):
        u = reading.understand(text)
        said = u.scores[0][1] if u.scores else 0.0
        verdict = safety.read(text, category_score=said)
        fired = safety.fired_rules(text, category_score=said, sentence_score=reading.said_score)
        lower = tuple(sorted({f.tier for f in fired if f.tier in ("referral", "not_allowed")}))
        r = second.read(text)
        out.append(
            Seen(
                expect,
                kind,
                style,
                verdict.tier,
                r.danger,
                r.not_allowed,
                r.referral,
                answer_of(u),
                u.category,
                said,
                text,
                lower,
                u.flag_reason,
            )
        )
    return out


def answer_at(s: Seen, ask: float, refuse: float, refer: float) -> str:
    """The answer under other reader thresholds (the rules' verdict first, as danger_of reads)."""
    if s.tier is not None:
        return s.answer
    if s.danger >= ask:
        return "maybe_urgent"
    if s.not_allowed >= refuse:
        return "not_allowed"
    if s.referral >= refer:
        return "referral"
    return "ordinary"


def vetoed_at(s: Seen, veto: float, said_from: float) -> str:
    """The answer if the readers could overrule a rules' verdict they all find unlikely (below veto)."""
    if s.tier is not None and s.said >= said_from and max(s.danger, s.not_allowed, s.referral) < veto:
        return "ordinary"
    return s.answer


def demoted_at(s: Seen, danger_below: float, other_from: float) -> str:
    """The answer if an emergency verdict gave way to a referral or refusal rule that fired beside it,
    when the reader finds that answer likely and an emergency unlikely."""
    if s.answer not in ("emergency", "maybe_urgent") or s.danger >= danger_below:
        return s.answer
    if "referral" in s.lower and s.referral >= other_from:
        return "referral"
    if "not_allowed" in s.lower and s.not_allowed >= other_from:
        return "not_allowed"
    return s.answer


def refused_at(s: Seen, danger_below: float, refuse_from: float) -> str:
    """The answer if a maybe-urgent verdict of the rules gave way to a refusal the reader reads."""
    if s.tier == "maybe" and s.danger < danger_below and s.not_allowed >= refuse_from:
        return "not_allowed"
    return s.answer


def figures(seen: list[Seen], pick: Callable[[Seen], str] | None = None) -> str:
    got = [s.answer if pick is None else pick(s) for s in seen]
    count: dict[str, int] = defaultdict(int)
    ok: dict[str, int] = defaultdict(int)
    for s, a in zip(seen, got, strict=True):
        count[s.expect] += 1
        if s.expect in ("emergency", "maybe_urgent"):
            ok[s.expect] += a in ("emergency", "maybe_urgent")
        elif s.expect == "ordinary":
            ok[s.expect] += a != "ordinary"
        else:
            ok[s.expect] += a == s.expect
    named = [s for s in seen if s.expect == "ordinary" and s.kind != cr.NONE]
    top1 = sum(s.category == s.kind for s in named)
    # The kind named where the answer is right: an emergency's own kind (asked-about ones included),
    # a refusal's reason.
    flagged = [
        s
        for s, a in zip(seen, got, strict=True)
        if (s.expect in ("emergency", "not_allowed") and a == s.expect)
        or (s.expect == "emergency" and a == "maybe_urgent")
    ]
    kinds = f"{100 * sum(s.reason == s.kind for s in flagged) / max(1, len(flagged)):5.1f}"

    def pct(e: str) -> str:
        return f"{100 * ok[e] / count[e]:5.1f}" if count[e] else "   - "

    return (
        f"emerg {pct('emergency')}  maybe {pct('maybe_urgent')}  NA {pct('not_allowed')}  "
        f"ref {pct('referral')}  ord-flagged {pct('ordinary')}%  top1 {100 * top1 / max(1, len(named)):5.1f}"
        f"  kind {kinds}  (n={len(seen)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--extra", nargs="*", type=Path, default=[])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--dump", type=Path, help="write every line as read (JSON) to study offline")
    parser.add_argument(
        "--misses", action="store_true", help="print each line answered or named wrong (never on a blind set)"
    )
    parser.add_argument("--veto", action="store_true", help="figures if the readers could overrule the rules")
    parser.add_argument(
        "--demote", action="store_true", help="figures if a referral or refusal could win over an emergency"
    )
    args = parser.parse_args()
    sources = sr.example_sources()
    authors = [n for n in sources["labelled"] if n != "safety.tsv"]
    second_all = sr.packaged_examples()
    category_all = cr.packaged_examples()
    every: list[Seen] = []
    for name in authors + [str(p) for p in args.extra]:
        own = {r[0] for r in sr.example_rows(name)} if name in authors else set()
        second = sr.SecondReader([e for e in second_all if e.text not in own])
        category = cr.CategoryReader([e for e in category_all if e.text not in own])
        rows = read_lines(ROOT / "matching/examples" / name if name in authors else Path(name))
        seen = read_with(second, category, rows)
        every += seen
        print(f"{Path(name).name:24} {figures(seen)}")
        if args.misses:
            print_misses(Path(name).name, seen)
    print(f"{'all':24} {figures(every)}")
    if args.dump:
        args.dump.write_text(json.dumps([asdict(s) for s in every], ensure_ascii=False), encoding="utf-8")
    if args.sweep:
        for ask in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75):
            for refuse in (0.5, 0.6, 0.7):
                at = functools.partial(answer_at, ask=ask, refuse=refuse, refer=sr.REFER_FROM)
                print(f"ask {ask:.2f} refuse {refuse:.2f}  {figures(every, at)}")

    if args.veto:
        asks_help = reading.OVERRULE_FROM_SCORE  # the packaged condition: a text naming ordinary help
        for said_from in (0.0, 1.0, asks_help):
            for veto in (0.02, 0.03, 0.05, 0.08, 0.1, 0.15):
                at = functools.partial(vetoed_at, veto=veto, said_from=said_from)
                print(f"veto {veto:.2f} said {said_from:.1f}  {figures(every, at)}")
        # The lines the packaged threshold turns to ordinary: lost (flagged before) or saved.
        for s in every:
            if s.answer != "ordinary" and vetoed_at(s, sr.OVERRULE_BELOW, asks_help) == "ordinary":
                was = "SAVED" if s.expect == "ordinary" else "LOST"
                top = max(s.danger, s.not_allowed, s.referral)
                print(f"{was} {top:.3f} {s.said:.1f} {s.expect}/{s.kind} {s.text}")

    if args.demote:
        # An emergency giving way to a referral or refusal rule beside it (packaged:
        # second_reader.GIVE_WAY_*), and a maybe-urgent verdict giving way to a refusal (not packaged).
        sweep(
            every,
            "demote",
            demoted_at,
            (0.05, 0.1, 0.15, 0.2, 0.3),
            (0.5, 0.7, 0.8, 0.9),
            (sr.GIVE_WAY_BELOW, sr.GIVE_WAY_FROM),
        )
        sweep(every, "maybe refused", refused_at, (0.05, 0.1, 0.15, 0.2), (0.6, 0.7, 0.8, 0.9), (0.1, 0.8))


def print_misses(name: str, seen: list[Seen]) -> None:
    """Each line whose answer, emergency kind, refusal reason or category is not the labelled one."""
    for s in seen:
        flagged = s.answer in ("emergency", "maybe_urgent")
        right = flagged if s.expect in ("emergency", "maybe_urgent") else s.answer == s.expect
        if not right:
            print(f"  MISS {name} {s.expect}/{s.kind} -> {s.answer}/{s.reason or s.category} {s.text}")
        elif s.expect in ("emergency", "not_allowed") and s.reason != s.kind:
            print(f"  KIND {name} {s.expect}/{s.kind} -> {s.answer}/{s.reason} {s.text}")
        elif s.expect == "ordinary" and s.kind != cr.NONE and s.category != s.kind:
            print(f"  CAT  {name} ordinary/{s.kind} -> {s.category} ({s.said:.1f}) {s.text}")


def sweep(
    every: list[Seen],
    name: str,
    pick: Callable[[Seen, float, float], str],
    belows: tuple[float, ...],
    froms: tuple[float, ...],
    chosen: tuple[float, float],
) -> None:
    """Figures over a grid of (danger below, answer from), then the lines the chosen pair changes."""
    for below in belows:
        for from_ in froms:
            at: Callable[[Seen], str] = lambda s, b=below, f=from_: pick(s, b, f)  # noqa: E731
            print(f"{name} below {below:.2f} from {from_:.1f}  {figures(every, at)}")
    for s in every:
        now = pick(s, *chosen)
        if now != s.answer:
            was = "SAVED" if now == s.expect else "LOST"
            shares = f"d={s.danger:.2f} na={s.not_allowed:.2f} ref={s.referral:.2f}"
            print(f"{was} {name} {shares} {s.expect}/{s.kind} -> {now} {s.text}")


if __name__ == "__main__":
    main()
