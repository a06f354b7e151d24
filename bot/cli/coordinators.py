"""`otagai coordinators`: who gets the 【要対応】 notices in LINE; who signs in to the web desk, as what."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import click
from sqlalchemy.orm import Session

from bot.cli.support import (
    database_session,
    one_member,
    operator_name,
    person_label,
    require_database,
    settings_or_fail,
)
from bot.desk.auth import MIN_PASSWORD, hash_password, password_problem
from db import desk as desk_repo
from db import members as member_repo
from db import outbox
from db.models import Area, DeskAccount, DeskRoleKind, Member
from handlers import texts, ui
from handlers.settings import Settings


@click.group()
def coordinators() -> None:
    """Who gets the 【要対応】 notices in LINE (requests nobody took, no-shows, unanswered check-ins)."""


@coordinators.command("list")
def list_coordinators() -> None:
    """Show the coordinators."""
    with database_session(settings_or_fail()) as session:
        people = member_repo.all_coordinators(session)
        if not people:
            click.echo("no coordinators yet: add one with `otagai coordinators add NAME`")
        for person in people:
            state = "" if person.active else "  (has blocked or removed the bot: gets nothing)"
            click.echo(f"{person.display_name or '-'}  {person.line_user_id}{state}")


ROLE_CHOICES = {"administrator": DeskRoleKind.ADMINISTRATOR, "coordinator": DeskRoleKind.COORDINATOR}
ROLE_CHOICES["read-only"] = DeskRoleKind.READ_ONLY


@coordinators.command("add")
@click.argument("who")
@click.option(
    "--password",
    "with_password",
    is_flag=True,
    help="Also let them sign in to the web desk (/desk/) as WHO; the password is asked for, twice.",
)
@click.option(
    "--area", default=None, help="The area (otagai areas add) their desk role is for; default every area."
)
@click.option(
    "--role",
    type=click.Choice(sorted(ROLE_CHOICES)),
    default=None,
    help="Their desk role in that area: administrator (also accounts and settings), coordinator, or "
    "read-only (sees, changes nothing). Default for a new desk account: coordinator.",
)
@click.option(
    "--phone", default="", help="With --password: the phone number supporters call for proxy requests."
)
def add_coordinator(who: str, with_password: bool, area: str | None, role: str | None, phone: str) -> None:
    """Make someone a coordinator: 【要対応】 notices in LINE (WHO: their LINE display name or user id),
    and with --password a web desk account (WHO need not use LINE then) with a role in an area."""
    settings = settings_or_fail()
    require_database(settings)
    password = None
    if role is not None and not with_password:
        with database_session(settings) as session:
            if desk_repo.account_by_login(session, who.strip()) is None:
                raise click.ClickException(
                    f"{who} has no desk account yet: add --password to make one with this role"
                )
        _change_role(settings, who, role, area)
        return
    if with_password:
        password = click.prompt("password for the desk", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password)
        if problem:
            raise click.ClickException(f"{problem} (at least {MIN_PASSWORD} characters)")
    with database_session(settings) as session:
        found = member_repo.named(session, who.strip())
        if password is None or found:
            person = one_member(session, who)
            if not person.active and password is None:
                raise click.ClickException(
                    f"{person_label(person)} has blocked or removed the bot, "
                    "so LINE would deliver them nothing; "
                    "ask them to add it as a friend again first"
                )
            person.is_coordinator = True
            click.echo(f"{person_label(person)} is a coordinator: 【要対応】 notices now reach them in LINE")
        if password is not None:
            member = found[0] if len(found) == 1 else None
            _desk_account(session, who.strip(), password, area, role, phone, member)


def _area(session: Session, area_name: str | None) -> Area | None:
    if not area_name:
        return None
    area = desk_repo.area_named(session, area_name.strip())
    if area is None:
        raise click.ClickException(f"there is no area {area_name!r}: add it with `otagai areas add`")
    return area


def _desk_account(
    session: Session,
    login: str,
    password: str,
    area_name: str | None,
    role: str | None,
    phone: str,
    member: Member | None,
) -> None:
    area = _area(session, area_name)
    account = desk_repo.account_by_login(session, login)
    if account is None:
        account = DeskAccount(login=login, password_hash="")
        session.add(account)
    account.password_hash = hash_password(password)
    account.active = True
    account.phone = phone[:30] or account.phone
    if member is not None:
        account.member_id = member.id
    session.flush()
    if role is not None or area is not None or not account.roles:
        # An area named without a role keeps the role held there already (a coordinator for a new one).
        kept = desk_repo.role_in(account, area)
        _set_role(session, account, area, ROLE_CHOICES[role] if role else kept or DeskRoleKind.COORDINATOR)
    where = f"area {area.name}" if area else "every area"
    click.echo(f"{login} can sign in to the desk at /desk/ ({where})")


def _set_role(session: Session, account: DeskAccount, area: Area | None, role: DeskRoleKind | None) -> None:
    """Change one role and write it to the audit log, in the same transaction."""
    before, after = desk_repo.set_role(session, account, area, role)
    where = area.name if area else "every area"
    if before == after:
        click.echo(f"{account.login} is {_role_word(after)} in {where} already")
        return
    desk_repo.record_operator(
        session,
        operator_name(),
        "role_change",
        datetime.now(UTC),
        note=desk_repo.role_note(account.login, area, before, after),
    )
    click.echo(f"{account.login}: {_role_word(before)} → {_role_word(after)} in {where}")


def _role_word(role: DeskRoleKind | None) -> str:
    return "no role" if role is None else role.value.replace("_", "-")


def _change_role(settings: Settings, who: str, role: str, area_name: str | None) -> None:
    with database_session(settings) as session:
        account = desk_repo.account_by_login(session, who.strip())
        if account is None:
            raise click.ClickException(
                f"there is no desk account {who!r}: `otagai coordinators add {who} --password` first"
            )
        _set_role(session, account, _area(session, area_name), ROLE_CHOICES.get(role))


@coordinators.command("role")
@click.argument("who")
@click.argument("role", type=click.Choice([*sorted(ROLE_CHOICES), "none"]))
@click.option("--area", default=None, help="The area (otagai areas add); default every area.")
def change_role(who: str, role: str, area: str | None) -> None:
    """Change WHO's desk role in an area (none: take their role there away); written to the audit log."""
    settings = settings_or_fail()
    require_database(settings)
    _change_role(settings, who, role, area)


