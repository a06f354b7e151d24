"""Signing in to the desk: passwords (hashed with scrypt), a lock-out kept in the database, and a
check before every desk page that a coordinator is signed in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.desk import blueprint, csrf, texts
from bot.desk.access import Access
from db import desk as desk_repo
from db.engine import transaction
from db.models import DeskAccount

PUBLIC_ENDPOINTS = frozenset({"desk.sign_in", "desk.static", "desk.link_sign_in"})
# Posts a read-only account may still make: they change nothing but its own session.
READ_ONLY_POSTS = frozenset({"desk.sign_out"})
MIN_PASSWORD = 10
# Compared against when the login does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"パスワードは{MIN_PASSWORD}文字以上にしてください"
    return None


def now() -> datetime:
    clock = current_app.extensions["otagai.clock"]
    return clock()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for one desk request (committed when the view's work succeeds)."""
    with transaction(current_app.extensions["otagai.session_factory"]) as db:
        yield db


def current_account(db: Session) -> DeskAccount:
    """The signed-in coordinator, loaded in this transaction."""
    account = db.get(DeskAccount, g.account_id)
    if account is None or not account.active:
        abort(403)
    return account


@blueprint.before_request
def require_coordinator() -> ResponseReturnValue | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    account_id = session.get("account_id")
    if not isinstance(account_id, int):
        return redirect(url_for("desk.sign_in", next=request.full_path if request.method == "GET" else None))
    with unit_of_work() as db:
        account = db.get(DeskAccount, account_id)
        if account is None or not account.active or session.get("stamp") != stamp_of(account):
            # Removed, or the password changed since: sign in again.
            session.clear()
            return redirect(url_for("desk.sign_in"))
        g.account_id = account.id
        g.account_name = account.login
        g.access = Access.of(account)
    changes = request.method not in ("GET", "HEAD", "OPTIONS") and request.endpoint not in READ_ONLY_POSTS
    if changes and not g.access.acts_anywhere:
        abort(403)
    return None


def access() -> Access:
    """The signed-in account's roles, read once per request before the view ran."""
    found: Access = g.access
    return found


def require_acting(lat: float | None, lon: float | None) -> None:
    """A change at this place needs a coordinator or administrator of its area: else a kind 403."""
    if not access().acts(lat, lon):
        abort(403)


def require_administrator() -> None:
    if not access().administers:
        abort(403)


@blueprint.errorhandler(403)
def refused(_error: Exception) -> ResponseReturnValue:
    """Said kindly, with the way back: what the role allows, and whom to ask."""
    return render_template("desk/refused.html"), 403


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("desk/sign_in.html", next=_safe_next(request.args.get("next")))
    csrf.protect()
    login = request.form.get("login", "").strip()[:100]
    password = request.form.get("password", "")
    moment = now()
    with unit_of_work() as db:
        until = desk_repo.locked_until(db, login, moment)
        if until is not None:
            minutes = max(1, int((until - moment).total_seconds() // 60) + 1)
            flash(texts.LOCKED.format(minutes=minutes), "error")
            return render_template("desk/sign_in.html", login=login), 429
        account = desk_repo.account_by_login(db, login) if login else None
        ok = check_password_hash(account.password_hash if account else _DUMMY_HASH, password)
        ok = ok and account is not None and account.active
        desk_repo.record_attempt(db, login, ok, moment)
        if not ok or account is None:
            flash(texts.SIGN_IN_FAILED, "error")
            return render_template("desk/sign_in.html", login=login), 401
        account.last_sign_in_at = moment
        stamp = stamp_of(account)
        account_id = account.id
    # A fresh session at sign-in: nothing from before (a planted cookie) carries over.
    session.clear()
    session.permanent = True
    session["account_id"] = account_id
    session["stamp"] = stamp
    return redirect(_safe_next(request.form.get("next")) or url_for("desk.today"))


@blueprint.route("/link/<token>", methods=["GET", "POST"])
def link_sign_in(token: str) -> ResponseReturnValue:
    """A one-time link from LINE. Opening it only shows a button: LINE and other apps fetch links to
    preview them, and such a fetch must not spend the link; the tap (a POST with a CSRF token) does."""
    moment = now()
    with unit_of_work() as db:
        if request.method == "GET":
            account = desk_repo.link_account(db, token[:100], moment)
            name = account.login if account is not None and account.active else None
            return render_template("desk/link.html", name=name), 200 if name else 410
        csrf.protect()
        account_id = desk_repo.use_link(db, token[:100], moment)
        account = db.get(DeskAccount, account_id) if account_id is not None else None
        if account is None:
            return render_template("desk/link.html", name=None), 410
        account.last_sign_in_at = moment
        stamp = stamp_of(account)
    session.clear()
    session.permanent = True
    session["account_id"], session["stamp"] = account_id, stamp
    return redirect(url_for("desk.today"))


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    session.clear()
    flash(texts.SIGNED_OUT, "info")
    return redirect(url_for("desk.sign_in"))


def stamp_of(account: DeskAccount) -> str:
    """Changes when the password does, so a new password signs out every old session."""
    return account.password_hash[-16:]


def _safe_next(target: str | None) -> str | None:
    """Only a path on the desk itself: never an address on another site after signing in."""
    if target and target.startswith("/desk/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
