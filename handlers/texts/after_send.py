"""Words read against a request already sent (handlers/after_send.py)."""

from __future__ import annotations

# --- After a request is sent: words read against it (issue 10) ------------------------------------
DETAIL_MARK = "（追加）"
DETAIL_ADDED_TO_REQUEST = "【{category}】の依頼に、書き加えました。\n引き受けた方に、お伝えします。"
DETAIL_ADDED_TOLD = "【{category}】の依頼に、書き加えました。\n{name}さんにも、伝えました。"
DETAIL_FORWARD = "【{category}の依頼】{name}さんから、追加のお知らせです：\n{text}"
DETAIL_OR_NEW = "「{text}」は、出している【{category}】の依頼に書き加えますか？\nそれとも、新しい依頼ですか？"
ADD_TO_REQUEST = "この依頼への追加"
NEW_REQUEST = "新しい依頼"
WHICH_REQUEST = "どの依頼のことですか？\n下から選んでください。"
CHOOSE_CARD = "どの依頼のことですか？\n下のボタンで答えてください。"
ONE_CARD = "このお願いを、引き受けますか？\n下のボタンで答えてください。"
# A question under a card (「電球は何ワットですか？」): the resident can be asked once it is accepted.
CARD_ASK_AFTER_ACCEPTING = "引き受けたあとは、「メッセージを送る」で依頼した方に聞けます。"
CANCEL_CONFIRM = "【{category}】の依頼を、取り消しますか？"
CANCEL_CONFIRM_MATCHED = "{name}さんが、引き受けてくれています。"
KEEP_REQUEST = "取り消さない"
REQUEST_KEPT = "わかりました。依頼は、そのままにします。"
STATUS_OPEN = (
    "【{category}】の依頼は、今サポーターをさがしています。\n"
    "近くの{count}人にお知らせしました。決まったら、お知らせします。"
)
STATUS_WITH_COORDINATOR = (
    "【{category}】の依頼は、今サポーターをさがしています。\nコーディネーターも、いっしょにさがしています。"
)
STATUS_MATCHED = "【{category}】の依頼は、{name}さんが引き受けています。\n日時：{when}"
RELAY_SENT_TYPED_HINT = "続けて送るときは「メッセージを送る」を押してください。"