@coordinators.command("remove")
@click.argument("who")
def remove_coordinator(who: str) -> None:
    """Stop someone's coordinator notices and desk sign-in (their LINE display name, user id or desk name)."""
    with database_session(settings_or_fail()) as session:
        account = desk_repo.account_by_login(session, who.strip())
        if account is not None:
            account.active = False
            click.echo(f"{account.login} can no longer sign in to the desk")
            if not member_repo.named(session, who.strip()):
                return
        person = one_member(session, who)
        person.is_coordinator = False
        click.echo(f"{person_label(person)} is no longer a coordinator")


@coordinators.command("link")
@click.argument("who")
def send_link(who: str) -> None:
    """Send a coordinator a one-time desk sign-in link in LINE (15 minutes, one use; no password needed).

    WHO: a desk account, or a LINE coordinator (who then gets a desk account for every area).
    """
    settings = settings_or_fail(require_secrets=True)
    require_database(settings)
    if not settings.public_url:
        raise click.ClickException(
            "set OTAGAI_PUBLIC_URL to the web process's https address: the link must open the desk"
        )
    now = datetime.now(UTC)
    with database_session(settings) as session:
        account = desk_repo.account_by_login(session, who.strip())
        if account is None:
            person = one_member(session, who)
            if not person.is_coordinator:
                raise click.ClickException(
                    f"{person_label(person)} is not a coordinator: `otagai coordinators add` first"
                )
            account = DeskAccount(
                login=who.strip()[:100], password_hash=hash_password(secrets.token_urlsafe(24))
            )
            account.member_id = person.id
            session.add(account)
            session.flush()
            _set_role(session, account, None, DeskRoleKind.COORDINATOR)
        member = account.member
        if not account.active or member is None or not member.line_user_id or not member.active:
            raise click.ClickException(
                f"{account.login} has no LINE the bot can reach: link their LINE name with "
                "`otagai coordinators add NAME --password`, or sign in with a password"
            )
        token = desk_repo.new_link(session, account, now)
        url = f"{settings.public_url}/desk/link/{token}"
        rows = outbox.enqueue_push(
            session,
            [member.line_user_id],
            [ui.text(texts.DESK_SIGN_IN_LINK.format(url=url))],
            priority=outbox.PRIORITY_URGENT,
            now=now,
        )
        session.flush()
        row_ids = [row.id for row in rows]
    _deliver_now(settings, row_ids)
    click.echo(f"a sign-in link for {account.login} was sent in LINE (valid 15 minutes, one use)")


def _deliver_now(settings: Settings, row_ids: list[int]) -> None:
    """Send at once, even in quiet hours (they asked for it now; it is no notification); what cannot go
    stays in the outbox for the worker."""
    from datetime import time

    from bot.worker import runner_for

    with runner_for(settings.with_overrides(quiet_start=time(0), quiet_end=time(0))) as runner:
        runner.deliverer.deliver(row_ids)
