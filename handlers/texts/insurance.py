"""Volunteer insurance, OTAGAI_INSURANCE=on (handlers/insurance.py)."""

from __future__ import annotations

# --- Volunteer insurance (OTAGAI_INSURANCE=on) ----------------------------------------------------
INSURANCE_LAPSED = (
    "ごめんなさい。ボランティア保険の手続きが、まだ確認できていません。\n"
    "保険に入っていないと、活動中のけがや事故が補償されないため、今は引き受けられません。\n"
    "コーディネーターにお知らせしたので、連絡をお待ちください。"
)
COORDINATOR_INSURANCE_LAPSED = (
    "【要対応】{name}さんが依頼 #{id}（{category}）を引き受けようとしましたが、"
    "ボランティア保険が確認できないため、お断りしました。\n保険の手続きを確認してください。"
)
INSURANCE_RENEWAL = (
    "{name}さん、ボランティア保険は3月31日で切れます。\n"
    "4月からも活動していただけるときは、更新の手続きをお願いします。\n"
    "分からないことは、コーディネーターにご相談ください。"
)
# The insurer's list: a いつでも visit is dated by its accept.
VISIT_ANYTIME = "いつでも（{date} 引受）"
