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
# Dates and times as everyone reads them (a picker's label, a card's 日時).
DAY = "{month}月{day}日({weekday})"
DAY_TIME = "{day} {time}"
MONTH_DAY = "{month}月{day}日"
TODAY = "今日"
TOMORROW = "明日"
CLOCK_MORNING = "朝{hour}時"
CLOCK_HOUR = "{hour}時"
CLOCK_MINUTES = "{hour}{minute}分"
# Joining a few names or kinds in one line.
LIST_SEPARATOR = "、"
KIND_SEPARATOR = "・"
# A location message without a title or address of its own.
LOCATION_UNTITLED = "場所"
LOCATION_NO_ADDRESS = "住所なし"
