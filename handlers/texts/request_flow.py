"""The 困りごと steps (category, place, when, confirm) and the words typed at each (request_flow.py)."""

from __future__ import annotations

# --- Request (困りごと) flow ----------------------------------------------------------------------
REQUEST_PROMPT = "困りごとを、そのまま書いて送ってください。\n例：「電球が切れて替えられない」"
REQUEST_UNDERSTOOD = "「{text}」ですね。\n【{category}】のお手伝いをさがします。"
REQUEST_ASK_CATEGORY = "「{text}」ですね。\nどんなお手伝いですか？ 下から選んでください。"
REQUEST_ASK_PLACE = (
    "どこで手伝ってほしいですか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
)
REQUEST_ASK_PLACE_AGAIN = (
    "場所がうまく分かりませんでした。\n「位置情報を送る」を押して、もう一度送ってください。"
)
# A location sent after the place step (at the time step, or at the card): kept as the place.
PLACE_RECEIVED = "場所を受け取りました。"
REQUEST_PLACE_UNREADABLE = "場所がうまく分かりませんでした。\n今の場所のまま、続けます。"
REQUEST_ASK_WHEN = "いつ手伝ってほしいですか？"
REQUEST_WHEN_PAST = "その日時は、もう過ぎています。\nこれからの日時を選んでください。"
REQUEST_CONFIRM_TITLE = "この内容で依頼しますか？"
REQUEST_SENT = (
    "依頼しました。\n近くのサポーター{count}人に、お知らせしました。\n"
    "引き受ける人が決まったら、お知らせします。"
)
REQUEST_SENT_NIGHT = (
    "依頼を受け付けました。\n夜なので、近くのサポーター{count}人には、{time}ごろにお知らせします。\n"
    "引き受ける人が決まったら、お知らせします。"
)
REQUEST_NO_SUPPORTER = (
    "依頼を受け付けました。\n今は、近くに合うサポーターが見つかりませんでした。\n"
    "コーディネーターに伝えました。決まったら、お知らせします。"
)
REQUEST_ALREADY_SENT = "この依頼は、もう受け付けています。\n「自分の依頼」で見られます。"
# 「ちょっとまって」「あとでまた連絡します」 at any step: the draft is kept (until the flow's idle limit).
REQUEST_KEPT_FOR_LATER = (
    "わかりました。ゆっくりで大丈夫です。\nここまでの内容は、{until}まで、とっておきます。\n"
    "続けるときは、下のボタンを押すか、答えを書いて送ってください。"
)
# 「それはなんですか」「どうすればいいの」 asked back at a step: what it asks for, then the step's question.
EXPLAIN_PLACE = (
    "手伝いに来てほしい場所を、うかがっています。\n"
    "ご自宅なら、町の名前か郵便番号を書くだけで大丈夫です。\n例：「世田谷区太子堂」「154-0004」"
)
EXPLAIN_WHEN = (
    "来てほしい日と時間を、うかがっています。\n"
    "例：「あした10時」「あさっての午後」\n決まっていなければ「いつでも」と書いてください。"
)
EXPLAIN_WHEN_HOUR = "来てほしい時間を、うかがっています。\n例：「10時」「午後」"
EXPLAIN_CONFIRM = (
    "この内容で、近所のサポーターにお知らせしてよいか、うかがっています。\n"
    "よければ「はい」と書くか、「依頼する」を押してください。"
)
EXPLAIN_CATEGORY = "どんなお手伝いがほしいか、うかがっています。\nいちばん近いものを、下から選んでください。"
EXPLAIN_DETAIL = "サポーターに伝えたいことを、うかがっています。\nなければ「やめる」を押してください。"
REQUEST_STEP_HINT = "続けるときは、下のボタンを押してください。\nやめるときは「やめる」を押してください。"
ANYTIME = "いつでも"
PICK_DATETIME = "日時をえらぶ"
SEND_LOCATION = "位置情報を送る"
USE_HOME = "登録した場所"
NO_LOCATION = "場所を送れない"
REQUEST_PLACE_BY_COORDINATOR = (
    "依頼を受け付けました。\n場所をたしかめるため、コーディネーターから連絡します。"
)
PRIVACY_NOTE = "お名前や住所・電話番号は、引き受けた方にだけお伝えします。"
CONFIRM_YES = "依頼する"
CANCEL = "やめる"
NEXT = "次へ"

