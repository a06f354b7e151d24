"""顔合わせ: a coordinator goes along on a first visit (handlers/first_visit.py)."""

from __future__ import annotations

# --- 顔合わせ: a coordinator goes along on a first visit -------------------------------------------------
SOMEONE_COORDINATOR = "コーディネーター"
FIRST_VISIT_NOBODY_YET = "まだ決まっていません（決まったらお知らせします）"
FIRST_VISIT_COORDINATOR = (
    "【顔合わせ】依頼 #{id}（{category}）に同行します。\n依頼した方：{resident}\n場所：{place}\n"
    "日時：{when}\nサポーター：{supporter}\nリマインドとメッセージは、あなたにも届きます。"
)
FIRST_VISIT_SUPPORTER = (
    "【{category}】のお手伝いは、はじめての訪問なので、コーディネーターの{name}さんも一緒に伺います。"
)
FIRST_VISIT_ACCEPTED = "【顔合わせ】依頼 #{id}（{category}）は、{name}さんが引き受けました。\n日時：{when}"
