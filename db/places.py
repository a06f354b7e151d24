"""Community places: saving imported rows, one-off closures, and the nearest places to a point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ClassSeat, CommunityPlace, FoodGift, MasterClass, PlaceNeed, PlaceShift, ShiftSignup
from matching.geo import haversine_km
from matching.opening import JST, Hours, hours_from_json, next_opening, openings_between


@dataclass(frozen=True)
class PlaceRow:
    """One place as read from a file or a form (bot/place_import.py)."""

    line: int
    kind: str
    name: str
    address: str
    lat: float
    lon: float
    opening_text: str
    hours: Hours
    note: str
    audience: str = ""
    price: str = ""
    contact: str = ""
    accepts_food: str = ""


def save_places(session: Session, rows: Sequence[PlaceRow]) -> tuple[int, int]:
    """Create or update one place per row (same name and address = same place); (created, updated)."""
    created = updated = 0
    for row in rows:
        place = session.scalar(
            select(CommunityPlace).where(
                CommunityPlace.name == row.name, CommunityPlace.address == row.address
            )
        )
        if place is None:
            created += 1
        else:
            updated += 1
        save_place(session, row, place)
    return created, updated


def save_place(session: Session, row: PlaceRow, place: CommunityPlace | None = None) -> CommunityPlace:
    """Write one row onto `place` (a new place when None): the CSV import and the desk's form share it."""
    if place is None:
        place = CommunityPlace(name=row.name, address=row.address, closed_days=[])
        session.add(place)
    place.name, place.address = row.name, row.address
    place.kind, place.lat, place.lon = row.kind, row.lat, row.lon
    place.opening_text, place.note = row.opening_text, row.note
    place.openings = row.hours.as_json()
    place.closed_on_holidays = row.hours.closed_on_holidays
    place.audience, place.price, place.contact = row.audience, row.price, row.contact
    place.accepts_food = row.accepts_food
    session.flush()
    return place


SHIFT_ROLES = ("調理", "配膳", "見守り", "片付け", "送迎", "受付", "その他")


def post_shift(
    session: Session, place: CommunityPlace, start: datetime, hours: float, role: str, people: int, note: str
) -> PlaceShift:
    """Help a place needs at a time (CLI and desk); the followups worker then invites fitting people."""
    shift = PlaceShift(
        place_id=place.id,
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(hours=hours)).astimezone(UTC),
        role=role,
        needed=people,
        taken=0,
        note=note[:500],
    )
    session.add(shift)
    session.flush()
    return shift


def close_on(place: CommunityPlace, day: date) -> None:
    """A one-off closure (a holiday of the volunteers, a typhoon)."""
    days = set(place.closed_days or [])
    days.add(day.isoformat())
    place.closed_days = sorted(days)  # a new list, so the JSON column is seen as changed


def hours_of(place: CommunityPlace) -> Hours:
    return hours_from_json(
        place.openings or [],
        place.closed_on_holidays,
        (date.fromisoformat(d) for d in place.closed_days or []),
    )


@dataclass(frozen=True)
class NearPlace:
    place: CommunityPlace
    km: float
    opens: datetime | None
    closes: datetime | None


def nearest(
    session: Session,
    lat: float,
    lon: float,
    now: datetime,
    kinds: Sequence[str] = (),
    *,
    limit: int = 5,
    max_km: float = 15.0,
) -> list[NearPlace]:
    """The closest places of the given kinds (all kinds when empty), with their current or next opening."""
    query = select(CommunityPlace)
    if kinds:
        query = query.where(CommunityPlace.kind.in_(kinds))
    found: list[NearPlace] = []
    for place in session.scalars(query):
        km = haversine_km(lat, lon, place.lat, place.lon)
        if km > max_km:
            continue
        window = next_opening(hours_of(place), now)
        found.append(NearPlace(place, km, *(window or (None, None))))
    found.sort(key=lambda near: near.km)
    return found[:limit]


