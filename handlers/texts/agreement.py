"""The scheme's rules and confidentiality, agreed to at registration and accept (handlers/agreement.py)."""

from __future__ import annotations

# --- Agreement: the scheme's rules and confidentiality (organisation-editable, versioned) ----------
AGREEMENT_DEFAULT = (
    "【活動のきまり】\n"
    "1. 依頼した方のお名前・住所・暮らしのことは、ほかの人に話しません（守秘義務）。"
    "活動をやめたあとも同じです。\n"
    "2. お金・通帳・カードはあずかりません。お金の貸し借りもしません。\n"
    "3. 医療のこと、入浴やトイレの介助、高い所の作業はしません。\n"
    "4. お礼のお金や品物は受け取りません。\n"
    "5. 約束の日時を守ります。行けないときは、早めに連絡します。\n"
    "6. 困ったとき、危ないと思ったときは、コーディネーターに相談します。"
)
AGREEMENT_ASK = "上の「活動のきまり」を読んで、守っていただけるときは「同意する」を押してください。"
AGREEMENT_ASK_AGAIN = (
    "引き受ける前に、上の「活動のきまり」を読んでください。\n"
    "守っていただけるときは「同意して引き受ける」を押してください。"
)
AGREEMENT_YES = "同意する"
# Words typed at 同意する that neither agree nor stop: the rules are not sent a second time.
AGREEMENT_HINT = (
    "きまりを守っていただけるときは「同意する」を押してください。\n"
    "登録しないときは「やめる」を押してください。"
)
AGREEMENT_YES_AND_ACCEPT = "同意して引き受ける"
AGREEMENT_CHANGED = "「活動のきまり」が、さらに新しくなりました。\nもう一度、読んでください。"
