"""Places from LINE location messages or typed town names: validated, with a town-level area for privacy."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Member
from handlers import texts
from matching import rough_area, valid_location
from matching.geocode import Located
from matching.phrases import said


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


def home_unknown(member: Member, text: str) -> bool:
    """「うちのちかく」「自宅です」 before any place is saved: the area is asked for, never guessed."""
    return place_from_home(member) is None and said("home", text)


def remember_home(member: Member, place: Place) -> None:
    """The first place a member sends becomes their registered place (one tap next time)."""
    if member.home_lat is None:
        set_home(member, place)


def set_home(member: Member, place: Place) -> None:
    member.home_lat, member.home_lon = place.lat, place.lon
    member.home_address, member.home_area = place.address, place.area


def typed_place(text: str, located: Located) -> Place:
    """A typed place: the area shown on cards is the town (never finer); the words are kept as written."""
    written = text.strip()
    address = written if len(written) > len(located.label) else f"{located.prefecture}{located.label}"
    return Place(located.lat, located.lon, address[:300], located.label[:100])


def place_said_back(located: Located) -> str:
    if located.precision == "town":
        return texts.PLACE_FOUND.format(place=located.label)
    return texts.PLACE_FOUND_CITY.format(place=located.label)
