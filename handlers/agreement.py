"""The scheme's rules and confidentiality text (活動のきまり): shown at registration, asked again at the
next accept once the organisation publishes a new version (`otagai agreement set`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db import supporters as supporter_repo
from handlers import postback, texts, ui
from handlers.common import cancel_button
from handlers.context import Context

# The text shipped with the bot is version 1; an organisation's own text starts at version 2.
DEFAULT_VERSION = 1
# LINE shows at most 5,000 characters in one text message; the rules are one message.
LIMIT = 4500


class AgreementTooLong(ValueError):
    """The text would not fit in one LINE message."""


def publish(session: Session, body: str, now: datetime, *, by: str) -> tuple[int, bool]:
    """Publish `body` as a new version (supporters agree to it at their next accept), unless it says
    what the version in force says already. Returns (the version in force, whether it is new).

    The one way to change the rules, for `otagai agreement set` and the desk's settings page alike."""
    body = body.strip()
    if not body:
        raise ValueError("empty")
    if len(body) > LIMIT:
        raise AgreementTooLong(len(body))
    version, current_body = current(session)
    if body == current_body:
        return version, False
    added = supporter_repo.add_agreement(session, body, now, by=by, first_version=DEFAULT_VERSION + 1)
    return added.version, True


def current(session: Session) -> tuple[int, str]:
    """The version in force and its text."""
    latest = supporter_repo.latest_agreement(session)
    return (latest.version, latest.body) if latest is not None else (DEFAULT_VERSION, texts.AGREEMENT_DEFAULT)


def agreed_version(ctx: Context) -> int | None:
    record = supporter_repo.record_of(ctx.session, ctx.sender)
    return None if record is None else record.agreement_version


def has_agreed(ctx: Context) -> bool:
    return agreed_version(ctx) == current(ctx.session)[0]


def record(ctx: Context, version: int) -> None:
    supporter_repo.record_agreement(ctx.session, ctx.sender, version, ctx.now)


def at_registration(ctx: Context, flow: str) -> list[ui.Message]:
    """The rules, then 同意する (a tap, or 「はい」「同意します」 typed) to finish registering."""
    version, body = current(ctx.session)
    return [ui.text(body), ui.text(texts.AGREEMENT_ASK, _registration_buttons(version, flow))]


def hint_at_registration(ctx: Context, flow: str) -> ui.Message:
    """Words that neither agree nor stop: one line and the buttons (the rules are just above)."""
    return ui.text(texts.AGREEMENT_HINT, _registration_buttons(current(ctx.session)[0], flow))


def _registration_buttons(version: int, flow: str) -> list[ui.Action]:
    agree = ui.postback(
        texts.AGREEMENT_YES, postback.encode("sup", s="agree", v=version), texts.AGREEMENT_YES
    )
    return [agree, cancel_button(flow=flow)]


def before_accept(ctx: Context, request_id: int, *, changed: bool = False) -> list[ui.Message]:
    """A supporter who has not agreed to the version in force reads it, and accepts by agreeing."""
    version, body = current(ctx.session)
    agree = ui.postback(
        texts.AGREEMENT_YES_AND_ACCEPT,
        postback.encode("agr", r=request_id, v=version),
        texts.AGREEMENT_YES_AND_ACCEPT,
    )
    ask = texts.AGREEMENT_CHANGED if changed else texts.AGREEMENT_ASK_AGAIN
    return [
        ui.text(body),
        ui.text(
            ask, [agree, ui.postback(texts.PASS, postback.encode("pass", r=request_id), texts.PASS_DISPLAY)]
        ),
    ]
