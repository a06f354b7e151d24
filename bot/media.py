"""GET /relay/media/<token>: photos passed on in relay chat, loaded by the recipient's LINE app over https."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from bot.gateway import LineGateway
from db.engine import transaction
from db.relay import media_by_token
from db.retention import RELAY_PHOTO_LIFETIME

blueprint = Blueprint("media", __name__)

# Long enough to look again at a photo of the job; LINE itself keeps user content only for a while.
# The retention pass deletes the rows after the same time.
MEDIA_LIFETIME = RELAY_PHOTO_LIFETIME
TOKEN_MAX = 64


@blueprint.get("/relay/media/<token>")
def relay_media(token: str) -> Response:
    if len(token) > TOKEN_MAX:
        abort(404)
    now = current_app.extensions["otagai.processor"].clock()
    with transaction(current_app.extensions["otagai.session_factory"]) as session:
        media = media_by_token(session, token)
        expired = media is None or now - media.created_at > MEDIA_LIFETIME
        message_id = None if media is None or expired else media.line_message_id
    if message_id is None:
        abort(404)
    gateway: LineGateway = current_app.extensions["otagai.gateway"]
    content = gateway.content(message_id)
    if content is None:
        abort(404)
    data, content_type = content
    return Response(data, mimetype=content_type, headers={"Cache-Control": "private, max-age=86400"})
