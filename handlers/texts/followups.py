"""Reminders, re-asks, expiry and notices the worker sends (handlers/followups.py)."""

from __future__ import annotations

REMIND_EVE = (
    "{day} {time}から、【{category}】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所や内容は「引き受けた依頼」で見られます。"
)
REMIND_HOUR = (
    "まもなく（{time}から）、【{category}】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所は「引き受けた依頼」で見られます。"
)

CHECKIN = "【{category}】のお手伝いは、どうでしたか？\n下のボタンで教えてください。"
CHECKIN_AGAIN = (
    "もう一度、うかがいます。\n【{category}】のお手伝いは、どうでしたか？\n"
    "お時間のあるときに、下のボタンで教えてください。"
)
CHECKIN_UNANSWERED_COORDINATOR = (
    "【要対応】依頼番号{id}（{category}・{area}・{when}）：サポーターの{name}さんが引き受けましたが、"
    "依頼した方から、終わったかどうかの返事がありません。まだ完了にはしていません。"
    "依頼した方に確認してください。"
)
REOPEN_ANYTIME_NOTE = "日時は「いつでも」にしました。くわしい日時は、次に引き受けた人と相談してください。"
REOPEN_SEARCHING = "近くのサポーター{count}人に、お知らせしました。\n決まったら、お知らせします。"
REOPEN_NOBODY = "今は、近くに合うサポーターが見つかりませんでした。\nコーディネーターに伝えました。"

ESCALATED_RESIDENT = (
    "【{category}】の依頼は、まだ引き受ける人が見つかっていません。\n"
    "ごめんなさい。コーディネーターに伝えました。\n"
    "コーディネーターから、ご連絡することがあります。"
)
EXPIRED_RESIDENT = (
    "【{category}】の依頼は、日時が過ぎたので、受付を終わりました。\n"
    "引き受ける人が見つからず、ごめんなさい。\n"
    "また困ったときは、いつでも送ってください。"
)
EXPIRED_ANYTIME_RESIDENT = (
    "【{category}】の依頼は、{days}日たっても引き受ける人が見つからず、受付を終わりました。\n"
    "ごめんなさい。また必要なときは、もう一度送ってください。"
)

QUOTA_LOW_COORDINATOR = (
    "【お知らせ】今月のLINEのお知らせ（プッシュ）が、残り{remaining}通になりました（上限{limit}通）。\n"
    "大事なお知らせだけを送ります。"
)
