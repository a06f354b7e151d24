"""Safety: emergencies, maybe urgent, what volunteers may not do, harassment (handlers/safety.py)."""

from __future__ import annotations

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
# After the emergency answer, what they type next (「もう救急車よんだ」「だいじょうぶになりました」).
EMERGENCY_NEWS = "知らせてくださって、ありがとうございます。"
EMERGENCY_NEWS_TOLD = "コーディネーターにも伝えました。"
EMERGENCY_THANKS = "どうぞお大事にしてください。"
EMERGENCY_CALL_AGAIN = "また急ぐときや心配なときは、すぐに下のボタンで電話してください。"
EMERGENCY_HELD = "書きかけの内容は、まだ送っていません。続けるときは「続ける」を押してください。"
EMERGENCY_GO_ON = "続ける"
# 依頼する on a card from before the emergency answer: asked first, never sent by the old card.
HELD_SEND_ASK = (
    "お体は、だいじょうぶですか。\nさきほどの依頼は、まだ送っていません。\n"
    "落ち着いていたら、「送る」を押してください。"
)
HELD_SEND = "送る"
# A draft held since the emergency answer, dropped unsent (left 30 minutes, or another flow begun).
HELD_DROPPED = "さきほどの依頼は、送っていません。"
HELD_DROPPED_NOTE = "送らずに、取り消しました。\nまた依頼するときは、下のボタンを押してください。"
HELD_SEND_AGAIN = "もう一度依頼する"
COORDINATOR_EMERGENCY_NEWS = "【緊急のその後】{name}から：\n「{text}」"

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
MAYBE_AGAIN = (
    "ごめんなさい。もう一度だけ教えてください。\n"
    "今すぐ命にかかわりますか？「はい」か「いいえ」で教えてください。\n"
    "・救急・火事：119\n"
    "・事件：110\n"
    "・救急車を呼ぶか迷ったら：#7119\n"
    "迷うときは「はい」を押してください。"
)
YES_TAPPED_LATE = "（前の質問の「はい」が押されました）"
MAYBE_GO_ON = "わかりました。続きをおうかがいします。"
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
REFERRAL_AGAIN = (
    "今、危ないと感じたら、すぐに110へ電話してください。\n"
    "急ぎでないときは、警察の相談 #9110 か、消費者ホットライン 188 へ。\n"
    "コーディネーターにはお知らせしてあります。連絡をお待ちください。"
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
NOT_ALLOWED_WHAT_NOW = "{next}\n「コーディネーターに相談」を押すと、コーディネーターから連絡します。"
ASK_COORDINATOR = "コーディネーターに相談"
ASKED_COORDINATOR = "コーディネーターに伝えました。連絡をお待ちください。"
COORDINATOR_ASKED = "【相談】{name}が、コーディネーターとの相談を希望しています（{reason}）。"
SAFETY_NAME = "{name}さん"
SAFETY_NO_NAME = "お名前の分からない方"
NO_COORDINATOR = "今は連絡できるコーディネーターがいません。地域包括支援センターか市役所にご相談ください。"
HARMFUL = "ごめんなさい。そのご相談はお受けできません。"
