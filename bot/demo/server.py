"""The demo server: the real bot app and a chat-simulator page on 127.0.0.1, with a LINE stub behind them."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, Response, abort, request
from sqlalchemy.engine import make_url
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.app import create_app, system_clock
from bot.demo.personas import PERSONAS, Persona, by_key
from bot.demo.seed import seed
from bot.line_stub import LineStub
from bot.line_stub import events as ev
from bot.settings import Settings
from bot.worker import TICK_SECONDS, runner_for

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MOUNT = "/demo"
DEFAULT_PORT = 8000
# Visitors try the same request again and again; the real weekly cap (3) would soon leave nobody to ask.
DEMO_WEEKLY_ASK_CAP = 1000
# No quiet hours (start == end): a visitor at 22:00 must see the supporters' cards arrive, not wait till 8:00.
DEMO_QUIET = time(0, 0)
CALLBACK_TIMEOUT = 10.0
TEXT_LIMIT = 5000
DATA_LIMIT = 300
PICKER_PARAMS = frozenset({"date", "time", "datetime"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})

# The demo only ever talks to itself: environment proxies must not see its webhooks.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def demo_database_url(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """DATABASE_URL when set; otherwise ./instance/demo.sqlite3, kept apart from a development database."""
    env = os.environ if env is None else env
    configured = env.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    folder = (cwd or Path.cwd()) / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'demo.sqlite3'}"


# --- what the page asks for ---------------------------------------------------------------------


class BadAction(ValueError):
    """The page sent something that is not a user action we can turn into a webhook event."""


@dataclass(frozen=True)
class UserAction:
    """One thing a persona does in the chat: type a text, tap a postback, or send their location."""

    kind: str
    text: str = ""
    data: str = ""
    display_text: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, payload: Any) -> UserAction:
        if not isinstance(payload, dict):
            raise BadAction("the body must be a JSON object")
        kind = payload.get("kind")
        if kind == "text":
            text = payload.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > TEXT_LIMIT:
                raise BadAction(f"text must be 1 to {TEXT_LIMIT} characters")
            return cls("text", text=text)
        if kind == "postback":
            data, shown = payload.get("data"), payload.get("display_text", "")
            params = payload.get("params") or {}
            if not isinstance(data, str) or not 0 < len(data) <= DATA_LIMIT:
                raise BadAction(f"data must be 1 to {DATA_LIMIT} characters")
            if not isinstance(shown, str) or len(shown) > DATA_LIMIT:
                raise BadAction("display_text must be a short string")
            if not isinstance(params, dict) or not all(
                key in PICKER_PARAMS and isinstance(value, str) and len(value) <= 20
                for key, value in params.items()
            ):
                raise BadAction("params may only hold date, time or datetime strings")
            return cls("postback", data=data, display_text=shown, params=dict(params))
        if kind == "location":
            return cls("location")
        raise BadAction("kind must be text, postback or location")

    def event(self, persona: Persona, reply_token: str) -> dict[str, Any]:
        """The webhook event LINE would send for this action."""
        if self.kind == "text":
            return ev.text_event(persona.user_id, self.text, reply_token)
        if self.kind == "postback":
            return ev.postback_event(persona.user_id, reply_token, self.data, self.params or None)
        return ev.location_event(
            persona.user_id, reply_token, persona.lat, persona.lon, address=persona.address
        )

    def shown(self, persona: Persona) -> dict[str, Any] | None:
        """What the persona's own side of the chat shows, as LINE does (a postback may show nothing)."""
        if self.kind == "text":
            return {"type": "text", "text": self.text}
        if self.kind == "location":
            return {
                "type": "location",
                "title": "位置情報",
                "address": persona.address,
                "latitude": persona.lat,
                "longitude": persona.lon,
            }
        if self.display_text:
            return {"type": "text", "text": self.display_text}
        if self.params:
            picked = " ".join(self.params.values()).replace("T", " ")
            return {"type": "note", "text": f"日時：{picked}"}
        return None


# --- each persona's chat -----------------------------------------------------------------------


