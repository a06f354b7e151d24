"""Typed, frozen settings loaded once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_ENDPOINT = "https://api.line.me"
DEFAULT_TIMEZONE = "Asia/Tokyo"


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a working configuration."""


def default_database_url(instance_dir: Path | None = None) -> str:
    """SQLite file under ./instance/, created on demand."""
    folder = instance_dir or Path.cwd() / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'otagai.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to know about its environment."""

    line_channel_secret: str
    line_channel_access_token: str
    database_url: str
    line_api_endpoint: str = DEFAULT_API_ENDPOINT
    timezone_name: str = DEFAULT_TIMEZONE
    # How many supporters get the first notification card for a request.
    notify_count: int = 5
    # A supporter is not asked more often than this per week (fairness).
    weekly_ask_cap: int = 3

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require_secrets: bool = True) -> Settings:
        """Read the public environment contract; fail fast with a fix-it message."""
        env = os.environ if env is None else env
        secret = env.get("LINE_CHANNEL_SECRET", "").strip()
        token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
        if require_secrets:
            missing = [
                name
                for name, value in (
                    ("LINE_CHANNEL_SECRET", secret),
                    ("LINE_CHANNEL_ACCESS_TOKEN", token),
                )
                if not value
            ]
            if missing:
                raise ConfigError(
                    "Missing "
                    + " and ".join(missing)
                    + ": set "
                    + ("it" if len(missing) == 1 else "them")
                    + " to the values shown in the LINE Developers console "
                    "(Messaging API channel → Basic settings / Messaging API tab)."
                )
        timezone_name = env.get("OTAGAI_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
        try:
            ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"OTAGAI_TIMEZONE={timezone_name!r} is not a known time zone; use a name such as Asia/Tokyo."
            ) from exc
        endpoint = env.get("LINE_API_ENDPOINT", "").strip() or DEFAULT_API_ENDPOINT
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigError(f"LINE_API_ENDPOINT={endpoint!r} must be a URL such as https://api.line.me.")
        return cls(
            line_channel_secret=secret,
            line_channel_access_token=token,
            database_url=env.get("DATABASE_URL", "").strip() or default_database_url(),
            line_api_endpoint=endpoint.rstrip("/"),
            timezone_name=timezone_name,
            notify_count=_positive_int(env, "OTAGAI_NOTIFY_COUNT", 5),
            weekly_ask_cap=_positive_int(env, "OTAGAI_WEEKLY_ASK_CAP", 3),
        )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} must be a whole number.") from exc
    if value < 1:
        raise ConfigError(f"{name} must be at least 1.")
    return value
