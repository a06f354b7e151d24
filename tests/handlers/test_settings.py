"""Settings come from the public environment contract and fail fast with a fix-it message."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.settings import ConfigError, Settings


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"})
    assert settings.line_api_endpoint == "https://api.line.me"
    assert settings.line_api_data_endpoint == "https://api-data.line.me"
    assert settings.timezone_name == "Asia/Tokyo"
    assert settings.database_url == f"sqlite:///{tmp_path / 'instance' / 'otagai.sqlite3'}"
    assert (tmp_path / "instance").is_dir()


def test_everything_from_environment() -> None:
    settings = Settings.from_env(
        {
            "LINE_CHANNEL_SECRET": "s",
            "LINE_CHANNEL_ACCESS_TOKEN": "t",
            "LINE_API_ENDPOINT": "http://127.0.0.1:8080/",
            "LINE_API_DATA_ENDPOINT": "http://127.0.0.1:8081/",
            "DATABASE_URL": "postgresql+psycopg://u@h/db",
            "OTAGAI_TIMEZONE": "Europe/London",
            "OTAGAI_NOTIFY_COUNT": "3",
        }
    )
    assert settings.line_api_endpoint == "http://127.0.0.1:8080"
    assert settings.line_api_data_endpoint == "http://127.0.0.1:8081"
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.notify_count == 3
    assert settings.timezone_name == "Europe/London"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"),
        ({"LINE_CHANNEL_SECRET": "s"}, "Missing LINE_CHANNEL_ACCESS_TOKEN"),
        ({"LINE_CHANNEL_ACCESS_TOKEN": "t"}, "Missing LINE_CHANNEL_SECRET"),
    ],
)
def test_missing_secret_names_the_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        Settings.from_env(env)


def test_bad_values_are_explained() -> None:
    base = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "DATABASE_URL": "sqlite://"}
    with pytest.raises(ConfigError, match="OTAGAI_TIMEZONE"):
        Settings.from_env({**base, "OTAGAI_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(ConfigError, match="LINE_API_ENDPOINT"):
        Settings.from_env({**base, "LINE_API_ENDPOINT": "api.line.me"})
    with pytest.raises(ConfigError, match="LINE_API_DATA_ENDPOINT"):
        Settings.from_env({**base, "LINE_API_DATA_ENDPOINT": "api-data.line.me"})
    with pytest.raises(ConfigError, match="OTAGAI_NOTIFY_COUNT"):
        Settings.from_env({**base, "OTAGAI_NOTIFY_COUNT": "many"})


def test_secrets_not_required_for_operator_commands() -> None:
    assert Settings.from_env({"DATABASE_URL": "sqlite://"}, require_secrets=False).line_channel_secret == ""


def test_platform_postgres_urls_get_the_psycopg_driver() -> None:
    base = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    for raw in ("postgres://u:p@h:5432/db", "postgresql://u:p@h:5432/db"):
        assert (
            Settings.from_env({**base, "DATABASE_URL": raw}).database_url
            == "postgresql+psycopg://u:p@h:5432/db"
        )


def test_quiet_hours_with_an_offset_are_refused() -> None:
    base = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "DATABASE_URL": "sqlite://"}
    with pytest.raises(ConfigError, match="without an offset"):
        Settings.from_env({**base, "OTAGAI_QUIET_HOURS": "21:00Z-08:00Z"})


def test_privacy_periods_and_abuse_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    defaults = Settings.from_env(base)
    assert (
        defaults.erase_after_unfollow_days,
        defaults.anonymise_after_days,
        defaults.requests_per_day,
        defaults.relay_per_minute,
    ) == (30, 180, 5, 10)
    chosen = Settings.from_env(
        {
            **base,
            "OTAGAI_ERASE_AFTER_UNFOLLOW_DAYS": "14",
            "OTAGAI_ANONYMISE_AFTER_DAYS": "365",
            "OTAGAI_REQUESTS_PER_DAY": "3",
            "OTAGAI_RELAY_PER_MINUTE": "20",
        }
    )
    assert (chosen.erase_after_unfollow_days, chosen.anonymise_after_days) == (14, 365)
    assert (chosen.requests_per_day, chosen.relay_per_minute) == (3, 20)
    with pytest.raises(ConfigError, match="OTAGAI_ERASE_AFTER_UNFOLLOW_DAYS must be at least 1"):
        Settings.from_env({**base, "OTAGAI_ERASE_AFTER_UNFOLLOW_DAYS": "0"})
