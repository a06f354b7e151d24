"""顔合わせ (a first visit together): when a request a coordinator goes along on is accepted, the
coordinator learns who is coming and the supporter learns who comes with them."""

from __future__ import annotations

from db import first_visits
from db.models import HelpRequest
from db.outbox import PRIORITY_NORMAL
from handlers import texts, ui
from handlers.common import format_when, label_of, name_of
from handlers.context import Context


def after_accept(ctx: Context, request: HelpRequest) -> None:
    coordinator = first_visits.companion(ctx.session, request.id)
    if coordinator is None or request.accepted_by is None:
        return
    category = label_of(request.category)
    ctx.push(
        [coordinator.line_user_id],
        [
            ui.text(
                texts.FIRST_VISIT_ACCEPTED.format(
                    id=request.id,
                    category=category,
                    name=name_of(request, request.accepted_by),
                    when=format_when(ctx, request.wanted_at),
                )
            )
        ],
        priority=PRIORITY_NORMAL,
    )
    name = coordinator.display_name or texts.SOMEONE_COORDINATOR
    ctx.push(
        [request.accepted_by.line_user_id],
        [ui.text(texts.FIRST_VISIT_SUPPORTER.format(category=category, name=name))],
        priority=PRIORITY_NORMAL,
    )
