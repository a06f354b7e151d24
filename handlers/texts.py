"""All user-facing Japanese text (やさしい日本語), grouped by flow so wording is reviewed in one place."""

from __future__ import annotations

# --- Main menu and help -------------------------------------------------------------------------
MENU_REQUEST = "困りごとを相談"
MENU_OFFER = "やってみたい"
MENU_SUPPORTER = "サポーターになる"
MENU_HELP = "使い方"
MENU_MY_REQUESTS = "自分の依頼"
MENU_SUPPORTER_SETTINGS = "サポーター設定"
# The rich menu under the chat (bot/richmenu.py draws these words); its サポーター tile opens the
# settings of a supporter and the registration of anyone else.
RICH_MENU_SUPPORTER = "サポーター"
RICH_MENU_CHAT_BAR = "メニュー"

GREETING = (
    "{name}さん、はじめまして。「お互いさま」です。\n"
    "ちょっとした困りごとを、近くのサポーターにつなぎます。\n"
    "「電球が切れた」など、そのまま書いて送ってください。"
)
AWAY_CANCELLED = (
    "お休みの間に、出していた【{category}】の依頼は、取り消しました。\n必要なときは、もう一度送ってください。"
)
AWAY_GIVEN_BACK = "引き受けていた【{category}】の依頼は、ほかの方にお願いしました。"
GREETING_AGAIN = "{name}さん、おかえりなさい。\n困りごとは、そのまま書いて送ってください。"
GREETING_SUPPORTER = (
    "{name}さん、はじめまして。「お互いさま」です。\n"
    "サポーターとして登録されています。ありがとうございます。\n"
    "近くでお手伝いのお願いがあると、ここにお知らせが届きます。\n"
    "登録した内容は「サポーター設定」で見られます。"
)
GREETING_COORDINATOR = (
    "{name}さん、はじめまして。「お互いさま」です。\n"
    "コーディネーターとして登録されています。\n"
    "引き受け手が見つからない依頼などは、【要対応】としてここにお知らせします。\n"
    "「要対応の一覧」で、いつでも確認できます。"
)
HELP = (
    "使い方です。\n"
    "・困りごとは、そのまま書いて送ってください。\n"
    "　例：「電球が切れて替えられない」\n"
    "・「やってみたい」ことも教えてください。\n"
    "・手伝える方は「サポーターになる」を押してください。\n"
    "・サポーターの方は「引き受けた依頼」で、引き受けた依頼を見られます。\n"
    "・「自分の依頼」で、出した依頼を見られます。\n"
    "・「やめる」で、いつでも途中でやめられます。"
)
FALLBACK = (
    "ごめんなさい。よく分かりませんでした。\n困りごとは、文字で書いて送ってください。\n下のボタンも使えます。"
)
SMALL_TALK = "ご連絡ありがとうございます。\n困りごとがあれば、そのまま書いて送ってください。"
SMALL_TALK_MATCHED = (
    "ご連絡ありがとうございます。\n相手の方に伝えたいときは、「メッセージを送る」を押してから書いてください。"
)
FALLBACK_MEDIA = "送ってくださって、ありがとうございます。\nこのボットは、文字でのご相談を受け付けています。"
TOO_LONG_NOTE = "（長い文章は、はじめの部分だけ表示しています）"
ERROR_SORRY = "ごめんなさい。うまく受け付けられませんでした。\nもう一度、送ってください。"
BLOCKED = "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
GROUP_ONLY_ONE_TO_ONE = "「お互いさま」は、1対1のトークで使ってください。"
CANCELLED_FLOW = "わかりました。やめました。\nまた、いつでも送ってください。"
NOTHING_TO_CANCEL = "今、進めている手続きはありません。"
CANCEL_A_REQUEST_HINT = "出した依頼を取り消すときは、「自分の依頼」を押してください。"
STALE_CANCEL = "そのボタンは、前の手続きのものです。\n今の手続きは、そのまま続いています。"

