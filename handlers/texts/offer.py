"""やってみたい offers (handlers/offer.py)."""

from __future__ import annotations

# --- やってみたい offers --------------------------------------------------------------------------
OFFER_PROMPT = (
    "どんなことを、やってみたいですか？\n自由に書いて送ってください。\n例：「子ども食堂を手伝ってみたい」"
)
# A question or a slip instead of what they would like to do (「なんのこと？」): nothing is kept.
OFFER_ASK_AGAIN = (
    "やってみたいことを、ひとことで書いてください。\n例：「料理を教えたい」「子ども食堂を手伝ってみたい」\n"
    "やめるときは「やめる」を押してください。"
)
OFFER_SAVED = "「{text}」ですね。すてきです！\n記録しました。"
OFFER_REQUESTS_NEAR = "近くに、こんな困りごとがあります："
OFFER_SIMILAR = "同じことをやってみたい人がいます："
OFFER_NONE_YET = "今は、近くに合う困りごとはありません。"
# Asked as a question, so that a typed 「はい」 answers it (handlers/question.py) instead of being lost.
OFFER_ASK_SUPPORTER = "合う困りごとがあったときにお知らせできるよう、サポーター登録もしますか？"
OFFER_BECOME_SUPPORTER = "サポーター登録"
OFFER_NOT_NOW = "いまはしない"
# Said first when サポーター登録 (or a typed 「はい」) opens registration from an offer.
OFFER_REGISTER_INTRO = "サポーター登録をはじめます。やってみたいことから、できることを選びました。"
OFFER_REGISTER_START = "サポーター登録をはじめます。"
OFFER_KEPT = (
    "わかりました。やってみたいことは、記録してあります。\n"
    "登録したくなったら、いつでも「サポーターになる」を押してください。"
)
OFFER_TAKE = "{category}を引き受ける"
OFFER_UNKNOWN = "どんなお手伝いに近いか、コーディネーターが確認します。"
OFFER_REQUEST_LINE = "・【{category}】{text}（{area}）"
OFFER_OTHER_LINE = "・{text}（{area}）"
