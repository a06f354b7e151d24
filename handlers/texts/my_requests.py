"""自分の依頼: a resident's requests, and cancelling one (handlers/my_requests.py)."""

from __future__ import annotations

# --- My requests --------------------------------------------------------------------------------
MY_NONE = "今、出している依頼はありません。"
MY_HEADER = "出している依頼です。"
MY_STATUS_LABEL = "状態"
MY_STATUS = {"open": "さがしています", "matched": "サポーターが決まりました"}
MY_CANCEL = "取り消す"
MY_CANCEL_DISPLAY = "この依頼を取り消します"
MY_CANCELLED = "依頼を取り消しました。"
MY_NOT_YOURS = "ごめんなさい。その依頼は取り消せません。"
