"""The bot's rich menu: drawn with Pillow, uploaded through the Messaging API, coordinators' own per user.

LINE shows a rich menu under the chat; older members tap it rather than type. Each tile sends the same
words as the quick replies (a message action), so the chat shows what was tapped and every route that
answers typed words answers the tile too. Menus are recognised by their name prefix, so `deploy` can
replace the ones it made before and `remove` leaves other tools' menus alone.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)
from PIL import Image, ImageDraw, ImageFont

from handlers import texts

WIDTH, HEIGHT = 2500, 1686  # LINE's large size: two rows of big tiles
COLUMNS, ROWS = 3, 2
NAME_PREFIX = "otagai-"
MAIN_NAME = f"{NAME_PREFIX}main"
COORDINATOR_NAME = f"{NAME_PREFIX}coordinator"
REQUEST_TIMEOUT = (3.0, 20.0)
# Where Debian's fonts-noto-cjk puts its bold face (the collection's first face is Japanese).
DEBIAN_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
FONT_HINT = (
    "No Japanese font found to draw the rich menu: install the noto-cjk-sans-jp-bold package "
    "(pip install noto-cjk-sans-jp-bold, it comes with `pip install -e .`) "
    "or Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)."
)

INK = (255, 255, 255)
GREEN, DEEP_GREEN = (6, 140, 70), (4, 110, 56)
BLUE, ORANGE, GREY, PURPLE = (36, 98, 170), (214, 102, 20), (84, 96, 112), (120, 72, 160)
TEAL = (0, 122, 128)
RED = (196, 62, 62)


class FontMissing(RuntimeError):
    """No font that can draw Japanese is installed."""


@dataclass(frozen=True)
class Tile:
    """One tap area: where it sits in the grid, what it says, what it sends and how it looks."""

    label: str
    text: str  # what a tap sends, as if typed
    icon: str
    color: tuple[int, int, int]
    column: int
    row: int
    span: int = 1

    def bounds(self) -> dict[str, int]:
        x0, x1 = _edge(self.column, WIDTH, COLUMNS), _edge(self.column + self.span, WIDTH, COLUMNS)
        y0, y1 = _edge(self.row, HEIGHT, ROWS), _edge(self.row + 1, HEIGHT, ROWS)
        return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


def _edge(index: int, total: int, parts: int) -> int:
    return round(total * index / parts)


@dataclass(frozen=True)
class Menu:
    name: str
    tiles: tuple[Tile, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "size": {"width": WIDTH, "height": HEIGHT},
            "selected": True,  # open under the chat, as elderly members will not find a closed one
            "name": self.name,
            "chatBarText": texts.RICH_MENU_CHAT_BAR,
            "areas": [
                {
                    "bounds": tile.bounds(),
                    "action": {"type": "message", "label": tile.label, "text": tile.text},
                }
                for tile in self.tiles
            ],
        }


def main_menu() -> Menu:
    """Everyone's menu: asking for help first, then the places nearby (こども食堂, みんなのおうち …)."""
    return Menu(
        MAIN_NAME,
        (
            Tile(texts.MENU_REQUEST, texts.MENU_REQUEST, "ask", GREEN, 0, 0),
            Tile(texts.MENU_PLACES, texts.MENU_PLACES, "pin", RED, 1, 0),
            Tile(texts.MENU_OFFER, texts.MENU_OFFER, "star", ORANGE, 2, 0),
            Tile(texts.MENU_MY_REQUESTS, texts.MENU_MY_REQUESTS, "list", BLUE, 0, 1),
            Tile(texts.RICH_MENU_SUPPORTER, texts.RICH_MENU_SUPPORTER, "people", TEAL, 1, 1),
            Tile(texts.MENU_HELP, texts.MENU_HELP, "help", GREY, 2, 1),
        ),
    )


def coordinator_menu() -> Menu:
    """Coordinators' menu: their list of what waits for a person takes the place of honour.

    Still six big tiles: 使い方 gives way to the desk (coordinators are shown the bot when they start,
    and 使い方 stays among the quick replies); the places tile stays, as residents often ask staff where
    the nearest cafeteria is.
    """
    return Menu(
        COORDINATOR_NAME,
        (
            Tile(texts.DESK_BUTTON, texts.DESK_BUTTON, "bell", PURPLE, 0, 0),
            Tile(texts.MENU_REQUEST, texts.MENU_REQUEST, "ask", GREEN, 1, 0),
            Tile(texts.MENU_PLACES, texts.MENU_PLACES, "pin", RED, 2, 0),
            Tile(texts.MENU_OFFER, texts.MENU_OFFER, "star", ORANGE, 0, 1),
            Tile(texts.MENU_MY_REQUESTS, texts.MENU_MY_REQUESTS, "list", BLUE, 1, 1),
            Tile(texts.RICH_MENU_SUPPORTER, texts.RICH_MENU_SUPPORTER, "people", TEAL, 2, 1),
        ),
    )


