"""`otagai agreement`: the scheme's rules and confidentiality text (活動のきまり) supporters agree to."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.audit import audit
from bot.cli.support import database_session, operator_name, settings_or_fail
from handlers import agreement

AGREEMENT_LIMIT = agreement.LIMIT


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
        version, new = agreement.publish(session, body, now, by=operator_name())
        if not new:
            click.echo(f"unchanged: version {version} already says this")
            return
        audit(session, "agreement_published", now, note=f"version {version}")
    click.echo(f"version {version} is in force: supporters agree to it at their next accept")
