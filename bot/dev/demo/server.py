"""The demo server: the real bot app and a chat-simulator page on 127.0.0.1, with a LINE stub behind them."""

from __future__ import annotations

import itertools
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
from datetime import time
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import click
from flask import Flask, Response, abort, request
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.app import create_app
from bot.dev.demo import media
from bot.dev.demo.clock import DemoClock, TravelError, label, next_due, target_of
from bot.dev.demo.personas import PERSONAS, Persona, Role, by_key
from bot.dev.demo.seed import seed
from bot.dev.demo.timeline import Timeline
from bot.dev.line_stub import LineStub
from bot.dev.line_stub import events as ev
from bot.jobs.followups import FollowUpRunner
from bot.richmenu import FontMissing, RichMenus, deploy
from bot.worker import runner_for
from db.engine import transaction
from db.models import Base
from handlers.settings import Settings

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
# The bot's public https URL as LINE would fetch relay photos from it; the page loads them from this
# server itself (the timeline strips the prefix), so the name never has to resolve.
DEMO_PUBLIC_URL = "https://otagai-demo.invalid"
# The worker's tick, shorter than production's: a visitor should not wait 10 s for a push.
DEMO_TICK_SECONDS = 2.0
# One 「時間を進める」 runs each due follow-up at its own time; a month of a busy demo is far below this.
MAX_TRAVEL_STEPS = 500
# The coordinators' web desk opens here, signed in as the sample coordinator (bot/desk/demo.py adds
# the route when the demo starts and sets this).
DESK_PATH: str | None = None

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
    """The page sent something that is not a user action we can turn into a webhook event.

    Its message is shown to the visitor as it is, so it is Japanese."""


@dataclass(frozen=True)
class UserAction:
    """One thing a persona does in the chat: a text, a tap, their location, a sticker or a photo."""

    kind: str
    text: str = ""
    data: str = ""
    display_text: str = ""
    params: dict[str, str] = field(default_factory=dict)
    sticker: media.Sticker | None = None
    photo: media.Photo | None = None

    @classmethod
    def from_json(cls, payload: Any) -> UserAction:
        if not isinstance(payload, dict):
            raise BadAction("送る内容の形がちがいます。")
        kind = payload.get("kind")
        if kind == "text":
            text = payload.get("text")
            if not isinstance(text, str) or not text.strip():
                raise BadAction("メッセージが空です。文字を書いてから送ってください。")
            if len(text) > TEXT_LIMIT:
                raise BadAction(
                    f"メッセージが長すぎます（{len(text):,}文字）。LINEで1回に送れるのは{TEXT_LIMIT:,}文字までです。"
                )
            return cls("text", text=text)
        if kind == "postback":
            data, shown = payload.get("data"), payload.get("display_text", "")
            params = payload.get("params") or {}
            if not isinstance(data, str) or not 0 < len(data) <= DATA_LIMIT:
                raise BadAction(f"ボタンのデータは{DATA_LIMIT}文字までです。")
            if not isinstance(shown, str) or len(shown) > DATA_LIMIT:
                raise BadAction("ボタンの表示文が長すぎます。")
            if not isinstance(params, dict) or not all(
                key in PICKER_PARAMS and isinstance(value, str) and len(value) <= 20
                for key, value in params.items()
            ):
                raise BadAction("日時の形がちがいます。")
            return cls("postback", data=data, display_text=shown, params=dict(params))
        if kind == "location":
            return cls("location")
        if kind == "sticker":
            sticker = media.sticker(payload.get("packageId"), payload.get("stickerId"))
            if sticker is None:
                raise BadAction("このスタンプは、デモでは送れません。")
            return cls("sticker", sticker=sticker)
        if kind == "image":
            photo = media.photo(payload.get("sample"))
            if photo is None:
                raise BadAction("この写真は、デモでは送れません。")
            return cls("image", photo=photo)
        raise BadAction("送れる種類は、文字・ボタン・位置情報・スタンプ・写真です。")

    def event(self, persona: Persona, reply_token: str, message_id: str) -> dict[str, Any]:
        """The webhook event LINE would send for this action."""
        if self.kind == "text":
            return ev.text_event(persona.user_id, self.text, reply_token)
        if self.kind == "postback":
            return ev.postback_event(persona.user_id, reply_token, self.data, self.params or None)
        if self.sticker is not None:
            return ev.sticker_event(
                persona.user_id, reply_token, self.sticker.package_id, self.sticker.sticker_id
            )
        if self.photo is not None:
            return ev.image_event(persona.user_id, reply_token, message_id)
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
        if self.sticker is not None:
            return {
                "type": "sticker",
                "packageId": self.sticker.package_id,
                "stickerId": self.sticker.sticker_id,
            }
        if self.photo is not None:
            url = self.photo.to_json()["url"]
            return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}
        if self.display_text:
            return {"type": "text", "text": self.display_text}
        if self.params:
            picked = " ".join(self.params.values()).replace("T", " ")
            return {"type": "note", "text": f"日時：{picked}"}
        return None


