"""The yardstick for bench/webhook.py: a minimal echo bot with the same SDK, served by the same gunicorn.

It does what every LINE bot must and nothing more: verify the signature, parse the events, reply to each
text with the same text through linebot.v3.messaging (Configuration(host=…), as Otagai's gateway).
"""

from __future__ import annotations

import os

from flask import Flask, Response, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent


def create_app() -> Flask:
    app = Flask(__name__)
    parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
    configuration = Configuration(
        access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"], host=os.environ["LINE_API_ENDPOINT"]
    )
    api = MessagingApi(ApiClient(configuration))

    @app.post("/callback")
    def callback() -> Response:
        try:
            events = parser.parse(request.get_data(as_text=True), request.headers.get("X-Line-Signature", ""))
        except InvalidSignatureError:
            return Response("bad signature", status=400)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                api.reply_message(
                    ReplyMessageRequest(
                        reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)]
                    )
                )
        return Response("OK")

    return app
