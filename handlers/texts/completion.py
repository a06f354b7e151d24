"""The check-in, 完了, the お礼 and the time given (handlers/completion.py)."""

from __future__ import annotations

CHECKIN_DONE = "完了した"
CHECKIN_NOT_YET = "まだ"
CHECKIN_NO_SHOW = "来なかった"
CHECKIN_NONE = "今、確認する依頼はありません。"
CHECKIN_CHOOSE = "どの依頼のことですか？\n下から選んでください。"
CHECKIN_LATER = "わかりました。\nまた、あとでうかがいます。"
NO_SHOW_TOO_EARLY = (
    "まだ約束の日時の前です。\n来なかったときは、約束の日時のあとで、教えてください。\n"
    "サポーターへの連絡は「メッセージを送る」でできます。"
)

DONE_RESIDENT = "完了ですね。ありがとうございました！\n{name}さんに、お礼を伝えませんか？"
DONE_SUPPORTER = (
    "【{category}】のお手伝いが完了しました。\n本当にありがとうございました！\nかかった時間を教えてください。"
)
THANKS_QUICK = "ありがとうを送る"
THANKS_WRITE = "自分で書く"
THANKS_SKIP = "送らない"
THANKS_PRESET = "ありがとうございました。とても助かりました。"
THANKS_PROMPT = "お礼のことばを書いて送ってください。\nスタンプでも大丈夫です。"
THANKS_FORWARD = "依頼した{name}さんから、お礼が届きました。\n「{text}」"
THANKS_FORWARD_STICKER = "依頼した{name}さんから、お礼のスタンプが届きました。"
THANKS_SENT = "{name}さんに、お礼を伝えました。\nまた困ったときは、いつでも送ってください。"
THANKS_SKIPPED = "わかりました。\nまた困ったときは、いつでも送ってください。"
THANKS_TOO_LATE = "ごめんなさい。この依頼のお礼は、もう送れません。"
THANKS_ALREADY = "お礼は、もう{name}さんに伝えてあります。\nまた困ったときは、いつでも送ってください。"
DURATION_CHOICES = ((15, "15分"), (30, "30分"), (45, "45分"), (60, "1時間"), (90, "1時間半"), (120, "2時間"))
DURATION_MORE = (180, "3時間")
HOURS_RECORDED = (
    "{duration}を記録しました。ありがとうございます！\nこれまでのお手伝い：合計{total}（{credits}ポイント）"
)
HOURS_RECORDED_PLAIN = "{duration}を記録しました。ありがとうございます！"
HOURS_NOT_YOURS = "ごめんなさい。この依頼の時間は記録できません。"

NO_SHOW_RESIDENT = "ご迷惑をおかけして、ごめんなさい。\nもう一度、サポーターをさがします。"
NO_SHOW_SUPPORTER = (
    "【{category}】の依頼について、依頼した方から「来なかった」と連絡がありました。\n"
    "この依頼は、ほかの方にお願いします。\n"
    "何かあれば、コーディネーターに連絡してください。"
)
NO_SHOW_COORDINATOR = (
    "【確認】依頼番号{id}（{category}・{area}）：依頼した方から"
    "「サポーターの{name}さんが来なかった」と連絡がありました。もう一度さがしています。"
)
NO_SHOW_COORDINATOR_NOBODY = (
    "【要対応】依頼番号{id}（{category}・{area}）：依頼した方から"
    "「サポーターの{name}さんが来なかった」と連絡がありました。ほかに合うサポーターがいません。"
)


def duration_text(minutes: int) -> str:
    """90 → 1時間30分, 45 → 45分."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}時間{rest}分"
    return f"{hours}時間" if hours else f"{rest}分"


CHECKIN_UNCLEAR = (
    "ごめんなさい。よく分かりませんでした。\nお手伝いは、どうでしたか？ 下のボタンで教えてください。"
)