# --- Safety -------------------------------------------------------------------------------------
# What to do now, one short line per kind of emergency (shown above the tap-to-call buttons).
EMERGENCY_HEAD = "【急いでください】"
EMERGENCY_DO_NOW = {
    "unconscious": "すぐに119に電話してください。電話の人が、手当ての仕方を教えてくれます。",
    "chest_pain": "すぐに119に電話してください。楽な姿勢で休ませてください。",
    "stroke": "すぐに119に電話してください。様子が変わった時刻を覚えておいてください。",
    "bleeding": "すぐに119に電話してください。きれいな布で、傷を強く押さえてください。",
    "fall": "すぐに119に電話してください。頭を打ったときは、無理に動かさないでください。",
    "choking": "すぐに119に電話してください。背中を強くたたいて、吐き出させてください。",
    "burn": "すぐに119に電話してください。水道の水で冷やし続けてください。",
    "fire": "すぐに逃げてください。外に出てから119に電話してください。",
    "gas": "窓を開けて、火や電気のスイッチにさわらないでください。外に出てから119かガス会社へ。",
    "crime": "安全な場所に逃げて、すぐに110に電話してください。",
    "missing": "すぐに110に電話してください。いなくなった時刻と服装を伝えてください。",
    "welfare_check": "110に電話するか、地域包括支援センターに連絡してください。",
    "suicide": (
        "ひとりで抱えないでください。話を聞いてくれる窓口があります。\n"
        "いのちの電話・よりそいホットラインに電話してください。危ないときは119へ。"
    ),
    "abuse": "危ないときは、すぐに110へ。子どものことは189、家族からの暴力は#8008に相談できます。",
    "uncertain": "命にかかわるときは、すぐに119（救急・火事）か110（事件）に電話してください。",
}
EMERGENCY_NOT_HERE = "このボットでは、急ぎの対応ができません。コーディネーターにもお知らせします。"
EMERGENCY_BUTTONS_TITLE = "押すと電話がかかります"
# Tap-to-call buttons (Flex labels: at most 40 characters).
CALL_119 = "119 救急・火事"
CALL_110 = "110 警察（事件・事故）"
CALL_7119 = "#7119 救急車を呼ぶか迷ったら"
CALL_9110 = "#9110 警察の相談（急ぎでない）"
CALL_188 = "188 消費者ホットライン"
CALL_189 = "189 子どもの虐待の相談"
CALL_8008 = "#8008 DV相談ナビ"
CALL_INOCHI = "いのちの電話 0570-783-556"
CALL_YORISOI = "よりそいホットライン（24時間）"
# Maybe urgent: the numbers at once, and one question.
MAYBE_URGENT = (
    "急ぎのときは、すぐに電話してください。\n"
    "・救急・火事：119\n"
    "・事件：110\n"
    "・救急車を呼ぶか迷ったら：#7119\n"
    "今すぐ命にかかわりますか？"
)
MAYBE_YES = "はい"
MAYBE_NO = "いいえ"
MAYBE_NOT_URGENT = "わかりました。困りごととして、おうかがいします。"
COORDINATOR_EMERGENCY = (
    "【緊急の可能性】{name}から：\n「{text}」\n（{kind}）119・110の案内を送りました。様子を確かめてください。"
)
EMERGENCY_KIND_LABELS = {
    "unconscious": "意識・呼吸",
    "chest_pain": "胸の痛み・息苦しさ",
    "stroke": "脳卒中の疑い",
    "bleeding": "出血",
    "fall": "転倒・けが",
    "choking": "のどに詰まった",
    "burn": "やけど",
    "fire": "火事・煙",
    "gas": "ガスのにおい",
    "crime": "事件・不審者",
    "missing": "行方不明",
    "welfare_check": "安否確認",
    "suicide": "死にたい気持ち",
    "abuse": "虐待・暴力",
    "uncertain": "急ぎかどうか確認中に「はい」",
}
# Harassment, stalking, fraud: a referral and a coordinator, not a refusal.
REFERRAL = (
    "つらい思いをされていますね。専門の窓口が力になってくれます。\n"
    "・今、危ないとき：110\n"
    "・警察の相談（急ぎでないとき）：#9110\n"
    "・だまされた、お金や契約のトラブル：188\n"
    "コーディネーターにもお知らせしました。連絡をお待ちください。"
)
DESK_REFUSAL = (
    "【お断りした相談】{name}から（{reason}）：\n「{text}」\n"
    "ボランティアではお受けできないと伝えました。必要なら連絡してください。"
)
COORDINATOR_REFERRAL = (
    "【相談】{name}から（嫌がらせ・詐欺などの相談）：\n「{text}」\n窓口を案内しました。連絡してください。"
)
NOT_ALLOWED = (
    "ごめんなさい。このご相談は、近所のサポーターではお手伝いできません。\n{reason}\n{next}\n"
    "「コーディネーターに相談」を押すと、コーディネーターから連絡します。"
)
NOT_ALLOWED_REASONS = {
    "medical": "お薬や注射、傷の手当てなどの医療は、サポーターはできない決まりです。",
    "money": "お金やカード・通帳をあずかる、お金の貸し借りは、サポーターはできない決まりです。",
    "bodily_care": "お風呂・トイレ・着替え・食事の介助は、専門の方にお願いしています。",
    "legal": "契約や相続、書類への署名・はんこは、ご本人やご家族、専門家が決めることです。",
    "licence": "電気・ガス・水道の工事は、資格のある業者でないとできません。",
    "height": "屋根やはしご、2階の外など高いところの作業は、危ないのでお受けできません。",
    "driving": "車での送り迎えは、事故のときの保険がないため、サポーターはできません。",
    "long_term": "毎日・長時間のお手伝いは、専門のサービスをご紹介します。",
}
NOT_ALLOWED_NEXT = {
    "medical": "かかりつけの病院・薬局か、訪問看護にご相談ください。薬の受け取りならお手伝いできます。",
    "money": (
        "社会福祉協議会の「日常生活自立支援事業」が相談に乗ります。\n買い物の付き添いならお手伝いできます。"
    ),
    "bodily_care": (
        "ケアマネジャーか地域包括支援センターにご相談ください。\nおむつなどの買い物ならお手伝いできます。"
    ),
    "legal": (
        "市役所の無料法律相談か、法テラス（0570-078374）にご相談ください。\n書類を読むお手伝いはできます。"
    ),
    "licence": "電気店・ガス会社・水道局の指定業者にご相談ください。",
    "height": "専門の業者か、シルバー人材センターにご相談ください。手の届く高さならお手伝いできます。",
    "driving": "介護タクシーや、市の福祉の送迎サービスがあります。歩いての付き添いならお手伝いできます。",
    "long_term": "ケアマネジャーか地域包括支援センターにご相談ください。1回ごとのお手伝いならできます。",
}
NOT_ALLOWED_DEFAULT_REASON = "安全のため、専門の方にお願いしています。"
NOT_ALLOWED_DEFAULT_NEXT = "コーディネーターにご相談ください。"
ASK_COORDINATOR = "コーディネーターに相談"
ASKED_COORDINATOR = "コーディネーターに伝えました。連絡をお待ちください。"
COORDINATOR_ASKED = "【相談】{name}が、コーディネーターとの相談を希望しています（{reason}）。"
SAFETY_NAME = "{name}さん"
SAFETY_NO_NAME = "お名前の分からない方"
NO_COORDINATOR = "今は連絡できるコーディネーターがいません。地域包括支援センターか市役所にご相談ください。"
HARMFUL = "ごめんなさい。そのご相談はお受けできません。"

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