class Timeline:
    """Each persona's chat in order: what they sent, merged with what the stub delivered to them."""

    def __init__(self, stub: LineStub, chat_ids: Iterable[str], timezone: ZoneInfo) -> None:
        self._stub = stub
        self._timezone = timezone
        self._lock = threading.Lock()
        self._entries: dict[str, list[dict[str, Any]]] = {chat_id: [] for chat_id in chat_ids}
        self._seen = dict.fromkeys(self._entries, 0)

    def add_sent(self, chat_id: str, message: dict[str, Any]) -> None:
        with self._lock:
            self._sync()  # earlier bot messages stay above this one
            self._entries[chat_id].append(self._entry("user", message))

    def since(self, chat_id: str, after: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Entries of one chat from index `after` on, and how long every chat is now."""
        with self._lock:
            self._sync()
            counts = {key: len(entries) for key, entries in self._entries.items()}
            return list(self._entries[chat_id][after:]), counts

    def _sync(self) -> None:
        for chat_id, entries in self._entries.items():
            for delivered in self._stub.inbox(chat_id, after=self._seen[chat_id]):
                entries.append(self._entry("bot", delivered.message))
                self._seen[chat_id] = delivered.seq

    def _entry(self, side: str, message: dict[str, Any]) -> dict[str, Any]:
        return {"from": side, "message": message, "time": datetime.now(self._timezone).strftime("%H:%M")}


# --- the running demo --------------------------------------------------------------------------


class Demo:
    """Migrates and seeds the database, then serves the bot and the page until stop()."""

    def __init__(self, *, database_url: str, port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> None:
        self.database_url = database_url
        self.host = host
        self.port = port
        # Fresh per run: nothing outside this process can sign a webhook for it.
        self._secret = secrets.token_hex(16)
        self._token = secrets.token_hex(16)
        self._stack: ExitStack | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.stub: LineStub | None = None
        self.timeline: Timeline | None = None

    def start(self) -> Demo:
        # Imported here: importing Alembic logs its plugins, which run() has quietened by now.
        from db.migrate import upgrade

        if self._stack is not None:
            raise RuntimeError("the demo is already running")
        with ExitStack() as stack:
            upgrade(self.database_url)
            stub = stack.enter_context(LineStub(access_token=self._token))
            for persona in PERSONAS:
                stub.add_user(persona.user_id, persona.display_name)
            settings = Settings(
                line_channel_secret=self._secret,
                line_channel_access_token=self._token,
                database_url=self.database_url,
                line_api_endpoint=stub.url,
                weekly_ask_cap=DEMO_WEEKLY_ASK_CAP,
                quiet_start=DEMO_QUIET,
                quiet_end=DEMO_QUIET,
            )
            bot = create_app(settings)
            stack.callback(bot.extensions["otagai.engine"].dispose)
            stack.callback(bot.extensions["otagai.gateway"].close)
            seed(bot.extensions["otagai.session_factory"], PERSONAS)
            self._start_worker(stack, settings)
            self.stub = stub
            self.timeline = Timeline(stub, (p.user_id for p in PERSONAS), settings.timezone)
            server = make_server(
                self.host,
                self.port,
                _mounted(bot, create_page_app(self)),
                threaded=True,
                request_handler=_QuietRequestHandler,
            )
            stack.callback(server.server_close)
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="otagai-demo", daemon=True
            )
            thread.start()
            stack.callback(thread.join)
            stack.callback(server.shutdown)
            self._server, self._thread = server, thread
            self._greet_everyone()
            self._stack = stack.pop_all()
        return self

    def stop(self) -> None:
        """Stops serving, then closes the bot's connections and the stub."""
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()
        self._server = self._thread = None

    def __enter__(self) -> Demo:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def wait(self) -> None:
        """Blocks until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo is not running")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def page_url(self) -> str:
        return f"{self.url}{MOUNT}/"

    def send(self, persona: Persona, action: UserAction) -> int:
        """Show the action in the persona's chat, then deliver it to /callback as a signed webhook."""
        assert self.stub is not None and self.timeline is not None
        event = action.event(persona, self.stub.issue_reply_token(persona.user_id))
        shown = action.shown(persona)
        if shown is not None:
            self.timeline.add_sent(persona.user_id, shown)
        return self._post(event, persona)

    def _start_worker(self, stack: ExitStack, settings: Settings) -> None:
        """What `otagai worker` does, in a thread: reminders, re-asks and check-ins fall due and go out."""
        runner = stack.enter_context(runner_for(settings))
        stopping = threading.Event()

        def tick_until_stopped() -> None:
            while not stopping.wait(TICK_SECONDS):
                try:
                    runner.run_due(system_clock())
                except Exception:
                    # As in the worker: the next tick tries again, every follow-up is a database row.
                    log.exception("demo worker tick failed")

        thread = threading.Thread(target=tick_until_stopped, name="otagai-demo-worker", daemon=True)
        thread.start()
        stack.callback(thread.join)
        stack.callback(stopping.set)

    def _greet_everyone(self) -> None:
        """Everyone adds the bot as a friend, so each chat opens with the bot's real greeting."""
        assert self.stub is not None
        for persona in PERSONAS:
            token = self.stub.issue_reply_token(persona.user_id)
            status = self._post(ev.follow_event(persona.user_id, token), persona)
            if status != 200:
                raise RuntimeError(f"the bot answered {status} to a follow event; see the log above")

    def _post(self, event: dict[str, Any], persona: Persona) -> int:
        body = ev.body(event)
        outgoing = urllib.request.Request(
            f"{self.url}/callback",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Line-Signature": ev.signature(self._secret, body),
            },
        )
        try:
            with _opener.open(outgoing, timeout=CALLBACK_TIMEOUT) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
        log.info(
            "demo event id=%s type=%s persona=%s status=%s",
            event["webhookEventId"],
            event["type"],
            persona.key,
            status,
        )
        return status


