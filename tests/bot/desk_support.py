"""Desk test helpers: coordinator accounts, signing in through the real form, and CSRF tokens from pages."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from bot.desk.auth import hash_password
from db.models import Area, DeskAccount, DeskRole, DeskRoleKind

PASSWORD = "tsukimi-dango-2026"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_account(
    db_session: Session,
    login: str = "田中",
    *,
    area: Area | None = None,
    phone: str = "03-1234-5678",
    role: DeskRoleKind = DeskRoleKind.ADMINISTRATOR,
) -> DeskAccount:
    """A desk account with one role in one area (None: every area); an administrator unless told."""
    account = DeskAccount(login=login, password_hash=hash_password(PASSWORD), phone=phone)
    account.roles.append(DeskRole(area=area, role=role))
    db_session.add(account)
    db_session.flush()
    return account


def csrf_from(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1)


def sign_in(client: FlaskClient, login: str = "田中", password: str = PASSWORD) -> int:
    token = csrf_from(client, "/desk/sign-in")
    response = client.post("/desk/sign-in", data={"login": login, "password": password, "csrf_token": token})
    return response.status_code


def post(client: FlaskClient, path: str, data: dict[str, str], page: str = "/desk/") -> str:
    """A form post as the page would send it; returns the page it leads to."""
    token = csrf_from(client, page)
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)
