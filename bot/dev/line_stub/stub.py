"""LineStub: a fake LINE Messaging API served over real HTTP, for the test suite and the local demo."""

from __future__ import annotations

import copy
import hashlib
import http
import io
import itertools
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from flask import Flask, Response, request
from PIL import Image, UnidentifiedImageError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.dev.line_stub.validation import (
    RICH_MENU_MAX_IMAGE_BYTES,
    JsonObject,
    Problems,
    as_object,
    check_messages,
    check_rich_menu,
)

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_MULTICAST_RECIPIENTS = 500
REPLY_TOKEN_TTL = 60.0
RETRY_KEY_WINDOW = 24 * 60 * 60.0
# LINE allows 100 rich-menu creations and deletions per hour (per channel).
RICH_MENU_CHANGES_PER_HOUR = 100
USER_ID = re.compile(r"U[0-9a-f]{32}")
CHAT_ID = re.compile(r"[UCR][0-9a-f]{32}")
RETRY_KEY = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# LINE hands out quote tokens only for message types a user can quote.
_QUOTABLE = frozenset({"text", "textV2", "sticker", "image", "video"})
_ALT_TEXT_TYPES = frozenset({"flex", "template", "imagemap"})

NO_AUTH_HEADER = (
    "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"
)
BAD_TOKEN = "Authentication failed. Confirm that the access token in the authorization header is valid."
MONTHLY_LIMIT = "You have reached your monthly limit."
# Only this machine's own tools may read the stub's inboxes (a web page on another name is refused).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def user_id_for(name: str) -> str:
    """A stable, well-formed LINE user ID for a test or demo persona ("alice" → "U…32 hex")."""
    return "U" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class RecordedRequest:
    """One Messaging API request as the stub saw it, rejected ones included. Header names are lowercase."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any
    status: int
    answer: Any = None  # the JSON body of the stub's response (LINE's error message and details)


@dataclass(frozen=True)
class RichMenuShown:
    """The rich menu a user sees under the chat: the menu object and its image."""

    rich_menu_id: str
    menu: dict[str, Any]
    image: bytes
    content_type: str


@dataclass(frozen=True)
class InboxEntry:
    """One message delivered to one chat; seq increases across all chats and survives clear()."""

    seq: int
    chat_id: str
    message: dict[str, Any]
    via: str  # "reply", "push" or "multicast"

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "message": self.message, "via": self.via}


@dataclass
class _Fault:
    status: int
    remaining: int
    path_prefix: str | None
    body: dict[str, Any]
    after_processing: bool


@dataclass
class _Delay:
    seconds: float
    remaining: int
    path_prefix: str | None


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    params: dict[str, str]
    request_id: str
    json: Any = None
    malformed_json: bool = False


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict[str, Any] | bytes = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass(frozen=True)
class _AcceptedKey:
    request_id: str
    accepted_at: float
    sent_messages: list[dict[str, str]] | None


@dataclass
class _State:
    """Everything clear() forgets."""

    monthly_limit: int | None
    quota_used: int = 0
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)
    reply_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    retry_keys: dict[str, _AcceptedKey] = field(default_factory=dict)
    contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    delays: list[_Delay] = field(default_factory=list)
    inbox: list[InboxEntry] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    user_rich_menus: dict[str, str] = field(default_factory=dict)
    rich_menu_changes: list[float] = field(default_factory=list)


class _OneRequestPerConnection(WSGIRequestHandler):
    # HTTP/1.0 closes each connection after its response, so no idle keep-alive thread outlives stop().
    protocol_version = "HTTP/1.0"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Tests read stub.requests; an access-log line per call would only bury real failures.
        pass


class LineStub:
    """A local LINE platform: enforces LINE's limits, records every delivery, and can inject faults."""

    def __init__(
        self,
        access_token: str = "test-token",
        *,
        monthly_limit: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        reply_token_ttl: float = REPLY_TOKEN_TTL,
    ) -> None:
        self.access_token = access_token
        self._initial_limit = monthly_limit
        self._clock = clock
        self._reply_token_ttl = reply_token_ttl
        self._lock = threading.Lock()
        self._state = _State(monthly_limit=monthly_limit)
        self._seq = itertools.count(1)
        self._message_ids = itertools.count(500_000_000_000_000_000)
        self._stopping = threading.Event()
        self._servers: list[tuple[BaseWSGIServer, threading.Thread]] = []
        self._app = self._build_app(self._api_routes())
        # LINE serves uploads and downloads of content from a host of its own (api-data.line.me).
        self._data_app = self._build_app(self._data_routes())

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> LineStub:
        if self._servers:
            raise RuntimeError("LineStub is already running")
        self._stopping.clear()
        for app, name in ((self._app, "line-stub"), (self._data_app, "line-stub-data")):
            server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_OneRequestPerConnection)
            # A short poll keeps stop() quick enough to run one stub per test.
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
            )
            thread.start()
            self._servers.append((server, thread))
        return self

    def stop(self) -> None:
        """Stops serving; requests in flight finish first (a pending delay_next is cut short)."""
        servers, self._servers = self._servers, []
        self._stopping.set()
        for server, thread in servers:
            server.shutdown()
            server.server_close()  # joins the request threads
            thread.join()

    def __enter__(self) -> LineStub:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL for Configuration(host=...), e.g. "http://127.0.0.1:54321"."""
        return self._base_url(0)

    @property
    def data_url(self) -> str:
        """The data host's base URL (LINE_API_DATA_ENDPOINT): message content and rich-menu images."""
        return self._base_url(1)

    def _base_url(self, index: int) -> str:
        if not self._servers:
            raise RuntimeError("LineStub is not running: call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._servers[index][0].server_port}"

    # -- arranging a test ---------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        display_name: str,
        *,
        picture_url: str | None = None,
        status_message: str | None = None,
        language: str | None = "ja",
    ) -> None:
        """Makes a friend whose profile the bot can read. Pushes to unknown IDs are delivered anyway."""
        _require_user_id(user_id)
        profile = {
            "userId": user_id,
            "displayName": display_name,
            "pictureUrl": picture_url,
            "statusMessage": status_message,
            "language": language,
        }
        with self._lock:
            self._state.users[user_id] = {key: value for key, value in profile.items() if value is not None}
            self._state.blocked.discard(user_id)

    def block(self, user_id: str) -> None:
        """The user blocks the bot: their profile is 404 and pushes are accepted but not delivered."""
        with self._lock:
            self._state.blocked.add(user_id)

    def unblock(self, user_id: str) -> None:
        with self._lock:
            self._state.blocked.discard(user_id)

    def issue_reply_token(self, user_id: str) -> str:
        """A fresh single-use reply token (valid reply_token_ttl seconds) for a webhook event of user_id."""
        token = secrets.token_hex(16)
        with self._lock:
            self._state.reply_tokens[token] = (user_id, self._clock())
        return token

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """What GET /v2/bot/message/{message_id}/content returns (a user's image, video, audio or file)."""
        with self._lock:
            self._state.contents[message_id] = (data, content_type)

    def set_quota(self, monthly_limit: int | None, used: int = 0) -> None:
        """monthly_limit None means unlimited; used is the month's consumption so far."""
        with self._lock:
            self._state.monthly_limit = monthly_limit
            self._state.quota_used = used

    @property
    def quota_used(self) -> int:
        with self._lock:
            return self._state.quota_used

    def fail_next(
        self,
        count: int = 1,
        status: int = 500,
        path_prefix: str | None = None,
        *,
        body: dict[str, Any] | None = None,
        after_processing: bool = False,
    ) -> None:
        """The next count matching API calls answer status. With after_processing the call still takes
        effect (messages delivered, retry key accepted) before failing, like a response lost on the way."""
        default = {"message": http.HTTPStatus(status).phrase}
        with self._lock:
            self._state.faults.append(
                _Fault(status, count, path_prefix, body if body is not None else default, after_processing)
            )

    def delay_next(self, seconds: float, count: int = 1, path_prefix: str | None = None) -> None:
        """The next count matching API calls wait before being handled, to make a client time out."""
        with self._lock:
            self._state.delays.append(_Delay(seconds, count, path_prefix))

    def heal(self) -> None:
        """Forget the faults and delays still pending (an outage that ends), keeping everything else."""
        with self._lock:
            self._state.faults.clear()
            self._state.delays.clear()

    def clear(self) -> None:
        """Back to a fresh platform: users, tokens, retry keys, quota, faults, recordings; seq goes on."""
        with self._lock:
            self._state = _State(monthly_limit=self._initial_limit)

    # -- asserting ----------------------------------------------------------------------------------

    def inbox(self, chat_id: str, after: int = 0) -> list[InboxEntry]:
        """Deliveries to chat_id with seq > after, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(entry)
                for entry in self._state.inbox
                if entry.chat_id == chat_id and entry.seq > after
            ]

    def messages_for(self, chat_id: str) -> list[dict[str, Any]]:
        """Message objects delivered to chat_id, in order, as the user sees them."""
        return [entry.message for entry in self.inbox(chat_id)]

    def texts_for(self, chat_id: str) -> list[str]:
        """What the user reads: each text's text and each flex/template/imagemap altText, in order."""
        return [text for message in self.messages_for(chat_id) if (text := _readable_text(message))]

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    def rich_menu_for(self, user_id: str) -> RichMenuShown | None:
        """The menu LINE shows this user: their own linked menu, else the default; None without an image."""
        with self._lock:
            menu_id = self._state.user_rich_menus.get(user_id) or self._state.default_rich_menu
            if menu_id is None or menu_id not in self._state.rich_menu_images:
                return None
            image, content_type = self._state.rich_menu_images[menu_id]
            return RichMenuShown(menu_id, copy.deepcopy(self._state.rich_menus[menu_id]), image, content_type)

    @property
    def rich_menu_ids(self) -> list[str]:
        with self._lock:
            return list(self._state.rich_menus)

    def calls(self, path: str, status: int | None = None) -> int:
        """How many requests hit exactly this path (optionally only those answered with status)."""
        return sum(1 for r in self.requests if r.path == path and (status is None or r.status == status))

    # -- HTTP ---------------------------------------------------------------------------------------

    def _api_routes(self) -> list[tuple[str, str, Callable[[_Call], _Answer]]]:
        return [
            ("POST", "/v2/bot/message/reply", self._reply),
            ("POST", "/v2/bot/message/push", self._push),
            ("POST", "/v2/bot/message/multicast", self._multicast),
            ("GET", "/v2/bot/profile/<user_id>", self._profile),
            ("GET", "/v2/bot/message/quota", self._quota),
            ("GET", "/v2/bot/message/quota/consumption", self._consumption),
            ("POST", "/v2/bot/chat/loading/start", self._loading),
            ("POST", "/v2/bot/chat/markAsRead", self._mark_as_read),
            ("POST", "/v2/bot/richmenu", self._create_rich_menu),
            ("POST", "/v2/bot/richmenu/validate", self._validate_rich_menu),
            ("GET", "/v2/bot/richmenu/list", self._rich_menu_list),
            ("GET", "/v2/bot/richmenu/<rich_menu_id>", self._get_rich_menu),
            ("DELETE", "/v2/bot/richmenu/<rich_menu_id>", self._delete_rich_menu),
            ("POST", "/v2/bot/user/all/richmenu/<rich_menu_id>", self._set_default_rich_menu),
            ("GET", "/v2/bot/user/all/richmenu", self._get_default_rich_menu),
            ("DELETE", "/v2/bot/user/all/richmenu", self._cancel_default_rich_menu),
            ("POST", "/v2/bot/user/<user_id>/richmenu/<rich_menu_id>", self._link_rich_menu),
            ("GET", "/v2/bot/user/<user_id>/richmenu", self._user_rich_menu),
            ("DELETE", "/v2/bot/user/<user_id>/richmenu", self._unlink_rich_menu),
        ]

    def _data_routes(self) -> list[tuple[str, str, Callable[[_Call], _Answer]]]:
        return [
            ("GET", "/v2/bot/message/<message_id>/content", self._content),
            ("POST", "/v2/bot/richmenu/<rich_menu_id>/content", self._upload_rich_menu_image),
            ("GET", "/v2/bot/richmenu/<rich_menu_id>/content", self._rich_menu_image),
        ]

    def _build_app(self, routes: list[tuple[str, str, Callable[[_Call], _Answer]]]) -> Flask:
        app = Flask(__name__)
        for method, rule, endpoint in routes:
            app.add_url_rule(rule, f"{method}-{endpoint.__name__}", self._view(endpoint), methods=[method])
        app.add_url_rule(
            "/v2/<path:rest>", "unknown", self._view(_not_found), methods=["GET", "POST", "PUT", "DELETE"]
        )
        app.add_url_rule("/_stub/inbox/<chat_id>", "inbox", self._inbox_view, methods=["GET"])
        return app

    def _view(self, endpoint: Callable[[_Call], _Answer]) -> Callable[..., Response]:
        def view(**params: str) -> Response:
            call = _read_call(params)
            answer = self._answer(endpoint, call)
            self._record(call, answer)
            return _to_response(answer, call.request_id)

        return view

    def _inbox_view(self, chat_id: str) -> Response:
        # No CORS header: what neighbours wrote must not be readable by any web page the browser has
        # open, and a DNS-rebinding page (another name pointed at 127.0.0.1) arrives with its own Host.
        if request.host.rsplit(":", 1)[0] not in LOCAL_HOSTS:
            return _to_response(_error(403, "Forbidden"), str(uuid.uuid4()))
        after = request.args.get("after", default=0, type=int)
        body = {"messages": [entry.to_json() for entry in self.inbox(chat_id, after)]}
        return _to_response(_Answer(200, body), str(uuid.uuid4()))

    def _answer(self, endpoint: Callable[[_Call], _Answer], call: _Call) -> _Answer:
        if len(call.body) > MAX_BODY_BYTES:
            return _error(413, "Request Entity Too Large")
        denied = self._check_auth(call.headers)
        if denied is not None:
            return denied
        fault = self._take_fault(call.path)
        if fault is not None and not fault.after_processing:
            return _Answer(fault.status, fault.body)
        delay = self._take_delay(call.path)
        if delay is not None:
            self._stopping.wait(delay.seconds)
        if call.malformed_json and not call.headers.get("content-type", "").startswith("image/"):
            return _error(400, "The request body could not be parsed as JSON")
        answer = endpoint(call)
        return _Answer(fault.status, fault.body) if fault is not None else answer

    def _check_auth(self, headers: dict[str, str]) -> _Answer | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return _error(401, NO_AUTH_HEADER)
        if not secrets.compare_digest(token.encode(), self.access_token.encode()):
            return _error(401, BAD_TOKEN)
        return None

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            return _take_matching(self._state.faults, path)

    def _take_delay(self, path: str) -> _Delay | None:
        with self._lock:
            return _take_matching(self._state.delays, path)

    def _record(self, call: _Call, answer: _Answer) -> None:
        answered = answer.body if isinstance(answer.body, dict) else None
        entry = RecordedRequest(call.method, call.path, call.headers, call.json, answer.status, answered)
        with self._lock:
            self._state.requests.append(entry)

    # -- endpoints ----------------------------------------------------------------------------------

    def _reply(self, call: _Call) -> _Answer:
        if "x-line-retry-key" in call.headers:
            return _error(400, "X-Line-Retry-Key is not supported for the reply API")
        problems = Problems()
        body = as_object(call.json, "", problems) or {}
        token = body.get("replyToken")
        if not isinstance(token, str) or not token:
            problems.add("replyToken", "must be specified")
        messages = check_messages(body, problems)
        if problems:
            return _Answer(400, problems.body())
        with self._lock:
            user_id = self._redeem_reply_token(str(token))
            if user_id is None:
                return _error(400, "Invalid reply token")
            sent = self._deliver([user_id], messages, via="reply")
        return _Answer(200, {"sentMessages": sent})

    def _push(self, call: _Call) -> _Answer:
        problems = Problems()
        body = as_object(call.json, "", problems) or {}
        to = body.get("to")
        if not (isinstance(to, str) and CHAT_ID.fullmatch(to)):
            problems.add("to", "must be a user, group or room ID")
        messages = check_messages(body, problems)
        return self._send(call, problems, [str(to)], messages, via="push")

    def _multicast(self, call: _Call) -> _Answer:
        problems = Problems()
        body = as_object(call.json, "", problems) or {}
        to = body.get("to")
        if not isinstance(to, list) or not 1 <= len(to) <= MAX_MULTICAST_RECIPIENTS:
            problems.add("to", f"Size must be between 1 and {MAX_MULTICAST_RECIPIENTS}")
            to = []
        for index, user_id in enumerate(to):
            if not (isinstance(user_id, str) and USER_ID.fullmatch(user_id)):
                problems.add(f"to[{index}]", "must be a user ID")
        messages = check_messages(body, problems)
        return self._send(call, problems, list(dict.fromkeys(map(str, to))), messages, via="multicast")

    def _send(
        self, call: _Call, problems: Problems, recipients: list[str], messages: list[Any], *, via: str
    ) -> _Answer:
        """Push and multicast: retry key, validation, quota, then delivery, atomically."""
        retry_key = call.headers.get("x-line-retry-key")
        if retry_key is not None and not RETRY_KEY.fullmatch(retry_key):
            return _error(400, "X-Line-Retry-Key must be a UUID")
        if problems:
            return _Answer(400, problems.body())
        with self._lock:
            accepted = self._accepted_retry_key(retry_key)
            if accepted is not None:
                return _already_accepted(accepted)
            if self._over_quota(recipients):
                return _error(429, MONTHLY_LIMIT)
            sent = self._deliver(recipients, messages, via=via)
            if retry_key is not None:
                kept = sent if via == "push" else None
                self._state.retry_keys[retry_key] = _AcceptedKey(call.request_id, self._clock(), kept)
        return _Answer(200, {"sentMessages": sent} if via == "push" else {})

    def _profile(self, call: _Call) -> _Answer:
        user_id = call.params["user_id"]
        with self._lock:
            profile = self._state.users.get(user_id)
            if profile is None or user_id in self._state.blocked:
                return _error(404, "Not found")
            return _Answer(200, dict(profile))

    def _quota(self, call: _Call) -> _Answer:
        with self._lock:
            limit = self._state.monthly_limit
        return _Answer(200, {"type": "none"} if limit is None else {"type": "limited", "value": limit})

    def _consumption(self, call: _Call) -> _Answer:
        return _Answer(200, {"totalUsage": self.quota_used})

    def _loading(self, call: _Call) -> _Answer:
        problems = Problems()
        body = as_object(call.json, "", problems) or {}
        chat_id = body.get("chatId")
        if not (isinstance(chat_id, str) and USER_ID.fullmatch(chat_id)):
            problems.add("chatId", "must be a user ID (the animation shows only in one-on-one chats)")
        seconds = body.get("loadingSeconds", 20)
        if not (isinstance(seconds, int) and 5 <= seconds <= 60 and seconds % 5 == 0):
            problems.add("loadingSeconds", "must be a multiple of 5 between 5 and 60")
        return _Answer(400, problems.body()) if problems else _Answer(202, {})

    def _mark_as_read(self, call: _Call) -> _Answer:
        problems = Problems()
        body = as_object(call.json, "", problems) or {}
        token = body.get("markAsReadToken")
        if not isinstance(token, str) or not token:
            problems.add("markAsReadToken", "must be specified")
        return _Answer(400, problems.body()) if problems else _Answer(200, {})

    def _content(self, call: _Call) -> _Answer:
        with self._lock:
            stored = self._state.contents.get(call.params["message_id"])
        if stored is None:
            return _error(404, "Not found")
        data, content_type = stored
        return _Answer(200, data, content_type=content_type)

    # -- rich menus -------------------------------------------------------------------------------

    def _create_rich_menu(self, call: _Call) -> _Answer:
        problems = Problems()
        check_rich_menu(call.json, problems)
        if problems:
            return _Answer(400, problems.body())
        rich_menu_id = f"richmenu-{secrets.token_hex(16)}"
        with self._lock:
            if not self._count_rich_menu_change():
                return _error(429, "Too many requests")
            self._state.rich_menus[rich_menu_id] = {"richMenuId": rich_menu_id, **copy.deepcopy(call.json)}
        return _Answer(200, {"richMenuId": rich_menu_id})

    def _validate_rich_menu(self, call: _Call) -> _Answer:
        problems = Problems()
        check_rich_menu(call.json, problems)
        return _Answer(400, problems.body()) if problems else _Answer(200, {})

    def _rich_menu_list(self, call: _Call) -> _Answer:
        with self._lock:
            return _Answer(200, {"richmenus": copy.deepcopy(list(self._state.rich_menus.values()))})

    def _get_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            menu = self._state.rich_menus.get(call.params["rich_menu_id"])
            return _Answer(200, copy.deepcopy(menu)) if menu else _error(404, "Not found")

    def _delete_rich_menu(self, call: _Call) -> _Answer:
        rich_menu_id = call.params["rich_menu_id"]
        with self._lock:
            if rich_menu_id not in self._state.rich_menus:
                return _error(404, "Not found")
            if not self._count_rich_menu_change():
                return _error(429, "Too many requests")
            del self._state.rich_menus[rich_menu_id]
            self._state.rich_menu_images.pop(rich_menu_id, None)
            # As on LINE: a deleted menu disappears from the default and from every user it was linked to.
            if self._state.default_rich_menu == rich_menu_id:
                self._state.default_rich_menu = None
            for user_id, linked in list(self._state.user_rich_menus.items()):
                if linked == rich_menu_id:
                    del self._state.user_rich_menus[user_id]
        return _Answer(200, {})

    def _upload_rich_menu_image(self, call: _Call) -> _Answer:
        rich_menu_id = call.params["rich_menu_id"]
        content_type = call.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("image/png", "image/jpeg"):
            return _error(415, "Content-Type must be image/jpeg or image/png")
        if len(call.body) > RICH_MENU_MAX_IMAGE_BYTES:
            return _error(400, "The image must be 1 MB or smaller")
        try:
            with Image.open(io.BytesIO(call.body)) as image:
                found, size = (image.format or "").lower(), image.size
        except (UnidentifiedImageError, OSError):
            return _error(400, "The image could not be read as JPEG or PNG")
        with self._lock:
            menu = self._state.rich_menus.get(rich_menu_id)
            if menu is None:
                return _error(404, "Not found")
            if rich_menu_id in self._state.rich_menu_images:
                return _error(400, "An image has already been uploaded to the richmenu")
            if f"image/{found}" != content_type:
                return _error(400, f"The image is {found or 'unknown'}, not {content_type}")
            expected = (menu["size"]["width"], menu["size"]["height"])
            if size != expected:
                return _error(
                    400, f"The image must be {expected[0]}x{expected[1]} pixels, not {size[0]}x{size[1]}"
                )
            self._state.rich_menu_images[rich_menu_id] = (call.body, content_type)
        return _Answer(200, {})

    def _rich_menu_image(self, call: _Call) -> _Answer:
        with self._lock:
            stored = self._state.rich_menu_images.get(call.params["rich_menu_id"])
        if stored is None:
            return _error(404, "Not found")
        return _Answer(200, stored[0], content_type=stored[1])

    def _set_default_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            denied = self._linkable(call.params["rich_menu_id"])
            if denied is None:
                self._state.default_rich_menu = call.params["rich_menu_id"]
        return denied or _Answer(200, {})

    def _get_default_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            default = self._state.default_rich_menu
        return _Answer(200, {"richMenuId": default}) if default else _error(404, "no default richmenu")

    def _cancel_default_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            self._state.default_rich_menu = None
        return _Answer(200, {})

    def _link_rich_menu(self, call: _Call) -> _Answer:
        user_id = call.params["user_id"]
        if not USER_ID.fullmatch(user_id):
            return _error(400, "The user ID is invalid")
        with self._lock:
            denied = self._linkable(call.params["rich_menu_id"])
            if denied is None:
                self._state.user_rich_menus[user_id] = call.params["rich_menu_id"]
        return denied or _Answer(200, {})

    def _user_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            linked = self._state.user_rich_menus.get(call.params["user_id"])
        return _Answer(200, {"richMenuId": linked}) if linked else _error(404, "the user has no richmenu")

    def _unlink_rich_menu(self, call: _Call) -> _Answer:
        with self._lock:
            self._state.user_rich_menus.pop(call.params["user_id"], None)
        return _Answer(200, {})

    def _count_rich_menu_change(self) -> bool:
        """One more create or delete in the past hour, if LINE's hourly limit allows it (lock held)."""
        now = self._clock()
        recent = [at for at in self._state.rich_menu_changes if now - at < 3600.0]
        if len(recent) >= RICH_MENU_CHANGES_PER_HOUR:
            self._state.rich_menu_changes = recent
            return False
        self._state.rich_menu_changes = [*recent, now]
        return True

    def _linkable(self, rich_menu_id: str) -> _Answer | None:
        """LINE links or defaults only an existing menu whose image is uploaded (lock held)."""
        if rich_menu_id not in self._state.rich_menus:
            return _error(404, "richmenu not found")
        if rich_menu_id not in self._state.rich_menu_images:
            return _error(400, "must upload richmenu image before applying it to user")
        return None

    # -- platform rules (called with the lock held) -------------------------------------------------

    def _redeem_reply_token(self, token: str) -> str | None:
        issued = self._state.reply_tokens.pop(token, None)
        if issued is None:
            return None
        user_id, issued_at = issued
        return user_id if self._clock() - issued_at <= self._reply_token_ttl else None

    def _accepted_retry_key(self, retry_key: str | None) -> _AcceptedKey | None:
        accepted = self._state.retry_keys.get(retry_key) if retry_key is not None else None
        if accepted is None or self._clock() - accepted.accepted_at > RETRY_KEY_WINDOW:
            return None
        return accepted

    def _over_quota(self, recipients: Iterable[str]) -> bool:
        limit = self._state.monthly_limit
        if limit is None:
            return False
        used = self._state.quota_used
        return used >= limit or used + len(self._reachable(recipients)) > limit

    def _reachable(self, recipients: Iterable[str]) -> list[str]:
        return [chat_id for chat_id in recipients if chat_id not in self._state.blocked]

    def _deliver(self, recipients: list[str], messages: list[Any], *, via: str) -> list[dict[str, str]]:
        """Puts the messages in each reachable chat's inbox; returns LINE's sentMessages for the call."""
        sent = [_sent_message(str(next(self._message_ids)), message) for message in messages]
        reachable = self._reachable(recipients)
        for chat_id in reachable:
            for index, message in enumerate(messages):
                shown = _as_shown(message, is_last=index == len(messages) - 1)
                self._state.inbox.append(InboxEntry(next(self._seq), chat_id, shown, via))
        if via != "reply":  # replies are free; pushes and multicasts cost one per recipient reached
            self._state.quota_used += len(reachable)
        return sent


