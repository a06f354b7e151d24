"""How the scheme is run, for operators: vetting supporters (`otagai supporters list/approve/decline`),
the rules they agree to (`otagai agreement`), and volunteer insurance (`otagai insurance`)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.cli_support import database_session, operator_context, operator_name, settings_or_fail
from bot.coordinator_cli import supporters
from bot.desk_cli import _one_member, _who, requests
from bot.roster import write_csv
from db import desk as desk_repo
from db import fees as fee_repo
from db import outbox
from db import supporters as supporter_repo
from db.models import HelpRequest, Member, RequestStatus, SupporterRecord, SupporterStatus
from db.reports import month_bounds
from handlers import agreement, fees, insurance, texts, ui, vetting
from handlers import first_visit as first_visit_flow
from matching import category_label

AGREEMENT_LIMIT = agreement.LIMIT
MET_HOW = vetting.MET_HOW


_operator = operator_name


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-12-01") from exc


# --- vetting ------------------------------------------------------------------------------------------


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
    met_on = _day(met) or now.astimezone(settings.timezone).date()
    with database_session(settings) as session:
        person = _one_member(session, who)
        ctx = operator_context(session, settings, now)
        try:
            vetting.decide(
                ctx,
                person,
                approve=approve,
                by=by or _operator(),
                met_on=met_on,
                met_how=MET_HOW[how],
                note=note,
            )
        except vetting.NotApplied as exc:
            raise click.ClickException(
                f"{_who(person)} has not applied: they register in LINE with 「サポーターになる」 first"
            ) from exc
        action = "supporter_approved" if approve else "supporter_declined"
        note = vetting.audit_note(met_on, MET_HOW[how], note)
        audit(session, action, now, member_id=person.id, note=note, actor=by)
    if approve:
        click.echo(f"{_who(person)} is approved: nearby requests reach them from now on")
    else:
        click.echo(f"{_who(person)} is declined: they are told in LINE and are never asked")


# --- the rules they agree to ----------------------------------------------------------------------------


@click.group("agreement")
def agreement_group() -> None:
    """The scheme's rules and confidentiality text (活動のきまり) supporters agree to."""


@agreement_group.command("show")
def show_agreement() -> None:
    """Print the version in force and its text."""
    with database_session(settings_or_fail()) as session:
        version, body = agreement.current(session)
    click.echo(f"version {version}\n\n{body}")


@agreement_group.command("set")
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def set_agreement(text_file: Path) -> None:
    """Publish TEXT_FILE (UTF-8) as a new version: supporters are asked to agree at their next accept."""
    try:
        body = text_file.read_text(encoding="utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{text_file} is not UTF-8 text: save it as UTF-8 and try again") from exc
    if not body:
        raise click.ClickException(f"{text_file} is empty")
    if len(body) > AGREEMENT_LIMIT:
        raise click.ClickException(
            f"{text_file} has {len(body)} characters; LINE shows it as one message, so keep it under "
            f"{AGREEMENT_LIMIT}"
        )
    now = datetime.now(UTC)
    with database_session(settings_or_fail()) as session:
        version, new = agreement.publish(session, body, now, by=_operator())
        if not new:
            click.echo(f"unchanged: version {version} already says this")
            return
        audit(session, "agreement_published", now, note=f"version {version}")
    click.echo(f"version {version} is in force: supporters agree to it at their next accept")


# --- volunteer insurance --------------------------------------------------------------------------------


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
        person = _one_member(session, who)
        supporter_repo.set_insurance(session, person, year, now, note)
        audit(session, "insurance_set", now, member_id=person.id, note=f"{year} {note}".strip())
    click.echo(f"{_who(person)} is insured for {year} (April {year} to March {year + 1})")


@insurance_group.command("clear")
@click.argument("who")
def clear_insurance(who: str) -> None:
    """Record that WHO is not insured (they cannot accept while OTAGAI_INSURANCE=on)."""
    with database_session(settings_or_fail()) as session:
        person = _one_member(session, who)
        supporter_repo.set_insurance(session, person, None, datetime.now(UTC))
        audit(session, "insurance_cleared", datetime.now(UTC), member_id=person.id)
    click.echo(f"{_who(person)} is not insured")


