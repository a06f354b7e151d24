"""Distances, bounding boxes, location sanity and town-level areas."""

import math

import pytest

from matching import bounding_box, haversine_km, rough_area, valid_location

TOKYO_STATION = (35.6812, 139.7671)
SENDAI_STATION = (38.2601, 140.8822)


def test_haversine_known_distance():
    # Tokyo Station to Sendai Station is about 306 km in a straight line.
    assert haversine_km(*TOKYO_STATION, *SENDAI_STATION) == pytest.approx(306, abs=3)
    assert haversine_km(*TOKYO_STATION, *TOKYO_STATION) == 0.0


def test_bounding_box_contains_the_circle():
    lat, lon = SENDAI_STATION
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, 5.0)
    assert min_lat < lat < max_lat and min_lon < lon < max_lon
    for bearing in range(0, 360, 15):
        # A point 4.99 km away in any direction is inside the box.
        d = 4.99 / 6371.0088
        b = math.radians(bearing)
        p_lat = math.degrees(
            math.asin(
                math.sin(math.radians(lat)) * math.cos(d)
                + math.cos(math.radians(lat)) * math.sin(d) * math.cos(b)
            )
        )
        p_lon = lon + math.degrees(
            math.atan2(
                math.sin(b) * math.sin(d) * math.cos(math.radians(lat)),
                math.cos(d) - math.sin(math.radians(lat)) * math.sin(math.radians(p_lat)),
            )
        )
        assert haversine_km(lat, lon, p_lat, p_lon) == pytest.approx(4.99, abs=0.01)
        assert min_lat <= p_lat <= max_lat and min_lon <= p_lon <= max_lon
    assert bounding_box(lat, lon, -1) == (lat, lat, lon, lon)


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        (35.68, 139.76, True),
        (43.06, 141.35, True),  # Sapporo
        (26.21, 127.68, True),  # Naha
        (0.0, 0.0, False),
        (51.5, -0.12, False),  # London
        (37.56, 126.97, True),  # Seoul is inside the rough box; the bounds are deliberately rough
        (91.0, 139.0, False),
        (35.0, 200.0, False),
        (float("nan"), 139.0, False),
        (float("inf"), 139.0, False),
        ("35.6", "139.7", True),
        (None, 139.0, False),
        ("abc", 139.0, False),
    ],
)
def test_valid_location(lat, lon, ok):
    assert valid_location(lat, lon) is ok


@pytest.mark.parametrize(
    ("address", "area"),
    [
        ("〒150-0002 東京都渋谷区渋谷２丁目２１−１", "東京都渋谷区渋谷"),
        ("日本、〒980-0811 宮城県仙台市青葉区一番町4丁目1-1", "宮城県仙台市青葉区一番町"),
        ("東京都世田谷区三軒茶屋1-2-3", "東京都世田谷区三軒茶屋"),
        ("大阪府大阪市北区梅田３−１", "大阪府大阪市北区梅田"),
        ("宮城県仙台市泉区七北田字古内1", "宮城県仙台市泉区七北田"),
        ("東京都世田谷区太子堂四丁目1番1号", "東京都世田谷区太子堂"),
        # Numbered towns keep their number; the block does not (a supporter sees the town, not the house).
        ("北海道札幌市中央区北1条西2丁目", "北海道札幌市中央区北1条西"),
        ("北海道札幌市北区北12条西3丁目5-1", "北海道札幌市北区北12条西"),
        ("北海道旭川市4条通8丁目", "北海道旭川市4条通"),
        # 大字 opens a rural district's name: it is not where the town ends.
        ("長野県北佐久郡軽井沢町大字軽井沢1323", "長野県北佐久郡軽井沢町軽井沢"),
        ("長野県北佐久郡軽井沢町大字長倉字鶴溜", "長野県北佐久郡軽井沢町長倉"),
        ("日本、東京都千代田区丸の内", "東京都千代田区丸の内"),
        ("", ""),
        (None, ""),
        ("Tokyo", ""),
    ],
)
def test_rough_area_drops_house_numbers(address, area):
    assert rough_area(address) == area
