"""Relay chat between resident and supporter (handlers/relay.py)."""

from __future__ import annotations

RELAY_BUTTON = "メッセージを送る"
RELAY_REPLY_BUTTON = "返事を送る"
RELAY_END_BUTTON = "おわる"
RELAY_START = (
    "{name}さんへのメッセージを、書いて送ってください。\n"
    "写真やスタンプも送れます。\n"
    "終わるときは「おわる」を押してください。"
)
RELAY_SENT = "{name}さんに送りました。"
RELAY_SENT_NIGHT = "{name}さんに送りました。\n夜の間は、{time}ごろに届きます。"
RELAY_HEADER = "【{category}の依頼】{name}さんから："
RELAY_COMPANION_HEADER = "【{category}の依頼】コーディネーターの{name}さん（顔合わせに同行）から："
RELAY_STICKER = "【{category}の依頼】{name}さんから、スタンプが届きました。"
RELAY_IMAGE = "【{category}の依頼】{name}さんから、写真が届きました。"
RELAY_LOCATION = "【{category}の依頼】{name}さんから、場所が届きました。"
RELAY_NO_IMAGES = "ごめんなさい。今は写真を送れません。\n文字で送ってください。"
RELAY_UNSUPPORTED = "ごめんなさい。送れるのは、文字・写真・スタンプ・位置情報です。"
RELAY_ENDED = "メッセージのやりとりを終わりました。"
RELAY_CLOSED = "この依頼は終わったので、メッセージは送れません。"
RELAY_CANCELLED = "この依頼は取り消されたので、メッセージは送れません。"
RELAY_HANDED_OVER = "この依頼は、ほかのサポーターにお願いすることになりました。\nメッセージは送れません。"
RELAY_SEARCHING = (
    "今、新しいサポーターをさがしています。\nこのメッセージは送っていません。\n決まったら、お知らせします。"
)
RELAY_NEW_SUPPORTER = (
    "サポーターが{name}さんに変わりました。\nこのメッセージは送っていません。\n"
    "{name}さんには「メッセージを送る」から送れます。"
)
RELAY_NONE = "今、メッセージを送れる依頼はありません。\n引き受ける人が決まると、送れるようになります。"
RELAY_CHOOSE = "どの依頼について送りますか？"
RELAY_NOT_ON_LINE = (
    "ごめんなさい。{name}さんには、LINEでお届けできません。\nコーディネーターに連絡してください。"
)
