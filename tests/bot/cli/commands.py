"""Shared by the command tests: run `otagai` in-process, and a small supporter roster."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.dev.line_stub import user_id_for

HEADER = "name,line_user_id,skills,latitude,longitude,radius_km\n"
SATO = user_id_for("sato")


def write_roster(tmp_path: Path, rows: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def roster(tmp_path: Path) -> Path:
    return write_roster(
        tmp_path,
        f"佐藤一郎,{SATO},電球の交換、家具の組み立て,35.6500,139.6580,3\n"
        "鈴木花子,,repair;digital,35.6590,139.6600,5\n"
        "田中三郎,,草むしり,35.6480,139.6550,3\n"
        "遠藤四郎,,電球の交換,35.7100,139.6900,1\n",
    )