# --- Supporter notification card ------------------------------------------------------------------
CARD_TITLE = "お手伝いのお願い"
CARD_ALT = "お手伝いのお願い：{category}（{area}）"
CARD_CATEGORY = "内容"
CARD_TEXT = "ご相談"
CARD_AREA = "場所"
CARD_DISTANCE = "距離"
CARD_WHEN = "日時"
CARD_NOTE = "引き受けると、くわしい場所をお知らせします。"
ACCEPT = "引き受ける"
PASS = "見送る"
ACCEPT_DISPLAY = "引き受けます"
PASS_DISPLAY = "今回は見送ります"

# --- Accept / pass ------------------------------------------------------------------------------
ACCEPTED_SUPPORTER = (
    "ありがとうございます！ 引き受けました。\n"
    "【{category}】{text}\n"
    "依頼した方：{name}さん\n"
    "日時：{when}\n"
    "場所：{address}"
)
ACCEPTED_RESIDENT = "{name}さんが、引き受けてくれました。\n【{category}】{text}\n日時：{when}"
TAKEN_BY_OTHER = "この依頼は、ほかの方が引き受けました。\nありがとうございました。またお願いします。"
ALREADY_YOURS = "この依頼は、もうあなたが引き受けています。"
NOT_OPEN = "この依頼は、もう受付が終わりました。\nありがとうございました。"
GAVE_BACK_CARD = (
    "この依頼は、お返しいただいたので、ほかの方にお願いしています。\n"
    "知らせてくださって、ありがとうございました。"
)
PASSED = "わかりました。今回は見送ります。\nまたお願いします。"
NOT_OFFERED = "ごめんなさい。このボタンは使えません。\nお知らせしたカードのボタンを使ってください。"
UNKNOWN_BUTTON = "ごめんなさい。このボタンは使えなくなりました。\nもう一度、メニューから選んでください。"
OLD_BUTTON_MID_FLOW = "そのボタンは、前のものです。\n今の手続きを、このまま続けます。"
WITHDRAWN_SUPPORTER = "【{category}】の依頼は、取り消されました。\nお知らせしたカードは使えません。"
CANCELLED_ACCEPTED_SUPPORTER = (
    "引き受けていただいた【{category}】の依頼は、取り消されました。\nありがとうございました。"
)

# --- My requests --------------------------------------------------------------------------------
MY_NONE = "今、出している依頼はありません。"
MY_HEADER = "出している依頼です。"
MY_STATUS_LABEL = "状態"
MY_STATUS = {"open": "さがしています", "matched": "サポーターが決まりました"}
MY_CANCEL = "取り消す"
MY_CANCEL_DISPLAY = "この依頼を取り消します"
MY_CANCELLED = "依頼を取り消しました。"
MY_NOT_YOURS = "ごめんなさい。その依頼は取り消せません。"

# --- Supporter registration ---------------------------------------------------------------------
SUP_ASK_SKILLS = "どんなことを手伝えますか？\n自由に書くか、下から選んでください。"
SUP_SKILLS_SO_FAR = (
    "今のところ：{skills}\nほかにもあれば、書くか選んでください。\n終わったら「次へ」を押してください。"
)
SUP_SKILLS_UNKNOWN = "ごめんなさい。分かりませんでした。\n下のボタンから選んでください。"
SUP_MORE_SKILLS = "ほかの種類"
SUP_SKILLS_EMPTY = "手伝えることを、ひとつ以上選んでください。"
SUP_ASK_PLACE = "どのあたりで手伝えますか？\n「位置情報を送る」を押して、場所を送ってください。"
SUP_ASK_RADIUS = "どのくらいの距離まで行けますか？"
SUP_CONFIRM_TITLE = "この内容で登録しますか？"
SUP_CONFIRM_YES = "登録する"
SUP_REGISTERED = (
    "サポーターに登録しました。ありがとうございます！\n近くで困りごとがあったら、お知らせします。"
)
SUP_SETTINGS = (
    "サポーターの登録内容です。\nできること：{skills}\n場所：{area}\n距離：{radius}km\n状態：{state}"
)
SUP_ALREADY_REGISTERED = "サポーターの登録は、もう済んでいます。\n「サポーター設定」で見られます。"
SUP_NOT_REGISTERED = "まだサポーターに登録していません。\n「サポーターになる」を押してください。"
SUP_STATE_ACTIVE = "受付中"
SUP_STATE_PAUSED = "お休み中"
SUP_CHANGE = "変更する"
SUP_PAUSE = "お休みする"
SUP_RESUME = "再開する"
SUP_PAUSED = "お休みにしました。\nお知らせは届きません。「再開する」で戻せます。"
SUP_RESUMED = "再開しました。\n近くで困りごとがあったら、お知らせします。"
SUP_STATE_APPLICANT = "確認中（コーディネーターから連絡します）"
SUP_PENDING = (
    "サポーターのお申し込みは、受け付けています。\n"
    "コーディネーターから、お話（面談）のご連絡をします。しばらくお待ちください。"
)

