"""Test helpers: a clock to move by hand, a database per test, and a chat driver over signed webhooks."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.dev.line_stub import LineStub, user_id_for
from bot.dev.line_stub import events as ev
from db.migrate import upgrade
from db.models import Base

SECRET = "test-channel-secret"
TOKEN = "test-token"
TOKYO = (35.6812, 139.7671)  # Tokyo Station


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 1, 0, tzinfo=UTC))  # 10:00 JST

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


_sqlite_template: Path | None = None


def fresh_sqlite(tmp_path: Path) -> str:
    """A migrated SQLite file: the template is migrated once, then copied per test."""
    global _sqlite_template
    if _sqlite_template is None or not _sqlite_template.exists():
        template_dir = Path(os.environ.get("PYTEST_SQLITE_TEMPLATE_DIR", tmp_path.parent))
        template = template_dir / f"template-{uuid.uuid4().hex}.sqlite3"
        upgrade(f"sqlite:///{template}")
        _sqlite_template = template
    target = tmp_path / "otagai.sqlite3"
    shutil.copy(_sqlite_template, target)
    return f"sqlite:///{target}"


_pg_migrated: set[str] = set()


def fresh_postgres(url: str) -> str:
    """The PostgreSQL test database, migrated once per run and emptied before each test."""
    if url not in _pg_migrated:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url)
        _pg_migrated.add(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


def describe(url: str) -> str:
    return make_url(url).get_backend_name()


class Chat:
    """Plays LINE: sends signed webhook events for users and reads back what each user received."""

    def __init__(self, client: FlaskClient, stub: LineStub, secret: str = SECRET) -> None:
        self.client = client
        self.stub = stub
        self.secret = secret
        self._seen: dict[str, int] = {}

    def user(self, name: str, display_name: str | None = None) -> str:
        user_id = user_id_for(name)
        self.stub.add_user(user_id, display_name or name)
        return user_id

    def post(self, *events: dict[str, Any], signature: str | None = None) -> int:
        body = ev.body(*events)
        sig = ev.signature(self.secret, body) if signature is None else signature
        response = self.client.post(
            "/callback", data=body, headers={"x-line-signature": sig, "content-type": "application/json"}
        )
        return response.status_code

    def send(self, event: dict[str, Any]) -> None:
        status = self.post(event)
        assert status == 200, status

    def post_at_once(self, bodies: Sequence[bytes]) -> list[int]:
        """Post each signed body from a thread and client of its own, all let go together; the statuses."""
        barrier = threading.Barrier(len(bodies))
        statuses: list[int] = []

        def post(body: bytes) -> None:
            client = self.client.application.test_client()
            barrier.wait()
            headers = {"x-line-signature": ev.signature(self.secret, body)}
            statuses.append(client.post("/callback", data=body, headers=headers).status_code)

        threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return statuses

    def token(self, user_id: str) -> str:
        return self.stub.issue_reply_token(user_id)

    def say(self, user_id: str, message: str) -> list[str]:
        self.send(ev.text_event(user_id, message, self.token(user_id)))
        return self.new_texts(user_id)

    def follow(self, user_id: str) -> list[str]:
        self.send(ev.follow_event(user_id, self.token(user_id)))
        return self.new_texts(user_id)

    def location(
        self, user_id: str, lat: float, lon: float, address: str = "東京都千代田区丸の内1丁目9-1"
    ) -> list[str]:
        self.send(ev.location_event(user_id, self.token(user_id), lat, lon, address=address))
        return self.new_texts(user_id)

    def tap(self, user_id: str, data: str, params: dict[str, str] | None = None) -> list[str]:
        self.send(ev.postback_event(user_id, self.token(user_id), data, params))
        return self.new_texts(user_id)

    def new_messages(self, user_id: str) -> list[dict[str, Any]]:
        entries = self.stub.inbox(user_id, after=self._seen.get(user_id, 0))
        if entries:
            self._seen[user_id] = entries[-1].seq
        return [e.message for e in entries]

    def new_texts(self, user_id: str) -> list[str]:
        return [_readable(m) for m in self.new_messages(user_id)]

    def actions_received(self, user_id: str) -> list[dict[str, Any]]:
        """Every action in every message the user received (quick replies and buttons), oldest first."""
        return [a for m in self.stub.messages_for(user_id) for a in actions_in(m)]


def _readable(message: dict[str, Any]) -> str:
    if message["type"] == "text":
        return str(message["text"])
    if message["type"] == "location":
        return f"[location] {message.get('address', '')}"
    return str(message.get("altText", f"[{message['type']}]"))


def actions_in(node: Any) -> list[dict[str, Any]]:
    """All actions anywhere in a message (quick replies, flex buttons), in order."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "action" in node and isinstance(node["action"], dict):
            found.append(node["action"])
        for key, value in node.items():
            if key != "action":
                found += actions_in(value)
    elif isinstance(node, list):
        for item in node:
            found += actions_in(item)
    return found


def action_data(message: dict[str, Any], label: str) -> str:
    """The postback data of the action with this label in a message."""
    for action in actions_in(message):
        if action.get("label") == label and action.get("type") in ("postback", "datetimepicker"):
            return str(action["data"])
    raise AssertionError(f"no postback button {label!r} in {message}")