# --- Words instead of taps (issue 10): times, places, changes at the confirmation card ---------------
REQUEST_TYPE_PLACE = "町の名前か、郵便番号を書いて送ってください。\n例：「世田谷区太子堂」「154-0004」"
PLACE_FOUND = "{place}のあたりですね。"
PLACE_FOUND_CITY = (
    "{place}のあたりとして探します。\n近くの駅や目印は、確認の画面の「書き足す」で伝えられます。"
)
PLACE_NOT_FOUND = (
    "場所が分かりませんでした。\n「世田谷区太子堂」のように町の名前か、郵便番号を書いてください。"
)
# A town name several places share (太子堂, 自由が丘), typed with no place saved: what was written is kept,
# and the 区 or 市 alone is enough as the answer.
PLACE_SAME_NAME = (
    "「{name}」という町は、いくつかの場所にあります。\n"
    "どこの区か市か、教えてください。\n例：「{example}の{name}」"
)
PLACE_FOR_COORDINATOR = "「{place}」ですね。\nくわしい場所は、コーディネーターが確認します。"
# 「うちの近所」 with no home saved yet: the area is asked for kindly, with the location button below.
# The time answered at the place step (「あしたの10時にきてほしい」): kept, then the place asked again.
PLACE_STEP_WHEN_KEPT = "日時は「{when}」ですね。"
PLACE_STEP_DAY_KEPT = "日にちは「{day}」ですね。時間は、場所のあとでうかがいます。"
PLACE_NO_HOME = (
    "お住まいの場所が、まだ分かりません。\n"
    "町の名前か郵便番号を書くか、「位置情報を送る」を押してください。\n例：「世田谷区太子堂」「154-0004」"
)
WHEN_HINT = "「あした10時」「あさっての午後」「いつでも」のように書くか、下のボタンを押してください。"
WHEN_ASK_TIME = "{day}ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。"
WHEN_SHOWN = "{when}ですね。"
# Only another day said at the card (「やっぱりあさってにして」): the hour already said is kept.
WHEN_DAY_CHANGED = "{when}に変えました。"
# 「なるべく早めに」: read as いつでも, the wish kept in the request's text for the supporter.
WHEN_SOON_SAID = (
    "早めがいいのですね。\n日時は決めずに、早めに行ける人をさがします。\n"
    "「早めを希望」と、依頼に書いておきます。"
)
WHEN_SOON_NOTE = "（できるだけ早めを希望）"
# 「あしたでもあさってでもええ」: the earliest day is asked about, the others kept for the supporter.
WHEN_ALSO_DAYS_SAID = "{days}でもよいことも、依頼に書いておきます。"
WHEN_ALSO_DAYS_NOTE = "（{days}でも可）"
WHEN_MORNING = "午前"
WHEN_AFTERNOON = "午後"
WHEN_EVENING = "夕方"
CONFIRM_HINT = "よければ「依頼する」、直すときは「日時を変える」「場所を変える」を押してください。"
CONFIRM_WHAT_TO_CHANGE = "どこを直しますか？ 下から選んでください。"
CHANGE_WHEN = "日時を変える"
CHANGE_PLACE = "場所を変える"
ADD_DETAIL = "書き足す"
ASK_DETAIL = "付け足すことを書いて送ってください。\n例：「脚立はうちにあります」"
DETAIL_ADDED = "書き足しました。"
CHANGED = "変えました。"
CARD_KINDS_NOTE = "{count}件の依頼として出します。"
REQUEST_ALSO_SENT = "【{category}】の依頼も出しました。"
# Another need written mid-step (「あと庭の草むしりもお願いしたい」): kept, then the step again.
REQUEST_ALSO_KEPT = "【{category}】のお手伝いも、いっしょに依頼します。"
# Typed mid-step, not the step's answer: never lost (the same kind is written in; another kind is asked).
REQUEST_NOTE_KEPT = "「{text}」も、依頼の内容に書き足しました。"
REQUEST_ALSO_ASK = (
    "「{text}」ですね。\n【{category}】のお手伝いも、いっしょに依頼しますか？\n"
    "今の依頼に書き足すだけなら「書き足す」を押してください。"
)
REQUEST_ALSO_YES = "いっしょに依頼する"
REQUEST_ALSO_NOTE = "書き足す"
REQUEST_TWO_NEEDS = "「{text}」ですね。\n【{categories}】の{count}つのお手伝いをさがします。"
PLACE_STEP_HINT = "「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
CATEGORY_STEP_HINT = "どんなお手伝いか、下から選ぶか、もう少しくわしく書いてください。"
DETAIL_STEP_HINT = "付け足すことを、文字で書いて送ってください。"
