"""`otagai match`: who would be asked for a request (e.g. one that came by phone), and why."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from bot.cli.support import database_session, settings_or_fail
from handlers.candidates import find_candidates
from matching import MatchResult, RequestQuery, category_label
from matching.privacy import mask_personal

REASONS = {
    "ok": "ranked",
    "emergency": "emergency: tell them to call 119 (fire, ambulance) or 110 (police); nobody is asked",
    "referral": "harassment, stalking or fraud: refer to #9110 or 188 (110 if in danger), tell a coordinator",
    "not_allowed": "volunteers may not do this; refer to the coordinator or a public service",
    "harmful": "aimed at harming someone; nobody is asked",
    "unknown_category": "the text says too little to know what help is needed",
    "bad_location": "the coordinates are impossible or outside Japan",
    "no_supporters": "no supporter within reach fits this request",
}


@click.command()
@click.argument("text")
@click.option("--lat", type=float, required=True, help="Latitude of the place where help is needed.")
@click.option("--lon", type=float, required=True, help="Longitude of the place where help is needed.")
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True, help="How many supporters.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def match(text: str, lat: float, lon: float, top: int, as_json: bool) -> None:
    """Rank supporters from the database for a request (e.g. one that came by phone), with reasons."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        result, _ = find_candidates(
            session,
            RequestQuery(text=text, lat=lat, lon=lon),
            limit=top,
            now=datetime.now(UTC),
            weekly_cap=settings.weekly_ask_cap,
        )
    # What a supporter's card would show: personal details in the text stay hidden until accept.
    report = {"text": mask_personal(text), **match_report(result)}
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(report))


def match_report(result: MatchResult) -> dict[str, Any]:
    understanding = result.understanding
    flag = understanding.flag
    return {
        "category": understanding.category,
        "category_label": category_label(understanding.category) if understanding.category else None,
        "flag": flag,
        "flag_reason": result.flag_reason,
        # now: call 119/110 at once; maybe: the bot asks 今すぐ命にかかわりますか？ first.
        "urgency": understanding.urgency,
        "referral": understanding.referral,
        "reason": result.reason,
        "explanation": REASONS.get(result.reason, result.reason),
        "candidates": [
            {
                "name": c.supporter.name,
                "line_user_id": c.supporter.line_user_id,
                "member_id": c.supporter.member_id,
                "distance_km": round(c.distance_km, 3),
                "score": round(c.score, 4),
                "parts": {k: round(v, 4) for k, v in c.parts.items()},
            }
            for c in result.candidates
        ],
    }


def _table(report: dict[str, Any]) -> str:
    lines = [f"category: {report['category_label'] or '-'} ({report['category'] or 'unknown'})"]
    if "text" in report:
        lines.insert(0, f"text (as cards show it): {report['text']}")
    if report["flag"]:
        urgency = f", urgency {report['urgency']}" if report["urgency"] else ""
        lines.append(f"FLAG {report['flag']} ({report['flag_reason']}{urgency}): {report['explanation']}")
        return "\n".join(lines)
    if report["referral"]:
        lines.append(f"REFERRAL {report['referral']}: {report['explanation']}")
        return "\n".join(lines)
    if not report["candidates"]:
        lines.append(f"no candidates: {report['explanation']}")
        return "\n".join(lines)
    lines.append(f"{'#':>2}  {'name':<16} {'km':>6} {'score':>6}  category  text  distance  fairness")
    for rank, c in enumerate(report["candidates"], start=1):
        p = c["parts"]
        lines.append(
            f"{rank:>2}  {c['name'][:16]:<16} {c['distance_km']:>6.2f} {c['score']:>6.3f}  "
            f"{p['category']:>8.2f}  {p['text']:>4.2f}  {p['distance']:>8.2f}  {p['fairness']:>8.2f}"
        )
    return "\n".join(lines)
