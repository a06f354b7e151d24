"""Changing a request already sent, from 自分の依頼 (handlers/request_changes.py)."""

from __future__ import annotations

# --- Changing a request already sent, from 自分の依頼 (issue 10) -----------------------------------
CHANGE_ASK_WHEN = (
    "今は「{when}」です。いつに変えますか？\n「あした10時」のように書くか、下のボタンを押してください。"
)
CHANGE_ASK_PLACE = "どこに変えますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
CHANGED_WHEN = "日時を「{when}」に変えました。"
CHANGED_PLACE = "場所を「{place}」に変えました。"
CHANGE_TOLD = "{name}さんにも、伝えました。"
CHANGED_WHEN_SUPPORTER = (
    "【{category}】の依頼の日時が、「{when}」に変わりました。\n"
    "都合が悪くなったときは、「行けなくなった」を押してください。"
)
CHANGED_PLACE_SUPPORTER = (
    "【{category}】の依頼の場所が、変わりました。\n新しい場所：{place}\n"
    "都合が悪くなったときは、「行けなくなった」を押してください。"
)