# --- drawing -------------------------------------------------------------------------------------


def find_font() -> tuple[str, int]:
    """A Japanese bold font: the PyPI package first (works without apt), then Debian's fonts-noto-cjk."""
    try:
        import noto_cjk_sans_jp_bold

        packaged = Path(str(noto_cjk_sans_jp_bold.FONT_PATH))
        if packaged.is_file():
            return str(packaged), 0
    except ImportError:
        pass
    for path in DEBIAN_FONTS:
        if path.is_file():
            return str(path), 0
    raise FontMissing(FONT_HINT)


def draw(menu: Menu, font: tuple[str, int] | None = None) -> bytes:
    """The menu's PNG: one coloured tile per area, a simple white icon above a large label."""
    path, index = font or find_font()
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    canvas = ImageDraw.Draw(image)
    for tile in menu.tiles:
        box = tile.bounds()
        x, y, w, h = box["x"], box["y"], box["width"], box["height"]
        gap = 8  # a thin white line between tiles, as LINE menus usually have
        canvas.rectangle((x + gap, y + gap, x + w - gap, y + h - gap), fill=tile.color)
        centre_x = x + w / 2
        ICONS[tile.icon](canvas, centre_x, y + h * 0.36, h * 0.22, tile.color)
        label_font = _fitting_font(path, index, tile.label, max_width=w - 100, largest=150)
        canvas.text((centre_x, y + h * 0.76), tile.label, font=label_font, fill=INK, anchor="mm")
    out = io.BytesIO()
    # A palette keeps the flat colours exact and the file far under LINE's 1 MB.
    image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fitting_font(
    path: str, index: int, label: str, *, max_width: float, largest: int
) -> ImageFont.FreeTypeFont:
    size = largest
    while True:
        font = ImageFont.truetype(path, size, index=index)
        if font.getlength(label) <= max_width or size <= 60:
            return font
        size -= 6


Color = tuple[int, int, int]
IconPainter = Callable[[ImageDraw.ImageDraw, float, float, float, Color], None]


