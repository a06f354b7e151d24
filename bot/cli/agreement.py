"""`otagai agreement`: the scheme's rules and confidentiality text (活動のきまり) supporters agree to."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.audit import audit
from bot.cli.support import database_session, operator, settings_or_fail
from db import supporters as supporter_repo
from handlers import agreement

# LINE shows at most 5,000 characters in one text message; the rules are one message.
AGREEMENT_LIMIT = 4500


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
    with database_session(settings_or_fail()) as session:
        current_version, current_body = agreement.current(session)
        if body == current_body:
            click.echo(f"unchanged: version {current_version} already says this")
            return
        added = supporter_repo.add_agreement(
            session, body, datetime.now(UTC), by=operator(), first_version=agreement.DEFAULT_VERSION + 1
        )
        version = added.version
        audit(session, "agreement_published", added.created_at, note=f"version {version}")
    click.echo(f"version {version} is in force: supporters agree to it at their next accept")