# --- Vetting: a coordinator meets each new supporter before they are asked (issue 12) ------------
SUP_APPLIED = (
    "お申し込みを受け付けました。ありがとうございます！\n"
    "このあと、コーディネーターから連絡して、お話（面談）をします。\n"
    "面談が終わったら、近くの困りごとをお知らせするようになります。"
)
SUP_APPLICATION_UPDATED = (
    "お申し込みの内容を変えました。\nコーディネーターからの連絡を、もうしばらくお待ちください。"
)
COORDINATOR_NEW_APPLICANT = (
    "【要対応】サポーターのお申し込みがありました。\n{name}さん（{area}）\nできること：{skills}\n"
    "面談や説明会のあと、承認してください（otagai supporters approve {name}）。"
)
SUP_APPROVED = (
    "{name}さん、サポーターの登録が完了しました。ありがとうございます！\n"
    "近くで困りごとがあったら、お知らせします。"
)
SUP_DECLINED = (
    "{name}さん、サポーターへのお申し込み、ありがとうございました。\n"
    "申し訳ありませんが、今回はサポーターとしてのご案内を見送らせていただきます。\n"
    "困りごとの相談は、これからもお使いいただけます。"
)

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
AGREEMENT_YES_AND_ACCEPT = "同意して引き受ける"
AGREEMENT_CHANGED = "「活動のきまり」が、さらに新しくなりました。\nもう一度、読んでください。"

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

# --- Fees and tickets (OTAGAI_FEES=on) --------------------------------------------------------------
CARD_FEE = "利用料"
FEE_ESTIMATE = "1時間{hourly}（交通費・材料費は実費）"
FEE_ESTIMATE_NIGHT = "1時間{hourly}、夜・休日は{night}（交通費・材料費は実費）"
FEE_ASK_EXTRAS = (
    "交通費や材料費はかかりましたか？\n"
    "かかったときは「交通費300円 材料費480円」のように送ってください。\nなければ「なし」を押してください。"
)
FEE_NO_EXTRAS = "なし"
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

# --- やってみたい offers --------------------------------------------------------------------------
OFFER_PROMPT = (
    "どんなことを、やってみたいですか？\n自由に書いて送ってください。\n例：「子ども食堂を手伝ってみたい」"
)
OFFER_SAVED = "「{text}」ですね。すてきです！\n記録しました。"
OFFER_REQUESTS_NEAR = "近くに、こんな困りごとがあります："
OFFER_SIMILAR = "同じことをやってみたい人がいます："
OFFER_NONE_YET = (
    "今は、近くに合う困りごとはありません。\n見つかったら、お知らせできるように、サポーター登録もできます。"
)
OFFER_BECOME_SUPPORTER = "サポーター登録"
OFFER_TAKE = "{category}を引き受ける"
OFFER_UNKNOWN = "どんなお手伝いに近いか、コーディネーターが確認します。"

# --- Unfollow -----------------------------------------------------------------------------------
REQUESTER_LEFT = "【{category}】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
SUPPORTER_LEFT = "{name}さんは、サポーターをやめました。\n【{category}】の依頼を、もう一度さがします。"

# --- Coordinators ------------------------------------------------------------------------------
COORDINATOR_NO_PLACE = (
    "【要対応】依頼番号{id}（{category}・{area}）は、位置情報がありません。場所を確認してください。"
)
COORDINATOR_UNMATCHED = "【要対応】依頼番号{id}（{category}・{area}）に、合うサポーターがいません。"
# The desk in LINE, for coordinators (staff): what waits for a person, and taking one in hand.
DESK_BUTTON = "要対応の一覧"
DESK_EMPTY = "今、要対応の依頼はありません。"
DESK_HEAD = "要対応の依頼です（古い順）。\n下のボタンで、対応する依頼を選んでください。\n\n"
DESK_MORE = "\n\nほかにもあります。ひとつ対応したあと、もう一度「要対応の一覧」を送ってください。"
DESK_ENTRY = "依頼番号{id}【{category}】{area}\n日時：{when}\n{state}"
DESK_STATE_NOBODY = "合うサポーターがいません。"
DESK_STATE_OPEN = "{asked}人にお知らせしましたが、まだ誰も引き受けていません。"
DESK_STATE_NO_SHOW = "サポーターが来なかった、と連絡がありました。"
DESK_STATE_MATCHED = "{name}さんが引き受けました。依頼した方から、終わったかどうかの返事がありません。"
DESK_TAKE = "{id}番を対応する"
DESK_TAKE_SAID = "依頼番号{id}を対応します"
DESK_TAKEN = (
    "依頼番号{id}を、あなたの対応にしました。一覧からは消えます。\n\n"
    "【{category}】{text}\n依頼した方：{name}さん\n場所：{place}\n日時：{when}\n{state}"
)
DESK_ALREADY = "依頼番号{id}は、ほかのコーディネーターが対応しています。"
DESK_CLOSED = "依頼番号{id}は、もう終わっています。"

# --- Values -------------------------------------------------------------------------------------
UNKNOWN_AREA = "近く"
UNKNOWN_CATEGORY = "その他"
WHEN_ANYTIME = "いつでも"
WEEKDAYS = "月火水木金土日"
DISTANCE_BANDS = ((1.0, "1km以内"), (3.0, "3km以内"), (5.0, "5km以内"), (10.0, "10km以内"))
DISTANCE_FAR = "10km以上"


def distance_band(km: float) -> str:
    """A coarse distance, so one card can go to several supporters as a single multicast."""
    for limit, label in DISTANCE_BANDS:
        if km <= limit:
            return label
    return DISTANCE_FAR


# --- Follow-ups: reminders, check-in, completion, relay, cancellation (issue 4) --------------------
MENU_ACCEPTED = "引き受けた依頼"
RELAY_BUTTON = "メッセージを送る"
DROP_BUTTON = "行けなくなった"

REMIND_EVE = (
    "{day} {time}から、【{category}】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所や内容は「引き受けた依頼」で見られます。"
)
REMIND_HOUR = (
    "まもなく（{time}から）、【{category}】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所は「引き受けた依頼」で見られます。"
)

