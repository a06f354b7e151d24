"""The card supporters get for a nearby request (handlers/notify.py)."""

from __future__ import annotations

# --- Supporter notification card ------------------------------------------------------------------
CARD_TITLE = "お手伝いのお願い"
CARD_ALT = "お手伝いのお願い：{category}（{area}）"
CARD_CATEGORY = "内容"
CARD_TEXT = "ご相談"
CARD_AREA = "場所"
CARD_DISTANCE = "距離"
CARD_WHEN = "日時"
CARD_NOTE = "引き受けると、くわしい場所をお知らせします。"
ACCEPT = "引き受ける"
PASS = "見送る"
ACCEPT_DISPLAY = "引き受けます"
PASS_DISPLAY = "今回は見送ります"
