"""Words shared by several flows: unknown area or kind, days of the week, distances, someone's name."""

from __future__ import annotations

# --- Values -------------------------------------------------------------------------------------
UNKNOWN_AREA = "近く"
UNKNOWN_CATEGORY = "その他"
WHEN_ANYTIME = "いつでも"
WEEKDAYS = "月火水木金土日"
DISTANCE_BANDS = ((1.0, "1km以内"), (3.0, "3km以内"), (5.0, "5km以内"), (10.0, "10km以内"))
DISTANCE_FAR = "10km以上"


def distance_band(km: float) -> str:
    """A coarse distance, so one card can go to several supporters as a single multicast."""
    for limit, label in DISTANCE_BANDS:
        if km <= limit:
            return label
    return DISTANCE_FAR


SOMEONE_RESIDENT = "依頼した方"
SOMEONE_SUPPORTER = "サポーター"
