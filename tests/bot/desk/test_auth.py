"""bot/desk/auth.py and the desk's guard over HTTP: every route needs a sign-in and a CSRF token, a safe
cookie and security headers, lock-out after wrong passwords, one-time links from LINE, old attempts purged."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.bot.desk_support import PASSWORD, TOKEN, add_account, csrf_from, sign_in
from tests.support import Chat, FakeClock

# Open to anyone by design: the sign-in form, the stylesheet, and one-time links (tested on their own).
PUBLIC = {"desk.sign_in", "desk.static", "desk.link_sign_in"}


def desk_rules(app: Flask) -> list[tuple[str, str, set[str]]]:
    """Every desk route from the app's url_map, with a sample path."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("desk.") and rule.endpoint not in PUBLIC:
            path = re.sub(r"<int:\w+>", "1", rule.rule).replace("<path:filename>", "x")
            found.append((rule.endpoint, path, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return found


def test_every_desk_route_refuses_anonymous_users_and_posts_without_a_token(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    rules = desk_rules(app)
    assert {"desk.today", "desk.request_page", "desk.assign", "desk.proxy"} <= {e for e, _, _ in rules}
    for endpoint, path, methods in rules:
        for method in methods:
            response = client.open(path, method=method)
            assert response.status_code in (302, 400), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/desk/sign-in"), endpoint
    add_account(db_session)
    db_session.commit()
    assert sign_in(client) == 302
    for endpoint, path, methods in rules:
        if "POST" not in methods:
            continue
        for token in (None, "forged-token"):
            data = {} if token is None else {"csrf_token": token}
            response = client.post(path, data=data)
            assert response.status_code == 400, (endpoint, token, response.status_code)
            assert "CSRF" in response.get_data(as_text=True)
    # Signing out needs the token too, and then the desk is closed again.
    assert client.post("/desk/sign-out").status_code == 400
    token = csrf_from(client, "/desk/")
    assert client.post("/desk/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/desk/").status_code == 302


def test_the_webhook_stays_public_and_signature_checked(chat: Chat) -> None:
    assert chat.post() == 200
    assert chat.post(signature="bad") == 400


def test_sign_in_sets_a_safe_cookie_and_pages_carry_security_headers(
    client: FlaskClient, db_session: Session
) -> None:
    add_account(db_session)
    db_session.commit()
    page = client.get("/desk/sign-in")
    assert page.status_code == 200 and "ログイン" in page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = csrf_from(client, "/desk/sign-in")
    response = client.post("/desk/sign-in", data={"login": "田中", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # http://
    https_client = client.application.test_client()
    secure_page = https_client.get("/desk/sign-in", base_url="https://desk.example").get_data(as_text=True)
    https = https_client.post(
        "/desk/sign-in",
        data={"login": "田中", "password": PASSWORD, "csrf_token": TOKEN.search(secure_page).group(1)},  # type: ignore[union-attr]
        base_url="https://desk.example",
        headers={"Referer": "https://desk.example/desk/sign-in"},
    )
    assert "Secure" in https.headers.get("Set-Cookie", ""), https.status_code
    assert client.get("/desk/").status_code == 200
    # An outside address after signing in is ignored.
    token = csrf_from(client, "/desk/sign-in")
    evil = client.post(
        "/desk/sign-in",
        data={"login": "田中", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/desk/"},
    )
    assert evil.headers["Location"] == "/desk/"


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(
    client: FlaskClient, db_session: Session, clock: FakeClock
) -> None:
    add_account(db_session)
    db_session.commit()
    for _ in range(5):
        assert sign_in(client, password="wrong-password") == 401
    assert sign_in(client) == 429
    assert sign_in(client, login="知らない人", password="x") == 401  # other names are not locked
    clock.advance(minutes=16)
    assert sign_in(client) == 302


def test_lock_out_holds_across_web_processes(
    app: Flask, client: FlaskClient, db_session: Session, settings: object
) -> None:
    from bot.app import create_app

    add_account(db_session)
    db_session.commit()
    for _ in range(5):
        sign_in(client, password="wrong-password")
    other = create_app(app.extensions["otagai.settings"], clock=app.extensions["otagai.clock"])
    try:
        assert sign_in(other.test_client()) == 429
    finally:
        other.extensions["otagai.gateway"].close()
        other.extensions["otagai.engine"].dispose()


def test_old_sign_in_attempts_and_handled_notices_are_purged(
    app: Flask, db_session: Session, clock: FakeClock
) -> None:
    from bot.jobs.retention import Retention
    from db import desk as desk_repo
    from db.models import CoordinatorNotice, SignInAttempt

    account = add_account(db_session)
    desk_repo.record_attempt(db_session, "田中", False, clock.now)
    db_session.add(CoordinatorNotice(text="【要対応】古い", created_at=clock.now, handled_at=clock.now))
    db_session.add(CoordinatorNotice(text="【要対応】まだ", created_at=clock.now))
    db_session.commit()
    assert account.id
    retention = Retention(app.extensions["otagai.session_factory"])
    assert retention.run(clock.now).desk == 0
    later = clock.now.replace(year=clock.now.year + 1)
    dry = retention.run(later, dry_run=True)
    assert dry.desk == 2 and "2 desk rows would be deleted" in dry.summary()
    assert retention.run(later).desk == 2
    assert db_session.scalars(select(SignInAttempt)).all() == []
    assert [n.text for n in db_session.scalars(select(CoordinatorNotice))] == ["【要対応】まだ"]


def test_a_one_time_link_in_line_signs_a_coordinator_in_once(
    database_url: str, chat: Chat, client: FlaskClient, clock: FakeClock, line_stub: object
) -> None:
    import re

    from click.testing import CliRunner

    from bot.cli import main
    from bot.dev.line_stub import LineStub
    from tests.support import SECRET
    from tests.support import TOKEN as LINE_TOKEN

    assert isinstance(line_stub, LineStub)
    env = {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_ENDPOINT": line_stub.url,
    }
    ito = chat.user("ito", "伊藤和子")
    chat.follow(ito)
    chat.new_texts(ito)
    assert CliRunner().invoke(main, ["coordinators", "add", "伊藤和子"], env=env).exit_code == 0
    refused = CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    assert refused.exit_code == 1 and "OTAGAI_PUBLIC_URL" in refused.output
    env["OTAGAI_PUBLIC_URL"] = "https://desk.example"
    sent = CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    assert sent.exit_code == 0, sent.output
    message = chat.new_texts(ito)[-1]
    assert "15分のあいだ、1回だけ使えます" in message
    found = re.search(r"https://desk\.example(/desk/link/[\w-]+)", message)
    assert found, message
    path = found.group(1)

    # Opening the link (as a link preview would) spends nothing; the tap does, once.
    page = client.get(path)
    assert page.status_code == 200 and "伊藤和子さんとして、デスクに入ります" in page.get_data(as_text=True)
    assert client.post(path).status_code == 400  # no CSRF token
    token = csrf_from(client, path)
    signed_in = client.post(path, data={"csrf_token": token})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    other = client.application.test_client()
    assert other.get(path).status_code == 410
    # A fresh link, too late.
    CliRunner().invoke(main, ["coordinators", "link", "伊藤和子"], env=env)
    late = re.search(r"(/desk/link/[\w-]+)", chat.new_texts(ito)[-1])
    assert late
    from datetime import UTC, datetime, timedelta

    clock.now = datetime.now(UTC) + timedelta(minutes=16)  # the command stamps links with the real time
    assert other.get(late.group(1)).status_code == 410
    assert other.get("/desk/link/not-a-token").status_code == 410
