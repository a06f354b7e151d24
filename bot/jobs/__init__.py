"""The worker's jobs, a module each: `followups` every tick, `retention` hourly (bot/worker.py runs them)."""
