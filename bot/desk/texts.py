"""What the desk says to coordinators (flash messages and labels), in one place for review."""

from __future__ import annotations

SIGN_IN_FAILED = "名前かパスワードがちがいます。"
LOCKED = "失敗が続いたので、しばらく入れません。{minutes}分ほど待ってから、もう一度どうぞ。"
SIGNED_OUT = "ログアウトしました。"

STATUS = {
    "draft": "下書き",
    "open": "さがしています",
    "matched": "決まりました",
    "done": "完了",
    "cancelled": "取り消し",
    "expired": "期限切れ",
}
PROPOSAL = {
    "asked": "返事を待っています",
    "accepted": "引き受けました",
    "passed": "見送りました",
    "taken": "ほかの人が引き受けた",
    "withdrawn": "取り下げ",
    "dropped": "行けなくなった",
    "no_show": "来なかった",
}
REASON_NO_PLACE = "場所が名前だけです。地図の位置を入れてください"
REASON_NO_SHOW = "サポーターが来なかったと連絡がありました"
REASON_UNANSWERED = "完了したかの返事がありません"
REASON_NOBODY = "だれも引き受けていません（{asked}人に聞きました）"
REASON_CHECKIN_BY_PHONE = "LINEのない方です。終わったかどうか、電話で確かめてください"
REASON_NO_SUPPORTER = "近くに合うサポーターがいません"
ANYTIME = "いつでも"

ACTION = {
    "ask_more": "ほかのサポーターにお願い",
    "assign": "サポーターを指名",
    "change_when": "日時を変更",
    "change_place": "場所を変更",
    "cancel": "取り消し",
    "close": "対応済みにした",
    "proxy": "代理で受け付け",
    "member_edit": "サポーター情報を変更",
    "roster_import": "名簿の取り込み",
    "offer_message": "やってみたいの仲間に連絡",
    "done": "完了にした",
    "notice_done": "お知らせを確認した",
    "no_show": "来なかったことにした",
    "role_change": "役割を変えた",
    "agreement_published": "活動のきまりを新しくした",
    "supporter_approved": "サポーターを承認",
    "supporter_declined": "サポーターをお断り",
    "supporter_met": "面談・説明会を記録",
    "insurance_set": "保険を記録",
    "insurance_cleared": "保険をなしにした",
    "tickets_sold": "利用券を販売",
    "tickets_refunded": "利用券を払い戻し",
    "fee_absent": "不在の利用料",
    "first_visit": "顔合わせに同行",
    "first_visit_off": "顔合わせの同行をやめた",
    "first_visit_message": "顔合わせでメッセージ",
}

ASKED_MORE = "{count}人にお願いしました。"
ASKED_NOBODY = "お願いできるサポーターが、もういません。電話などで探してください。"
ASSIGNED = "{name}さんにLINEでお願いしました。返事を待っています。"
ASSIGN_NO_LINE = "{name}さんはLINEを使っていません。電話でお願いしてください。"
NOT_OPEN = "この依頼は、もう受付中ではありません。"
CHANGED_WHEN = "日時を変えました。"
CHANGED_PLACE = "場所を変えました。"
WHEN_INVALID = "日時が読めません。もう一度えらんでください。"
WHEN_PAST = "その日時は、もう過ぎています。"
PLACE_INVALID = "場所がわかりません。緯度・経度を入れるか、住所を書いてください。"
CANCELLED = "取り消しました。関係するサポーターに知らせました。"
CLOSED = "対応済みにしました。"
NOTE_NEEDED = "メモを書いてください（何をしたか）。"
NOT_MATCHED = "この依頼は、今は引き受けた人がいません。"
MARKED_DONE = "完了にしました。サポーターに、かかった時間をたずねました。"
MARKED_NO_SHOW = "来なかったことにしました。もう一度さがしています（{count}人にお知らせ）。"
IMPORT_NO_FILE = "CSVファイルをえらんでください。"
IMPORT_REFUSED = "名簿に{count}件の問題があります。何も取り込んでいません。直してから、もう一度どうぞ。"
IMPORTED = "名簿を取り込みました：{note}"
MEMBER_SAVED = "保存しました。"
OFFER_MESSAGE_LENGTH = "メッセージを{limit}文字までで書いてください。"
OFFER_NOBODY = "このグループには、LINEで連絡できる人がいません。"
OFFER_SENT = "「{theme}」の{count}人に、LINEでまとめて送りました。"
NOTICE_DONE = "確認済みにしました。"
NOTICE_ALREADY = "このお知らせは、ほかのコーディネーターが確認済みです。"
ROLE_NOT_OWN = "自分の役割は変えられません。ほかの管理者に頼んでください。"
ROLE_CHANGED = "{name}さんの役割を変えました。"
AGREEMENT_TOO_LONG = "活動のきまりは{limit}文字までにしてください（LINEで1通で送るため）。"
AGREEMENT_EMPTY = "活動のきまりが空です。文を書いてください。"
AGREEMENT_PUBLISHED = (
    "活動のきまり（第{version}版）を出しました。サポーターは次に引き受けるときに同意します。"
)
AGREEMENT_UNCHANGED = "第{version}版と同じ文なので、そのままです。"
FIRST_VISIT_ON = "顔合わせにしました。{name}さんにLINEで知らせました。リマインドとメッセージも届きます。"
FIRST_VISIT_OFF = "{name}さんの同行をやめました。"
FIRST_VISIT_NONE = "この依頼は、顔合わせになっていません。"
FIRST_VISIT_SENT = "{count}人に、LINEで送りました。"
FIRST_VISIT_NOT_SENT = (
    "送れませんでした。同行するコーディネーター本人が、引き受けが決まった依頼にだけ送れます。"
)
FIRST_VISIT_MESSAGE_LENGTH = "メッセージを{limit}文字までで書いてください。"
MET_ON_INVALID = "面談・説明会の日が読めません。もう一度えらんでください。"
MEETING_RECORDED = "{name}さんの面談・説明会を記録しました。"
APPROVED = "{name}さんを承認しました。LINEでお知らせしました。近くの依頼が届くようになります。"
DECLINED = "{name}さんをお断りしました。LINEでていねいにお知らせしました。"
YEN_INVALID = "金額は1円から{limit:,}円までの数字で書いてください。"
REFUND_TOO_MUCH = "{name}さんの利用券は{left:,}円分しか残っていません。"
TICKETS_SOLD = "{name}さんに{yen:,}円分の利用券を販売しました。残りは{left:,}円です。"
TICKETS_REFUNDED = "{name}さんに{yen:,}円を払い戻しました。残りは{left:,}円です。"
