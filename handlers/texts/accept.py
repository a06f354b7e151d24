"""引き受ける / 見送る, and what both sides are told (handlers/accept.py)."""

from __future__ import annotations

# --- Accept / pass ------------------------------------------------------------------------------
ACCEPTED_SUPPORTER = (
    "ありがとうございます！ 引き受けました。\n"
    "【{category}】{text}\n"
    "依頼した方：{name}さん\n"
    "日時：{when}\n"
    "場所：{address}"
)
ACCEPTED_RESIDENT = "{name}さんが、引き受けてくれました。\n【{category}】{text}\n日時：{when}"
TAKEN_BY_OTHER = "この依頼は、ほかの方が引き受けました。\nありがとうございました。またお願いします。"
ALREADY_YOURS = "この依頼は、もうあなたが引き受けています。"
NOT_OPEN = "この依頼は、もう受付が終わりました。\nありがとうございました。"
GAVE_BACK_CARD = (
    "この依頼は、お返しいただいたので、ほかの方にお願いしています。\n"
    "知らせてくださって、ありがとうございました。"
)
PASSED = "わかりました。今回は見送ります。\nまたお願いします。"
NOT_OFFERED = "ごめんなさい。このボタンは使えません。\nお知らせしたカードのボタンを使ってください。"
UNKNOWN_BUTTON = "ごめんなさい。このボタンは使えなくなりました。\nもう一度、メニューから選んでください。"
OLD_BUTTON_MID_FLOW = "そのボタンは、前のものです。\n今の手続きを、このまま続けます。"
WITHDRAWN_SUPPORTER = "【{category}】の依頼は、取り消されました。\nお知らせしたカードは使えません。"
CANCELLED_ACCEPTED_SUPPORTER = (
    "引き受けていただいた【{category}】の依頼は、取り消されました。\nありがとうございました。"
)
LOCATION_OF_REQUEST = "{category}の場所"
