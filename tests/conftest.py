"""Shared fixtures: a real database (SQLite; PostgreSQL when TEST_DATABASE_URL is set), LINE stub, app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import bot.gateway
import bot.webhook
from bot.app import create_app
from bot.dev.line_stub import LineStub
from db.engine import make_engine
from handlers.settings import Settings
from tests.handlers.dialogue import SweptChat
from tests.support import SECRET, TOKEN, Chat, FakeClock, fresh_postgres, fresh_sqlite, postgres_url


@pytest.fixture(autouse=True)
def _webhook_time_on_a_loaded_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process webhooks get all the time they need: on a shared 2-core machine a request submission
    can take over a second of wall time, and its pushes would be left to a worker the test never runs.
    The budgets themselves are tested where a test sets them (test_webhook, test_fuzz), and the
    Procfile tests run the web process with the real ones."""
    monkeypatch.setattr(bot.webhook, "SEND_BUDGET_SECONDS", 30.0)
    monkeypatch.setattr(bot.webhook, "DEADLINE_SECONDS", 60.0)


@pytest.fixture(autouse=True)
def _line_time_on_a_loaded_machine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LINE stand-in gets all the time it needs to answer: on a shared 2-core machine under a
    full run it has taken over 1.5 s (a reply's read timeout), and a reply given up on is final, so
    the dialogue under test lost a message. A push left waiting over 5 s (its read timeout) is tried
    again only by a worker the test never runs, so the supporter seemed never told (seen once in CI
    under load: test_a_typed_answer_to_cancel_this_request). Tests marked `line_timeouts` keep the
    production values: they are the ones that test them."""
    if request.node.get_closest_marker("line_timeouts") is not None:
        return
    monkeypatch.setattr(bot.gateway, "REPLY_TIMEOUT", (5.0, 15.0))
    monkeypatch.setattr(bot.gateway, "REQUEST_TIMEOUT", (5.0, 15.0))
    monkeypatch.setattr(bot.gateway, "PROFILE_TIMEOUT", 15.0)


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_url() else [])


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        url = postgres_url()
        assert url is not None
        return fresh_postgres(url)
    return fresh_sqlite(tmp_path)


@pytest.fixture(scope="session")
def _stub_server() -> Iterator[LineStub]:
    with LineStub(access_token=TOKEN) as stub:
        yield stub


@pytest.fixture
def line_stub(_stub_server: LineStub) -> LineStub:
    _stub_server.clear()
    return _stub_server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str, line_stub: LineStub) -> Settings:
    return Settings(
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        database_url=database_url,
        line_api_endpoint=line_stub.url,
        line_api_data_endpoint=line_stub.data_url,
        # Most dialogues start from supporters a coordinator has already met; the vetting tests
        # (tests/handlers/test_vetting.py) turn it on, as it is by default.
        vetting=False,
    )


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[Flask]:
    app = create_app(settings, clock=clock)
    app.config["TESTING"] = True
    yield app
    app.extensions["otagai.gateway"].close()
    app.extensions["otagai.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def chat(request: pytest.FixtureRequest, client: FlaskClient, line_stub: LineStub) -> Chat:
    """A test marked `swept` reads the pushes the worker would send within seconds as sent (SweptChat)."""
    if request.node.get_closest_marker("swept") is not None:
        return SweptChat(client, line_stub)
    return Chat(client, line_stub)


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    """A session for asserting what was stored: autocommit, so it never holds SQLite's write lock
    or a stale snapshot while the test goes on chatting."""
    engine = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()
