"""The community's places: finding one nearby, and food offered (handlers/community_places.py)."""

from __future__ import annotations

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

PLACES_NEEDS = "今週ほしいもの"
FOOD_THANKS_NEEDED = (
    "ありがとうございます！\n{place}が、今週「{foods}」をほしがっています。\n"
    "開いている時間に、持って行ってください。"
)
