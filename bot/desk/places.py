"""Places a coordinator types: coordinates, or an address, town or 郵便番号 located by the same offline
lookup the chat uses (matching.geocode), and said back so the coordinator can check it."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.places import Place, typed_place
from matching import rough_area, valid_location
from matching.geocode import locate


@dataclass(frozen=True)
class Found:
    place: Place | None
    note: str  # what the coordinator reads back: where it was placed, or why it was not
    bad_coordinates: bool = False


def locate_place(
    address: str, lat_text: str, lon_text: str, near: tuple[float, float] | None = None
) -> Found:
    """Typed coordinates win; otherwise the address is looked up (town precision at best)."""
    address = address.strip()[:300]
    if lat_text or lon_text:
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            return Found(None, "緯度・経度が数字ではありません。", bad_coordinates=True)
        if not valid_location(lat, lon):
            return Found(None, "緯度・経度が日本の中の場所ではありません。", bad_coordinates=True)
        area = (rough_area(address) or address)[:100]
        return Found(Place(lat, lon, address, area), f"緯度・経度（{lat:.4f}, {lon:.4f}）の場所にしました。")
    if not address:
        return Found(None, "住所か町名（または緯度・経度）を書いてください。")
    located = locate(address, near=near)
    if located is None:
        return Found(None, f"「{address}」の場所が見つかりませんでした。緯度・経度を入れてください。")
    if located.precision == "town":
        note = f"「{located.prefecture}{located.label}」の町の中心で探します。ちがっていたら直してください。"
    else:
        note = (
            f"町が見つからなかったので「{located.prefecture}{located.label}」の中心で探します。"
            "ちがっていたら直してください。"
        )
    return Found(typed_place(address, located), note)