@dataclass(frozen=True)
class PlaceNumbers:
    openings: int  # openings of every place in the period (their rules, less holidays and closures)
    food_offers: int  # food offered in chat in the period
    food_passed_on: int  # food offers marked passed on in the period
    shifts: int = 0  # shifts that started in the period
    shifts_filled: int = 0  # of those, the ones with every seat taken
    helpers: int = 0  # different people signed up (and not cancelled) for those shifts
    classes: int = 0  # 名人・達人's classes held (started in the period, not called off)
    class_seats: int = 0  # seats taken in those classes


def place_numbers(session: Session, start: datetime, end: datetime) -> PlaceNumbers:
    openings = sum(len(openings_between(hours_of(place), start, end)) for place in all_places(session))
    offered = session.scalar(
        select(func.count())
        .select_from(FoodGift)
        .where(FoodGift.created_at >= start, FoodGift.created_at < end)
    )
    passed = session.scalar(
        select(func.count())
        .select_from(FoodGift)
        .where(FoodGift.passed_on_at >= start, FoodGift.passed_on_at < end)
    )
    held = list(
        session.scalars(select(PlaceShift).where(PlaceShift.starts_at >= start, PlaceShift.starts_at < end))
    )
    helpers = session.scalar(
        select(func.count(func.distinct(ShiftSignup.member_id))).where(
            ShiftSignup.shift_id.in_([shift.id for shift in held]), ShiftSignup.cancelled_at.is_(None)
        )
    )
    filled = sum(1 for shift in held if shift.taken >= shift.needed)
    lessons = session.scalars(
        select(MasterClass.id).where(
            MasterClass.starts_at >= start, MasterClass.starts_at < end, MasterClass.cancelled_at.is_(None)
        )
    ).all()
    seats = session.scalar(
        select(func.count()).where(ClassSeat.class_id.in_(lessons), ClassSeat.status == "seat")
    )
    return PlaceNumbers(
        openings, offered or 0, passed or 0, len(held), filled, helpers or 0, len(lessons), seats or 0
    )


def all_places(session: Session) -> list[CommunityPlace]:
    return list(session.scalars(select(CommunityPlace).order_by(CommunityPlace.kind, CommunityPlace.id)))


def week_of(now: datetime) -> date:
    """The Monday (local time) of the week `now` falls in: a place's needs are for one week."""
    day = now.astimezone(JST).date()
    return day - timedelta(days=day.weekday())


def set_needs(
    session: Session, place: CommunityPlace, foods: Sequence[str], note: str, now: datetime
) -> PlaceNeed:
    """What the place needs this week (replacing what it said earlier this week)."""
    week = week_of(now)
    need = session.scalar(
        select(PlaceNeed).where(PlaceNeed.place_id == place.id, PlaceNeed.week_start == week)
    )
    if need is None:
        need = PlaceNeed(place_id=place.id, week_start=week)
        session.add(need)
    need.foods, need.note, need.updated_at = list(dict.fromkeys(foods)), note[:500], now
    session.flush()
    return need


def needs_now(session: Session, now: datetime) -> dict[int, PlaceNeed]:
    """This week's needs by place id (a place that said nothing this week needs nothing in particular)."""
    rows = session.scalars(select(PlaceNeed).where(PlaceNeed.week_start == week_of(now)))
    return {need.place_id: need for need in rows if need.foods or need.note}


def waiting_gifts(session: Session) -> list[FoodGift]:
    """Food offered and not yet passed on, oldest first (for the coordinators)."""
    return list(
        session.scalars(select(FoodGift).where(FoodGift.passed_on_at.is_(None)).order_by(FoodGift.id))
    )


def all_gifts(session: Session) -> list[FoodGift]:
    """Every food offer, passed on or not, oldest first."""
    return list(session.scalars(select(FoodGift).order_by(FoodGift.id)))