# --- the running demo --------------------------------------------------------------------------


class Demo:
    """Migrates and seeds the database, then serves the bot and the page until stop()."""

    def __init__(
        self, *, database_url: str, port: int = DEFAULT_PORT, host: str = "127.0.0.1", reset: bool = False
    ) -> None:
        self.database_url = database_url
        self.host = host
        self.port = port
        self.start_fresh = reset
        # Fresh per run: nothing outside this process can sign a webhook for it.
        self._secret = secrets.token_hex(16)
        self._token = secrets.token_hex(16)
        self._stack: ExitStack | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        # Held by whatever changes the town as a whole (a worker pass, time travel, a reset), so a
        # reset never meets a half-run pass and two passes never overlap.
        self._busy = threading.RLock()
        self._message_ids = itertools.count(700_000_000_000_000_000)
        self.clock = DemoClock()
        self.stub: LineStub | None = None
        self.timeline: Timeline | None = None
        self.settings: Settings | None = None
        self.rich_menu_problem: str | None = None
        self._session_factory: sessionmaker[Session] | None = None
        self._runner: FollowUpRunner | None = None

    def start(self) -> Demo:
        # Imported here: importing Alembic logs its plugins, which run() has quietened by now.
        from db.migrate import upgrade

        if self._stack is not None:
            raise RuntimeError("the demo is already running")
        with ExitStack() as stack:
            upgrade(self.database_url)
            stub = stack.enter_context(LineStub(access_token=self._token))
            self.stub = stub
            self._add_friends()
            settings = Settings(
                line_channel_secret=self._secret,
                line_channel_access_token=self._token,
                database_url=self.database_url,
                line_api_endpoint=stub.url,
                line_api_data_endpoint=stub.data_url,
                weekly_ask_cap=DEMO_WEEKLY_ASK_CAP,
                quiet_start=DEMO_QUIET,
                quiet_end=DEMO_QUIET,
                public_url=DEMO_PUBLIC_URL,
            )
            self.settings = settings
            bot = create_app(settings, clock=self.clock)
            stack.callback(bot.extensions["otagai.engine"].dispose)
            stack.callback(bot.extensions["otagai.gateway"].close)
            self._session_factory = bot.extensions["otagai.session_factory"]
            if self.start_fresh:
                self._wipe()
            seed(self._session_factory, PERSONAS)
            self._open_desk(bot)
            self.timeline = Timeline(
                stub,
                (p.user_id for p in PERSONAS),
                self.clock,
                settings.timezone,
                public_url=DEMO_PUBLIC_URL,
            )
            self._runner = stack.enter_context(runner_for(settings, self.clock))
            self._start_worker(stack)
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
            self._deploy_rich_menu()
            self._greet_everyone()
            self._stack = stack.pop_all()
        return self

    def _open_desk(self, bot: Flask) -> None:
        """The sample coordinator's chat gets a デスクを開く link that signs in to the desk as them."""
        global DESK_PATH
        from bot.dev.demo import desk as desk_demo

        assert self._session_factory is not None
        self._desk_account()
        DESK_PATH = desk_demo.install(bot, self._session_factory, _desk_login())

    def _desk_account(self) -> None:
        from bot.dev.demo import desk as desk_demo

        coordinator = next(p for p in PERSONAS if p.role is Role.COORDINATOR)
        assert self._session_factory is not None
        desk_demo.ensure_account(self._session_factory, coordinator.user_id, _desk_login())

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

    # -- what the visitor does ----------------------------------------------------------------------

    def send(self, persona: Persona, action: UserAction) -> int:
        """Show the action in the persona's chat, then deliver it to /callback as a signed webhook."""
        assert self.stub is not None and self.timeline is not None
        reply_token = self.stub.issue_reply_token(persona.user_id)
        self.timeline.expect_reply(reply_token, persona.user_id)
        message_id = str(next(self._message_ids))
        if action.photo is not None:
            # LINE keeps the photo's bytes; the bot downloads them from the data host when it passes it on.
            self.stub.add_content(message_id, media.photo_bytes(action.photo), "image/jpeg")
        event = action.event(persona, reply_token, message_id)
        shown = action.shown(persona)
        if shown is not None:
            self.timeline.add_sent(persona.user_id, shown)
        return self._post(event, persona)

    def travel(self, move: str, at: str | None = None) -> int:
        """Move the clock forward and run, at its own time, every follow-up that falls due on the way,
        through the worker's own pass (as `otagai run-due --at` would); returns how many passes ran."""
        assert self.settings is not None and self._session_factory is not None and self._runner is not None
        with self._busy:
            target = target_of(move, self.clock(), self.settings.timezone, at)
            passes = 0
            while passes < MAX_TRAVEL_STEPS:
                due = next_due(self._session_factory, target)
                if due is None:
                    break
                self.clock.set(due)
                self._pass()
                passes += 1
                if next_due(self._session_factory, target) == due and due <= self.clock():
                    break  # it failed and stays due: the regular ticks retry it, the jump goes on
            self.clock.set(target)
            self._pass()
            return passes + 1

    def _pass(self) -> None:
        """One pass of the worker at the demo's time; what it sent is stamped with that time."""
        assert self._runner is not None and self.timeline is not None
        self._runner.run_due(self.clock())
        self.timeline.catch_up()

    def reset(self) -> None:
        """A clean sample town: no requests, chats or credits, the clock back to now, everyone greeted."""
        assert self.stub is not None and self.timeline is not None and self._session_factory is not None
        with self._busy:
            self._wipe()
            self.stub.clear()
            self._add_friends()
            self.clock.reset()
            self.timeline.reset()
            seed(self._session_factory, PERSONAS)
            self._desk_account()
            self._deploy_rich_menu()
            self._greet_everyone()

    def now_label(self) -> str:
        assert self.settings is not None
        return label(self.clock(), self.settings.timezone)

    # -- setting the town up ------------------------------------------------------------------------

    def _add_friends(self) -> None:
        assert self.stub is not None
        for persona in PERSONAS:
            self.stub.add_user(persona.user_id, persona.display_name)

    def _wipe(self) -> None:
        """Every row of every table goes (the schema and its migrations stay)."""
        assert self._session_factory is not None
        with transaction(self._session_factory) as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())

    def _deploy_rich_menu(self) -> None:
        """What `otagai richmenu deploy` does, against the stand-in: the page shows the menu LINE would."""
        assert self.stub is not None
        coordinators = [p.user_id for p in PERSONAS if p.role is Role.COORDINATOR]
        try:
            with RichMenus(self._token, self.stub.url, self.stub.data_url) as menus:
                deploy(menus, coordinators)
            self.rich_menu_problem = None
        except FontMissing as exc:
            # The chat works without the menu; the page says why it is missing.
            self.rich_menu_problem = str(exc)
            log.warning("demo has no rich menu: %s", exc)

    def _start_worker(self, stack: ExitStack) -> None:
        """What `otagai worker` does, in a thread: reminders, re-asks and check-ins fall due and go out."""
        runner = self._runner
        assert runner is not None
        stopping = threading.Event()

        def tick_until_stopped() -> None:
            while not stopping.wait(DEMO_TICK_SECONDS):
                try:
                    with self._busy:
                        self._pass()
                except Exception:
                    # As in the worker: the next tick tries again, every follow-up is a database row.
                    log.exception("demo worker tick failed")

        thread = threading.Thread(target=tick_until_stopped, name="otagai-demo-worker", daemon=True)
        thread.start()
        stack.callback(thread.join)
        stack.callback(stopping.set)

    def _greet_everyone(self) -> None:
        """Everyone adds the bot as a friend, so each chat opens with the bot's real greeting."""
        assert self.stub is not None and self.timeline is not None
        for persona in PERSONAS:
            token = self.stub.issue_reply_token(persona.user_id)
            self.timeline.expect_reply(token, persona.user_id)
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


