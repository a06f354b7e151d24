"""`otagai` loads only the invoked command: `--help` lists every command unchanged, `match` skips LINE."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import SUBCOMMANDS, main
from tests.bot.cli.commands import roster, run

ROOT = Path(__file__).resolve().parents[3]

# The README's command table: a public contract, so a command may be added here but never dropped.
COMMANDS = [
    "agreement",
    "areas",
    "audit",
    "coordinators",
    "db",
    "demo",
    "fees",
    "insurance",
    "match",
    "members",
    "places",
    "report",
    "requests",
    "richmenu",
    "run-due",
    "supporters",
    "tickets",
    "worker",
]

# Run `otagai` in a fresh interpreter, then report on stderr which of our and the heavy modules it loaded.
PROBE = """
import json, sys
from bot.cli import main
try:
    main(sys.argv[1:], prog_name="otagai")
finally:
    heavy = {"linebot", "sklearn", "flask", "apscheduler"}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
    loaded += sorted(m for m in sys.modules if m.startswith("bot.cli.") and m != "bot.cli.lazy")
    print("LOADED " + json.dumps(loaded), file=sys.stderr)
"""


def otagai_in_a_fresh_process(env: dict[str, str], *args: str) -> tuple[int, str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("LOADED ")]
    assert marker, done.stderr
    return done.returncode, done.stdout, json.loads(marker[-1].removeprefix("LOADED "))


def commands_section(help_text: str) -> list[str]:
    return help_text.split("\nCommands:\n", 1)[1].splitlines()


def test_help_lists_every_command_without_importing_any() -> None:
    code, out, loaded = otagai_in_a_fresh_process({}, "--help")
    assert code == 0
    listed = [line.split()[0] for line in commands_section(out)]
    assert listed == COMMANDS
    assert loaded == []


@pytest.mark.parametrize("width", [60, 80, 200])
def test_help_shows_each_command_s_own_short_help(width: int) -> None:
    """The lazy list reads as click would write it from the real commands, at any terminal width."""
    ctx = click.Context(main)
    real = {name: main.get_command(ctx, name) for name in COMMANDS}
    for name, command in real.items():
        assert command is not None and not command.hidden
        assert command.get_short_help_str(10_000) == SUBCOMMANDS[name].short_help, name
    eager = click.Group(main.name, commands=real, params=main.params, help=main.help)
    lazy_help = CliRunner().invoke(main, ["--help"], terminal_width=width).output
    eager_help = CliRunner().invoke(eager, ["--help"], terminal_width=width).output
    assert lazy_help == eager_help


def test_unknown_command_still_fails_as_before() -> None:
    result = CliRunner().invoke(main, ["nosuch"])
    assert result.exit_code == 2 and "No such command 'nosuch'" in result.output


def test_match_does_not_load_the_line_sdk(database_url: str, tmp_path: Path) -> None:
    code, _, err = run(database_url, "supporters", "import", str(roster(tmp_path)))
    assert code == 0, err
    code, out, loaded = otagai_in_a_fresh_process(
        {"DATABASE_URL": database_url},
        *("match", "電球が切れた", "--lat", "35.6466", "--lon", "139.6532", "--json"),
    )
    assert code == 0
    assert json.loads(out)["candidates"][0]["name"] == "佐藤一郎"
    assert not any(m.startswith(("linebot", "flask", "apscheduler")) for m in loaded), loaded
    assert [m for m in loaded if m.startswith("bot.cli.")] == ["bot.cli.match", "bot.cli.support"]
