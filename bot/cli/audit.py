"""The audit log: what operator commands record (`audit`), and `otagai audit` to read it."""

from __future__ import annotations

from datetime import datetime

import click
from sqlalchemy.orm import Session

from bot.cli.support import database_session, operator_name, settings_or_fail
from db import desk as desk_repo
from db.models import Member


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
        session, actor or operator_name(), action, now, request_id=request_id, member_id=member_id, note=note
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
