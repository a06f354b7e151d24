"""Help the community's places need: shifts, sign-up and reminders (handlers/shifts.py)."""

from __future__ import annotations

SHIFTS_NONE = "いま募集しているお手伝いは、ありません。\nまた見てみてください。"
SHIFTS_LEAD = "場所からの、お手伝いの募集です。\n「参加する」を押すと、申し込めます。"
SHIFTS_ALT = "お手伝いの募集：{names}"
SHIFT_ROLE = "内容"
SHIFT_WHEN = "日時"
SHIFT_LEFT = "あと"
SHIFT_LEFT_VALUE = "{n}人"
SHIFT_JOIN = "参加する"
SHIFT_CANCEL = "参加をやめる"
SHIFT_JOINED = (
    "ありがとうございます！\n{place}の「{role}」に申し込みました。\n日時：{when}\n"
    "行けなくなったら「参加をやめる」を押してください。"
)
SHIFT_FULL = "ごめんなさい。この募集は、もういっぱいになりました。"
SHIFT_ALREADY = "もう申し込んでいます。ありがとうございます！"
SHIFT_OVER = "ごめんなさい。この募集は、もう終わりました。"
SHIFT_LEFT_DONE = "{place}の「{role}」を、取り消しました。"
SHIFT_NOT_JOINED = "この募集には、申し込んでいません。"
SHIFT_REMINDER = (
    "【あしたのお手伝い】\n{place}の「{role}」\n日時：{when}\nよろしくお願いします！\n"
    "行けなくなったら「参加をやめる」を押してください。"
)
SHIFT_SHORT = "【要対応】{place}の「{role}」（{when}）が、まだ足りません：{taken}/{needed}人。"
SHIFT_TIME = "{month}月{day}日（{weekday}） {start}〜{end}"

SHIFT_INVITE_TITLE = "お手伝いのお誘い"
SHIFT_PLACE = "場所"
SHIFT_DISTANCE = "距離"
SHIFT_INVITE_NOTE = "近くで、この手伝いができそうな方にお送りしています。むりのない範囲で、どうぞ。"
SHIFT_INVITE_ALT = "お手伝いのお誘い：{place}の「{role}」 {when}"
SHIFT_PASS = "見送る"
SHIFT_PASSED = "わかりました。今回は見送ります。\nまたお願いします。"
SHIFT_COMING = "来る人"
SHIFT_NOBODY_YET = "まだいません"
