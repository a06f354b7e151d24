"""What the coordinators' web desk (bot/desk) sends in LINE."""

from __future__ import annotations

# --- the coordinators' web desk (bot/desk) -------------------------------------------------------------
ASKED_BY_COORDINATOR = (
    "コーディネーターから、この依頼をお願いできないかとのことです。\n"
    "むずかしければ「見送る」を押してください。"
)
DESK_WHEN_CHANGED = "【日時の変更】{category}の日時が、{when}に変わりました。"
DESK_PLACE_CHANGED = "【場所の変更】{category}の場所が、{place}に変わりました。"
DESK_CANCELLED_RESIDENT = (
    "【{category}】の依頼は、コーディネーターが取り消しました。\n"
    "わからないことは、コーディネーターにお聞きください。"
)
PROXY_ACCEPTED_SUPPORTER = (
    "この依頼は、LINEを使っていない方のために、コーディネーターが受け付けました。\n"
    "まず、コーディネーター（{name}）に電話してください：{phone}"
)
OFFER_GROUP_MESSAGE = "【やってみたい：{theme}】\nコーディネーターからのお知らせです。\n\n{message}"


DESK_SIGN_IN_LINK = (
    "コーディネーターのデスクに入るためのリンクです。15分のあいだ、1回だけ使えます。\n{url}\n"
    "心当たりがなければ、開かずにこのメッセージを消してください。"
)
