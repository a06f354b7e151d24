"""The demo's way into the desk: one tap from the sample coordinator's chat signs in as them.

Only `otagai demo` installs it (never the production app): a GET that signs someone in would be a
hole anywhere else. Here it answers pages on this machine only, and only ever for the demo's own
coordinator, whose password is random and never shown.
"""

from __future__ import annotations

import secrets

from flask import Flask, abort, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session, sessionmaker

from bot.desk.auth import hash_password, stamp_of
from db import desk as desk_repo
from db import members as member_repo
from db.engine import transaction
from db.models import DeskAccount, DeskRoleKind

PATH = "/desk/demo-sign-in"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def ensure_account(session_factory: sessionmaker[Session], coordinator_user_id: str, name: str) -> None:
    """The demo coordinator's desk account (again after a reset wiped it)."""
    with transaction(session_factory) as db:
        member = member_repo.by_line_id(db, coordinator_user_id)
        account = desk_repo.account_by_login(db, name)
        if account is None:
            # A random password nobody can type: only the route below signs in as them.
            account = DeskAccount(login=name, password_hash=hash_password(secrets.token_urlsafe(24)))
            db.add(account)
        account.member_id = member.id if member else None
        account.active = True
        account.phone = account.phone or "03-0000-0000"
        if not account.roles:
            # The demo shows every page: the one coordinator runs the whole sample town.
            db.flush()
            desk_repo.set_role(db, account, None, DeskRoleKind.ADMINISTRATOR)


def install(app: Flask, session_factory: sessionmaker[Session], name: str) -> str:
    """Add the sign-in route (once, before the app serves); returns its path."""

    def demo_sign_in() -> ResponseReturnValue:
        if request.host.rsplit(":", 1)[0] not in LOCAL_HOSTS:
            abort(403)
        with transaction(session_factory) as db:
            account = desk_repo.account_by_login(db, name)
            if account is None:
                abort(404)
            account_id, stamp = account.id, stamp_of(account)
        session.clear()
        session.permanent = True
        session["account_id"], session["stamp"] = account_id, stamp
        return redirect(url_for("desk.today"))

    app.add_url_rule(PATH, "demo_desk_sign_in", demo_sign_in)
    return PATH
