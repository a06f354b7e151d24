"""Seed the demo's members through the repository and handler functions (idempotent on every start)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker

from bot.demo.personas import Persona, Role
from db import conversations
from db import members as member_repo
from db import supporters as supporter_repo
from db.engine import transaction
from db.models import utcnow
from handlers import agreement
from handlers.places import place_from_location, set_home


def seed(session_factory: sessionmaker[Session], personas: Iterable[Persona]) -> None:
    """Make every persona a member in their role; supporters get skills, a home and a radius."""
    with transaction(session_factory) as session:
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