def run(port: int = DEFAULT_PORT, *, reset: bool = False) -> None:
    """`otagai demo`: start, say where to look, serve until Ctrl-C, then stop cleanly."""
    database_url = demo_database_url()
    # Migration chatter would push the "open this page" lines off a newcomer's screen.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    demo = Demo(database_url=database_url, port=port, reset=reset)
    try:
        demo.start()
    except (OSError, SystemExit) as exc:  # werkzeug reports a busy port itself, then exits
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port}; try another port: otagai demo --port {port + 1}"
        ) from exc
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        assert demo.stub is not None
        fresh = "  Started with a clean sample town. / まっさらな状態から始めました。\n" if reset else ""
        click.echo(
            "\n"
            f"  Otagai demo is running. Open {demo.page_url} in your browser.\n"
            f"  デモを起動しました。ブラウザで {demo.page_url} を開いてください。\n\n"
            f"{fresh}"
            f"  Database / データベース: {make_url(database_url).render_as_string(hide_password=True)}\n"
            "  (otagai demo --reset, or 「はじめから」 on the page, starts a clean sample town)\n"
            f"  Bot webhook: {demo.url}/callback   LINE stub: {demo.stub.url}\n"
            "  Press Ctrl-C to stop. / 終わるときは Ctrl-C を押してください。\n"
        )
        if demo.rich_menu_problem:
            click.echo(f"  No rich menu: {demo.rich_menu_problem}\n")
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
        return {
            "personas": [_persona_json(persona) for persona in PERSONAS],
            "stickers": [sticker.to_json() for sticker in media.STICKERS],
            "photos": [photo.to_json() for photo in media.PHOTOS],
            "richMenuProblem": demo.rich_menu_problem,
        }

    @page.get("/api/chat/<key>")
    def chat(key: str) -> dict[str, Any]:
        persona = _persona(key)
        assert demo.timeline is not None
        after = max(request.args.get("after", default=0, type=int) or 0, 0)
        epoch = request.args.get("epoch", default=0, type=int)
        if epoch != demo.timeline.epoch:  # the page has not seen this town yet (a reset, a restart)
            after = 0
        entries, counts = demo.timeline.since(persona.user_id, after)
        total = counts[persona.user_id]
        if after > total:
            entries, after = demo.timeline.since(persona.user_id, 0)[0], 0
        return {
            "entries": entries,
            "reset": after == 0,
            "epoch": demo.timeline.epoch,
            "next": total,
            "counts": {p.key: counts[p.user_id] for p in PERSONAS},
            "now": demo.now_label(),
            "richMenu": _rich_menu_id(demo, persona),
        }

    @page.post("/api/send")
    def send() -> tuple[dict[str, Any], int]:
        # Requiring JSON also keeps other sites out: a cross-origin JSON POST needs a preflight we refuse.
        payload = _json_body()
        persona = _persona(payload.get("persona", ""))
        try:
            action = UserAction.from_json(payload)
        except BadAction as exc:
            return {"error": str(exc)}, 400
        try:
            status = demo.send(persona, action)
        except urllib.error.URLError as exc:
            log.warning("demo could not reach the bot: %s", exc.reason)
            return {"error": "ボットが答えませんでした。デモを起動しなおしてください。"}, 502
        if status != 200:
            return {"error": f"ボットがエラーを返しました（{status}）。ターミナルの表示を見てください。"}, 502
        return {"status": status}, 200

    @page.post("/api/time")
    def move_time() -> tuple[dict[str, Any], int]:
        payload = _json_body()
        try:
            passes = demo.travel(str(payload.get("move", "")), payload.get("at"))
        except TravelError as exc:
            return {"error": str(exc)}, 400
        return {"now": demo.now_label(), "passes": passes}, 200

    @page.post("/api/reset")
    def reset() -> tuple[dict[str, Any], int]:
        _json_body()
        demo.reset()
        return {"now": demo.now_label()}, 200

    @page.get("/api/richmenu/<key>")
    def rich_menu(key: str) -> dict[str, Any]:
        persona = _persona(key)
        assert demo.stub is not None
        shown = demo.stub.rich_menu_for(persona.user_id)
        if shown is None:
            return {"menu": None, "problem": demo.rich_menu_problem}
        menu = {name: shown.menu[name] for name in ("size", "chatBarText", "selected", "areas")}
        return {
            "menu": {"id": shown.rich_menu_id, **menu},
            "image": f"api/richmenu/{key}/image?id={shown.rich_menu_id}",
        }

    @page.get("/api/richmenu/<key>/image")
    def rich_menu_image(key: str) -> Response:
        persona = _persona(key)
        assert demo.stub is not None
        shown = demo.stub.rich_menu_for(persona.user_id)
        if shown is None:
            abort(404)
        return Response(shown.image, mimetype=shown.content_type)

    return page


def _json_body() -> dict[str, Any]:
    if not request.is_json:
        abort(415)
    payload = request.get_json(silent=True)
    return payload if isinstance(payload, dict) else {}


def _desk_login() -> str:
    """The sample coordinator's desk name: their LINE name without the space (伊藤和子)."""
    coordinator = next(p for p in PERSONAS if p.role is Role.COORDINATOR)
    return coordinator.display_name.replace(" ", "")


def _persona_json(persona: Persona) -> dict[str, Any]:
    shown = persona.to_json()
    if persona.role is Role.COORDINATOR and DESK_PATH is not None:
        shown["desk"] = DESK_PATH
    return shown


def _rich_menu_id(demo: Demo, persona: Persona) -> str | None:
    assert demo.stub is not None
    shown = demo.stub.rich_menu_for(persona.user_id)
    return shown.rich_menu_id if shown else None


def _persona(key: Any) -> Persona:
    persona = by_key(key) if isinstance(key, str) else None
    if persona is None:
        abort(404)
    return persona