def run(port: int = DEFAULT_PORT) -> None:
    """`otagai demo`: start, say where to look, serve until Ctrl-C, then stop cleanly."""
    database_url = demo_database_url()
    # Migration chatter would push the "open this page" lines off a newcomer's screen.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    demo = Demo(database_url=database_url, port=port)
    try:
        demo.start()
    except (OSError, SystemExit) as exc:  # werkzeug reports a busy port itself, then exits
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port}; try another port: otagai demo --port {port + 1}"
        ) from exc
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        assert demo.stub is not None
        click.echo(
            "\n"
            f"  Otagai demo is running. Open {demo.page_url} in your browser.\n"
            f"  デモを起動しました。ブラウザで {demo.page_url} を開いてください。\n\n"
            f"  Database / データベース: {make_url(database_url).render_as_string(hide_password=True)}\n"
            f"  Bot webhook: {demo.url}/callback   LINE stub: {demo.stub.url}\n"
            "  Press Ctrl-C to stop. / 終わるときは Ctrl-C を押してください。\n"
        )
        demo.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        demo.stop()
        click.echo("Demo stopped. / デモを終了しました。")


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


# --- HTTP --------------------------------------------------------------------------------------


class _QuietRequestHandler(WSGIRequestHandler):
    # One request per connection: no idle keep-alive thread outlives stop().
    protocol_version = "HTTP/1.0"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The page polls every second; only failures are worth a line.
        if str(code).isdigit() and int(code) >= 400:
            super().log_request(code, size)


def _mounted(bot: Flask, page: Flask) -> WsgiApp:
    """The bot at /, the page at /demo/; the bare root and /demo lead to the page."""
    dispatcher = DispatcherMiddleware(bot, {MOUNT: page})

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") in ("", "/", MOUNT):
            start_response("302 Found", [("Location", f"{MOUNT}/"), ("Content-Length", "0")])
            return [b""]
        return dispatcher(environ, start_response)

    return app


def create_page_app(demo: Demo) -> Flask:
    """The chat simulator: its page, the personas, each chat, and a way to act as a persona."""
    page = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")

    @page.before_request
    def local_only() -> None:
        # Only pages on this machine may drive the demo (a DNS-rebinding site sends another Host).
        if request.host.rsplit(":", 1)[0] not in LOCAL_HOSTS:
            abort(403)

    @page.after_request
    def no_cache(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        return response

    @page.get("/")
    def index() -> Response:
        return page.send_static_file("index.html")

    @page.get("/api/personas")
    def personas() -> dict[str, Any]:
        return {"personas": [persona.to_json() for persona in PERSONAS]}

    @page.get("/api/chat/<key>")
    def chat(key: str) -> dict[str, Any]:
        persona = _persona(key)
        assert demo.timeline is not None
        after = max(request.args.get("after", default=0, type=int) or 0, 0)
        entries, counts = demo.timeline.since(persona.user_id, after)
        total = counts[persona.user_id]
        if after > total:  # the page outlived a restart of the demo: start this chat over
            entries, after = demo.timeline.since(persona.user_id, 0)[0], 0
        return {
            "entries": entries,
            "reset": after == 0,
            "next": total,
            "counts": {p.key: counts[p.user_id] for p in PERSONAS},
        }

    @page.post("/api/send")
    def send() -> tuple[dict[str, Any], int]:
        # Requiring JSON also keeps other sites out: a cross-origin JSON POST needs a preflight we refuse.
        if not request.is_json:
            abort(415)
        payload = request.get_json(silent=True)
        persona = _persona(payload.get("persona", "") if isinstance(payload, dict) else "")
        try:
            action = UserAction.from_json(payload)
        except BadAction as exc:
            return {"error": str(exc)}, 400
        try:
            status = demo.send(persona, action)
        except urllib.error.URLError as exc:
            log.warning("demo could not reach the bot: %s", exc.reason)
            return {"error": "the bot did not answer"}, 502
        if status != 200:
            return {"error": f"the bot answered {status}"}, 502
        return {"status": status}, 200

    return page


def _persona(key: str) -> Persona:
    persona = by_key(key) if isinstance(key, str) else None
    if persona is None:
        abort(404)
    return persona
