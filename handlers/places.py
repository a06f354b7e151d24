"""Places from LINE location messages: validated, with a town-level area for privacy."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Member
from matching import rough_area, valid_location


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    address: str
    area: str


def place_from_location(lat: float, lon: float, address: str | None, title: str | None) -> Place | None:
    """None for impossible coordinates or places outside Japan, so the user is asked again."""
    if not valid_location(lat, lon):
        return None
    full = (address or title or "").strip()
    return Place(lat=lat, lon=lon, address=full[:300], area=rough_area(full)[:100])


def place_from_home(member: Member) -> Place | None:
    if member.home_lat is None or member.home_lon is None:
        return None
    return Place(member.home_lat, member.home_lon, member.home_address or "", member.home_area)


def remember_home(member: Member, place: Place) -> None:
    """The first place a member sends becomes their registered place (one tap next time)."""
    if member.home_lat is None:
        set_home(member, place)


def set_home(member: Member, place: Place) -> None:
    member.home_lat, member.home_lon = place.lat, place.lon
    member.home_address, member.home_area = place.address, place.area
