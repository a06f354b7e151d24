"""The main menu, help, the rich menu's words, and the answer in another language."""

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
# Its places tile: every kind of community place near the member (handlers/community_places.py).
MENU_PLACES = "近くの食堂・場所"
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
    "・「近くの食堂・場所」で、近くのこども食堂や、みんなのおうちを見られます。\n"
    "・「やめる」で、いつでも途中でやめられます。"
)
FALLBACK = (
    "ごめんなさい。よく分かりませんでした。\n困りごとは、文字で書いて送ってください。\n下のボタンも使えます。"
)
# A typed message not understood: it was written already, so how a 困りごと is written, not 「文字で」.
FALLBACK_TEXT = (
    "ごめんなさい。よく分かりませんでした。\n"
    "困りごとは、「電球が切れて替えられない」のように、そのまま書いて送ってください。\n"
    "下のボタンも使えます。"
)
SMALL_TALK = "ご連絡ありがとうございます。\n困りごとがあれば、そのまま書いて送ってください。"
SMALL_TALK_MATCHED = (
    "ご連絡ありがとうございます。\n相手の方に伝えたいときは、「メッセージを送る」を押してから書いてください。"
)
# One answer to a photo, a voice message or a file (never two bubbles, never 「よく分かりませんでした」).
FALLBACK_MEDIA = (
    "送ってくださって、ありがとうございます。\n"
    "このボットは、文字でのご相談を受け付けています。\n困りごとは、文字で書いて送ってください。"
)
# A sticker is a nod or a thank-you (often just after the bot's thanks): one kind answer.
STICKER_REPLY = "スタンプ、ありがとうございます。\n困ったときは、いつでも文字で書いて送ってください。"
# Someone matched who sends a photo or a sticker outside the relay: how it reaches the other side.
MEDIA_MATCHED = (
    "送ってくださって、ありがとうございます。\n"
    "相手の方に送るときは、「メッセージを送る」を押してから送ってください。"
)
TOO_LONG_NOTE = "（長い文章は、はじめの部分だけ表示しています）"
ERROR_SORRY = "ごめんなさい。うまく受け付けられませんでした。\nもう一度、送ってください。"
BLOCKED = "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
GROUP_ONLY_ONE_TO_ONE = "「お互いさま」は、1対1のトークで使ってください。"
CANCELLED_FLOW = "わかりました。やめました。\nまた、いつでも送ってください。"
NOTHING_TO_CANCEL = "今、進めている手続きはありません。"
CANCEL_A_REQUEST_HINT = "出した依頼を取り消すときは、「自分の依頼」を押してください。"
STALE_CANCEL = "そのボタンは、前の手続きのものです。\n今の手続きは、そのまま続いています。"

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

# A yes-or-no question answered with words that may mean either (「大丈夫です」): handlers/question.py.
QUESTION_AGAIN = "ごめんなさい。どちらか分かりませんでした。\n「{yes}」か「{no}」を押してください。"
