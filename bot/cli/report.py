"""`otagai report`: a month's numbers for the committee, and the time-credit ledger."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot.activity_report import visits_csv, visits_pdf
from bot.cli.support import database_session, month_span, settings_or_fail
from db import activity
from db.credits import credits
from db.places import place_numbers
from db.reports import MonthReport, month_report
from handlers.settings import Settings
from matching import category_label

STATUS_ORDER = ("done", "matched", "open", "cancelled", "expired")


@click.command()
@click.option("--month", metavar="YYYY-MM", help="Which month; default: this month in OTAGAI_TIMEZONE.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "pdf", "csv"]),
    default="text",
    show_default=True,
    help="pdf: the activity report (活動報告書), a page per supporter and a summary; csv: its visits.",
)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
def report(month: str | None, as_json: bool, fmt: str, output: Path | None) -> None:
    """Requests sent in a month and what became of them, no-shows, and hours of help (time credits);
    with --format pdf or csv, the month's activity report."""
    settings = settings_or_fail()
    month = month or datetime.now(settings.timezone).strftime("%Y-%m")
    if fmt in ("pdf", "csv"):
        _activity_report(settings, month, fmt, output)
        return
    as_json = as_json or fmt == "json"
    with database_session(settings) as session:
        try:
            numbers = month_report(session, month, settings.timezone)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--month") from exc
    if as_json:
        click.echo(json.dumps(_as_json(numbers), ensure_ascii=False, indent=2))
    else:
        click.echo(_as_text(numbers, str(settings.timezone)))


def _activity_report(settings: Settings, month: str, fmt: str, output: Path | None) -> None:
    if fmt == "pdf" and output is None:
        raise click.UsageError("--format pdf needs --output FILE.pdf")
    _, start, end = month_span(month, settings)
    with database_session(settings) as session:
        found = activity.visits(session, start, end, settings.timezone)
        places = place_numbers(session, start, end)
    if fmt == "csv":
        data = visits_csv(month, found)
    else:
        data = visits_pdf(
            month, found, organisation=settings.organisation_name, with_fees=settings.fees, places=places
        )
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    output.write_bytes(data)
    people = len({v.supporter_id for v in found})
    click.echo(f"wrote the {month} activity report to {output}: {len(found)} visits by {people} supporter(s)")


def _as_json(numbers: MonthReport) -> dict[str, Any]:
    return {
        "month": numbers.month,
        "requests": numbers.received,
        "by_status": {status: numbers.by_status.get(status, 0) for status in STATUS_ORDER},
        "by_category": {
            category: {"label": _label(category), "total": sum(counts.values()), **counts}
            for category, counts in numbers.by_category.items()
        },
        "no_shows": numbers.no_shows,
        "unmatched": numbers.unmatched,
        "median_minutes_to_accept": numbers.median_minutes_to_accept,
        "active_supporters": numbers.active_supporters,
        "minutes_given": numbers.minutes_given,
        "supporters_who_helped": numbers.supporters_who_helped,
        "places": {
            "openings": numbers.place_openings,
            "food_offers": numbers.food_offers,
            "food_passed_on": numbers.food_passed_on,
            "shifts": numbers.shifts,
            "shifts_filled": numbers.shifts_filled,
            "shift_helpers": numbers.shift_helpers,
            "classes": numbers.classes,
            "class_seats": numbers.class_seats,
        },
        "ledger": [
            {"name": line.name, "minutes_given": line.given, "minutes_received": line.received}
            for line in numbers.ledger
        ],
    }


def _as_text(numbers: MonthReport, zone: str) -> str:
    statuses = ", ".join(f"{s} {numbers.by_status.get(s, 0)}" for s in STATUS_ORDER)
    lines = [
        f"{numbers.month} ({zone})",
        f"requests sent: {numbers.received} ({statuses})",
        f"no-shows: {numbers.no_shows}",
        f"never accepted: {numbers.unmatched}; median time to accept: {_minutes(numbers)}; "
        f"supporters who answered a card: {numbers.active_supporters}",
        f"help given: {_hours(numbers.minutes_given)} hours by {numbers.supporters_who_helped} supporter(s)"
        " (1 time credit = 1 hour)",
        f"places: {numbers.place_openings} openings; food offered in chat: {numbers.food_offers}, "
        f"passed on: {numbers.food_passed_on}; shifts: {numbers.shifts} ({numbers.shifts_filled} filled) "
        f"by {numbers.shift_helpers} helper(s); classes held: {numbers.classes} "
        f"({numbers.class_seats} seats taken)",
    ]
    if numbers.by_category:
        lines.append("by kind of help:")
        for category, counts in numbers.by_category.items():
            parts = ", ".join(f"{s} {counts[s]}" for s in STATUS_ORDER if counts.get(s))
            lines.append(f"  {_label(category)}  {sum(counts.values())} ({parts})")
    if numbers.ledger:
        lines.append("time credits (hours given / received):")
        lines += [f"  {line.name}  {_hours(line.given)} / {_hours(line.received)}" for line in numbers.ledger]
    return "\n".join(lines)


def _minutes(numbers: MonthReport) -> str:
    median = numbers.median_minutes_to_accept
    return "-" if median is None else f"{median:.0f} min"


def _hours(minutes: int) -> str:
    return f"{credits(minutes):g}"


def _label(category: str) -> str:
    return "unknown" if category == "unknown" else category_label(category)
