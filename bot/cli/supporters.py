"""`otagai supporters`: import the roster (CSV), list supporters and applicants, approve or decline."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from bot.cli.audit import audit
from bot.cli.support import (
    database_session,
    day,
    file_problems,
    one_member,
    operator_context,
    operator_name,
    person_label,
    require_database,
    settings_or_fail,
)
from bot.roster import RosterError, read_roster, save_roster
from db import supporters as supporter_repo
from db.models import SupporterRecord, SupporterStatus
from handlers import vetting
from matching import category_label

MET_HOW = vetting.MET_HOW


@click.group()
def supporters() -> None:
    """Supporter roster commands."""


@supporters.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
def import_supporters(csv_file: Path) -> None:
    """Load supporters from a CSV (UTF-8, UTF-8 with BOM or Shift_JIS): name,line_user_id,skills,latitude,
    longitude,radius_km (or 名前,LINEユーザーID,できること,緯度,経度,半径km)."""
    settings = settings_or_fail()
    require_database(settings)  # before the file: fix the setup first, not the file then the setup
    try:
        rows = read_roster(csv_file)
    except RosterError as exc:
        raise file_problems(csv_file, exc) from exc
    with database_session(settings) as session:
        created, updated = save_roster(session, rows)
    click.echo(f"imported {len(rows)} supporters ({created} new, {updated} updated)")


@supporters.command("list")
@click.option("--applicants", is_flag=True, help="Only those waiting for an interview or briefing.")
@click.option(
    "--status", type=click.Choice([s.value for s in SupporterStatus]), help="Only supporters in this state."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_supporters(applicants: bool, status: str | None, as_json: bool) -> None:
    """Supporters and applicants: state, when they applied, interview, agreement and insurance."""
    settings = settings_or_fail()
    wanted = SupporterStatus.APPLICANT if applicants else (SupporterStatus(status) if status else None)
    today = datetime.now(settings.timezone).date()
    with database_session(settings) as session:
        rows = [_row(record, today, settings.timezone) for record in supporter_repo.listing(session, wanted)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no applicants waiting" if applicants else "no supporters yet")
        return
    for row in rows:
        met = f"met {row['met_on']} ({row['met_how']})" if row["met_on"] else "not met yet"
        agreed = f"rules v{row['agreement_version']}" if row["agreement_version"] else "rules not agreed"
        insured = f"insured {row['insured_year']}" if row["insured"] else "not insured this year"
        click.echo(
            f"{row['name'] or '-'} ({row['line_user_id'] or 'no LINE'})  {row['status']}  "
            f"applied {row['applied_on']}  {met}  {agreed}  {insured}  {row['area'] or '-'}  {row['skills']}"
        )


def _row(record: SupporterRecord, today: date, zone: Any) -> dict[str, Any]:
    member = record.member
    return {
        "name": member.display_name,
        "line_user_id": member.line_user_id,
        "status": record.status.value,
        "applied_on": record.applied_at.astimezone(zone).date().isoformat(),
        "met_on": record.met_on.isoformat() if record.met_on else None,
        "met_how": record.met_how,
        "note": record.note,
        "decided_by": record.decided_by,
        "agreement_version": record.agreement_version,
        "insured_year": record.insured_year,
        "insured": supporter_repo.is_insured(record, today),
        "area": member.home_area,
        "skills": "、".join(category_label(s.category) for s in member.skills),
    }


def _decision_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--met", metavar="YYYY-MM-DD", help="Day of the interview or briefing (default today)."
            ),
            click.option(
                "--how",
                type=click.Choice(sorted(MET_HOW)),
                default="interview",
                show_default=True,
                help="An interview (面談) or a briefing (説明会).",
            ),
            click.option("--note", default="", help="What the coordinator noted."),
            click.option("--by", "by", default=None, help="Who decided (default: the operator's user name)."),
        ]
    ):
        command = option(command)
    return command


@supporters.command("approve")
@click.argument("who")
@_decision_options
def approve(who: str, met: str | None, how: str, note: str, by: str | None) -> None:
    """A coordinator has met WHO (LINE display name or user id): they are asked for help from now on."""
    _decide(who, met, how, note, by, approve=True)


@supporters.command("decline")
@click.argument("who")
@_decision_options
def decline(who: str, met: str | None, how: str, note: str, by: str | None) -> None:
    """WHO will not be asked for help; they are told kindly in LINE."""
    _decide(who, met, how, note, by, approve=False)


def _decide(who: str, met: str | None, how: str, note: str, by: str | None, *, approve: bool) -> None:
    settings = settings_or_fail()
    now = datetime.now(UTC)
    met_on = day(met) or now.astimezone(settings.timezone).date()
    with database_session(settings) as session:
        person = one_member(session, who)
        ctx = operator_context(session, settings, now)
        try:
            vetting.decide(
                ctx,
                person,
                approve=approve,
                by=by or operator_name(),
                met_on=met_on,
                met_how=MET_HOW[how],
                note=note,
            )
        except vetting.NotApplied as exc:
            raise click.ClickException(
                f"{person_label(person)} has not applied: "
                "they register in LINE with 「サポーターになる」 first"
            ) from exc
        action = "supporter_approved" if approve else "supporter_declined"
        note = vetting.audit_note(met_on, MET_HOW[how], note)
        audit(session, action, now, member_id=person.id, note=note, actor=by)
    if approve:
        click.echo(f"{person_label(person)} is approved: nearby requests reach them from now on")
    else:
        click.echo(f"{person_label(person)} is declined: they are told in LINE and are never asked")
