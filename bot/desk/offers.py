"""The やってみたい board: offers grouped by theme, so people who want the same thing can be brought
together, and one message to a whole group (a single multicast, not a push per person)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint, texts
from bot.desk.access import Access
from bot.desk.auth import access, current_account, now, unit_of_work
from bot.desk.context import deliver, desk_context
from bot.desk.views import visible
from db import desk as desk_repo
from db import requests as request_repo
from db.models import DeskAccount, Offer
from db.outbox import PRIORITY_NORMAL
from handlers import texts as bot_texts
from handlers import ui
from matching import category_label

OTHER = "other"
MESSAGE_LIMIT = 1000


@dataclass
class Theme:
    id: str
    label: str
    offers: list[Offer] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({o.member_id for o in self.offers})

    @property
    def reachable(self) -> list[str]:
        """LINE ids of the people in this theme the bot can reach (once each)."""
        seen: dict[str, None] = {}
        for offer in self.offers:
            member = offer.member
            if member.line_user_id and member.active and not member.blocked:
                seen.setdefault(member.line_user_id, None)
        return list(seen)


def themes(db: Session, account: DeskAccount | Access) -> list[Theme]:
    """Active offers by theme (an offer of two themes is in both), the largest groups first."""
    offers = request_repo.active_offers(db)
    grouped: dict[str, Theme] = {}
    for offer in offers:
        if offer.member.blocked or not visible(account, offer.member.home_lat, offer.member.home_lon):
            continue
        for theme_id in offer.categories or [OTHER]:
            label = "その他" if theme_id == OTHER else category_label(theme_id)
            grouped.setdefault(theme_id, Theme(theme_id, label)).offers.append(offer)
    return sorted(grouped.values(), key=lambda t: (-t.people, t.label))


@blueprint.get("/offers")
def offers() -> ResponseReturnValue:
    with unit_of_work() as db:
        found = themes(db, current_account(db))
        board = [
            {
                "id": t.id,
                "label": t.label,
                "people": t.people,
                "reachable": len(t.reachable),
                "offers": [(o.member.display_name or "-", o.text) for o in t.offers],
            }
            for t in found
        ]
    return render_template("desk/offers.html", board=board, limit=MESSAGE_LIMIT)


@blueprint.post("/offers/message")
def offers_message() -> ResponseReturnValue:
    theme_id = request.form.get("theme", "")
    message = request.form.get("message", "").strip()
    if not message or len(message) > MESSAGE_LIMIT:
        flash(texts.OFFER_MESSAGE_LENGTH.format(limit=MESSAGE_LIMIT), "error")
        return redirect(url_for("desk.offers"))
    with unit_of_work() as db:
        account = current_account(db)
        # Only people in the areas where this account acts (not where it only looks on).
        theme = next((t for t in themes(db, access().acting()) if t.id == theme_id), None)
        if theme is None:
            abort(404)
        recipients = theme.reachable
        if not recipients:
            flash(texts.OFFER_NOBODY, "error")
            return redirect(url_for("desk.offers"))
        ctx = desk_context(db, now())
        body = bot_texts.OFFER_GROUP_MESSAGE.format(theme=theme.label, message=message)
        # One multicast for the whole group: one call, counted once per person against the quota.
        ctx.push(recipients, [ui.text(body)], priority=PRIORITY_NORMAL)
        note = f"{theme.label}：{len(recipients)}人"
        desk_repo.record(db, account, "offer_message", ctx.now, note=note)
        db.flush()
        queued = [row.id for row in ctx.queued]
    deliver(queued)
    flash(texts.OFFER_SENT.format(theme=theme.label, count=len(recipients)), "info")
    return redirect(url_for("desk.offers"))
