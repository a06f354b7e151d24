"""Places from LINE location messages or typed town names: validated, with a town-level area for privacy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db import members as member_repo
from db.models import Member
from handlers import texts
from matching import rough_area, valid_location
from matching.geocode import Located, SameName, locate, locate_answer, same_name
from matching.phrases import said

if TYPE_CHECKING:
    from handlers.context import Context

# A flow's state data at its place step: the town name several places share, just asked about.
SAME_NAME = "same_name"


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


def read_typed_place(ctx: Context, text: str, asked: object = None) -> Located | SameName | None:
    """A place typed at a place step, near the sender's saved place. A town name that several places far
    apart share (太子堂, 自由が丘) is a SameName: the flow keeps its name (SAME_NAME) and asks for the 区 or
    市 (same_name_question); the answer, `asked` being that name, may be the municipality alone."""
    home = place_from_home(ctx.sender)
    near = None if home is None else (home.lat, home.lon)
    found = locate_answer(text, asked, near) if isinstance(asked, str) else locate(text, near)
    if found is not None:
        return found
    return same_name(text, near, around=member_repo.community_points(ctx.session))


def same_name_question(shared: SameName) -> str:
    """「太子堂」という町は、いくつかの場所にあります… with the place nearest the community as the example."""
    return texts.PLACE_SAME_NAME.format(name=shared.name, example=shared.places[0].city)


# An address written inside a first message (「三軒茶屋2丁目の山田です、…」「世田谷区太子堂に住んでます」):
# a town with its 丁目, or a 市/区 with a town after it. Kana alone is never taken (「あとで」 is no town).
_ADDRESS_IN_TEXT = re.compile(
    r"(?:[一-龥ァ-ヶー]{1,8}[都道府県])?(?:[一-龥ァ-ヶー]{1,8}?[市区郡])?[一-龥ァ-ヶー]{1,8}"
    r"(?:[0-9０-９]+|[一二三四五六七八九十]+)丁目"
    r"|(?:[一-龥ァ-ヶー]{1,8}[都道府県])?[一-龥ァ-ヶー]{1,8}?[市区][一-龥ァ-ヶー]{2,8}?(?=の|に|で|です|、|。|\s|$)"
)


def place_in_message(ctx: Context, text: str) -> tuple[str, Located] | None:
    """The address a first message gives, when it names one place (near the sender's saved place); a town
    name several places share is left for the place step to ask about."""
    found = _ADDRESS_IN_TEXT.search(text)
    if found is None:
        return None
    located = read_typed_place(ctx, found.group())
    return (found.group(), located) if isinstance(located, Located) else None