CHECKIN = "【{category}】のお手伝いは、どうでしたか？\n下のボタンで教えてください。"
CHECKIN_AGAIN = (
    "もう一度、うかがいます。\n【{category}】のお手伝いは、どうでしたか？\n"
    "お時間のあるときに、下のボタンで教えてください。"
)
CHECKIN_UNANSWERED_COORDINATOR = (
    "【要対応】依頼番号{id}（{category}・{area}・{when}）：サポーターの{name}さんが引き受けましたが、"
    "依頼した方から、終わったかどうかの返事がありません。まだ完了にはしていません。"
    "依頼した方に確認してください。"
)
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
REOPEN_ANYTIME_NOTE = "日時は「いつでも」にしました。くわしい日時は、次に引き受けた人と相談してください。"
REOPEN_SEARCHING = "近くのサポーター{count}人に、お知らせしました。\n決まったら、お知らせします。"
REOPEN_NOBODY = "今は、近くに合うサポーターが見つかりませんでした。\nコーディネーターに伝えました。"

DROP_CONFIRM = (
    "【{category}】（{when}）の引き受けを、やめますか？\n依頼した方に伝えて、ほかのサポーターをさがします。"
)
DROP_YES = "引き受けをやめる"
DROP_NO = "続ける"
DROP_DONE = "わかりました。依頼した方に伝えました。\n知らせてくださって、ありがとうございます。"
DROP_KEPT = "わかりました。引き続き、よろしくお願いします。"
DROP_RESIDENT = "{name}さんが、都合で行けなくなりました。\nごめんなさい。もう一度、サポーターをさがします。"
DROP_CHOOSE = "どの依頼の引き受けを、やめますか？"
DROP_NOT_YOURS = "ごめんなさい。この依頼は、今あなたが引き受けている依頼ではありません。"

ACCEPTED_HEADER = "引き受けている依頼です。"
ACCEPTED_NONE = "今、引き受けている依頼はありません。"
CARD_RESIDENT = "依頼した方"
CARD_PLACE = "場所"

ESCALATED_RESIDENT = (
    "【{category}】の依頼は、まだ引き受ける人が見つかっていません。\n"
    "ごめんなさい。コーディネーターに伝えました。\n"
    "コーディネーターから、ご連絡することがあります。"
)
EXPIRED_RESIDENT = (
    "【{category}】の依頼は、日時が過ぎたので、受付を終わりました。\n"
    "引き受ける人が見つからず、ごめんなさい。\n"
    "また困ったときは、いつでも送ってください。"
)
EXPIRED_ANYTIME_RESIDENT = (
    "【{category}】の依頼は、{days}日たっても引き受ける人が見つからず、受付を終わりました。\n"
    "ごめんなさい。また必要なときは、もう一度送ってください。"
)

RELAY_REPLY_BUTTON = "返事を送る"
RELAY_END_BUTTON = "おわる"
RELAY_START = (
    "{name}さんへのメッセージを、書いて送ってください。\n"
    "写真やスタンプも送れます。\n"
    "終わるときは「おわる」を押してください。"
)
RELAY_SENT = "{name}さんに送りました。"
RELAY_SENT_NIGHT = "{name}さんに送りました。\n夜の間は、{time}ごろに届きます。"
RELAY_HEADER = "【{category}の依頼】{name}さんから："
RELAY_COMPANION_HEADER = "【{category}の依頼】コーディネーターの{name}さん（顔合わせに同行）から："
RELAY_STICKER = "【{category}の依頼】{name}さんから、スタンプが届きました。"
RELAY_IMAGE = "【{category}の依頼】{name}さんから、写真が届きました。"
RELAY_LOCATION = "【{category}の依頼】{name}さんから、場所が届きました。"
RELAY_NO_IMAGES = "ごめんなさい。今は写真を送れません。\n文字で送ってください。"
RELAY_UNSUPPORTED = "ごめんなさい。送れるのは、文字・写真・スタンプ・位置情報です。"
RELAY_ENDED = "メッセージのやりとりを終わりました。"
RELAY_CLOSED = "この依頼は終わったので、メッセージは送れません。"
RELAY_CANCELLED = "この依頼は取り消されたので、メッセージは送れません。"
RELAY_HANDED_OVER = "この依頼は、ほかのサポーターにお願いすることになりました。\nメッセージは送れません。"
RELAY_SEARCHING = (
    "今、新しいサポーターをさがしています。\nこのメッセージは送っていません。\n決まったら、お知らせします。"
)
RELAY_NEW_SUPPORTER = (
    "サポーターが{name}さんに変わりました。\nこのメッセージは送っていません。\n"
    "{name}さんには「メッセージを送る」から送れます。"
)
RELAY_NONE = "今、メッセージを送れる依頼はありません。\n引き受ける人が決まると、送れるようになります。"
RELAY_CHOOSE = "どの依頼について送りますか？"
RELAY_NOT_ON_LINE = (
    "ごめんなさい。{name}さんには、LINEでお届けできません。\nコーディネーターに連絡してください。"
)
SOMEONE_RESIDENT = "依頼した方"
SOMEONE_SUPPORTER = "サポーター"

QUOTA_LOW_COORDINATOR = (
    "【お知らせ】今月のLINEのお知らせ（プッシュ）が、残り{remaining}通になりました（上限{limit}通）。\n"
    "大事なお知らせだけを送ります。"
)


