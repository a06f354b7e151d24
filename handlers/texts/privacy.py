"""登録情報, 退会, problems with a visit, and abuse limits (handlers/privacy.py)."""

from __future__ import annotations

# --- Privacy: 登録情報, 退会, and problems with a visit --------------------------------------------
MENU_MY_DATA = "登録情報"
MENU_LEAVE = "退会"
MENU_REPORT = "困ったことを報告"
HELP_PRIVACY = (
    "・「登録情報」で、記録している情報を見られます。\n"
    "・「退会」で、記録している情報をすべて消せます。\n"
    "・お手伝いで困ったことは「困ったことを報告」で、コーディネーターに伝えられます。"
)
PRIVACY_LINK = "お預かりする情報について：{url}"

MY_DATA_HEAD = "「お互いさま」が記録している、あなたの情報です。"
MY_DATA_NAME = "・お名前：{name}（LINEの名前）"
MY_DATA_ROLES = "・使い方：{roles}"
ROLE_RESIDENT = "依頼する人"
ROLE_SUPPORTER = "サポーター"
ROLE_COORDINATOR = "コーディネーター"
ROLE_PAUSED = "（お休み中）"
MY_DATA_HOME = "・サポーターの場所：{area}のあたり（{radius}km以内）"
MY_DATA_SKILLS = "・できること：{skills}"
MY_DATA_REQUESTS = "・依頼：今{active}件、これまで{past}件"
MY_DATA_REQUEST_LINE = "　{date} {category}（{status}）"
MY_DATA_ACCEPTED = "・引き受けた依頼：{count}件"
MY_DATA_OFFERS = "・やってみたい：{count}件"
MY_DATA_OFFER_LINE = "　「{text}」"
MY_DATA_CREDITS = "・お手伝いの時間：した時間 {given}、してもらった時間 {received}"
MY_DATA_STATUS = {
    "open": "さがしています",
    "matched": "サポーターが決まりました",
    "done": "終わりました",
    "cancelled": "取り消しました",
    "expired": "見つかりませんでした",
}
MY_DATA_KEEP = (
    "記録の期間：\n"
    "・依頼の文章と場所は、依頼が終わってから{anonymise_days}日で消します。\n"
    "・相手と送り合ったメッセージは、7日で消します。\n"
    "・友だちをやめると、{erase_days}日後に、すべて消します。\n"
    "消してほしいときは「退会」を送ってください。"
)

LEAVE_CONFIRM = (
    "退会すると、お名前・場所・依頼の文章・メッセージなど、記録している情報をすべて消します。\n"
    "元には戻せません。"
)
LEAVE_CONFIRM_REQUESTS = "・出している依頼{count}件は、取り消します。サポーターにはお知らせします。"
LEAVE_CONFIRM_ACCEPTED = (
    "・引き受けている依頼{count}件は、ほかのサポーターをさがします。依頼した方にはお知らせします。"
)
LEAVE_CONFIRM_QUESTION = "本当に退会しますか？"
LEAVE_YES = "退会する"
LEAVE_NO = "退会しない"
LEAVE_KEPT = "わかりました。退会はしません。\nこれからも、よろしくお願いします。"
LEFT = (
    "退会しました。\n記録していた情報は、すべて消しました。\n"
    "これまで、ありがとうございました。\nまた使うときは、いつでもメッセージを送ってください。"
)
# To the other side of a request when someone leaves: never their name (it is being erased).
REQUESTER_ERASED = "【{category}】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
SUPPORTER_ERASED = (
    "引き受けていたサポーターが、都合でやめることになりました。\n【{category}】の依頼を、もう一度さがします。"
)

REPORT_CHOOSE = "どの依頼のことですか？\n下から選んでください。"
REPORT_NONE = (
    "報告できる依頼が見つかりませんでした。\n"
    "お手伝いの前後に困ったことがあれば、コーディネーターに直接ご連絡ください。"
)
REPORT_SENT = (
    "コーディネーターに伝えました。\n担当の人から、連絡することがあります。\n相手の方には、伝えていません。"
)
REPORT_DECLINE_HINT = "この方からの依頼を、もう受けたくないときは、下のボタンを押してください。"
COORDINATOR_REPORT = (
    "【要対応】依頼番号{id}（{category}・{area}・{when}）について、{side}から「困ったこと」の報告がありました。\n"
    "依頼した方：{resident}さん\nサポーター：{supporter}さん\n話を聞いてください。"
)
REPORT_SIDE_RESIDENT = "依頼した方"
REPORT_SIDE_SUPPORTER = "サポーター"
BLOCK_RESIDENT = "依頼した方をブロック"
BLOCK_SUPPORTER = "サポーターをブロック"
UNBLOCK = "ブロックを解除"
BLOCKED_BY_COORDINATOR = (
    "{name}さんをブロックしました。\n"
    "この方には決まった返事だけが届き、依頼のお知らせも届きません。\n戻すときは「ブロックを解除」を押してください。"
)
UNBLOCKED_BY_COORDINATOR = "{name}さんのブロックを解除しました。"
DECLINE_BUTTON = "この方からの依頼はもう受けない"
DECLINE_CHOOSE = "どの依頼の方ですか？\n下から選んでください。"
DECLINE_NONE = "引き受けた依頼が見つかりませんでした。"
DECLINE_DONE = (
    "わかりました。この方からの依頼は、もうお知らせしません。\nこのことは、相手の方には伝わりません。"
)

# --- Abuse limits -------------------------------------------------------------------------------
REQUEST_LIMIT = (
    "ごめんなさい。1日に出せる依頼は{limit}件までです。\n"
    "また明日、送ってください。\n急ぐときは、コーディネーターにご連絡ください。"
)
RELAY_LIMIT = (
    "ごめんなさい。短い時間に、たくさんのメッセージが届きました。\n"
    "1分ほど待ってから、もう一度送ってください。\nこのメッセージは送っていません。"
)