@insurance_group.command("visits")
@click.option("--month", metavar="YYYY-MM", help="Visits in this month; default: this month.")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write a CSV for the insurer."
)
def insurance_visits(month: str | None, output: Path | None) -> None:
    """Every accepted visit of a month, upcoming ones included: who, when, where, what (the advance list)."""
    settings = settings_or_fail()
    month = month or datetime.now(settings.timezone).strftime("%Y-%m")
    try:
        start, end = month_bounds(month, settings.timezone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
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


# --- prepaid tickets and fees ---------------------------------------------------------------------------


@click.group("tickets")
def tickets_group() -> None:
    """Residents' prepaid tickets (利用券), in yen, used for fees when OTAGAI_FEES=on."""


@tickets_group.command("sell")
@click.argument("who")
@click.argument("amount", type=click.IntRange(1, 1_000_000), metavar="YEN")
@click.option("--note", default="", help="Receipt number or what was sold (e.g. 600円券×5).")
def sell_tickets(who: str, amount: int, note: str) -> None:
    """WHO bought tickets worth YEN."""
    _ticket_entry(who, fee_repo.SOLD, amount, note)


@tickets_group.command("refund")
@click.argument("who")
@click.argument("amount", type=click.IntRange(1, 1_000_000), metavar="YEN")
@click.option("--note", default="", help="Why, or the receipt number.")
def refund_tickets(who: str, amount: int, note: str) -> None:
    """WHO was paid back YEN of unused tickets."""
    _ticket_entry(who, fee_repo.REFUNDED, -amount, note)


def _ticket_entry(who: str, kind: str, amount: int, note: str) -> None:
    now = datetime.now(UTC)
    with database_session(settings_or_fail()) as session:
        person = _one_member(session, who)
        try:
            if kind == fee_repo.SOLD:
                left = fee_repo.sell(session, person.id, amount, now, by=_operator(), note=note)
            else:
                left = fee_repo.refund(session, person.id, -amount, now, by=_operator(), note=note)
        except fee_repo.NotEnoughTickets as exc:
            raise click.ClickException(
                f"{_who(person)} has {exc.left:,} yen of tickets: cannot refund {-amount:,}"
            ) from exc
        audit(session, f"tickets_{kind}", now, member_id=person.id, note=f"{amount} {note}".strip())
    click.echo(f"{_who(person)}: {kind} {abs(amount):,} yen; tickets left {left:,} yen")


@tickets_group.command("balance")
@click.argument("who", required=False)
def ticket_balance(who: str | None) -> None:
    """What is left on WHO's tickets (everyone's without WHO); a negative balance is owed."""
    with database_session(settings_or_fail()) as session:
        people = [_one_member(session, who)] if who else fee_repo.ticket_holders(session)
        lines = [f"{_who(person)}: {fee_repo.balance(session, person.id):,} yen" for person in people]
    click.echo("\n".join(lines) if lines else "nobody has tickets yet")


@click.group("fees")
def fees_group() -> None:
    """Fees charged for visits (OTAGAI_FEES=on): a month's settlement."""


SETTLEMENT_HEADER = fees.SETTLEMENT_HEADER


@fees_group.command("settle")
@click.option("--month", metavar="YYYY-MM", help="Which month; default: this month.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write CSV (Excel-ready).")
def settle(month: str | None, output: Path | None) -> None:
    """Who owes and who is owed for the fees charged in a month (residents pay by ticket; helpers are
    paid their share plus travel and materials; the scheme keeps the rest)."""
    settings = settings_or_fail()
    month = month or datetime.now(settings.timezone).strftime("%Y-%m")
    try:
        start, end = month_bounds(month, settings.timezone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    with database_session(settings) as session:
        lines = fee_repo.settlement(session, start, end)
    rows = fees.settlement_rows(lines)
    if output is not None:
        output.write_bytes(write_csv(SETTLEMENT_HEADER, rows))
        click.echo(f"wrote {len(rows)} lines to {output}")
        return
    if not rows:
        click.echo(f"no fees charged in {month}")
    for row in rows:
        balance = f"  tickets left {row[7]:,} yen" if row[7] != "" else ""
        click.echo(f"{row[0]}  {row[1]}  {row[2]} visit(s)  {row[6]:,} yen{balance}")


@fees_group.command("absent")
@click.argument("request_id", type=int)
@click.option(
    "--minutes", type=click.IntRange(15, 480), default=60, show_default=True, help="How long was booked."
)
def absent(request_id: int, minutes: int) -> None:
    """The supporter came and the resident was not there: the booking is charged (the helper gave the time),
    and the resident is told in LINE."""
    settings = settings_or_fail()
    if not settings.fees:
        raise click.ClickException("fees are off: set OTAGAI_FEES=on to charge them")
    now = datetime.now(UTC)
    with database_session(settings) as session:
        request = session.get(HelpRequest, request_id)
        if request is None:
            raise click.ClickException(f"there is no request #{request_id}")
        supporter = request.accepted_by
        if supporter is None or request.status not in (RequestStatus.MATCHED, RequestStatus.DONE):
            raise click.ClickException(f"request #{request_id} has no accepted visit to charge")
        tariff = fees.Tariff.of(settings)
        start = (request.wanted_at or now).astimezone(settings.timezone)
        cost = fees.price(minutes, tariff.rate_at(start), tariff.helper_percent)
        if not fee_repo.charge(session, fees.fee_values(request, supporter, cost, "absent", now)):
            raise click.ClickException(f"request #{request_id} was charged already")
        left = fee_repo.balance(session, request.requester_id)
        audit(session, "fee_absent", now, request_id=request_id, note=f"{minutes} min {cost.total_yen} yen")
        if request.requester.line_user_id:
            category = category_label(request.category) if request.category else texts.UNKNOWN_CATEGORY
            notice = texts.FEE_ABSENT_RESIDENT.format(
                category=category, duration=texts.duration_text(minutes), amount=fees.yen(cost.total_yen)
            )
            body = f"{notice}\n{fees.balance_text(left)}"
            outbox.enqueue_push(session, [request.requester.line_user_id], [ui.text(body)], now=now)
    click.echo(
        f"#{request_id}: the booking ({minutes} min) is charged, {cost.total_yen:,} yen; "
        f"tickets left {left:,} yen"
    )


# --- 顔合わせ: a first visit together -------------------------------------------------------------------


@requests.command("first-visit")
@click.argument("request_id", type=int)
@click.argument("coordinator")
@click.option("--off", is_flag=True, help="The coordinator no longer goes along.")
def first_visit(request_id: int, coordinator: str, off: bool) -> None:
    """Mark REQUEST_ID as 顔合わせ: COORDINATOR (LINE display name or user id) goes along the first time,
    and gets its reminders and relay messages too."""
    now = datetime.now(UTC)
    settings = settings_or_fail()
    with database_session(settings) as session:
        request = session.get(HelpRequest, request_id)
        if request is None:
            raise click.ClickException(f"there is no request #{request_id}")
        person = _one_member(session, coordinator)
        ctx = operator_context(session, settings, now)
        if off:
            first_visit_flow.unmark(ctx, request)
            audit(session, "first_visit_off", now, request_id=request_id, note=_who(person))
            click.echo(f"#{request_id}: {_who(person)} no longer goes along")
            return
        try:
            first_visit_flow.mark(ctx, request, person)
        except first_visit_flow.NoVisit as exc:
            raise click.ClickException(
                f"request #{request_id} is {request.status.value}: nobody visits any more"
            ) from exc
        except first_visit_flow.NotCoordinator as exc:
            raise click.ClickException(
                f"{_who(person)} is not a coordinator (`otagai coordinators add` first)"
            ) from exc
        audit(session, "first_visit", now, request_id=request_id, note=_who(person))
    click.echo(f"#{request_id} is a 顔合わせ: {_who(person)} goes along and gets its reminders and messages")


# --- the audit log ---------------------------------------------------------------------------------------


def audit(
    session: Session,
    action: str,
    now: datetime,
    *,
    request_id: int | None = None,
    member_id: int | None = None,
    note: str = "",
    actor: str | None = None,
) -> None:
    """This command's change, in the same transaction, in the desk's audit log."""
    desk_repo.record_operator(
        session, actor or _operator(), action, now, request_id=request_id, member_id=member_id, note=note
    )


@click.command("audit")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=50, show_default=True, help="How many lines."
)
@click.option("--who", default=None, help="Only this desk login or operator.")
@click.option("--action", default=None, help="Only this action (e.g. role_change, tickets_sold).")
@click.option("--request", "request_id", type=int, default=None, help="Only this request's lines.")
def audit_command(limit: int, who: str | None, action: str | None, request_id: int | None) -> None:
    """The audit log, newest first: who changed what and when, in the web desk or by an operator command."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        lines = []
        found = desk_repo.recent_actions(session, limit, who=who, action=action, request_id=request_id)
        for entry in found:
            target = f"request #{entry.request_id}" if entry.request_id is not None else ""
            if entry.member_id is not None:
                member = session.get(Member, entry.member_id)
                target = member.display_name if member is not None else f"member {entry.member_id}"
            at = entry.at.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M")
            lines.append(f"{at}  {entry.who}  {entry.action}  {target}  {entry.note}".rstrip())
    click.echo("\n".join(lines) if lines else "nothing recorded yet")
