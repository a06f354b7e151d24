"""Geography: great-circle distance, bounding boxes, location sanity and rough (town-level) areas."""

from __future__ import annotations

import math
import re
import unicodedata

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# Rough bounds of Japan, from Okinotorishima/Yonaguni to Etorofu/Minamitorishima.
JAPAN_LAT = (20.0, 46.0)
JAPAN_LON = (122.0, 154.0)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    return haversine_prepared(p1, math.cos(p1), p2, math.cos(p2), lon2 - lon1)


def haversine_prepared(p1: float, cos1: float, p2: float, cos2: float, dlon_deg: float) -> float:
    """haversine_km from latitudes in radians with their cosines, which an index can store once."""
    dl = math.radians(dlon_deg)
    a = math.sin((p2 - p1) / 2) ** 2 + cos1 * cos2 * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def km_per_degree_lon(lat: float) -> float:
    return math.radians(1) * EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)


KM_PER_DEGREE_LAT = math.radians(1) * EARTH_RADIUS_KM


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within radius_km, for a DB pre-filter."""
    radius_km = max(radius_km, 0.0)
    dlat = radius_km / KM_PER_DEGREE_LAT
    # The widest longitude span is at the pole-ward edge of the box.
    edge_lat = min(abs(lat) + dlat, 89.9)
    dlon = min(radius_km / km_per_degree_lon(edge_lat), 180.0)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def valid_location(lat: float, lon: float) -> bool:
    """Finite numbers, in range, and inside Japan's rough bounds."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return JAPAN_LAT[0] <= lat <= JAPAN_LAT[1] and JAPAN_LON[0] <= lon <= JAPAN_LON[1]


_POSTCODE = re.compile(r"〒?\s*\d{3}-?\d{4}\s*")
_COUNTRY = re.compile(r"^(日本|japan)[、,\s]*", re.IGNORECASE)
_PREFECTURE = r"(?:東京都|北海道|(?:京都|大阪)府|.{2,3}県)"
# Municipality: 市 (with an optional 区 for designated cities), 区 of Tokyo, or 郡+町/村.
_MUNICIPALITY = r"(?:.+?郡.+?[町村]|.+?市.+?区|.+?市|.+?区|.+?[町村])"
# Town part: stop at the first house number (a digit, or a numeral before 丁目) or a 字 (a smaller
# section). Hokkaido's numbered towns keep their number (札幌市中央区北1条西), and a leading 大字
# (a rural district's "large section") is dropped, not taken for the end of the town.
_TOWN = r"(?:\d+条|[^\d\s\-])*?"
_TOWN_END = r"(?=[\d一二三四五六七八九十〇]+丁目|\d(?!\d*条)|$|\s|字)"
_AREA = re.compile(rf"^({_PREFECTURE})?({_MUNICIPALITY})(?:大字)?({_TOWN}){_TOWN_END}")


def rough_area(address: str | None) -> str:
    """Town-level area with no house numbers ("東京都渋谷区渋谷"); "" when unknown."""
    if not address or not isinstance(address, str):
        return ""
    text = unicodedata.normalize("NFKC", address).strip()
    text = _COUNTRY.sub("", text)
    text = _POSTCODE.sub("", text).strip()
    text = _COUNTRY.sub("", text).replace(" ", "")
    text = re.sub(r"[ー−‐-]", "-", text)
    match = _AREA.match(text)
    if not match:
        return ""
    return "".join(part for part in match.groups() if part)
