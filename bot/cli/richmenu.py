"""`otagai richmenu`: draw and upload the rich menu, show what LINE holds, or take it away."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
import urllib3.exceptions
from linebot.v3.messaging import ApiException

from bot.cli.support import database_session, settings_or_fail
from bot.richmenu import FontMissing, RichMenus, deploy, remove, show
from db import members as member_repo
from handlers.settings import Settings


@click.group()
def richmenu() -> None:
    """The menu under the chat in LINE (big tiles for 困りごとを相談, 近くの食堂・場所, やってみたい, …)."""


@richmenu.command("deploy")
def deploy_command() -> None:
    """Draw both menus, make the main one everyone's default and link coordinators to theirs.

    Run it again after adding coordinators: it replaces the menus it made before.
    """
    settings = settings_or_fail(require_secrets=True)
    coordinators = _coordinators(settings)
    with _menus(settings) as menus, _line_errors():
        try:
            report = deploy(menus, coordinators)
        except FontMissing as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(report.summary())


@richmenu.command("show")
def show_command() -> None:
    """List Otagai's menus on the channel, the default, and each coordinator's own menu."""
    settings = settings_or_fail(require_secrets=True)
    coordinators = _coordinators(settings)
    with _menus(settings) as menus, _line_errors():
        state = show(menus, list(coordinators))
    click.echo(state.summary(coordinators))


@richmenu.command("remove")
def remove_command() -> None:
    """Delete Otagai's menus (the default and coordinators' links go with them)."""
    settings = settings_or_fail(require_secrets=True)
    with _menus(settings) as menus, _line_errors():
        removed = remove(menus, _coordinators(settings))
    click.echo(f"{removed} Otagai rich menu(s) deleted")


def _menus(settings: Settings) -> RichMenus:
    return RichMenus(
        settings.line_channel_access_token, settings.line_api_endpoint, settings.line_api_data_endpoint
    )


def _coordinators(settings: Settings) -> dict[str, str]:
    """LINE user id → name of every coordinator who can get a menu of their own."""
    with database_session(settings) as session:
        return {
            str(person.line_user_id): person.display_name or str(person.line_user_id)
            for person in member_repo.coordinators(session)
        }


@contextmanager
def _line_errors() -> Iterator[None]:
    """LINE's refusal or silence as one clear line, never a traceback."""
    try:
        yield
    except ApiException as exc:
        body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else exc.body
        raise click.ClickException(f"LINE answered {exc.status} {exc.reason}: {body}") from exc
    except (OSError, urllib3.exceptions.HTTPError) as exc:
        raise click.ClickException(f"cannot reach LINE ({type(exc).__name__}); try again later") from exc
