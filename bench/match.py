"""Benchmark: rank 100,000 synthetic supporters in Sendai for 1,000 dev-set requests (and a PostgreSQL peer).

Usage:
    .venv/bin/python bench/match.py [--supporters 100000] [--requests 1000] [--pg URL]

With --pg (or BENCH_DATABASE_URL) the same job also runs in PostgreSQL: an earthdistance
earth_box filter on a GiST index plus pg_trgm similarity of the request to the supporters' skill
texts, in a scratch database `otagai_bench` that this script creates (and reuses).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import RequestQuery, SupporterIndex, SupporterProfile, categories, understand  # noqa: E402
from matching.score import content_words  # noqa: E402

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
TOP = 10
NOTIFIED = 5  # the bot's default notify_count
WEEKLY_CAP = 3
KM_PER_DEG_LAT = 111.195

# Sendai's five wards: centre and spread (km) of where people live, and population (2020 census,
# thousands) as the share of supporters and requests. Aoba's west is mountains, hence the spread.
WARDS = {
    "青葉区": ((38.2682, 140.8694), 3.0, 311),
    "宮城野区": ((38.2687, 140.9260), 2.5, 195),
    "若林区": ((38.2421, 140.9037), 2.2, 139),
    "太白区": ((38.2150, 140.8730), 3.0, 233),
    "泉区": ((38.3260, 140.8800), 3.0, 212),
}
RADII = ((1.0, 0.2), (3.0, 0.4), (5.0, 0.25), (10.0, 0.15))
# How often each kind of help is offered (errands and company are the commonest offers).
POPULARITY = {
    "repair": 8, "moving": 7, "rubbish": 7, "garden": 8, "seasonal": 4, "errands": 12, "outing": 9,
    "housework": 8, "digital": 8, "company": 11, "childcare": 5, "pets": 5, "cafeteria": 4, "teaching": 4,
}  # fmt: skip
# What supporters write about themselves, per kind of help.
SKILL_PHRASES = {
    "repair": ["電球交換できます", "網戸の張り替え", "家具の組み立て", "ちょっとした修理", "蛍光灯の交換",
               "大工仕事"],
    "moving": ["力仕事", "家具の移動", "重い物の運搬", "模様替えの手伝い"],
    "rubbish": ["ゴミ出し", "粗大ゴミの運び出し", "分別のお手伝い"],
    "garden": ["草むしり", "庭の手入れ", "植木の剪定", "水やり", "お墓の掃除"],
    "seasonal": ["雪かき", "灯油の補給", "冬支度の手伝い"],
    "errands": ["買い物代行", "薬の受け取り", "郵便局や役所の用事", "お使い"],
    "outing": ["通院の付き添い", "散歩のお供", "外出の付き添い"],
    "housework": ["掃除", "料理", "洗濯", "布団干し", "窓拭き"],
    "digital": ["スマホの使い方", "パソコン", "LINEの設定", "タブレット"],
    "company": ["話し相手", "見守り訪問", "代読・代筆", "お茶飲み"],
    "childcare": ["子どもの送り迎え", "預かり", "保育士経験あり"],
    "pets": ["犬の散歩", "猫の世話", "ペットの餌やり"],
    "cafeteria": ["子ども食堂の手伝い", "配膳", "会場設営", "学習支援"],
    "teaching": ["料理を教えたい", "編み物教室", "書道", "体操を教えられます"],
}  # fmt: skip
NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"]


@dataclass(frozen=True)
class BenchRequest:
    text: str
    category: str
    query: RequestQuery


def load_requests() -> list[tuple[str, str]]:
    """Dev-set requests that should be matched (category set, no safety flag)."""
    lines = (ROOT / "tests" / "data" / "requests.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return [(text, cat) for text, cat, flag, _ in rows if cat and not flag]


def where(rng: random.Random) -> tuple[float, float]:
    """A home in Sendai, drawn by ward population."""
    (lat, lon), spread_km, _ = rng.choices(list(WARDS.values()), [w[2] for w in WARDS.values()])[0]
    north, east = rng.gauss(0, spread_km), rng.gauss(0, spread_km)
    return lat + north / KM_PER_DEG_LAT, lon + east / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))


def make_supporters(n: int, rng: random.Random) -> list[SupporterProfile]:
    ids = [c.id for c in categories()]
    weights = [POPULARITY.get(i, 1) for i in ids]
    people = []
    for member_id in range(1, n + 1):
        skills: set[str] = set()
        while len(skills) < rng.choice((1, 1, 2, 2, 3)):
            skills.add(rng.choices(ids, weights)[0])
        text = "、".join(rng.choice(SKILL_PHRASES[s]) for s in sorted(skills))
        lat, lon = where(rng)
        asked = None if rng.random() < 0.4 else NOW - timedelta(hours=rng.uniform(1, 24 * 30))
        people.append(
            SupporterProfile(
                member_id=member_id,
                name=f"{rng.choice(NAMES)}{member_id}",
                line_user_id=f"U{member_id:032x}",
                lat=lat,
                lon=lon,
                radius_km=rng.choices([r for r, _ in RADII], [w for _, w in RADII])[0],
                skills=frozenset(skills),
                skill_text=text,
                last_asked_at=asked,
                asked_this_week=rng.choice((0, 0, 0, 1, 1, 2, 3)),
                paused=rng.random() < 0.03,
            )
        )
    return people


def make_requests(n: int, n_supporters: int, rng: random.Random) -> list[BenchRequest]:
    pool = load_requests()
    out = []
    for _ in range(n):
        text, category = rng.choice(pool)
        lat, lon = where(rng)
        # The requester may be a supporter too; a few others already passed on it.
        excluded = frozenset(rng.sample(range(1, n_supporters + 1), 3))
        boost = rng.choice((0.0, 0.0, 0.0, 2.0))  # a quarter are later, widened rounds
        query = RequestQuery(text=text, lat=lat, lon=lon, exclude_member_ids=excluded, radius_boost_km=boost)
        out.append(BenchRequest(text, category, query))
    return out


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p99_ms: float
    hit_top: float  # share of requests with a supporter of the right kind in the top TOP
    hit_notified: float  # ... among the first NOTIFIED, those the bot would actually notify
    precision_notified: float  # share of the notified who are of the right kind
    empty: float  # share of requests with no candidate at all


def run(
    requests: Sequence[BenchRequest],
    rank: Callable[[BenchRequest], Sequence[int]],
    skills_of: Callable[[int], frozenset[str]],
    fresh: Callable[[], None] = lambda: None,
) -> Timing:
    times, hit_top, hit_notified, right, notified, empty = [], 0, 0, 0, 0, 0
    for request in requests:
        fresh()
        start = time.perf_counter()
        ranked = rank(request)
        times.append((time.perf_counter() - start) * 1000)
        fits = [request.category in skills_of(member_id) for member_id in ranked]
        hit_top += any(fits)
        hit_notified += any(fits[:NOTIFIED])
        right += sum(fits[:NOTIFIED])
        notified += len(fits[:NOTIFIED])
        empty += not ranked
    times.sort()
    p99 = times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)]
    n = len(requests)
    return Timing(
        statistics.median(times), p99, hit_top / n, hit_notified / n, right / max(notified, 1), empty / n
    )


def startup_seconds(runs: int = 5) -> float:
    """Fresh interpreter: import matching and understand one word (loads taxonomy and Sudachi)."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import matching; matching.understand('電球')"], check=True, cwd=ROOT
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def rss_mb() -> float:
    """Current resident memory (Linux), to show where the peak comes from."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return float("nan")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


# --- PostgreSQL peer ---------------------------------------------------------------------------

# What a team would write: a trigram filter on a GIN index (with a low threshold, since Japanese
# requests share few trigrams with short skill texts) ANDed with an earth_box on a GiST index, then
# the supporter's own radius, ordered by trigram similarity and distance.
TRGM_THRESHOLD = 0.05
PEER_SQL_TEMPLATE = """
SELECT id FROM (
    SELECT id, radius_km,
           similarity(skill_text, %(text)s) AS sim,
           earth_distance(earth, ll_to_earth(%(lat)s, %(lon)s)) / 1000.0 AS km
    FROM supporters
    WHERE {trigram_filter}
      AND earth_box(ll_to_earth(%(lat)s, %(lon)s), %(reach_m)s) @> earth
      AND NOT paused AND asked_this_week < %(cap)s AND id <> ALL(%(excluded)s)
) s
WHERE km <= radius_km + %(boost)s
ORDER BY sim DESC, km
LIMIT %(top)s
"""
PEER_SQL = PEER_SQL_TEMPLATE.format(trigram_filter="skill_text %% %(text)s")
# The accuracy-minded variant: no trigram threshold, every supporter in the box is ranked.
PEER_FULL_SQL = PEER_SQL_TEMPLATE.format(trigram_filter="TRUE")


def pg_peer(
    url: str, supporters: Sequence[SupporterProfile], requests: Sequence[BenchRequest], full_sample: int
) -> tuple[Timing, Timing | None]:
    """The filtered peer on every request, and the unfiltered one on the first `full_sample`."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    # Accept the SQLAlchemy spelling used everywhere else in the project (DATABASE_URL, TEST_DATABASE_URL).
    url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = 'otagai_bench'").fetchone()
        if not exists:
            admin.execute(
                "CREATE DATABASE otagai_bench ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' "
                "TEMPLATE template0"
            )
    bench_url = make_conninfo(**{**conninfo_to_dict(url), "dbname": "otagai_bench"})
    with psycopg.connect(bench_url, autocommit=True) as conn:
        for ext in ("pg_trgm", "cube", "earthdistance"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
        conn.execute("DROP TABLE IF EXISTS supporters")
        conn.execute(
            "CREATE TABLE supporters (id int PRIMARY KEY, name text, line_user_id text, lat float8,"
            " lon float8, radius_km float8, skills text[], skill_text text, last_asked_at timestamptz,"
            " asked_this_week int, paused bool,"
            " earth cube GENERATED ALWAYS AS (ll_to_earth(lat, lon)) STORED)"
        )
        with conn.cursor().copy("COPY supporters FROM STDIN") as copy:
            for s in supporters:
                copy.write_row(
                    (s.member_id, s.name, s.line_user_id, s.lat, s.lon, s.radius_km, sorted(s.skills),
                     s.skill_text, s.last_asked_at, s.asked_this_week, s.paused)
                )  # fmt: skip
        conn.execute("CREATE INDEX ON supporters USING gist (earth)")
        conn.execute("CREATE INDEX ON supporters USING gin (skill_text gin_trgm_ops)")
        conn.execute("ANALYZE supporters")
        conn.execute(f"SET pg_trgm.similarity_threshold = {TRGM_THRESHOLD}")
        max_radius = max(s.radius_km for s in supporters)

        def rank(request: BenchRequest, sql: str = PEER_SQL) -> list[int]:
            q = request.query
            params = {
                "text": q.text, "lat": q.lat, "lon": q.lon, "cap": WEEKLY_CAP, "top": TOP,
                "excluded": sorted(q.exclude_member_ids), "boost": q.radius_boost_km,
                "reach_m": (max_radius + q.radius_boost_km) * 1000.0,
            }  # fmt: skip
            return [row[0] for row in conn.execute(sql, params, prepare=True).fetchall()]

        skills = {s.member_id: s.skills for s in supporters}
        rank(requests[0])  # warm the plan cache, as a long-running bot would
        filtered = run(requests, rank, skills.__getitem__)
        if full_sample <= 0:
            return filtered, None
        rank(requests[0], PEER_FULL_SQL)
        sample = requests[:full_sample]
        return filtered, run(sample, lambda r: rank(r, PEER_FULL_SQL), skills.__getitem__)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--supporters", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_DATABASE_URL"), help="PostgreSQL URL for the peer"
    )
    parser.add_argument(
        "--pg-full-sample", type=int, default=100, help="requests for the slow, unfiltered pg_trgm ranking"
    )
    args = parser.parse_args(argv)

    startup = startup_seconds()
    understand("電球")
    rss_loaded = rss_mb()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    supporters = make_supporters(args.supporters, rng)
    requests = make_requests(args.requests, args.supporters, rng)
    made = time.perf_counter() - start
    rss_data = rss_mb()
    start = time.perf_counter()
    index = SupporterIndex(supporters)
    built = time.perf_counter() - start
    rss_index = rss_mb()
    # A long-running bot process loads its supporters once; moving them out of the garbage
    # collector's sight keeps full collections from landing in the middle of a request.
    gc.freeze()

    skills = {s.member_id: s.skills for s in supporters}

    def rank(request: BenchRequest) -> list[int]:
        ranked = index.rank(request.query, limit=TOP, now=NOW, weekly_cap=WEEKLY_CAP)
        return [c.supporter.member_id for c in ranked]

    # Dev-set texts repeat across the 1,000 requests; real ones do not, so the per-text cache is
    # emptied before each request (caches per word or per supporter stay warm, as in the bot).
    ours = run(requests, rank, skills.__getitem__, content_words.cache_clear)
    rss = peak_rss_mb()

    row = "{:27}{:>9.2f}{:>9.2f}{:>11.1%}{:>11.1%}{:>11.1%}{:>8.1%}"
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"data: {len(supporters):,} supporters around Sendai ({made:.1f} s), {len(requests):,} requests")
    print(f"start-up (import + first understand): {startup:.2f} s   [target < 2 s]")
    print(f"index build: {built:.1f} s   peak RSS: {rss:.0f} MB   [target < 400 MB]")
    print(
        f"  RSS after import + first understand {rss_loaded:.0f} MB (mostly the mapped Sudachi dictionary),"
        f" + supporters {rss_data - rss_loaded:.0f} MB, + index {rss_index - rss_data:.0f} MB"
    )
    print()
    print("right kind = a supporter whose skills include the request's labelled category")
    heads = ("median", "p99", f"hit@{TOP}", f"hit@{NOTIFIED}", f"prec@{NOTIFIED}", "empty")
    print(f"{'':27}" + "".join(f"{h:>{w}}" for h, w in zip(heads, (9, 9, 11, 11, 11, 8), strict=True)))
    print(row.format("otagai SupporterIndex (ms)", ours.median_ms, ours.p99_ms, ours.hit_top,
                     ours.hit_notified, ours.precision_notified, ours.empty))  # fmt: skip
    if args.pg:
        peer, full = pg_peer(args.pg, supporters, requests, args.pg_full_sample)
        print(row.format("PostgreSQL trgm+earth (ms)", peer.median_ms, peer.p99_ms, peer.hit_top,
                         peer.hit_notified, peer.precision_notified, peer.empty))  # fmt: skip
        print(
            f"PostgreSQL / otagai time: median {peer.median_ms / ours.median_ms:.1f}x, "
            f"p99 {peer.p99_ms / ours.p99_ms:.1f}x; otagai accuracy "
            f"hit@{TOP} {ours.hit_top - peer.hit_top:+.1%}, prec@{NOTIFIED} "
            f"{ours.precision_notified - peer.precision_notified:+.1%} (points)"
        )
        if full is not None:
            n = args.pg_full_sample
            same = run(requests[:n], rank, skills.__getitem__, content_words.cache_clear)
            print(f"\nunfiltered pg_trgm ranking of everyone in the box, first {n} requests:")
            print(row.format(f"otagai, same {n} (ms)", same.median_ms, same.p99_ms, same.hit_top,
                             same.hit_notified, same.precision_notified, same.empty))  # fmt: skip
            print(row.format("PostgreSQL full trgm (ms)", full.median_ms, full.p99_ms, full.hit_top,
                             full.hit_notified, full.precision_notified, full.empty))  # fmt: skip
            ratio = f"median {full.median_ms / same.median_ms:.0f}x, p99 {full.p99_ms / same.p99_ms:.0f}x"
            print(f"PostgreSQL / otagai time: {ratio}")
    print("targets: median < 15 ms, p99 < 50 ms")


if __name__ == "__main__":
    main()
