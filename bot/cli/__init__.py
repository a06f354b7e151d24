"""The `otagai` command: one module per command group, gathered here under `main` (the console script)."""

from __future__ import annotations

import logging
import sys

import click

from bot.cli.agreement import agreement_group
from bot.cli.areas import areas
from bot.cli.audit import audit_command
from bot.cli.coordinators import coordinators
from bot.cli.db import db
from bot.cli.demo import demo
from bot.cli.fees import fees_group
from bot.cli.insurance import insurance_group
from bot.cli.match import match
from bot.cli.members import members
from bot.cli.places import places
from bot.cli.report import report
from bot.cli.requests import requests
from bot.cli.richmenu import richmenu
from bot.cli.supporters import supporters
from bot.cli.tickets import tickets_group
from bot.cli.worker import run_due, worker


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
def main(verbose: bool) -> None:
    """Otagai (お互いさま): a LINE bot for neighbourhood mutual aid."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


for command in (
    match,
    supporters,
    coordinators,
    requests,
    report,
    agreement_group,
    insurance_group,
    tickets_group,
    fees_group,
    audit_command,
    members,
    areas,
    richmenu,
    places,
    db,
    worker,
    run_due,
    demo,
):
    main.add_command(command)
