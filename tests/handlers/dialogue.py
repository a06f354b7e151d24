"""Whole-dialogue helpers: register supporters and submit requests the way users do, through chat."""

from __future__ import annotations

from typing import Any

from tests.support import Chat, action_data

# Around Setagaya: the resident, and supporters at about 0.5 km, 1.5 km and 8 km.
RESIDENT_HOME = (35.6466, 139.6532)
NEAR = (35.6500, 139.6580)
MID = (35.6590, 139.6600)
FAR = (35.7100, 139.6900)
RESIDENT_ADDRESS = "〒154-0017 東京都世田谷区世田谷4丁目21-27"


def last(chat: Chat, user_id: str) -> dict[str, Any]:
    return chat.stub.messages_for(user_id)[-1]


def tap_label(chat: Chat, user_id: str, label: str, params: dict[str, str] | None = None) -> list[str]:
    """Tap the postback button with this label in the newest message that has one."""
    for message in reversed(chat.stub.messages_for(user_id)):
        try:
            data = action_data(message, label)
        except AssertionError:
            continue
        return chat.tap(user_id, data, params)
    raise AssertionError(f"{label!r} is not on any message {user_id} received")


def register_supporter(
    chat: Chat, name: str, display: str, skills: str, where: tuple[float, float], km: int = 3
) -> str:
    user = chat.user(name, display)
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, skills)
    tap_label(chat, user, "次へ")
    chat.location(user, *where, address="東京都世田谷区")
    tap_label(chat, user, f"{km}km")
    answer = tap_label(chat, user, "登録する")
    assert any("サポーターに登録しました" in t for t in answer), answer
    return user


def say_request(chat: Chat, user: str, text: str) -> list[str]:
    """Write a 困りごと; asked whether it adds to a request already sent, it is a new one."""
    answer = chat.say(user, text)
    if answer and answer[-1].endswith("それとも、新しい依頼ですか？"):
        return tap_label(chat, user, "新しい依頼")
    return answer


def submit_request(
    chat: Chat,
    user: str,
    text: str,
    where: tuple[float, float] = RESIDENT_HOME,
    address: str = RESIDENT_ADDRESS,
) -> list[str]:
    """Write a 困りごと, send the place, choose いつでも, confirm; returns the bot's last answers."""
    say_request(chat, user, text)
    chat.location(user, *where, address=address)
    tap_label(chat, user, "いつでも")
    return tap_label(chat, user, "依頼する")


def card_request_id(message: dict[str, Any]) -> int:
    data = action_data(message, "引き受ける")
    return int(data.split("r=")[1])