def duration_text(minutes: int) -> str:
    """90 → 1時間30分, 45 → 45分."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}時間{rest}分"
    return f"{hours}時間" if hours else f"{rest}分"


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


# --- After a request is sent: words read against it (issue 10) ------------------------------------
DETAIL_MARK = "（追加）"
DETAIL_ADDED_TO_REQUEST = "【{category}】の依頼に、書き加えました。\n引き受けた方に、お伝えします。"
DETAIL_ADDED_TOLD = "【{category}】の依頼に、書き加えました。\n{name}さんにも、伝えました。"
DETAIL_FORWARD = "【{category}の依頼】{name}さんから、追加のお知らせです：\n{text}"
DETAIL_OR_NEW = "「{text}」は、出している【{category}】の依頼に書き加えますか？\nそれとも、新しい依頼ですか？"
ADD_TO_REQUEST = "この依頼への追加"
NEW_REQUEST = "新しい依頼"
WHICH_REQUEST = "どの依頼のことですか？\n下から選んでください。"
CHOOSE_CARD = "どの依頼のことですか？\n下のボタンで答えてください。"
CANCEL_CONFIRM = "【{category}】の依頼を、取り消しますか？"
CANCEL_CONFIRM_MATCHED = "{name}さんが、引き受けてくれています。"
KEEP_REQUEST = "取り消さない"
REQUEST_KEPT = "わかりました。依頼は、そのままにします。"
STATUS_OPEN = (
    "【{category}】の依頼は、今サポーターをさがしています。\n"
    "近くの{count}人にお知らせしました。決まったら、お知らせします。"
)
STATUS_WITH_COORDINATOR = (
    "【{category}】の依頼は、今サポーターをさがしています。\nコーディネーターも、いっしょにさがしています。"
)
STATUS_MATCHED = "【{category}】の依頼は、{name}さんが引き受けています。\n日時：{when}"
RELAY_SENT_TYPED_HINT = "続けて送るときは「メッセージを送る」を押してください。"

# --- Words instead of taps (issue 10): times, places, changes at the confirmation card ---------------
REQUEST_TYPE_PLACE = "町の名前か、郵便番号を書いて送ってください。\n例：「世田谷区太子堂」「154-0004」"
PLACE_FOUND = "{place}のあたりですね。"
PLACE_FOUND_CITY = (
    "{place}のあたりとして探します。\n近くの駅や目印は、確認の画面の「書き足す」で伝えられます。"
)
PLACE_NOT_FOUND = (
    "場所が分かりませんでした。\n「世田谷区太子堂」のように町の名前か、郵便番号を書いてください。"
)
PLACE_FOR_COORDINATOR = "「{place}」ですね。\nくわしい場所は、コーディネーターが確認します。"
PLACE_NO_HOME = "登録した場所がまだありません。\n町の名前を書くか、「位置情報を送る」を押してください。"
WHEN_HINT = "「あした10時」「あさっての午後」「いつでも」のように書くか、下のボタンを押してください。"
WHEN_ASK_TIME = "{day}ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。"
WHEN_SHOWN = "{when}ですね。"
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
REQUEST_TWO_NEEDS = "「{text}」ですね。\n【{categories}】の{count}つのお手伝いをさがします。"
PLACE_STEP_HINT = "「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
CATEGORY_STEP_HINT = "どんなお手伝いか、下から選ぶか、もう少しくわしく書いてください。"
DETAIL_STEP_HINT = "付け足すことを、文字で書いて送ってください。"

SUP_PLACE_HINT = "「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
SUP_SKILLS_HINT = "手伝えることを書くか選んでください。終わったら「次へ」を押してください。"
SUP_RADIUS_HINT = "「3km」のように書くか、下から選んでください。"
SUP_RADIUS_OVER = "ごめんなさい。{max}kmまでです。\n下から選んでください。"
SUP_CONFIRM_HINT = "よければ「登録する」、直すときは「場所を変える」「距離を変える」を押してください。"
CHANGE_RADIUS = "距離を変える"

FOREIGN = {
    "en": (
        "Thank you for your message. This service is in Japanese only.\n"
        "Please ask someone to help you write in Japanese,\n"
        "or contact a coordinator at your local community hub."
    ),
    "zh": "感谢您的留言。本服务只提供日语。\n请请人帮忙用日语书写，或联系当地社区中心的协调员。",
    "romaji": (
        "Messeeji arigatou gozaimasu. Kono saabisu wa nihongo dake desu.\n"
        "Nihongo de kaku no ga muzukashii toki wa, chiiki no koodineetaa ni soudan shite kudasai."
    ),
}


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


# --- Changing a request already sent, from 自分の依頼 (issue 10) -----------------------------------
CHANGE_ASK_WHEN = (
    "今は「{when}」です。いつに変えますか？\n「あした10時」のように書くか、下のボタンを押してください。"
)
CHANGE_ASK_PLACE = "どこに変えますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
CHANGED_WHEN = "日時を「{when}」に変えました。"
CHANGED_PLACE = "場所を「{place}」に変えました。"
CHANGE_TOLD = "{name}さんにも、伝えました。"
CHANGED_WHEN_SUPPORTER = (
    "【{category}】の依頼の日時が、「{when}」に変わりました。\n"
    "都合が悪くなったときは、「行けなくなった」を押してください。"
)
CHANGED_PLACE_SUPPORTER = (
    "【{category}】の依頼の場所が、変わりました。\n新しい場所：{place}\n"
    "都合が悪くなったときは、「行けなくなった」を押してください。"
)
CHECKIN_UNCLEAR = (
    "ごめんなさい。よく分かりませんでした。\nお手伝いは、どうでしたか？ 下のボタンで教えてください。"
)
DESK_SIGN_IN_LINK = (
    "コーディネーターのデスクに入るためのリンクです。15分のあいだ、1回だけ使えます。\n{url}\n"
    "心当たりがなければ、開かずにこのメッセージを消してください。"
)


# --- The community's places: finding a cafeteria or hub nearby (issue 15) ------------------------------
PLACES_ASK_WHERE = (
    "どのあたりで探しますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
)
PLACES_WHERE_UNKNOWN = (
    "ごめんなさい。場所が分かりませんでした。\n町の名前か郵便番号を、もう一度書いてください。"
)
PLACES_FOUND = "{where}の近くです。「行き方」を押すと、地図を送ります。"
PLACES_FOUND_TODAY = "{where}の近くで、今日開くところです。「行き方」を押すと、地図を送ります。"
PLACES_NONE_TODAY = "今日開くところは、近くにありませんでした。\n近くのところと、次に開く日です。"
PLACES_NONE = (
    "ごめんなさい。近く（{km}km以内）に、登録されている場所がありませんでした。\n"
    "コーディネーターに聞いてみてください。"
)
PLACES_HOME = "登録した場所"
PLACES_OTHER_PLACE = "ほかの場所で探す"
PLACES_SEND_LOCATION = "位置情報を送る"
PLACES_GO = "行き方"
PLACES_KIND = "種類"
PLACES_DISTANCE = "距離"
PLACES_NEXT = "次に開く日"
PLACES_PRICE = "料金"
PLACES_WHO = "対象"
PLACES_HOURS = "開いている日"
PLACES_OPEN_NOW = "いま開いています（{end}まで）"
PLACES_TODAY = "今日 {start}〜{end}"
PLACES_TOMORROW = "あした {start}〜{end}"
PLACES_ON_DAY = "{month}月{day}日（{weekday}） {start}〜{end}"
PLACES_NOT_SCHEDULED = "決まっていません"
PLACES_KM = "約{km}km"
PLACES_M = "約{m}m"
PLACES_GONE = "ごめんなさい。その場所は、もう登録されていません。"
PLACES_ALT = "近くの場所：{names}"
FOOD_THANKS = (
    "ありがとうございます！\n「{foods}」を受け付けている、近くの場所です。\n"
    "開いている時間に、持って行ってください。"
)
FOOD_ASK_WHERE = (
    "ありがとうございます！「{foods}」を受け付けている場所を探します。\n"
    "どのあたりですか？「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
)
FOOD_NO_PLACE = (
    "ありがとうございます！\n近くに、「{foods}」を受け付けている場所が見つかりませんでした。\n"
    "お申し出は記録しました。コーディネーターが確認します。"
)
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
SHIFT_INVITE_TITLE = "お手伝いのお誘い"
SHIFT_PLACE = "場所"
SHIFT_DISTANCE = "距離"
SHIFT_INVITE_NOTE = "近くで、この手伝いができそうな方にお送りしています。むりのない範囲で、どうぞ。"
SHIFT_INVITE_ALT = "お手伝いのお誘い：{place}の「{role}」 {when}"
SHIFT_PASS = "見送る"
SHIFT_PASSED = "わかりました。今回は見送ります。\nまたお願いします。"
SHIFT_COMING = "来る人"
SHIFT_NOBODY_YET = "まだいません"
PLACES_NEEDS = "今週ほしいもの"
FOOD_THANKS_NEEDED = (
    "ありがとうございます！\n{place}が、今週「{foods}」をほしがっています。\n"
    "開いている時間に、持って行ってください。"
)

# --- 名人・達人 and their classes (issue 15) ------------------------------------------------------
MASTER_REGISTER = "名人登録"
MASTER_ASK_SKILL = (
    "教えたり、見せたりできることを、登録します。\n"
    "何ができますか？ 下から選ぶか、短く書いてください。（例：しめ縄づくり）"
)
MASTER_ASK_WHERE = "「{skill}」ですね。\nどこで教えられますか？ 下から選ぶか、書いてください。"
MASTER_ASK_OFTEN = "どのくらいの間隔で、教えられますか？"
MASTER_ASK_PLACE = (
    "お住まいのあたりを教えてください。\n"
    "「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。\n"
    "ほかの人には、町の名前だけが見えます。"
)
MASTER_TOO_LONG = "ごめんなさい。60文字までで、短く書いてください。"
MASTER_CONFIRM_TITLE = "名人・達人の登録"
MASTER_CONFIRM_ALT = "名人・達人の登録：{skill}"
MASTER_CONFIRM_NOTE = (
    "探している人には、できること・町の名前・距離だけが見えます。\n"
    "お名前は、あなたが「受ける」を押してから、相手に伝わります。"
)
MASTER_SKILL = "できること"
MASTER_WHERE = "教える場所"
MASTER_OFTEN = "ペース"
MASTER_SAVE = "登録する"
MASTER_SAVED = (
    "ありがとうございます！「{skill}」の名人として登録しました。\n"
    "教えてほしい人がいたら、お知らせします。\n"
    "教室をひらくときは「教室をひらく」を押してください。"
)
MASTER_SAVE_STALE = "この登録は、もう終わっています。"
MASTERS_LEAD = "「{topic}」を教えてくれる、名人・達人です。\n「話を聞きたい」を押すと、名人にお知らせします。"
MASTERS_NONE = (
    "「{topic}」を教えてくれる名人は、まだ登録されていません。\n"
    "「やってみたいに残す」を押すと、名人が見つかったときに、おつなぎします。"
)
MASTERS_KEEP_OFFER = "やってみたいに残す"
MASTERS_KEEP_OFFER_TEXT = "{topic}を習ってみたい"
MASTERS_ALT = "名人・達人：{skills}"
MASTERS_CARD_NOTE = "お名前は、名人が受けてくださってから、お知らせします。"
MASTER_AREA = "地域"
MASTER_NEXT_CLASS = "次の教室"
MASTER_ASK_BUTTON = "話を聞きたい"
MASTER_CLASSES_BUTTON = "教室を見る"
MASTER_ASK_SENT = "名人に、お知らせしました。\nお返事があったら、ここでお知らせします。"
MASTER_ASK_ALREADY = "もう、お知らせしています。お返事をお待ちください。"
MASTER_ASK_OWN = "これは、あなたご自身の登録です。"
MASTER_GONE = "ごめんなさい。この名人の登録は、もうありません。"
MASTER_ASKED = (
    "【名人へのお問い合わせ】\n{area}の方が、あなたの「{skill}」のお話を聞きたいそうです。\n"
    "受けると、おたがいのお名前をお知らせします。"
)
MASTER_ASKED_ALT = "名人へのお問い合わせ：{skill}"
MASTER_AGREE = "受ける"
MASTER_PASS = "見送る"
MASTER_AGREED_RESIDENT = (
    "「{skill}」の名人、{name}さんが、お話を受けてくださいました！\n"
    "教える場所：{where}\nペース：{often}\n"
    "このあとは、コーディネーターがおつなぎします。"
)
MASTER_AGREED_MASTER = (
    "ありがとうございます！{name}さんに、お名前をお伝えしました。\n"
    "このあとは、コーディネーターがおつなぎします。"
)
MASTER_AGREED_DESK = "【おつなぎ】「{skill}」の名人{master}さんと、{resident}さんをつないでください。"
MASTER_PASSED_RESIDENT = "「{skill}」の名人は、今回は都合がつかないそうです。\nまたの機会に、お願いします。"
MASTER_PASSED_MASTER = "わかりました。今回は見送ります。"
MASTER_ANSWERED = "このお問い合わせには、もうお返事しています。"
OFFER_MASTERS = "この名人・達人がいます："
OFFER_BECOME_MASTER = "名人として登録"
CLASS_OPEN = "教室をひらく"
CLASS_LIST = "教室"
CLASS_NOT_MASTER = "教室をひらくには、まず名人・達人として登録してください。"
CLASS_ASK_SKILL = "どの教室をひらきますか？"
CLASS_ASK_WHEN = (
    "「{skill}」の教室ですね。\n"
    "いつひらきますか？「日時をえらぶ」を押すか、書いてください。（例：12月5日 10時）"
)
CLASS_WHEN_PAST = "その日時は、もう過ぎています。これからの日時を教えてください。"
CLASS_ASK_PLACE = "どこでひらきますか？ 下から選ぶか、場所を書いてください。"
CLASS_ASK_CAPACITY = "何人まで参加できますか？ 数字で書くか、下から選んでください。"
CLASS_CAPACITY_BAD = "ごめんなさい。1〜50の数字で教えてください。"
CLASS_CONFIRM_TITLE = "教室をひらく"
CLASS_CONFIRM_ALT = "教室をひらく：{title}"
CLASS_CONFIRM_NOTE = "ひらくと、「教室」でみんなに見えるようになり、習いたい人にもお知らせします。"
CLASS_DO_OPEN = "ひらく"
CLASS_OPENED = "「{title}」をひらきました！\n{when}\n申し込んだ人は「教室」で見られます。"
CLASS_TITLE = "{skill}の教室"
CLASS_WHEN = "日時"
CLASS_PLACE = "場所"
CLASS_SEATS = "定員"
CLASS_SEATS_VALUE = "{n}人"
CLASS_LEFT = "あと"
CLASS_LEFT_VALUE = "{n}席"
CLASS_FULL_VALUE = "満席（キャンセル待ち {n}人）"
CLASS_COMING = "参加する人"
CLASS_NOBODY = "まだいません"
CLASSES_NONE = "いまひらく予定の教室は、ありません。\nまた見てみてください。"
CLASSES_LEAD = "名人・達人の教室です。\n「参加する」を押すと、申し込めます。"
CLASSES_ALT = "教室：{titles}"
CLASS_JOIN = "参加する"
CLASS_WAIT = "キャンセル待ちする"
CLASS_LEAVE = "参加をやめる"
CLASS_STOP_WAITING = "待つのをやめる"
CLASS_JOINED = (
    "ありがとうございます！「{title}」に申し込みました。\n日時：{when}\n場所：{place}\n"
    "行けなくなったら「参加をやめる」を押してください。"
)
CLASS_FULL = (
    "ごめんなさい。「{title}」は満席です。\nキャンセル待ちをすると、席があいたときに、順番にお知らせします。"
)
CLASS_WAITING = "キャンセル待ちに登録しました（{n}番目）。\n席があいたら、すぐにお知らせします。"
CLASS_ALREADY = "もう申し込んでいます。ありがとうございます！"
CLASS_OVER = "ごめんなさい。この教室は、もう終わったか、取りやめになりました。"
CLASS_LEFT_DONE = "「{title}」を、取り消しました。"
CLASS_WAIT_LEFT = "「{title}」のキャンセル待ちを、やめました。"
CLASS_NOT_JOINED = "この教室には、申し込んでいません。"
CLASS_SEAT_FREED = (
    "【キャンセル待ちの方へ】\n「{title}」に席があきました！参加できます。\n日時：{when}\n場所：{place}\n"
    "行けなくなったら「参加をやめる」を押してください。"
)
CLASS_INVITE_TITLE = "教室のお知らせ"
CLASS_INVITE_NOTE = "「やってみたい」に書いてくださったことに合う教室です。"
CLASS_INVITE_ALT = "教室のお知らせ：{title} {when}"
CLASS_PASS = "見送る"
CLASS_PASSED = "わかりました。またお知らせします。"
CLASS_REMIND_EVE = "【{day}の教室】\n「{title}」\n日時：{when}\n場所：{place}\nお待ちしています！"
CLASS_REMIND_HOUR = "【まもなく教室です】\n「{title}」は{time}からです。\n場所：{place}"
CLASS_REMIND_MASTER = "【{day}の教室】\n「{title}」（{when}）に、{n}人が申し込んでいます：{names}"
MASTER_SOMEONE = "名人"
ASKER_SOMEONE = "お問い合わせの方"
