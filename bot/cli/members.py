"""`otagai members`: see, export or erase what is kept about one person, and block or unblock them.

For an operator acting on a letter or a phone call (a disclosure or deletion request under 個人情報保護法),
and for coordinators stopping someone who misuses the service.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.cli.support import database_session, settings_or_fail
from db import disclosure
from db.models import Member
from handlers.context import Context
from handlers.privacy import leave_and_erase
from handlers.settings import Settings


@click.group()
def members() -> None:
    """One person's data (show, export, erase) and blocking (block, unblock)."""


@members.command("show")
@click.argument("who")
def show_member(who: str) -> None:
    """What is kept about a person: WHO is a member id, a LINE user id or an exact display name."""
    with database_session(settings_or_fail()) as session:
        record = disclosure.member_record(session, _one(session, who))
    click.echo(_readable(record))


@members.command("export")
@click.argument("who")
@click.option(
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    required=True,
    help="File to write (for a disclosure request).",
)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def export_member(who: str, output: Path, fmt: str) -> None:
    """Everything kept about one person, as a JSON or CSV file."""
    with database_session(settings_or_fail()) as session:
        record = disclosure.member_record(session, _one(session, who))
    body = json.dumps(record, ensure_ascii=False, indent=2) if fmt == "json" else disclosure.to_csv(record)
    try:
        output.write_text(body + ("\n" if fmt == "json" else ""), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"could not write {output}: {exc.strerror}") from exc
    click.echo(f"wrote {output} ({fmt})")


@members.command("erase")
@click.argument("who")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_member(who: str, yes: bool) -> None:
    """Erase a person's data as 退会 does: open requests cancelled and accepted visits handed on (the other
    side is told by the worker's next pass), then name, LINE id, places, texts, messages and photos go."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        member = _one(session, who)
        if member.erased_at is not None:
            click.echo(f"member {member.id} was already erased")
            return
        if not yes:
            click.confirm(f"Erase everything about {_label(member)}? This cannot be undone", abort=True)
        erased = leave_and_erase(_context(session, settings, member), member)
        click.echo(
            f"member {member.id} erased: {erased.requests} requests blanked, {erased.offers} offers, "
            f"{erased.photos} relay photos, {erased.messages} messages"
        )


@members.command("block")
@click.argument("who")
def block_member(who: str) -> None:
    """Stop someone: they get a polite fixed answer and are never matched (their data stays)."""
    _set_blocked(who, True)


@members.command("unblock")
@click.argument("who")
def unblock_member(who: str) -> None:
    """Let a blocked person use the bot again."""
    _set_blocked(who, False)


def _set_blocked(who: str, blocked: bool) -> None:
    with database_session(settings_or_fail()) as session:
        member = _one(session, who)
        member.blocked = blocked
        click.echo(f"{_label(member)} is {'blocked' if blocked else 'no longer blocked'}")


def _one(session: Session, who: str) -> Member:
    found = disclosure.find_members(session, who)
    if not found:
        raise click.ClickException(
            f"nobody matches {who!r}: give a member id, a LINE user id or a display name"
        )
    if len(found) > 1:
        ids = ", ".join(str(m.id) for m in found)
        raise click.ClickException(f"{len(found)} people are called {who!r} (member ids {ids}): give the id")
    return found[0]


def _label(member: Member) -> str:
    return f"member {member.id} ({member.display_name or '-'})"


def _context(session: Session, settings: Settings, member: Member) -> Context:
    """The erasure's notices are queued like a handler's; the worker delivers them."""
    return Context.without_event(session, settings, datetime.now(UTC), member=member)


def _readable(record: dict[str, Any]) -> str:
    person = record["member"]
    roles = [name for name in ("supporter", "coordinator") if person[f"is_{name}"]] + ["resident"]
    lines = [
        f"member {person['id']}: {person['display_name'] or '-'} ({person['line_user_id'] or 'no LINE'})",
        f"roles: {', '.join(roles)}; active={person['active']} blocked={person['blocked']} "
        f"erased_at={person['erased_at'] or '-'}",
        f"home: {person['home_address'] or '-'} ({person['home_area'] or '-'}), {person['radius_km']} km; "
        f"skills: {', '.join(person['skills']) or '-'} ({person['skill_text'] or '-'})",
        f"requests ({len(record['requests'])}):",
    ]
    for r in record["requests"]:
        lines.append(
            f"  #{r['id']} [{r['status']}] {r['category'] or '-'}: {r['text']} @ {r['address'] or '-'}"
        )
    lines.append(f"accepted as supporter: {len(record['accepted_requests'])}")
    lines.append(f"asked as supporter: {len(record['asked_as_supporter'])}")
    lines.append(f"offers ({len(record['offers'])}):")
    lines += [f"  {o['text']}" for o in record["offers"]]
    given = sum(c["minutes"] for c in record["time_credits"] if c["entry"] == "given")
    received = sum(c["minutes"] for c in record["time_credits"] if c["entry"] == "received")
    lines.append(f"time credits: {given} min given, {received} min received")
    lines.append(f"problem reports made: {len(record['problem_reports'])}")
    lines.append(f"messages received still in the outbox: {len(record['messages_received'])}")
    return "\n".join(lines)