def _require_user_id(user_id: str) -> None:
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"{user_id!r} is not a LINE user ID (U + 32 hex digits); use user_id_for(name)")


_Injected = TypeVar("_Injected", _Fault, _Delay)


def _take_matching(queue: list[_Injected], path: str) -> _Injected | None:
    """Consumes one use of the first fault/delay whose path_prefix matches."""
    for item in queue:
        if item.path_prefix is None or path.startswith(item.path_prefix):
            item.remaining -= 1
            if item.remaining <= 0:
                queue.remove(item)
            return item
    return None


def _read_call(params: dict[str, str]) -> _Call:
    headers = {name.lower(): value for name, value in request.headers.items()}
    # Read (and so drain) the whole body even when too large, so the client gets the 413, not a reset.
    body = request.get_data(cache=False)
    payload, malformed = None, False
    if body and len(body) <= MAX_BODY_BYTES:
        try:
            payload = json.loads(body.decode("utf-8"))
        except ValueError:
            malformed = True
    return _Call(request.method, request.path, headers, body, params, str(uuid.uuid4()), payload, malformed)


def _to_response(answer: _Answer, request_id: str) -> Response:
    data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body, ensure_ascii=False)
    response = Response(data, status=answer.status, content_type=answer.content_type)
    response.headers["X-Line-Request-Id"] = request_id
    response.headers.update(answer.headers)
    return response


