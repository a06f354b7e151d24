"""名人・達人 and their classes: registering, being found, asked, and classes (masters, master_flow,
classes, class_flow)."""

from __future__ import annotations

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

# --- A master changes or calls off a class (handlers/class_changes.py) -------------------------------
MY_CLASSES = "自分の教室"
MY_CLASSES_NONE = "これからひらく教室は、ありません。\n「教室をひらく」で、ひらけます。"
MY_CLASSES_LEAD = (
    "あなたの教室です。\n「変更する」で日時・場所・定員を変えられます。「中止する」で取りやめにできます。"
)
CLASS_CHANGE = "変更する"
CLASS_STOP = "中止する"
CLASS_KEEP = "中止しない"
CLASS_NOT_YOURS = "ごめんなさい。この教室は、変更できません。"
CLASS_CHANGE_WHAT = "「{title}」（{when}）の、何を変えますか？"
CLASS_CHANGE_WHEN = "日時"
CLASS_CHANGE_PLACE = "場所"
CLASS_CHANGE_CAPACITY = "定員"
CLASS_ASK_NEW_WHEN = (
    "新しい日時を教えてください。\n「日時をえらぶ」を押すか、「12月5日の10時」のように書いてください。"
)
CLASS_ASK_NEW_PLACE = "新しい場所を、下から選ぶか、書いてください。"
CLASS_ASK_NEW_CAPACITY = "何人までにしますか？ 数字で書くか、下から選んでください。"
CLASS_CAPACITY_TOO_FEW = "すでに{n}人が申し込んでいます。{n}人より少なくは、できません。"
CLASS_CHANGED = "「{title}」を変更しました。\n日時：{when}\n場所：{place}\n定員：{capacity}人"
CLASS_CHANGED_TOLD = "申し込んだ{n}人に、お知らせしました。"
CLASS_CHANGED_PEOPLE = (
    "【教室の{what}が変わりました】\n「{title}」\n日時：{when}\n場所：{place}\n"
    "都合が悪くなったら、下のボタンで取り消せます。"
)
CLASS_STOP_CONFIRM = "「{title}」（{when}）を中止しますか？\n申し込んだ{n}人に、お知らせします。"
CLASS_STOPPED = "「{title}」を中止しました。"
CLASS_KEPT = "わかりました。教室は、そのままです。"
CLASS_STOPPED_PEOPLE = (
    "【教室の中止】\n「{title}」（{when}）は、中止になりました。\nごめんなさい。\n"
    "ほかの教室は、「教室」で見られます。"
)
