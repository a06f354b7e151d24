"""The local demo (`otagai demo`): the bot, a fake LINE and a chat page, never part of the production app."""

from bot.dev.demo.server import Demo, demo_database_url, run

__all__ = ["Demo", "demo_database_url", "run"]
