"""Seed the demo's members through the repository and handler functions (idempotent on every start)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.dev.demo.personas import Persona, Role
from db import conversations
from db import members as member_repo
from db import supporters as supporter_repo
from db.engine import transaction
from db.models import CommunityPlace, Master, MasterClass, Member, PlaceShift, utcnow
from db.places import PlaceRow, save_places
from handlers import agreement
from handlers.places import place_from_location, set_home
from matching.opening import JST, parse_opening

# The sample town's community places (issue 15): two cafeterias, a hub, a food drop-off (and a shift).
DEMO_PLACES = (
    (
        "kodomo_shokudo",
        "たいしどう こども食堂",
        "世田谷区太子堂2丁目",
        35.6436,
        139.6700,
        "毎週水曜 17:00-19:00、祝日は休み",
        "子ども無料・大人300円",
        "どなたでも",
        "",
    ),
    (
        "chiiki_shokudo",
        "三茶みんなの食堂",
        "世田谷区三軒茶屋1丁目",
        35.6425,
        139.6720,
        "毎月第2・第4土曜 11:30～13:30",
        "300円",
        "どなたでも",
        "",
    ),
    (
        "minna_no_ouchi",
        "みんなのおうち しもうま",
        "世田谷区下馬2丁目",
        35.6385,
        139.6735,
        "平日 10:00-16:00、祝日は休み",
        "無料",
        "どなたでも（相談もどうぞ）",
        "",
    ),
    (
        "food_dropoff",
        "まちの食品受付（太子堂）",
        "世田谷区太子堂4丁目",
        35.6450,
        139.6665,
        "月・水・金 10:00-15:00",
        "",
        "",
        "野菜、米、果物、缶詰、乾物、調味料",
    ),
)


def seed_places(session: Session) -> None:
    """The demo's places, updated in place on every start (same name and address)."""
    rows = [
        PlaceRow(
            0,
            kind,
            name,
            address,
            lat,
            lon,
            opening,
            parse_opening(opening),
            "",
            price=price,
            audience=audience,
            accepts_food=food,
        )
        for kind, name, address, lat, lon, opening, price, audience, food in DEMO_PLACES
    ]
    save_places(session, rows)
    _seed_shift(session)


def _seed_shift(session: Session) -> None:
    """A shift at the children's cafeteria next Wednesday, unless one is still to come."""
    place = session.scalar(select(CommunityPlace).where(CommunityPlace.name == DEMO_PLACES[0][1]))
    assert place is not None
    now = utcnow()
    coming = session.scalar(
        select(PlaceShift.id).where(PlaceShift.place_id == place.id, PlaceShift.starts_at > now).limit(1)
    )
    if coming is not None:
        return
    today = now.astimezone(JST).date()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    start = datetime.combine(wednesday, time(16, 0), JST)
    session.add(
        PlaceShift(
            place_id=place.id,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            role="配膳",
            needed=3,
            taken=0,
            note="エプロンをお持ちください",
        )
    )


# The sample town's 名人・達人: 渡辺さん teaches しめ縄づくり, with a class next Saturday at the hub.
DEMO_MASTER = ("watanabe", "しめ縄づくり", "みんなのおうち しもうま", "年末の季節だけ")


def seed_master(session: Session, personas: Iterable[Persona]) -> None:
    """The demo's master and a coming class (kept as they are if already there)."""
    key, skill, where, often = DEMO_MASTER
    persona = next((p for p in personas if p.key == key), None)
    member = None if persona is None else member_repo.by_line_id(session, persona.user_id)
    if member is None:
        return
    master = session.scalar(select(Master).where(Master.member_id == member.id, Master.skill == skill))
    if master is None:
        master = Master(member_id=member.id, skill=skill, where_text=where, how_often=often)
        session.add(master)
    master.active, master.lat, master.lon = True, member.home_lat, member.home_lon
    master.area = member.home_area
    session.flush()
    _seed_class(session, master, member)


def _seed_class(session: Session, master: Master, member: Member) -> None:
    now = utcnow()
    coming = session.scalar(
        select(MasterClass.id).where(MasterClass.master_id == master.id, MasterClass.starts_at > now).limit(1)
    )
    if coming is not None:
        return
    hub = session.scalar(select(CommunityPlace).where(CommunityPlace.name == DEMO_PLACES[2][1]))
    today = now.astimezone(JST).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    start = datetime.combine(saturday, time(10, 0), JST)
    session.add(
        MasterClass(
            master_id=master.id,
            title=f"{master.skill}の教室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place_id=hub.id if hub else None,
            place_text=hub.name if hub else master.where_text,
            capacity=5,
            taken=0,
            note="わらは用意します。はさみをお持ちください",
        )
    )


def seed(session_factory: sessionmaker[Session], personas: Iterable[Persona]) -> None:
    """Make every persona a member in their role; supporters get skills, a home and a radius."""
    personas = tuple(personas)  # walked twice: the members, then the master among them
    with transaction(session_factory) as session:
        seed_places(session)
        for persona in personas:
            member, _ = member_repo.get_or_create(session, persona.user_id)
            member.display_name = persona.display_name
            member.active, member.blocked = True, False
            # The LINE stub starts empty each run, so no flow may wait on an answer from a previous run.
            conversations.clear_state(session, member.id)
            if persona.role is Role.COORDINATOR:
                member.is_coordinator = True
            if persona.role is Role.SUPPORTER:
                place = place_from_location(persona.lat, persona.lon, persona.address, None)
                assert place is not None, persona.key
                member_repo.set_skills(member, persona.skills, persona.skill_text)
                set_home(member, place)
                member.radius_km = persona.radius_km
                member.is_supporter, member.paused = True, False
                # Demo neighbours were met by the coordinator and agreed to the rules long ago.
                now = utcnow()
                supporter_repo.approve(session, member, now, by="demo")
                supporter_repo.record_agreement(session, member, agreement.current(session)[0], now)
        seed_master(session, personas)
