"""Supporter registration, settings and vetting, and the words typed at each step (supporter_flow.py)."""

from __future__ import annotations

# --- Supporter registration ---------------------------------------------------------------------
SUP_ASK_SKILLS = "どんなことを手伝えますか？\n自由に書くか、下から選んでください。"
SUP_SKILLS_SO_FAR = (
    "今のところ：{skills}\nほかにもあれば、書くか選んでください。\n終わったら「次へ」を押してください。"
)
SUP_SKILLS_UNKNOWN = "ごめんなさい。分かりませんでした。\n下のボタンから選んでください。"
SUP_MORE_SKILLS = "ほかの種類"
# 「なんでもやります」: every quick category is put in, to be confirmed or chosen again.
SUP_SKILLS_ANYTHING = (
    "ありがとうございます！\nよくあるお手伝いを、ぜんぶ入れました：\n{skills}\n"
    "これでよければ「次へ」を押してください。\nできないものがあるときは「えらびなおす」を押してください。"
)
SUP_CHOOSE_AGAIN = "えらびなおす"
SUP_SKILLS_EMPTY = "手伝えることを、ひとつ以上選んでください。"
SUP_ASK_PLACE = "どのあたりで手伝えますか？"
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


SUP_PLACE_HINT = "「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
SUP_SKILLS_HINT = "手伝えることを書くか選んでください。終わったら「次へ」を押してください。"
# The distance answered at the place step (「あるいていけるくらい」): kept, then the place asked again.
SUP_RADIUS_KEPT = "行ける距離は「{km}km」ですね。"
# 「それはなんですか」「どうすればいいの」 asked back at a registration step: what it asks for.
SUP_EXPLAIN_SKILLS = (
    "近所の人のために、手伝えることをうかがっています。\n例：「電球の交換」「買い物」「草むしり」"
)
SUP_EXPLAIN_PLACE = (
    "手伝いに行けるところ（お住まいのあたりなど）をうかがっています。\n"
    "町の名前か郵便番号を書くだけで大丈夫です。例：「世田谷区太子堂」"
)
SUP_EXPLAIN_RADIUS = (
    "そこから、どのくらい遠くまで手伝いに行けるかをうかがっています。\n例：「歩いて行けるところ」「3km」"
)
SUP_EXPLAIN_CONFIRM = (
    "この内容でサポーターに登録してよいか、うかがっています。\n"
    "よければ「はい」と書くか、「登録する」を押してください。"
)
SUP_RADIUS_HINT = "「3km」のように書くか、下から選んでください。"
SUP_RADIUS_OVER = "ごめんなさい。{max}kmまでです。\n下から選んでください。"
SUP_CONFIRM_HINT = "よければ「登録する」、直すときは「場所を変える」「距離を変える」を押してください。"
CHANGE_RADIUS = "距離を変える"
RADIUS_LABEL = "{km}km"
RADIUS_SAID = "{km}kmまで"
