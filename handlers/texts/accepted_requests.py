"""引き受けた依頼 and 行けなくなった, a supporter giving a request back (handlers/accepted_requests.py)."""

from __future__ import annotations

MENU_ACCEPTED = "引き受けた依頼"
DROP_BUTTON = "行けなくなった"
DROP_CONFIRM = (
    "【{category}】（{when}）の引き受けを、やめますか？\n依頼した方に伝えて、ほかのサポーターをさがします。"
)
DROP_YES = "引き受けをやめる"
DROP_NO = "続ける"
DROP_DONE = "わかりました。依頼した方に伝えました。\n知らせてくださって、ありがとうございます。"
DROP_KEPT = "わかりました。引き続き、よろしくお願いします。"
DROP_RESIDENT = "{name}さんが、都合で行けなくなりました。\nごめんなさい。もう一度、サポーターをさがします。"
DROP_CHOOSE = "どの依頼の引き受けを、やめますか？"
DROP_NOT_YOURS = "ごめんなさい。この依頼は、今あなたが引き受けている依頼ではありません。"

ACCEPTED_HEADER = "引き受けている依頼です。"
ACCEPTED_NONE = "今、引き受けている依頼はありません。"
CARD_RESIDENT = "依頼した方"
CARD_PLACE = "場所"
