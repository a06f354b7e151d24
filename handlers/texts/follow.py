"""Following and unfollowing the bot (handlers/follow.py)."""

from __future__ import annotations

# --- Unfollow -----------------------------------------------------------------------------------
REQUESTER_LEFT = "【{category}】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
SUPPORTER_LEFT = "{name}さんは、サポーターをやめました。\n【{category}】の依頼を、もう一度さがします。"
# The greeting when LINE gives no name.
EVERYONE = "みなさま"
