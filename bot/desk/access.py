"""Who may see and do what on the desk: an account's roles per area (administrator, coordinator,
read-only), read as plain data so every rule can be checked without a request or a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.models import DeskAccount, DeskRoleKind
from matching import haversine_km

ROLE_LABELS = {
    DeskRoleKind.ADMINISTRATOR: "管理者",
    DeskRoleKind.COORDINATOR: "コーディネーター",
    DeskRoleKind.READ_ONLY: "見るだけ",
}
RANK = {DeskRoleKind.READ_ONLY: 0, DeskRoleKind.COORDINATOR: 1, DeskRoleKind.ADMINISTRATOR: 2}
EVERY_AREA = "すべての地域"


@dataclass(frozen=True)
class Grant:
    """One role in one area; an area of None is the whole organisation."""

    role: DeskRoleKind
    area_id: int | None = None
    area_name: str = EVERY_AREA
    lat: float = 0.0
    lon: float = 0.0
    radius_km: float = 0.0

    def covers(self, lat: float | None, lon: float | None) -> bool:
        """The place lies in this grant's area. A place that is only a name (no point) lies in every
        area: each area's desk sees it until someone places it, as before roles existed."""
        if self.area_id is None or lat is None or lon is None:
            return True
        return haversine_km(self.lat, self.lon, lat, lon) <= self.radius_km

    @property
    def label(self) -> str:
        return f"{self.area_name}・{ROLE_LABELS[self.role]}"


@dataclass(frozen=True)
class Access:
    """Everything an account may do, decided from its grants alone."""

    grants: tuple[Grant, ...]

    @classmethod
    def of(cls, account: DeskAccount) -> Access:
        return cls(
            tuple(
                Grant(r.role)
                if r.area is None
                else Grant(r.role, r.area.id, r.area.name, r.area.lat, r.area.lon, r.area.radius_km)
                for r in account.roles
            )
        )

    def _at_least(self, role: DeskRoleKind) -> Iterable[Grant]:
        return (g for g in self.grants if RANK[g.role] >= RANK[role])

    # --- seeing ---------------------------------------------------------------------------------------

    def sees(self, lat: float | None, lon: float | None) -> bool:
        return any(g.covers(lat, lon) for g in self.grants)

    @property
    def whole_organisation(self) -> bool:
        """A role with no area: requests and people outside every area too."""
        return any(g.area_id is None for g in self.grants)

    # --- acting -----------------------------------------------------------------------------------------

    def acts(self, lat: float | None, lon: float | None) -> bool:
        """May change a request or a person at this place (a coordinator or administrator there)."""
        return any(g.covers(lat, lon) for g in self._at_least(DeskRoleKind.COORDINATOR))

    @property
    def acts_anywhere(self) -> bool:
        """Coordinator or administrator in some area: false for a read-only account, whose every
        change is refused before any page's own checks."""
        return any(True for _ in self._at_least(DeskRoleKind.COORDINATOR))

    def acting(self) -> Access:
        """Only the grants that may change things: for choosing whom a change may reach."""
        return Access(tuple(self._at_least(DeskRoleKind.COORDINATOR)))

    # --- administering ------------------------------------------------------------------------------

    @property
    def administers(self) -> bool:
        """Sees the accounts page and the settings pages."""
        return any(True for _ in self._at_least(DeskRoleKind.ADMINISTRATOR))

    def administers_area(self, area_id: int | None) -> bool:
        """May give or take roles in this area (an administrator of every area may in any)."""
        return any(
            g.area_id is None or g.area_id == area_id for g in self._at_least(DeskRoleKind.ADMINISTRATOR)
        )

    @property
    def summary(self) -> str:
        """What the header shows beside the name."""
        return "、".join(g.label for g in self.grants) or "役割なし"
