"""Typed, frozen settings loaded once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_ENDPOINT = "https://api.line.me"
# LINE serves message content and takes rich-menu images on a host of its own.
DEFAULT_API_DATA_ENDPOINT = "https://api-data.line.me"
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
    line_api_data_endpoint: str = DEFAULT_API_DATA_ENDPOINT
    timezone_name: str = DEFAULT_TIMEZONE
    # How many supporters get the first notification card for a request.
    notify_count: int = 5
    # A supporter is not asked more often than this per week (fairness).
    weekly_ask_cap: int = 3
    # Follow-ups: no pushes between quiet_start and quiet_end (local time); equal times turn it off.
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    # Nobody accepted after this much daytime: ask the next candidates, with a wider radius.
    reask_after_minutes: int = 120
    reask_radius_boost_km: float = 5.0
    # The resident is asked 完了した / まだ / 来なかった this long after the time
    # (いつでも: this many days after the accept).
    checkin_after_hours: int = 2
    anytime_checkin_days: int = 3
    # An いつでも request nobody takes is closed after this many days.
    anytime_expire_days: int = 14
    reminder_evening_hour: int = 18
    # The bot's public https URL, needed to pass on photos in relay chat (LINE fetches them from us).
    public_url: str | None = None
    # Below this share of the monthly push quota, only urgent pushes go out.
    quota_reserve_percent: int = 10
    # A coordinator meets every new supporter before they are asked (off: registering is enough).
    vetting: bool = True
    # Volunteer insurance is checked at each accept (and renewals reminded in March).
    insurance: bool = False
    # Hours of help are banked as time credits (1 hour = 1 credit); fees may replace or join them.
    time_credits: bool = True
    # Printed on activity reports.
    organisation_name: str = "お互いさま"
    # Fees paid in prepaid tickets (利用券): off unless the organisation charges for help.
    fees: bool = False
    fee_hourly_yen: int = 600
    # Night (fee_night_start to fee_night_end, local) and Japanese public holidays; None: the same rate.
    fee_night_holiday_yen: int | None = None
    fee_night_start: time = time(18, 0)
    fee_night_end: time = time(8, 0)
    # The helper's share of the hourly fee (the rest keeps the scheme running); travel and materials
    # are paid back to the helper in full.
    fee_helper_percent: int = 80
    # Privacy: a member who unfollowed is erased this many days later (unless they come back), and a
    # closed request's text, address and coordinates are blanked this many days after it closed.
    erase_after_unfollow_days: int = 30
    anonymise_after_days: int = 180
    # Abuse limits per member: requests sent in any 24 hours, relay messages in any minute.
    requests_per_day: int = 5
    relay_per_minute: int = 10
    # Signs the web desk's session cookies; None: derived from the channel secret (bot/desk).
    secret_key: str | None = None

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
        endpoint = _endpoint(env, "LINE_API_ENDPOINT", DEFAULT_API_ENDPOINT)
        data_endpoint = _endpoint(env, "LINE_API_DATA_ENDPOINT", DEFAULT_API_DATA_ENDPOINT)
        return cls(
            line_channel_secret=secret,
            line_channel_access_token=token,
            database_url=_database_url(env.get("DATABASE_URL", "").strip()),
            line_api_endpoint=endpoint,
            line_api_data_endpoint=data_endpoint,
            timezone_name=timezone_name,
            notify_count=_positive_int(env, "OTAGAI_NOTIFY_COUNT", 5),
            weekly_ask_cap=_positive_int(env, "OTAGAI_WEEKLY_ASK_CAP", 3),
            **_followup_settings(env),
            **_scheme_settings(env),
            **_privacy_settings(env),
        )


def _endpoint(env: Mapping[str, str], name: str, default: str) -> str:
    endpoint = env.get(name, "").strip() or default
    if not endpoint.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={endpoint!r} must be a URL such as {default}.")
    return endpoint.rstrip("/")


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


def _followup_settings(env: Mapping[str, str]) -> dict[str, Any]:
    quiet_start, quiet_end = _quiet_hours(env.get("OTAGAI_QUIET_HOURS", "").strip() or "21:00-08:00")
    public_url = env.get("OTAGAI_PUBLIC_URL", "").strip().rstrip("/") or None
    if public_url is not None and not public_url.startswith("https://"):
        raise ConfigError(
            f"OTAGAI_PUBLIC_URL={public_url!r} must start with https:// (LINE loads images over https)."
        )
    evening = _positive_int(env, "OTAGAI_REMINDER_EVENING_HOUR", 18)
    if evening > 23:
        raise ConfigError("OTAGAI_REMINDER_EVENING_HOUR must be an hour between 1 and 23.")
    return {
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "reask_after_minutes": _positive_int(env, "OTAGAI_REASK_AFTER_MINUTES", 120),
        "reask_radius_boost_km": float(_positive_int(env, "OTAGAI_REASK_RADIUS_BOOST_KM", 5)),
        "checkin_after_hours": _positive_int(env, "OTAGAI_CHECKIN_AFTER_HOURS", 2),
        "anytime_checkin_days": _positive_int(env, "OTAGAI_ANYTIME_CHECKIN_DAYS", 3),
        "anytime_expire_days": _positive_int(env, "OTAGAI_ANYTIME_EXPIRE_DAYS", 14),
        "reminder_evening_hour": evening,
        "public_url": public_url,
        "quota_reserve_percent": min(_positive_int(env, "OTAGAI_QUOTA_RESERVE_PERCENT", 10), 90),
        "secret_key": _secret_key(env),
    }


def _scheme_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """How the organisation runs its scheme: vetting, insurance, time credits and fees."""
    return {
        "vetting": _switch(env, "OTAGAI_VETTING", True),
        "insurance": _switch(env, "OTAGAI_INSURANCE", False),
        "time_credits": _switch(env, "OTAGAI_TIME_CREDITS", True),
        "organisation_name": env.get("OTAGAI_ORGANISATION_NAME", "").strip()[:60] or "お互いさま",
        **_fee_settings(env),
    }


def _fee_settings(env: Mapping[str, str]) -> dict[str, Any]:
    night = env.get("OTAGAI_FEE_NIGHT_HOLIDAY_YEN", "").strip()
    night_hours = env.get("OTAGAI_FEE_NIGHT_HOURS", "").strip() or "18:00-08:00"
    try:
        night_start, night_end = _quiet_hours(night_hours)
    except ConfigError as exc:
        raise ConfigError(
            f"OTAGAI_FEE_NIGHT_HOURS={night_hours!r} must look like 18:00-08:00 (or off)."
        ) from exc
    share = _positive_int(env, "OTAGAI_FEE_HELPER_PERCENT", 80)
    if share > 100:
        raise ConfigError("OTAGAI_FEE_HELPER_PERCENT must be between 1 and 100.")
    return {
        "fees": _switch(env, "OTAGAI_FEES", False),
        "fee_hourly_yen": _positive_int(env, "OTAGAI_FEE_HOURLY_YEN", 600),
        "fee_night_holiday_yen": _positive_int(env, "OTAGAI_FEE_NIGHT_HOLIDAY_YEN", 0) if night else None,
        "fee_night_start": night_start,
        "fee_night_end": night_end,
        "fee_helper_percent": share,
    }


_ON = ("on", "true", "yes", "1")
_OFF = ("off", "false", "no", "0")


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in _ON + _OFF:
        raise ConfigError(f"{name}={raw!r} must be on or off.")
    return raw in _ON


def _privacy_settings(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "erase_after_unfollow_days": _positive_int(env, "OTAGAI_ERASE_AFTER_UNFOLLOW_DAYS", 30),
        "anonymise_after_days": _positive_int(env, "OTAGAI_ANONYMISE_AFTER_DAYS", 180),
        "requests_per_day": _positive_int(env, "OTAGAI_REQUESTS_PER_DAY", 5),
        "relay_per_minute": _positive_int(env, "OTAGAI_RELAY_PER_MINUTE", 10),
    }


def _secret_key(env: Mapping[str, str]) -> str | None:
    raw = env.get("OTAGAI_SECRET_KEY", "").strip()
    if raw and len(raw) < 32:
        raise ConfigError(
            "OTAGAI_SECRET_KEY is too short: use at least 32 random characters "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    return raw or None


def _quiet_hours(raw: str) -> tuple[time, time]:
    """'21:00-08:00' → (21:00, 08:00); 'off' → no quiet hours."""
    if raw.lower() in ("off", "none", "0"):
        return time(0, 0), time(0, 0)
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as exc:
        raise ConfigError(f"OTAGAI_QUIET_HOURS={raw!r} must look like 21:00-08:00 (or off).") from exc
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ConfigError(
            f"OTAGAI_QUIET_HOURS={raw!r}: give local times without an offset (OTAGAI_TIMEZONE applies)."
        )
    return start, end


def _database_url(raw: str) -> str:
    """Default SQLite file; hosting platforms' `postgres://` URLs get the psycopg 3 driver."""
    if not raw:
        return default_database_url()
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw
