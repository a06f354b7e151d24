"""`python -m bot.cli`: the `otagai` command without the console script (tests start the worker so)."""

from bot.cli import main

main()
