"""The demo's neighbours around 三軒茶屋 (世田谷区): one resident, four supporters and a coordinator."""

from __future__ import annotations

import enum
from dataclasses import dataclass
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


PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="yamada",
        display_name="山田 花子",
        short_name="山田さん",
        role=Role.RESIDENT,
        address="東京都世田谷区太子堂2丁目14-5",
        lat=35.6446,
        lon=139.6716,
    ),
    Persona(
        key="sato",
        display_name="佐藤 健一",
        short_name="佐藤さん",
        role=Role.SUPPORTER,
        address="東京都世田谷区三軒茶屋1丁目",
        lat=35.6420,
        lon=139.6690,
        skills=("repair", "moving"),
        skill_text="電球や蛍光灯の交換、家具の組み立てができます",
        radius_km=3.0,
    ),
    Persona(
        key="suzuki",
        display_name="鈴木 美咲",
        short_name="鈴木さん",
        role=Role.SUPPORTER,
        address="東京都世田谷区下馬2丁目",
        lat=35.6372,
        lon=139.6762,
        skills=("errands", "digital", "company"),
        skill_text="買い物の代わりや、スマホとLINEの使い方をお教えします",
        radius_km=3.0,
    ),
    Persona(
        key="takahashi",
        display_name="高橋 誠",
        short_name="高橋さん",
        role=Role.SUPPORTER,
        address="東京都世田谷区池尻2丁目",
        lat=35.6502,
        lon=139.6788,
        skills=("repair", "garden"),
        skill_text="草むしりや植木の水やり、電球の交換ができます",
        radius_km=5.0,
    ),
    Persona(
        key="watanabe",
        display_name="渡辺 昭",
        short_name="渡辺さん",
        role=Role.SUPPORTER,
        address="東京都世田谷区経堂1丁目",
        lat=35.6510,
        lon=139.6365,
        skills=("garden", "errands"),
        skill_text="庭の手入れと、買い物の手伝いができます（近くだけ）",
        # Farther off with a small circle: a request reaches him only when a re-ask goes wider.
        radius_km=1.0,
    ),
    Persona(
        key="ito",
        display_name="伊藤 和子",
        short_name="伊藤さん",
        role=Role.COORDINATOR,
        address="東京都世田谷区太子堂4丁目 みんなのおうち",
        lat=35.6431,
        lon=139.6662,
    ),
)


def by_key(key: str) -> Persona | None:
    return next((persona for persona in PERSONAS if persona.key == key), None)
