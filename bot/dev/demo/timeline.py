"""Each persona's chat as the page shows it: what they sent, what LINE delivered to them, and what LINE
refused, in Japanese (a visitor should see a rejected message as plainly as a developer would)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.dev.line_stub import LineStub
from bot.dev.line_stub.stub import MONTHLY_LIMIT, RecordedRequest
from handlers.texts import WEEKDAYS

SENDING_PATHS = frozenset({"/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/message/multicast"})
REFUSED_TITLE = "LINEが、ボットのメッセージを受け付けませんでした"


class Timeline:
    """Each persona's chat in order: what they sent, merged with what the stub delivered or refused."""

    def __init__(
        self,
        stub: LineStub,
        chat_ids: Iterable[str],
        clock: Callable[[], datetime],
        timezone: ZoneInfo,
        *,
        public_url: str,
    ) -> None:
        self._stub = stub
        self._clock = clock
        self._timezone = timezone
        self._public_url = public_url
        self._lock = threading.Lock()
        self._chat_ids = list(chat_ids)
        self.epoch = 0
        self.reset()

    def reset(self) -> None:
        """Start every chat over (after the stub was cleared: its recordings start over too)."""
        with self._lock:
            self.epoch += 1
            self._entries: dict[str, list[dict[str, Any]]] = {chat_id: [] for chat_id in self._chat_ids}
            self._seen = {
                chat_id: max((e.seq for e in self._stub.inbox(chat_id)), default=0)
                for chat_id in self._chat_ids
            }
            self._requests_seen = len(self._stub.requests)
            self._reply_tokens: dict[str, str] = {}

    def expect_reply(self, reply_token: str, chat_id: str) -> None:
        """A reply LINE refuses names only its token: remember whose chat the token belongs to."""
        with self._lock:
            self._reply_tokens[reply_token] = chat_id

    def add_sent(self, chat_id: str, message: dict[str, Any]) -> None:
        with self._lock:
            self._sync()  # earlier bot messages stay above this one
            self._entries[chat_id].append(self._entry("user", message))

    def add_problem(self, chat_id: str, title: str, detail: str) -> None:
        with self._lock:
            self._sync()
            self._entries[chat_id].append(self._entry("problem", _problem(title, detail)))

    def catch_up(self) -> None:
        """Take in what LINE delivered so far, stamped with the clock's time now (called after each
        worker pass, so a reminder shows the time it went out, not the time the page looked)."""
        with self._lock:
            self._sync()

    def since(self, chat_id: str, after: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Entries of one chat from index `after` on, and how long every chat is now."""
        with self._lock:
            self._sync()
            counts = {key: len(entries) for key, entries in self._entries.items()}
            return list(self._entries[chat_id][after:]), counts

    def _sync(self) -> None:
        for chat_id, entries in self._entries.items():
            for delivered in self._stub.inbox(chat_id, after=self._seen[chat_id]):
                entries.append(self._entry("bot", self._shown(delivered.message)))
                self._seen[chat_id] = delivered.seq
        recorded = self._stub.requests
        for call in recorded[self._requests_seen :]:
            if call.path in SENDING_PATHS and call.status >= 400 and call.status != 409:
                for chat_id in self._addressed(call):
                    if chat_id in self._entries:
                        entry = self._entry("problem", _problem(REFUSED_TITLE, explain(call)))
                        self._entries[chat_id].append(entry)
        self._requests_seen = len(recorded)

    def _addressed(self, call: RecordedRequest) -> list[str]:
        body = call.json if isinstance(call.json, dict) else {}
        if "replyToken" in body:
            chat_id = self._reply_tokens.get(str(body["replyToken"]))
            return [chat_id] if chat_id else []
        to = body.get("to")
        return [str(to)] if isinstance(to, str) else [str(t) for t in to] if isinstance(to, list) else []

    def _shown(self, message: dict[str, Any]) -> dict[str, Any]:
        # The bot serves relay photos at its public https URL; here that is this very server.
        if message.get("type") == "image":
            for key in ("originalContentUrl", "previewImageUrl"):
                url = str(message.get(key, ""))
                if url.startswith(self._public_url):
                    message[key] = url[len(self._public_url) :]
        return message

    def _entry(self, side: str, message: dict[str, Any]) -> dict[str, Any]:
        local = self._clock().astimezone(self._timezone)
        day = f"{local.month}月{local.day}日({WEEKDAYS[local.weekday()]})"
        return {"from": side, "message": message, "time": local.strftime("%H:%M"), "day": day}


def _problem(title: str, detail: str) -> dict[str, Any]:
    return {"type": "problem", "title": title, "text": detail}


def explain(call: RecordedRequest) -> str:
    """What LINE's error means, in Japanese, with LINE's own words after it for a developer."""
    answer = call.answer if isinstance(call.answer, dict) else {}
    message = str(answer.get("message", ""))
    details = answer.get("details") or []
    reasons = [
        _reason(str(d.get("property", "")), str(d.get("message", ""))) for d in details if isinstance(d, dict)
    ]
    if call.status == 400 and message == "Invalid reply token":
        reasons = ["返信に使う合図（reply token）が、もう使えませんでした（1分たったか、使用済み）。"]
    elif call.status == 429 and message == MONTHLY_LIMIT:
        reasons = ["今月送れるメッセージの数を、こえました。"]
    elif call.status == 401:
        reasons = ["アクセストークンが正しくありません。"]
    elif call.status == 413:
        reasons = ["送る内容が大きすぎます（2MBまで）。"]
    elif not reasons:
        reasons = [f"エラー {call.status} です。"]
    english = f"（LINEの答え：{call.status} {message}）" if message else f"（LINEの答え：{call.status}）"
    return "\n".join([*reasons, english])


def _reason(prop: str, message: str) -> str:
    where = prop or "メッセージ"
    if prop.endswith(".text") and "Length" in message and prop.count(".") == 1:
        return "文章が長すぎます（1つのメッセージは5,000文字まで）。"
    if "Length" in message or "Size must be" in message:
        return f"{where} が、LINEの上限をこえています（{message}）。"
    if "must be specified" in message:
        return f"{where} がありません。"
    if "must start with" in message:
        return f"{where} のURLの形が使えません（{message}）。"
    return f"{where}：{message}"
