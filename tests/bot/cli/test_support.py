"""Every `otagai` command on a database that is missing, unreachable or not migrated says what to do in one
line and exits non-zero (no traceback): walked from the command tree, so a new command is covered too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from db.migrate import upgrade
from tests.support import SECRET, TOKEN

# These never touch an existing database: `db upgrade` creates it and the demo makes its own.
EXEMPT = {("demo",), ("db", "upgrade")}
ROSTER = "name,line_user_id,skills,latitude,longitude,radius_km\n佐藤,,電球,35.65,139.65,3\n"


def commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the public way: `otagai` loads its commands lazily
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, path)
        elif path not in EXEMPT:
            yield path, command


# Values to try for a required parameter: the first its type accepts is used.
SAMPLES = ("1", "35.6", "2026-12-24", "2026-11", "10:00", "佐藤")


def plausible(command: click.Command, param: click.Parameter, roster: Path) -> str:
    if isinstance(param.type, click.Path):
        return str(roster)
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    # Some commands check the shape of a value in their body, before the database: go by its name.
    hint = f"{param.name} {getattr(param, 'metavar', '') or ''}".upper()
    if "YYYY-MM-DD" in hint or "DAY" in hint or "DATE" in hint:
        return "2026-12-24"
    if "YYYY-MM" in hint or "MONTH" in hint:
        return "2026-11"
    for sample in SAMPLES:
        try:
            # Its type and its callback, as click would check them.
            param.process_value(click.Context(command), sample)
        except (click.BadParameter, ValueError, TypeError):
            continue
        return sample
    raise AssertionError(f"no sample value fits {param.name} ({param.type})")


def arguments(command: click.Command, roster: Path) -> list[str]:
    """Plausible values for what the command requires, so it gets as far as the database."""
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument) and not param.required:
            continue  # optional (including nargs=-1): the command must reach the database without it
        if isinstance(param, click.Argument):
            args.append(plausible(command, param, roster))
        elif isinstance(param, click.Option) and param.required:
            args += [param.opts[0], plausible(command, param, roster)]
    return args


def run(database_url: str, args: list[str]) -> tuple[int, str, str]:
    # Every optional feature on, so each command gets as far as the database.
    env = {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "OTAGAI_FEES": "on",
        "OTAGAI_PUBLIC_URL": "https://otagai.example",
    }
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def databases(tmp_path: Path) -> dict[str, str]:
    behind = tmp_path / "behind.sqlite3"
    upgrade(f"sqlite:///{behind}", "0004")
    return {
        "empty": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "unreachable": f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.sqlite3'}",
        "behind": f"sqlite:///{behind}",
        "postgres-nobody-home": "postgresql+psycopg://otagai:secret-pw@127.0.0.1:1/otagai",
    }


def test_every_command_says_what_to_do_when_the_database_is_not_ready(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    walked = list(commands(main))
    assert {path[0] for path, _ in walked} >= {"match", "supporters", "coordinators", "requests", "report"}
    for kind, url in databases(tmp_path).items():
        for path, command in walked:
            code, out, err = run(url, [*path, *arguments(command, roster)])
            said = (out + err).strip()
            where = f"{' '.join(path)} on {kind}"
            assert code == 1, f"{where}: exit {code}: {said}"
            assert "Traceback" not in said and len(said.splitlines()) == 1, f"{where}: {said}"
            assert "DATABASE_URL" in said and "otagai db upgrade" in said, f"{where}: {said}"
            assert "secret-pw" not in said, f"{where} shows the password: {said}"


@pytest.mark.parametrize("revision", ["0004"])
def test_upgrade_then_the_same_command_works(tmp_path: Path, revision: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url, revision)
    code, _, err = run(url, ["requests", "list"])
    assert code == 1 and "run `otagai db upgrade`" in err
    code, out, _ = run(url, ["db", "upgrade"])
    assert code == 0, out
    code, out, _ = run(url, ["requests", "list"])
    assert code == 0 and out.strip() == "nothing waiting for a coordinator"


def test_upgrade_itself_on_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    code, out, err = run("postgresql+psycopg://otagai:secret-pw@127.0.0.1:1/otagai", ["db", "upgrade"])
    said = (out + err).strip()
    assert code == 1 and len(said.splitlines()) == 1 and "DATABASE_URL" in said and "secret-pw" not in said
