"""`otagai tickets`: residents' prepaid tickets (利用券), sold, refunded and left."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.audit import audit
from bot.cli.support import database_session, one_member, operator_name, person_label, settings_or_fail
from db import fees as fee_repo


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
        person = one_member(session, who)
        try:
            if kind == fee_repo.SOLD:
                left = fee_repo.sell(session, person.id, amount, now, by=operator_name(), note=note)
            else:
                left = fee_repo.refund(session, person.id, -amount, now, by=operator_name(), note=note)
        except fee_repo.NotEnoughTickets as exc:
            raise click.ClickException(
                f"{person_label(person)} has {exc.left:,} yen of tickets: cannot refund {-amount:,}"
            ) from exc
        audit(session, f"tickets_{kind}", now, member_id=person.id, note=f"{amount} {note}".strip())
    click.echo(f"{person_label(person)}: {kind} {abs(amount):,} yen; tickets left {left:,} yen")


@tickets_group.command("balance")
@click.argument("who", required=False)
def ticket_balance(who: str | None) -> None:
    """What is left on WHO's tickets (everyone's without WHO); a negative balance is owed."""
    with database_session(settings_or_fail()) as session:
        people = [one_member(session, who)] if who else fee_repo.ticket_holders(session)
        lines = [f"{person_label(person)}: {fee_repo.balance(session, person.id):,} yen" for person in people]
    click.echo("\n".join(lines) if lines else "nobody has tickets yet")
