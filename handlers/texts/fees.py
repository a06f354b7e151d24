"""Fees and tickets, OTAGAI_FEES=on (handlers/fees.py)."""

from __future__ import annotations

# --- Fees and tickets (OTAGAI_FEES=on) --------------------------------------------------------------
CARD_FEE = "利用料"
FEE_ESTIMATE = "1時間{hourly}（交通費・材料費は実費）"
FEE_ESTIMATE_NIGHT = "1時間{hourly}、夜・休日は{night}（交通費・材料費は実費）"
FEE_ASK_EXTRAS = (
    "交通費や材料費はかかりましたか？\n"
    "かかったときは「交通費300円 材料費480円」のように送ってください。\nなければ「なし」を押してください。"
)
FEE_NO_EXTRAS = "なし"
# 「いくらかかりますか」 typed mid-step (handlers/fees.py cost_answer): with fees off, and with fees on.
COST_FREE = (
    "お金はかかりません。\n近所のサポーターが、助け合いでお手伝いします。お礼のお金や品物もいりません。"
)
COST_FEES = "利用料は、{estimate}です。\n依頼する前の確認の画面にも、書いてあります。"
FEE_EXTRAS_UNCLEAR = "ごめんなさい。金額が分かりませんでした。\n「交通費300円」のように送ってください。"
FEE_ALREADY = "この依頼の利用料は、もう記録しています。"
FEE_RECORDED_SUPPORTER = "利用料{total}を記録しました（{share}をお支払いします）。\nありがとうございました！"
FEE_PART_LABOUR = "お手伝い{duration} {amount}"
FEE_PART_TRAVEL = "交通費 {amount}"
FEE_PART_MATERIALS = "材料費 {amount}"
FEE_RESIDENT = "【{category}】{name}さんのお手伝いの利用料は、{total}です。\n（{breakdown}）"
FEE_BALANCE_LEFT = "利用券から支払いました。利用券の残りは{left}です。"
FEE_BALANCE_SHORT = "利用券が{short}足りません。コーディネーターから連絡しますので、お待ちください。"
FEE_CANCEL_NOTE = "当日のお取り消しは、1時間分の利用料（{amount}）がかかります。"
FEE_CANCEL_CHARGED = "当日のお取り消しのため、1時間分の利用料{amount}をいただきました。"
FEE_ABSENT_RESIDENT = (
    "【{category}】のお約束の時間に、お留守だったと連絡がありました。\n"
    "ご予約（{duration}）の利用料{amount}をいただきました。"
)

SUP_QUIT = "サポーターをやめる"
SUP_QUIT_CONFIRM = "サポーターを、やめますか？\nこれからは、お手伝いのお知らせが届かなくなります。"
SUP_QUIT_HELD = "\n引き受けている依頼（{count}件）は、ほかの方にお願いします。"
SUP_QUIT_YES = "やめる"
SUP_QUIT_NO = "続ける"
SUP_QUIT_DONE = (
    "サポーターをやめました。\nこれまで、本当にありがとうございました。\n"
    "また「サポーターになる」から、いつでも登録できます。"
)
SUP_QUIT_KEPT = "わかりました。これからも、よろしくお願いします。"
LABEL_SKILLS = "できること"
LABEL_PLACE = "場所"
LABEL_RADIUS = "距離"
YEN = "{amount:,}円"
