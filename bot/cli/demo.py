"""`otagai demo`: the bot, a LINE stand-in and a chat page in the browser (bot/dev/, loaded only here)."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port on 127.0.0.1 for the bot and the chat page.",
)
@click.option("--reset", is_flag=True, help="Start with a clean sample town: no requests, chats or credits.")
def demo(port: int, reset: bool) -> None:
    """Try the bot in a browser: a fake LINE, demo neighbours, and a chat page (no LINE channel needed)."""
    from bot.dev.demo import run

    run(port, reset=reset)
