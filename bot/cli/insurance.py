"""`otagai insurance`: who holds volunteer insurance (ボランティア活動保険); a month's visits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.audit import audit
from bot.cli.support import database_session, month_span, one_member, person_label, settings_or_fail
from bot.roster import write_csv
from db import supporters as supporter_repo
from handlers import insurance


@click.group("insurance")
def insurance_group() -> None:
    """Volunteer insurance (ボランティア活動保険), year 1 April–31 March; checked when OTAGAI_INSURANCE=on."""


@insurance_group.command("set")
@click.argument("who")
@click.option(
    "--year", type=click.IntRange(2000, 2100), help="Insurance year (2026 = April 2026–March 2027)."
)
@click.option("--note", default="", help="Policy or certificate number, or what was seen.")
def set_insurance(who: str, year: int | None, note: str) -> None:
    """Record that WHO is insured for the current (or given) insurance year."""
    settings = settings_or_fail()
    now = datetime.now(UTC)
    year = year or supporter_repo.insurance_year(now.astimezone(settings.timezone).date())
    with database_session(settings) as session:
        person = one_member(session, who)
        supporter_repo.set_insurance(session, person, year, now, note)
        audit(session, "insurance_set", now, member_id=person.id, note=f"{year} {note}".strip())
    click.echo(f"{person_label(person)} is insured for {year} (April {year} to March {year + 1})")


@insurance_group.command("clear")
@click.argument("who")
def clear_insurance(who: str) -> None:
    """Record that WHO is not insured (they cannot accept while OTAGAI_INSURANCE=on)."""
    with database_session(settings_or_fail()) as session:
        person = one_member(session, who)
        supporter_repo.set_insurance(session, person, None, datetime.now(UTC))
        audit(session, "insurance_cleared", datetime.now(UTC), member_id=person.id)
    click.echo(f"{person_label(person)} is not insured")


@insurance_group.command("visits")
@click.option("--month", metavar="YYYY-MM", help="Visits in this month; default: this month.")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write a CSV for the insurer."
)
def insurance_visits(month: str | None, output: Path | None) -> None:
    """Every accepted visit of a month, upcoming ones included: who, when, where, what (the advance list)."""
    settings = settings_or_fail()
    month, start, end = month_span(month, settings)
    with database_session(settings) as session:
        listed = insurance.visits(session, start, end, settings.timezone)
    if output is not None:
        rows = insurance.visit_rows(listed)
        output.write_bytes(write_csv(VISIT_HEADER, rows))
        click.echo(f"wrote {len(rows)} visits to {output}")
        return
    if not listed:
        click.echo(f"no accepted visits in {month}")
    for visit in listed:
        click.echo(f"#{visit.request_id}  {visit.when}  {visit.supporter}  {visit.place}  {visit.activity}")


VISIT_HEADER = insurance.VISIT_HEADER
