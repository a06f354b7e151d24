"""The demo's sample stickers and photos: what the simulator can send, and the files it shows for them.

The files are drawn by `python -m bot.dev.demo.media` (Pillow, our own simple drawings) and committed, so the
demo needs nothing from the network. Sticker ids are real ones from packages a bot may send (LINE's
sticker list), so a sticker passed on in relay chat is accepted by the stand-in as by LINE; the pictures
are stand-ins, not LINE's artwork.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEDIA_DIR = Path(__file__).parent / "static" / "media"


@dataclass(frozen=True)
class Sticker:
    package_id: str
    sticker_id: str
    label: str  # what the picture says, also its alt text

    @property
    def file(self) -> str:
        return f"sticker-{self.package_id}-{self.sticker_id}.png"

    def to_json(self) -> dict[str, Any]:
        return {
            "packageId": self.package_id,
            "stickerId": self.sticker_id,
            "label": self.label,
            "url": f"static/media/{self.file}",
        }


@dataclass(frozen=True)
class Photo:
    key: str
    label: str

    @property
    def file(self) -> str:
        return f"photo-{self.key}.jpg"

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "url": f"static/media/{self.file}"}


STICKERS: tuple[Sticker, ...] = (
    Sticker("446", "1988", "ありがとう"),
    Sticker("446", "1989", "よろしく"),
    Sticker("446", "1990", "OK"),
    Sticker("446", "1991", "おつかれさま"),
)
PHOTOS: tuple[Photo, ...] = (
    Photo("bulb", "切れた電球"),
    Photo("garden", "草がのびた庭"),
    Photo("door", "玄関の様子"),
)


def sticker(package_id: Any, sticker_id: Any) -> Sticker | None:
    return next((s for s in STICKERS if (s.package_id, s.sticker_id) == (package_id, sticker_id)), None)


def photo(key: Any) -> Photo | None:
    return next((p for p in PHOTOS if p.key == key), None)


def photo_bytes(item: Photo) -> bytes:
    return (MEDIA_DIR / item.file).read_bytes()


# --- drawing the files (run by hand; the results are committed) ---------------------------------------


def draw_all() -> None:  # pragma: no cover - a tool, its output is checked in
    from PIL import Image, ImageDraw, ImageFont

    from bot.richmenu import find_font

    font_path, index = find_font()
    colours = [(255, 214, 102), (255, 170, 190), (160, 220, 160), (170, 200, 255)]
    for item, colour in zip(STICKERS, colours, strict=True):
        image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
        canvas = ImageDraw.Draw(image)
        canvas.ellipse((30, 10, 210, 190), fill=colour, outline=(80, 60, 40), width=6)
        canvas.ellipse((80, 70, 98, 92), fill=(60, 40, 30))
        canvas.ellipse((142, 70, 160, 92), fill=(60, 40, 30))
        canvas.arc((85, 95, 155, 150), 20, 160, fill=(60, 40, 30), width=6)
        font = ImageFont.truetype(font_path, 34 if len(item.label) > 4 else 40, index=index)
        canvas.text(
            (120, 215),
            item.label,
            font=font,
            fill=(60, 40, 30),
            anchor="mm",
            stroke_width=4,
            stroke_fill=(255, 255, 255),
        )
        image.save(MEDIA_DIR / item.file, optimize=True)

    for shot in PHOTOS:
        image = Image.new("RGB", (480, 360), (235, 232, 225))
        canvas = ImageDraw.Draw(image)
        if shot.key == "bulb":
            canvas.rectangle((0, 0, 480, 360), fill=(58, 52, 48))
            canvas.ellipse((180, 90, 300, 220), fill=(200, 200, 190), outline=(120, 120, 110), width=4)
            canvas.rectangle((212, 215, 268, 260), fill=(150, 150, 150))
            for y in range(222, 260, 10):
                canvas.line((212, y, 268, y), fill=(100, 100, 100), width=3)
            canvas.line((225, 150, 240, 130, 255, 150), fill=(90, 80, 70), width=4)
            canvas.line((240, 0, 240, 90), fill=(30, 30, 30), width=6)
        elif shot.key == "garden":
            canvas.rectangle((0, 0, 480, 150), fill=(170, 210, 240))
            canvas.rectangle((0, 150, 480, 360), fill=(110, 160, 80))
            for i in range(90):
                x = (i * 53) % 480
                h = 40 + (i * 37) % 70
                canvas.line(
                    (x, 360, x + 12 * math.sin(i), 360 - h - (i % 5) * 12), fill=(50, 110, 40), width=4
                )
            canvas.rectangle((330, 60, 470, 150), fill=(200, 180, 150))
            canvas.polygon([(320, 60), (400, 20), (480, 60)], fill=(140, 70, 60))
        else:
            canvas.rectangle((0, 300, 480, 360), fill=(160, 150, 140))
            canvas.rectangle((150, 40, 330, 300), fill=(140, 90, 50), outline=(90, 60, 30), width=6)
            canvas.ellipse((290, 165, 306, 181), fill=(220, 190, 90))
            canvas.rectangle((360, 120, 440, 200), fill=(190, 220, 240), outline=(90, 90, 90), width=4)
            canvas.rectangle((30, 250, 110, 300), fill=(120, 120, 120))
        image.save(MEDIA_DIR / shot.file, quality=80, optimize=True)


if __name__ == "__main__":  # pragma: no cover
    draw_all()
