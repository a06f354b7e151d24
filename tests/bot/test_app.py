"""bot/app.py's own pages: GET /healthz answers 503 when the database cannot be reached, and GET /privacy is
the Japanese privacy notice the greeting links to, with the periods in force."""

from __future__ import annotations

import json
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
