"""bot/app.py: GET /healthz answers 503 when the database cannot be reached, GET /privacy is the Japanese
privacy notice the greeting links to, with the periods in force, and the app reads a text before serving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bot.app import create_app
from handlers.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(erase_after_unfollow_days=45, anonymise_after_days=90)


def test_healthz_503_when_database_unreachable(tmp_path: Path) -> None:
    for url in (
        f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
    ):
        settings = Settings("secret", "token", database_url=url, line_api_endpoint="http://127.0.0.1:9")
        app = create_app(settings)
        response = app.test_client().get("/healthz")
        assert response.status_code == 503, url
        assert json.loads(response.data)["database"] == "unreachable"
        app.extensions["otagai.gateway"].close()
        app.extensions["otagai.engine"].dispose()


def test_the_notice_says_what_is_kept_why_how_long_and_how_to_erase_it(client: FlaskClient) -> None:
    page = client.get("/privacy")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    headings = (
        "お預かりする情報",
        "使う目的",
        "だれが見るか",
        "保存する期間",
        "見たいとき・消してほしいとき",
    )
    for heading in headings:
        assert f"<h2>{heading}</h2>" in html
    assert "依頼が終わってから 90 日で消します" in html
    assert "45 日後に、すべて消します" in html
    assert "「登録情報」" in html and "「退会」" in html


# In a fresh interpreter, as a gunicorn worker is: what create_app leaves built before the first webhook.
_BUILT_BEFORE_SERVING = """
import sys
from bot.app import create_app
from handlers.settings import Settings
from matching.safety import safety_data
from matching.taxonomy import taxonomy
create_app(Settings("secret", "token", database_url=sys.argv[1], line_api_endpoint="http://127.0.0.1:9"))
print(safety_data.cache_info().currsize, taxonomy.cache_info().currsize)
"""


def test_the_data_every_text_needs_is_built_before_the_first_webhook(tmp_path: Path) -> None:
    # Left to the first webhooks, each web thread built the safety rules and the taxonomy at once, inside
    # LINE's 2 seconds (bench/webhook.py --first-only measures what that cost).
    probe = subprocess.run(
        [sys.executable, "-c", _BUILT_BEFORE_SERVING, f"sqlite:///{tmp_path}/otagai.sqlite3"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert probe.stdout.split() == ["1", "1"]
