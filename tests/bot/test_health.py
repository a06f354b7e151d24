"""GET /healthz answers 503 when the database cannot be reached."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import create_app
from handlers.settings import Settings


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