def _ask(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A speech bubble with three dots: talking about a trouble."""
    canvas.rounded_rectangle(
        (cx - r * 1.3, cy - r * 0.9, cx + r * 1.3, cy + r * 0.7), radius=r * 0.35, fill=INK
    )
    canvas.polygon(
        [(cx - r * 0.6, cy + r * 0.6), (cx - r * 0.9, cy + r * 1.15), (cx - r * 0.1, cy + r * 0.6)], fill=INK
    )
    for dx in (-0.65, 0, 0.65):
        dot = r * 0.16
        canvas.ellipse(
            (cx + r * dx - dot, cy - r * 0.1 - dot, cx + r * dx + dot, cy - r * 0.1 + dot), fill=bg
        )


def _star(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A star: something one would like to try."""
    points = []
    for i in range(10):
        radius = r * (1.1 if i % 2 == 0 else 0.45)
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    canvas.polygon(points, fill=INK)


def _list(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A clipboard with lines: one's own requests."""
    canvas.rounded_rectangle((cx - r * 0.85, cy - r, cx + r * 0.85, cy + r * 1.05), radius=r * 0.15, fill=INK)
    canvas.rounded_rectangle(
        (cx - r * 0.35, cy - r * 1.15, cx + r * 0.35, cy - r * 0.8), radius=r * 0.1, fill=bg
    )
    for i in range(3):
        line_y = cy - r * 0.45 + i * r * 0.5
        canvas.ellipse((cx - r * 0.6, line_y - r * 0.09, cx - r * 0.42, line_y + r * 0.09), fill=bg)
        canvas.rectangle((cx - r * 0.3, line_y - r * 0.07, cx + r * 0.6, line_y + r * 0.07), fill=bg)


def _people(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """Two people side by side: neighbours who help."""
    for dx, scale in ((-0.55, 0.85), (0.55, 0.85)):
        px = cx + r * dx
        head = r * 0.34 * scale
        canvas.ellipse((px - head, cy - r * 0.75 - head, px + head, cy - r * 0.75 + head), fill=INK)
        canvas.pieslice((px - r * 0.62, cy - r * 0.2, px + r * 0.62, cy + r * 1.1), 180, 360, fill=INK)
        canvas.rectangle((px - r * 0.62, cy + r * 0.45, px + r * 0.62, cy + r * 0.75), fill=INK)


def _help(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A question mark in a circle: how to use the bot."""
    canvas.ellipse((cx - r, cy - r, cx + r, cy + r), fill=INK)
    canvas.arc(
        (cx - r * 0.42, cy - r * 0.6, cx + r * 0.42, cy + r * 0.15), 180, 90, fill=bg, width=int(r * 0.2)
    )
    canvas.rectangle((cx - r * 0.1, cy + r * 0.1, cx + r * 0.1, cy + r * 0.35), fill=bg)
    dot = r * 0.12
    canvas.ellipse((cx - dot, cy + r * 0.5 - dot, cx + dot, cy + r * 0.5 + dot), fill=bg)


def _pin(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A map pin: a place nearby."""
    head = r * 0.8
    top = cy - r * 0.35
    canvas.ellipse((cx - head, top - head, cx + head, top + head), fill=INK)
    canvas.polygon(
        [(cx - head * 0.86, top + head * 0.5), (cx + head * 0.86, top + head * 0.5), (cx, cy + r * 1.15)],
        fill=INK,
    )
    hole = head * 0.38
    canvas.ellipse((cx - hole, top - hole, cx + hole, top + hole), fill=bg)


def _bell(canvas: ImageDraw.ImageDraw, cx: float, cy: float, r: float, bg: Color) -> None:
    """A bell: what waits for a coordinator."""
    canvas.pieslice((cx - r * 0.8, cy - r * 0.95, cx + r * 0.8, cy + r * 0.6), 180, 360, fill=INK)
    canvas.polygon(
        [
            (cx - r * 0.8, cy - r * 0.2),
            (cx + r * 0.8, cy - r * 0.2),
            (cx + r * 1.05, cy + r * 0.7),
            (cx - r * 1.05, cy + r * 0.7),
        ],
        fill=INK,
    )
    clapper = r * 0.2
    canvas.ellipse((cx - clapper, cy + r * 0.75 - clapper, cx + clapper, cy + r * 0.75 + clapper), fill=INK)
    knob = r * 0.13
    canvas.ellipse((cx - knob, cy - r * 1.05 - knob, cx + knob, cy - r * 1.05 + knob), fill=INK)


ICONS: dict[str, IconPainter] = {
    "ask": _ask,
    "star": _star,
    "list": _list,
    "people": _people,
    "help": _help,
    "bell": _bell,
    "pin": _pin,
}


# --- talking to LINE -----------------------------------------------------------------------------


@dataclass
class DeployReport:
    main_id: str
    coordinator_id: str
    coordinators_linked: int
    replaced: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"rich menu {self.main_id} is the default for everyone; "
            f"coordinators' menu {self.coordinator_id} linked to {self.coordinators_linked} coordinator(s); "
            f"{len(self.replaced)} older Otagai menu(s) deleted"
        )


@dataclass(frozen=True)
class MenuState:
    """What LINE holds: our menus, which one is the default, and each coordinator's own link."""

    menus: list[dict[str, Any]]
    default_id: str | None
    coordinator_links: dict[str, str | None]

    def summary(self, names: dict[str, str]) -> str:
        if not self.menus:
            return "no Otagai rich menu on this channel: create one with `otagai richmenu deploy`"
        lines = []
        for menu in self.menus:
            mark = "  (default)" if menu["richMenuId"] == self.default_id else ""
            size = menu.get("size", {})
            lines.append(
                f"{menu['richMenuId']}  {menu.get('name')}  {size.get('width')}x{size.get('height')}  "
                f"{len(menu.get('areas', []))} areas{mark}"
            )
        if self.default_id is None:
            lines.append("no default menu is set")
        for user_id, linked in self.coordinator_links.items():
            lines.append(f"coordinator {names.get(user_id, user_id)}: {linked or 'no menu of their own'}")
        return "\n".join(lines)


class RichMenus:
    """Rich-menu calls: the menu itself on LINE_API_ENDPOINT, its image on LINE_API_DATA_ENDPOINT."""

    def __init__(self, access_token: str, endpoint: str, data_endpoint: str) -> None:
        self._client = ApiClient(Configuration(access_token=access_token, host=endpoint))
        self._data_client = ApiClient(Configuration(access_token=access_token, host=data_endpoint))
        self._api = MessagingApi(self._client)
        self._blob = MessagingApiBlob(self._data_client)

    def close(self) -> None:
        self._client.close()
        self._data_client.close()

    def __enter__(self) -> RichMenus:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ours(self) -> list[dict[str, Any]]:
        listed = self._api.get_rich_menu_list(_request_timeout=REQUEST_TIMEOUT)
        menus = [menu.to_dict() for menu in listed.richmenus]
        return [menu for menu in menus if str(menu.get("name", "")).startswith(NAME_PREFIX)]

    def create(self, menu: Menu, image: bytes) -> str:
        request = RichMenuRequest.from_dict(menu.to_json())
        created = self._api.create_rich_menu(request, _request_timeout=REQUEST_TIMEOUT)
        self._blob.set_rich_menu_image(
            created.rich_menu_id,
            image,
            _headers={"Content-Type": "image/png"},
            _request_timeout=REQUEST_TIMEOUT,
        )
        return str(created.rich_menu_id)

    def default_id(self) -> str | None:
        try:
            return str(self._api.get_default_rich_menu_id(_request_timeout=REQUEST_TIMEOUT).rich_menu_id)
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise

    def linked_to(self, user_id: str) -> str | None:
        try:
            found = self._api.get_rich_menu_id_of_user(user_id, _request_timeout=REQUEST_TIMEOUT)
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise
        return str(found.rich_menu_id)

    def set_default(self, rich_menu_id: str) -> None:
        self._api.set_default_rich_menu(rich_menu_id, _request_timeout=REQUEST_TIMEOUT)

    def cancel_default(self) -> None:
        self._api.cancel_default_rich_menu(_request_timeout=REQUEST_TIMEOUT)

    def link(self, user_id: str, rich_menu_id: str) -> None:
        self._api.link_rich_menu_id_to_user(user_id, rich_menu_id, _request_timeout=REQUEST_TIMEOUT)

    def unlink(self, user_id: str) -> None:
        self._api.unlink_rich_menu_id_from_user(user_id, _request_timeout=REQUEST_TIMEOUT)

    def delete(self, rich_menu_id: str) -> None:
        self._api.delete_rich_menu(rich_menu_id, _request_timeout=REQUEST_TIMEOUT)


def deploy(
    menus: RichMenus, coordinator_ids: Iterable[str], font: tuple[str, int] | None = None
) -> DeployReport:
    """Create both menus, make the main one the default and link coordinators to theirs, then delete
    the menus an earlier deploy made (only after the switch, so nobody is ever left without a menu)."""
    main, desk = main_menu(), coordinator_menu()
    font = font or find_font()
    images = {main.name: draw(main, font), desk.name: draw(desk, font)}  # drawn first: no half deploy
    older = [str(menu["richMenuId"]) for menu in menus.ours()]
    main_id = menus.create(main, images[main.name])
    desk_id = menus.create(desk, images[desk.name])
    menus.set_default(main_id)
    linked = 0
    for user_id in coordinator_ids:
        menus.link(user_id, desk_id)
        linked += 1
    for rich_menu_id in older:
        menus.delete(rich_menu_id)
    return DeployReport(main_id, desk_id, linked, older)


def show(menus: RichMenus, coordinator_ids: Sequence[str]) -> MenuState:
    return MenuState(
        menus=menus.ours(),
        default_id=menus.default_id(),
        coordinator_links={user_id: menus.linked_to(user_id) for user_id in coordinator_ids},
    )


def remove(menus: RichMenus, coordinator_ids: Iterable[str]) -> int:
    """Unlink coordinators, clear the default if it is ours, delete our menus; returns how many went."""
    ours = [str(menu["richMenuId"]) for menu in menus.ours()]
    for user_id in coordinator_ids:
        if menus.linked_to(user_id) in ours:
            menus.unlink(user_id)
    if menus.default_id() in ours:
        menus.cancel_default()
    for rich_menu_id in ours:
        menus.delete(rich_menu_id)
    return len(ours)
