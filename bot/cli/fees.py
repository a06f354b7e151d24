"""`otagai fees`: a month's settlement of the fees charged, and a booking charged when nobody was home."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.audit import audit
from bot.cli.support import database_session, month_span, settings_or_fail
from bot.roster import write_csv
from db import fees as fee_repo
from db import outbox
from db.models import HelpRequest, RequestStatus
from handlers import fees, texts, ui
from matching import category_label


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
    month, start, end = month_span(month, settings)
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