def _error(status: int, message: str) -> _Answer:
    return _Answer(status, {"message": message})


def _not_found(call: _Call) -> _Answer:
    return _error(404, "Not found")


def _already_accepted(accepted: _AcceptedKey) -> _Answer:
    body: dict[str, Any] = {"message": "The retry key is already accepted"}
    if accepted.sent_messages is not None:
        body["sentMessages"] = accepted.sent_messages
    return _Answer(409, body, headers={"X-Line-Accepted-Request-Id": accepted.request_id})


def _sent_message(message_id: str, message: Any) -> dict[str, str]:
    sent = {"id": message_id}
    if isinstance(message, dict) and message.get("type") in _QUOTABLE:
        sent["quoteToken"] = secrets.token_urlsafe(24)
    return sent


def _as_shown(message: JsonObject, *, is_last: bool) -> dict[str, Any]:
    # LINE shows a quick reply only under the last message of a send; earlier ones lose it.
    shown = copy.deepcopy(dict(message))
    if not is_last:
        shown.pop("quickReply", None)
    return shown


def _readable_text(message: JsonObject) -> str | None:
    if message.get("type") in ("text", "textV2"):
        return str(message.get("text", ""))
    if message.get("type") in _ALT_TEXT_TYPES:
        return str(message.get("altText", ""))
    return None
