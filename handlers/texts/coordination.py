"""Coordinators in LINE: 【要対応】 notices and the list of what waits (handlers/coordination.py)."""

from __future__ import annotations

# --- Coordinators ------------------------------------------------------------------------------
COORDINATOR_NO_PLACE = (
    "【要対応】依頼番号{id}（{category}・{area}）は、位置情報がありません。場所を確認してください。"
)
COORDINATOR_UNMATCHED = "【要対応】依頼番号{id}（{category}・{area}）に、合うサポーターがいません。"
# The desk in LINE, for coordinators (staff): what waits for a person, and taking one in hand.
DESK_BUTTON = "要対応の一覧"
DESK_EMPTY = "今、要対応の依頼はありません。"
DESK_HEAD = "要対応の依頼です（古い順）。\n下のボタンで、対応する依頼を選んでください。\n\n"
DESK_MORE = "\n\nほかにもあります。ひとつ対応したあと、もう一度「要対応の一覧」を送ってください。"
DESK_ENTRY = "依頼番号{id}【{category}】{area}\n日時：{when}\n{state}"
DESK_STATE_NOBODY = "合うサポーターがいません。"
DESK_STATE_OPEN = "{asked}人にお知らせしましたが、まだ誰も引き受けていません。"
DESK_STATE_NO_SHOW = "サポーターが来なかった、と連絡がありました。"
DESK_STATE_MATCHED = "{name}さんが引き受けました。依頼した方から、終わったかどうかの返事がありません。"
DESK_TAKE = "{id}番を対応する"
DESK_TAKE_SAID = "依頼番号{id}を対応します"
DESK_TAKEN = (
    "依頼番号{id}を、あなたの対応にしました。一覧からは消えます。\n\n"
    "【{category}】{text}\n依頼した方：{name}さん\n場所：{place}\n日時：{when}\n{state}"
)
DESK_ALREADY = "依頼番号{id}は、ほかのコーディネーターが対応しています。"
DESK_CLOSED = "依頼番号{id}は、もう終わっています。"
