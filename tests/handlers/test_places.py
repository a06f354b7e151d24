"""handlers/places.py: a location is checked and given a town-level area; a typed place keeps its words."""

from __future__ import annotations

import math

import pytest

from handlers.places import Place, place_from_location, typed_place
from matching.geocode import Located

SETAGAYA = (35.6466, 139.6532)


@pytest.mark.parametrize(
    ("lat", "lon", "address", "title", "expected"),
    [
        (
            *SETAGAYA,
            "〒154-0017 東京都世田谷区世田谷4丁目21-27",
            None,
            Place(*SETAGAYA, "〒154-0017 東京都世田谷区世田谷4丁目21-27", "東京都世田谷区世田谷"),
        ),
        (*SETAGAYA, None, "三軒茶屋駅", Place(*SETAGAYA, "三軒茶屋駅", "")),  # the title when no address
        (*SETAGAYA, "  ", None, Place(*SETAGAYA, "", "")),
        (0.0, 0.0, "x", None, None),  # the null island a broken phone sends
        (91.0, 139.0, "x", None, None),
        (37.77, -122.4, "San Francisco", None, None),  # outside Japan
        (math.nan, 139.0, "x", None, None),
    ],
)
def test_a_location_is_checked_and_given_a_town_level_area(
    lat: float, lon: float, address: str | None, title: str | None, expected: Place | None
) -> None:
    assert place_from_location(lat, lon, address, title) == expected


def test_a_long_address_is_cut_to_what_is_stored() -> None:
    place = place_from_location(*SETAGAYA, "東京都世田谷区" + "あ" * 400, None)
    assert place is not None and len(place.address) == 300


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("世田谷区太子堂2丁目のあたり", "世田谷区太子堂2丁目のあたり"),  # more than the town: kept as written
        ("太子堂", "東京都世田谷区太子堂"),  # no more than the town: the town in full
    ],
)
def test_a_typed_place_keeps_the_words_and_shows_only_the_town(typed: str, address: str) -> None:
    located = Located(35.6436, 139.6710, "東京都", "世田谷区", "太子堂", "town")
    place = typed_place(typed, located)
    assert (place.address, place.area) == (address, located.label)
