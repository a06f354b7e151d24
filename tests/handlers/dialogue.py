"""Whole-dialogue helpers: register supporters and masters, submit requests and open classes the way users
do, through chat."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from db import members as member_repo
from db import supporters as supporter_repo
from db.engine import transaction
from tests.support import Chat, FakeClock, action_data


class SweptChat(Chat):
    """A Chat whose worker sweeps the outbox after every event, as it would within its 10 s.

    A webhook starts no push after its first second and leaves the rest to the worker; on a loaded
    machine that can be most pushes. Dialogue tests about what people read, not about delivery timing,
    then see the same thing however busy the machine is.
    """

    def send(self, event: dict[str, Any]) -> None:
        super().send(event)
        processor = self.client.application.extensions["otagai.processor"]
        processor.deliverer.deliver_due(processor.clock())


# Around Setagaya: the resident, and supporters at about 0.5 km, 1.5 km and 8 km.
RESIDENT_HOME = (35.6466, 139.6532)
NEAR = (35.6500, 139.6580)
MID = (35.6590, 139.6600)
FAR = (35.7100, 139.6900)
RESIDENT_ADDRESS = "〒154-0017 東京都世田谷区世田谷4丁目21-27"
MASTER_ADDRESS = "東京都世田谷区世田谷4丁目21-27"


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
    chat: Chat,
    name: str,
    display: str,
    skills: str,
    where: tuple[float, float],
    km: int = 3,
    address: str = "東京都世田谷区",
    *,
    approve: bool = True,
) -> str:
    """Register in chat, agree to the rules, and (unless approve=False) be approved by a coordinator."""
    user = chat.user(name, display)
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, skills)
    tap_label(chat, user, "次へ")
    chat.location(user, *where, address=address)
    tap_label(chat, user, f"{km}km")
    tap_label(chat, user, "登録する")
    answer = tap_label(chat, user, "同意する")
    assert any("お申し込みを受け付けました" in t or "サポーターに登録しました" in t for t in answer), answer
    if approve:
        approve_supporter(chat, user)
    return user


def approve_supporter(chat: Chat, user_id: str) -> None:
    """A coordinator has met them: what `otagai supporters approve` does, straight on the app's database."""
    factory = chat.client.application.extensions["otagai.session_factory"]
    with transaction(factory) as session:
        member = member_repo.by_line_id(session, user_id)
        assert member is not None
        supporter_repo.approve(session, member, datetime.now(UTC), by="test")


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


def register_master(chat: Chat, name: str = "matsu", display: str = "松本") -> str:
    """A しめ縄づくり master near the resident (名人登録 through chat)."""
    master = chat.user(name, display)
    chat.follow(master)
    assert chat.say(master, "名人登録")[0].startswith("教えたり、見せたりできることを、登録します。")
    assert chat.say(master, "しめ縄づくり")[0].startswith("「しめ縄づくり」ですね。")
    assert chat.say(master, "公民館・集会所") == ["どのくらいの間隔で、教えられますか？"]
    assert chat.say(master, "季節のときだけ")[0].startswith("お住まいのあたりを教えてください。")
    assert chat.location(master, *NEAR, address=MASTER_ADDRESS) == ["名人・達人の登録：しめ縄づくり"]
    assert tap_label(chat, master, "登録する")[0].startswith(
        "ありがとうございます！「しめ縄づくり」の名人として"
    )
    return master


def open_class(chat: Chat, master: str, when: str, capacity: str) -> None:
    """The master opens a class at みんなのおうち せたがや (tests/handlers/places_town.py seeds it)."""
    assert chat.say(master, "教室をひらく")[0].startswith("「しめ縄づくり」の教室ですね。")
    assert tap_label(chat, master, "日時をえらぶ", {"datetime": when}) == [
        "どこでひらきますか？ 下から選ぶか、場所を書いてください。"
    ]
    assert tap_label(chat, master, "みんなのおうち せたがや")[0].startswith("何人まで参加できますか？")
    assert chat.say(master, capacity) == ["教室をひらく：しめ縄づくりの教室"]
    assert tap_label(chat, master, "ひらく")[0].startswith("「しめ縄づくりの教室」をひらきました！")


def class_with_two_seats_and_one_waiting(chat: Chat, clock: FakeClock) -> tuple[str, str, str, str]:
    """A class of two seats: 亜紀 and 勉 in it, 千恵 waiting; (master, aki, ben, chie), their news read."""
    master = register_master(chat)
    open_class(chat, master, "2026-11-28T10:00", "2")
    aki, ben, chie = (chat.user(n, d) for n, d in (("aki", "亜紀"), ("ben", "勉"), ("chie", "千恵")))
    for person in (aki, ben, chie):
        clock.advance(minutes=1)
        chat.say(person, "教室")
        tap_label(chat, person, "参加する" if person != chie else "キャンセル待ちする")
    for person in (master, aki, ben, chie):
        chat.new_texts(person)
    return master, aki, ben, chie
