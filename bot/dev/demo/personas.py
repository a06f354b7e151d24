"""The demo's neighbours around 三軒茶屋 (世田谷区), read from personas.toml, as the visitor may chat as."""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bot.dev.line_stub import user_id_for
from matching import category_label


class Role(enum.StrEnum):
    RESIDENT = "resident"
    SUPPORTER = "supporter"
    COORDINATOR = "coordinator"


ROLE_LABELS = {
    Role.RESIDENT: "依頼する人",
    Role.SUPPORTER: "サポーター",
    Role.COORDINATOR: "コーディネーター",
}


@dataclass(frozen=True)
class Persona:
    """Someone the visitor can chat as; the location is what their 位置情報 button sends."""

    key: str
    display_name: str  # their LINE profile name, which the bot reads
    short_name: str  # how the page calls them
    role: Role
    address: str
    lat: float
    lon: float
    skills: tuple[str, ...] = ()  # category ids (supporters)
    skill_text: str = ""  # a supporter's own words
    radius_km: float = 3.0

    @property
    def user_id(self) -> str:
        return user_id_for(f"otagai-demo:{self.key}")

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.short_name,
            "displayName": self.display_name,
            "role": self.role.value,
            "roleLabel": ROLE_LABELS[self.role],
            "address": self.address,
            "skills": [category_label(skill) for skill in self.skills],
        }


def _load() -> tuple[Persona, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("personas.toml").read_text(encoding="utf-8"))
    return tuple(
        Persona(**{**row, "role": Role(row["role"]), "skills": tuple(row.get("skills", ()))})
        for row in raw["persona"]
    )


PERSONAS: tuple[Persona, ...] = _load()


def by_key(key: str) -> Persona | None:
    return next((persona for persona in PERSONAS if persona.key == key), None)
