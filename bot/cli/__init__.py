"""The `otagai` command: one module per command group, imported only when its command runs (`main`)."""

from __future__ import annotations

import logging
import sys

import click

from bot.cli.lazy import Lazy, LazyGroup

# Each subcommand's module and its short help for `otagai --help` (the first paragraph of its docstring;
# tests/bot/cli/test_lazy.py checks the two agree). Importing them all would take seconds.
SUBCOMMANDS = {
    "agreement": Lazy(
        "bot.cli.agreement:agreement_group",
        "The scheme's rules and confidentiality text (活動のきまり) supporters agree to.",
    ),
    "areas": Lazy(
        "bot.cli.areas:areas",
        "Areas (a local committee or hub each): desk accounts of an area see its requests and people.",
    ),
    "audit": Lazy(
        "bot.cli.audit:audit_command",
        "The audit log, newest first: who changed what and when, in the web desk or by an operator command.",
    ),
    "coordinators": Lazy(
        "bot.cli.coordinators:coordinators",
        "Who gets the 【要対応】 notices in LINE (requests nobody took, no-shows, unanswered check-ins).",
    ),
    "db": Lazy("bot.cli.db:db", "Database commands."),
    "demo": Lazy(
        "bot.cli.demo:demo",
        "Try the bot in a browser: a fake LINE, demo neighbours, and a chat page (no LINE channel needed).",
    ),
    "fees": Lazy(
        "bot.cli.fees:fees_group", "Fees charged for visits (OTAGAI_FEES=on): a month's settlement."
    ),
    "insurance": Lazy(
        "bot.cli.insurance:insurance_group",
        "Volunteer insurance (ボランティア活動保険), year 1 April–31 March;"
        " checked when OTAGAI_INSURANCE=on.",
    ),
    "match": Lazy(
        "bot.cli.match:match",
        "Rank supporters from the database for a request (e.g. one that came by phone), with reasons.",
    ),
    "members": Lazy(
        "bot.cli.members:members", "One person's data (show, export, erase) and blocking (block, unblock)."
    ),
    "places": Lazy(
        "bot.cli.places:places",
        "The community's places: こども食堂, 地域食堂, みんなのおうち, サロン, food drop-offs.",
    ),
    "report": Lazy(
        "bot.cli.report:report",
        "Requests sent in a month and what became of them, no-shows, and hours of help (time credits);"
        " with --format pdf or csv, the month's activity report.",
    ),
    "requests": Lazy(
        "bot.cli.requests:requests", "The requests: what waits for a coordinator, and each one's story."
    ),
    "richmenu": Lazy(
        "bot.cli.richmenu:richmenu",
        "The menu under the chat in LINE (big tiles for 困りごとを相談, 近くの食堂・場所, やってみたい, …).",
    ),
    "run-due": Lazy(
        "bot.cli.worker:run_due",
        "Handle every follow-up and message due now (or at --at), and purge old rows, once:"
        " for cron, operations and tests.",
    ),
    "supporters": Lazy("bot.cli.supporters:supporters", "Supporter roster commands."),
    "tickets": Lazy(
        "bot.cli.tickets:tickets_group",
        "Residents' prepaid tickets (利用券), in yen, used for fees when OTAGAI_FEES=on.",
    ),
    "worker": Lazy(
        "bot.cli.worker:worker", "Run the scheduler worker (its own process; never inside web workers)."
    ),
}


@click.group(cls=LazyGroup, lazy_subcommands=SUBCOMMANDS)
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
def main(verbose: bool) -> None:
    """Otagai (お互いさま): a LINE bot for neighbourhood mutual aid."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
