"""The LINE stub behaves like the Messaging API: the official SDK talks to it over HTTP, and it refuses
what LINE refuses, so a bot that passes against it will not be rejected by the real platform."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    FlexMessage,
    MarkMessagesAsReadByTokenRequest,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TemplateMessage,
    TextMessage,
)
from linebot.v3.messaging import PostbackAction as SdkPostbackAction

from bot.dev.line_stub import LineStub, user_id_for

TOKEN = "test-token"
ALICE = user_id_for("alice")
BOB = user_id_for("bob")
CAROL = user_id_for("carol")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stub(clock: FakeClock) -> Iterator[LineStub]:
    with LineStub(TOKEN, clock=clock) as line:
        line.add_user(ALICE, "アリス")
        line.add_user(BOB, "ボブ")
        yield line


@pytest.fixture
def client(stub: LineStub) -> Iterator[ApiClient]:
    with ApiClient(Configuration(access_token=TOKEN, host=stub.url)) as api_client:
        yield api_client


@pytest.fixture
def api(client: ApiClient) -> MessagingApi:
    return MessagingApi(client)


def raw_call(
    stub: LineStub,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    token: str | None = TOKEN,
    data: bytes | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """Plain HTTP, for requests the SDK would refuse to send (it checks some limits itself)."""
    url = urlsplit(stub.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            sent_headers["Authorization"] = f"Bearer {token}"
        payload = data if data is not None else None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=payload, headers=sent_headers)
        response = connection.getresponse()
        answer = response.read()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, json.loads(answer) if answer else None, response_headers
    finally:
        connection.close()


def push_raw(stub: LineStub, messages: list[dict[str, Any]], to: str = ALICE) -> tuple[int, Any]:
    status, body, _ = raw_call(stub, "POST", "/v2/bot/message/push", {"to": to, "messages": messages})
    return status, body


def error_properties(body: dict[str, Any]) -> list[str]:
    return [detail["property"] for detail in body.get("details", [])]


def error_of(exc: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    return json.loads(exc.value.body)


def push(api: MessagingApi, text: str, to: str = ALICE, retry_key: str | None = None) -> Any:
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text)])
    return api.push_message_with_http_info(request, x_line_retry_key=retry_key or str(uuid.uuid4()))


# -- message builders for the limit table ------------------------------------------------------------


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": body}


def postback(label: str = "はい", data: str = "action=accept&id=1", **extra: Any) -> dict[str, Any]:
    return {"type": "postback", "label": label, "data": data, **extra}


def picker(mode: str = "date", **extra: Any) -> dict[str, Any]:
    return {"type": "datetimepicker", "label": "日時", "data": "pick=1", "mode": mode, **extra}


def with_quick_reply(*actions: dict[str, Any]) -> dict[str, Any]:
    items = [{"type": "action", "action": action} for action in actions]
    return {"type": "text", "text": "どれにしますか", "quickReply": {"items": items}}


def buttons(actions: list[dict[str, Any]], body: str = "お手伝いできますか", **extra: Any) -> dict[str, Any]:
    template = {"type": "buttons", "text": body, "actions": actions, **extra}
    return {"type": "template", "altText": "お手伝いのお願い", "template": template}


def bubble(*components: dict[str, Any], **blocks: Any) -> dict[str, Any]:
    return {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": list(components)},
        **blocks,
    }


def flex(container: dict[str, Any], alt: str = "お手伝いのお願い") -> dict[str, Any]:
    return {"type": "flex", "altText": alt, "contents": container}


def flex_button(label: str) -> dict[str, Any]:
    return {"type": "button", "action": postback(label=label)}


def image(url: str) -> dict[str, Any]:
    return {"type": "image", "url": url}


def location(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "location",
        "title": "公民館",
        "address": "東京都",
        "latitude": 35.6,
        "longitude": 139.7,
    } | overrides


def deeply_nested_button(label: str) -> dict[str, Any]:
    inner = {"type": "box", "layout": "horizontal", "contents": [flex_button(label)]}
    outer = {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "詳細"}, inner]}
    return {"type": "carousel", "contents": [bubble(text_component("一件目")), bubble(outer)]}


def text_component(body: str) -> dict[str, Any]:
    return {"type": "text", "text": body}


# (case, accepted at the limit, rejected just past it, property LINE names in the error)
LIMITS: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], str]] = [
    ("text length", [text("あ" * 5000)], [text("あ" * 5001)], "messages[0].text"),
    ("text counts UTF-16 units", [text("😀" * 2500)], [text("😀" * 2500 + "a")], "messages[0].text"),
    ("text not empty", [text("a")], [text("")], "messages[0].text"),
    ("messages per call", [text("a")] * 5, [text("a")] * 6, "messages"),
    (
        "quick reply items",
        [with_quick_reply(*[postback()] * 13)],
        [with_quick_reply(*[postback()] * 14)],
        "messages[0].quickReply.items",
    ),
    (
        "quick reply label",
        [with_quick_reply(postback(label="あ" * 20))],
        [with_quick_reply(postback(label="あ" * 21))],
        "messages[0].quickReply.items[0].action.label",
    ),
    (
        "postback data",
        [with_quick_reply(postback(data="d" * 300))],
        [with_quick_reply(postback(data="d" * 301))],
        "messages[0].quickReply.items[0].action.data",
    ),
    (
        "postback displayText",
        [with_quick_reply(postback(displayText="あ" * 300))],
        [with_quick_reply(postback(displayText="あ" * 301))],
        "messages[0].quickReply.items[0].action.displayText",
    ),
    (
        "camera action only in quick reply",
        [with_quick_reply({"type": "camera", "label": "写真"})],
        [buttons([{"type": "camera", "label": "写真"}])],
        "messages[0].template.actions[0].type",
    ),
    (
        "template action label",
        [buttons([postback(label="あ" * 20)])],
        [buttons([postback(label="あ" * 21)])],
        "messages[0].template.actions[0].label",
    ),
    (
        "buttons actions",
        [buttons([postback()] * 4)],
        [buttons([postback()] * 5)],
        "messages[0].template.actions",
    ),
    (
        "buttons title",
        [buttons([postback()], title="あ" * 40)],
        [buttons([postback()], title="あ" * 41)],
        "messages[0].template.title",
    ),
    (
        "buttons text",
        [buttons([postback()], "あ" * 160)],
        [buttons([postback()], "あ" * 161)],
        "messages[0].template.text",
    ),
    (
        "buttons text beside a title",
        [buttons([postback()], "あ" * 60, title="件名")],
        [buttons([postback()], "あ" * 61, title="件名")],
        "messages[0].template.text",
    ),
    (
        "buttons text beside an image",
        [buttons([postback()], "あ" * 60, thumbnailImageUrl="https://example.com/a.png")],
        [buttons([postback()], "あ" * 61, thumbnailImageUrl="https://example.com/a.png")],
        "messages[0].template.text",
    ),
    (
        "confirm has two actions",
        [
            {
                "type": "template",
                "altText": "確認",
                "template": {"type": "confirm", "text": "OK?", "actions": [postback()] * 2},
            }
        ],
        [
            {
                "type": "template",
                "altText": "確認",
                "template": {"type": "confirm", "text": "OK?", "actions": [postback()] * 3},
            }
        ],
        "messages[0].template.actions",
    ),
    (
        "flex button label",
        [flex(bubble(flex_button("あ" * 40)))],
        [flex(bubble(flex_button("あ" * 41)))],
        "messages[0].contents.body.contents[0].action.label",
    ),
    (
        "flex action found deep inside a carousel",
        [flex(deeply_nested_button("あ" * 40))],
        [flex(deeply_nested_button("あ" * 41))],
        "messages[0].contents.contents[1].body.contents[0].contents[1].contents[0].action.label",
    ),
    (
        "flex datetime picker mode",
        [flex(bubble({"type": "button", "action": picker("datetime")}))],
        [flex(bubble({"type": "button", "action": picker("month")}))],
        "messages[0].contents.body.contents[0].action.mode",
    ),
    (
        "datetime picker value has no seconds",
        [with_quick_reply(picker("datetime", initial="2026-05-01T10:00"))],
        [with_quick_reply(picker("datetime", initial="2026-05-01T10:00:00"))],
        "messages[0].quickReply.items[0].action.initial",
    ),
    (
        "flex altText",
        [flex(bubble(), alt="あ" * 1500)],
        [flex(bubble(), alt="あ" * 1501)],
        "messages[0].altText",
    ),
    (
        "carousel bubbles",
        [flex({"type": "carousel", "contents": [bubble()] * 12})],
        [flex({"type": "carousel", "contents": [bubble()] * 13})],
        "messages[0].contents.contents",
    ),
    (
        "bubble JSON size",
        [flex(bubble(text_component("a" * 29_000)))],
        [flex(bubble(text_component("a" * 30_000)))],
        "messages[0].contents",
    ),
    (
        "carousel JSON size",
        [flex({"type": "carousel", "contents": [bubble(text_component("a" * 24_000))] * 2})],
        [flex({"type": "carousel", "contents": [bubble(text_component("a" * 17_000))] * 3})],
        "messages[0].contents",
    ),
    (
        "flex images are https",
        [flex(bubble(hero=image("https://example.com/a.png")))],
        [flex(bubble(hero=image("http://example.com/a.png")))],
        "messages[0].contents.hero.url",
    ),
    (
        "flex component type",
        [flex(bubble(text_component("a")))],
        [flex(bubble({"type": "label", "text": "a"}))],
        "messages[0].contents.body.contents[0].type",
    ),
    (
        "sender name",
        [text("a") | {"sender": {"name": "あ" * 20}}],
        [text("a") | {"sender": {"name": "あ" * 21}}],
        "messages[0].sender.name",
    ),
    ("location latitude", [location(latitude=90)], [location(latitude=90.5)], "messages[0].latitude"),
    ("location longitude", [location(longitude=-180)], [location(longitude=-181)], "messages[0].longitude"),
    (
        "location title",
        [location()],
        [{k: v for k, v in location().items() if k != "title"}],
        "messages[0].title",
    ),
    (
        "image message is https",
        [
            {
                "type": "image",
                "originalContentUrl": "https://e.com/a.jpg",
                "previewImageUrl": "https://e.com/p.jpg",
            }
        ],
        [
            {
                "type": "image",
                "originalContentUrl": "http://e.com/a.jpg",
                "previewImageUrl": "https://e.com/p.jpg",
            }
        ],
        "messages[0].originalContentUrl",
    ),
    (
        "message type",
        [{"type": "sticker", "packageId": "446", "stickerId": "1988"}],
        [{"type": "txt"}],
        "messages[0].type",
    ),
]


@pytest.mark.parametrize(
    ("accepted", "rejected", "prop"), [case[1:] for case in LIMITS], ids=[case[0] for case in LIMITS]
)
def test_limits_accept_the_boundary_and_reject_one_past_it(
    stub: LineStub, accepted: list[dict[str, Any]], rejected: list[dict[str, Any]], prop: str
) -> None:
    assert push_raw(stub, accepted)[0] == 200

    status, body = push_raw(stub, rejected)

    assert status == 400
    assert body["message"].startswith("The request body has")
    assert prop in error_properties(body)
    assert len(stub.messages_for(ALICE)) == len(accepted)


# -- the SDK against the stub ----------------------------------------------------------------------


def test_reply_goes_to_the_user_the_token_was_issued_for(stub: LineStub, api: MessagingApi) -> None:
    token = stub.issue_reply_token(ALICE)

    response = api.reply_message(
        ReplyMessageRequest(
            reply_token=token, messages=[TextMessage(text="こんにちは"), TextMessage(text="どうぞ")]
        )
    )

    assert len(response.sent_messages) == 2
    assert response.sent_messages[0].quote_token
    assert stub.texts_for(ALICE) == ["こんにちは", "どうぞ"]
    assert stub.texts_for(BOB) == []


def test_reply_token_is_single_use(stub: LineStub, api: MessagingApi) -> None:
    token = stub.issue_reply_token(ALICE)
    request = ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="一度だけ")])
    api.reply_message(request)

    with pytest.raises(ApiException) as used:
        api.reply_message(request)

    assert used.value.status == 400
    assert error_of(used) == {"message": "Invalid reply token"}
    assert stub.texts_for(ALICE) == ["一度だけ"]


def test_reply_token_must_come_from_the_stub(api: MessagingApi) -> None:
    with pytest.raises(ApiException) as unknown:
        api.reply_message(ReplyMessageRequest(reply_token="f" * 32, messages=[TextMessage(text="x")]))

    assert unknown.value.status == 400
    assert error_of(unknown)["message"] == "Invalid reply token"


def test_reply_token_expires_after_a_minute(stub: LineStub, api: MessagingApi, clock: FakeClock) -> None:
    fresh, stale = stub.issue_reply_token(ALICE), stub.issue_reply_token(ALICE)
    clock.advance(60)
    api.reply_message(ReplyMessageRequest(reply_token=fresh, messages=[TextMessage(text="間に合った")]))
    clock.advance(1)

    with pytest.raises(ApiException) as expired:
        api.reply_message(ReplyMessageRequest(reply_token=stale, messages=[TextMessage(text="遅すぎ")]))

    assert error_of(expired)["message"] == "Invalid reply token"
    assert stub.texts_for(ALICE) == ["間に合った"]


def test_rejected_reply_does_not_use_up_the_token(stub: LineStub, api: MessagingApi) -> None:
    token = stub.issue_reply_token(ALICE)
    with pytest.raises(ApiException):
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="あ" * 5001)]))

    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="短く")]))

    assert stub.texts_for(ALICE) == ["短く"]


def test_reply_refuses_a_retry_key(stub: LineStub, api: MessagingApi) -> None:
    token = stub.issue_reply_token(ALICE)
    request = ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="x")])

    with pytest.raises(ApiException) as refused:
        api.reply_message(request, _headers={"X-Line-Retry-Key": str(uuid.uuid4())})

    assert refused.value.status == 400
    assert stub.messages_for(ALICE) == []


def test_text_too_long_is_rejected_though_the_sdk_lets_it_through(stub: LineStub, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as rejected:
        push(api, "あ" * 5001)

    assert rejected.value.status == 400
    assert error_of(rejected)["details"] == [
        {"message": "Length must be between 1 and 5000", "property": "messages[0].text"}
    ]
    assert stub.messages_for(ALICE) == []


def test_quick_reply_label_too_long_is_rejected_through_the_sdk(stub: LineStub, api: MessagingApi) -> None:
    items = [QuickReplyItem(action=SdkPostbackAction(label="あ" * 21, data="a=1"))]
    message = TextMessage(text="選んでください", quick_reply=QuickReply(items=items))

    with pytest.raises(ApiException) as rejected:
        api.push_message(PushMessageRequest(to=ALICE, messages=[message]))

    assert error_properties(error_of(rejected)) == ["messages[0].quickReply.items[0].action.label"]


def test_sdk_built_flex_and_template_messages_are_accepted(stub: LineStub, api: MessagingApi) -> None:
    card = bubble(
        text_component("買い物を手伝ってほしい"),
        {
            "type": "box",
            "layout": "horizontal",
            "contents": [flex_button("引き受ける")],
            "action": postback(),
        },
        {"type": "button", "action": picker("datetime", min="2026-05-01T09:00")},
        {
            "type": "button",
            "action": {"type": "uri", "label": "地図", "uri": "https://maps.example.com/?q=1"},
        },
        hero={"type": "image", "url": "https://example.com/hero.png", "aspectMode": "cover"},
        footer={"type": "box", "layout": "vertical", "contents": [{"type": "separator"}, {"type": "filler"}]},
    )
    carousel = FlexMessage.from_dict(flex({"type": "carousel", "contents": [card, card]}))
    template = TemplateMessage.from_dict(
        buttons([postback(), {"type": "message", "label": "いいえ", "text": "いいえ"}])
    )

    api.push_message(PushMessageRequest(to=ALICE, messages=[carousel, template]))

    assert stub.texts_for(ALICE) == ["お手伝いのお願い", "お手伝いのお願い"]
    assert (
        stub.messages_for(ALICE)[0]["contents"]["contents"][0]["hero"]["url"]
        == "https://example.com/hero.png"
    )


def test_push_with_a_repeated_retry_key_is_409_and_delivered_once(stub: LineStub, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    first = push(api, "回覧板です", retry_key=key)

    with pytest.raises(ApiException) as repeat:
        push(api, "回覧板です", retry_key=key)

    assert first.status_code == 200
    assert repeat.value.status == 409
    assert repeat.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert error_of(repeat)["sentMessages"][0]["id"] == first.data.sent_messages[0].id
    assert stub.texts_for(ALICE) == ["回覧板です"]


def test_retry_key_is_forgotten_after_24_hours(stub: LineStub, api: MessagingApi, clock: FakeClock) -> None:
    key = str(uuid.uuid4())
    push(api, "昨日", retry_key=key)
    clock.advance(24 * 60 * 60 + 1)

    push(api, "今日", retry_key=key)

    assert stub.texts_for(ALICE) == ["昨日", "今日"]


def test_retry_key_must_be_a_uuid(stub: LineStub, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as refused:
        push(api, "x", retry_key="not-a-uuid")

    assert refused.value.status == 400
    assert stub.messages_for(ALICE) == []


def test_push_to_a_malformed_user_id_is_rejected(stub: LineStub, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as refused:
        push(api, "x", to="alice")

    assert error_properties(error_of(refused)) == ["to"]


def test_multicast_delivers_to_each_recipient_once_per_retry_key(stub: LineStub, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    request = MulticastRequest(to=[ALICE, BOB, CAROL], messages=[TextMessage(text="清掃は日曜です")])

    assert api.multicast(request, x_line_retry_key=key) == {}
    with pytest.raises(ApiException) as repeat:
        api.multicast(request, x_line_retry_key=key)

    assert repeat.value.status == 409
    assert "x-line-accepted-request-id" in repeat.value.headers
    assert [stub.texts_for(user) for user in (ALICE, BOB, CAROL)] == [["清掃は日曜です"]] * 3
    assert stub.quota_used == 3


def test_multicast_takes_at_most_500_recipients(stub: LineStub) -> None:
    users = [user_id_for(f"neighbour-{n}") for n in range(501)]
    body = {"to": users, "messages": [text("お知らせ")]}

    status, error, _ = raw_call(stub, "POST", "/v2/bot/message/multicast", body)
    accepted, _, _ = raw_call(stub, "POST", "/v2/bot/message/multicast", body | {"to": users[:500]})

    assert status == 400
    assert error_properties(error) == ["to"]
    assert accepted == 200
    assert stub.quota_used == 500


def test_blocked_user_is_accepted_but_gets_nothing(stub: LineStub, api: MessagingApi) -> None:
    stub.block(BOB)

    push(api, "届かない", to=BOB)
    api.multicast(MulticastRequest(to=[ALICE, BOB], messages=[TextMessage(text="全員へ")]))

    assert stub.messages_for(BOB) == []
    assert stub.texts_for(ALICE) == ["全員へ"]
    assert stub.quota_used == 1


def test_profile_of_a_friend_and_404_otherwise(stub: LineStub, api: MessagingApi) -> None:
    stub.block(BOB)

    profile = api.get_profile(ALICE)
    with pytest.raises(ApiException) as blocked:
        api.get_profile(BOB)
    with pytest.raises(ApiException) as stranger:
        api.get_profile(CAROL)

    assert (profile.user_id, profile.display_name, profile.language) == (ALICE, "アリス", "ja")
    assert blocked.value.status == stranger.value.status == 404


def test_quota_is_reported_and_counted_per_recipient(stub: LineStub, api: MessagingApi) -> None:
    stub.set_quota(200, used=10)
    push(api, "一人へ")
    api.multicast(MulticastRequest(to=[ALICE, BOB], messages=[TextMessage(text="a"), TextMessage(text="b")]))
    api.reply_message(
        ReplyMessageRequest(reply_token=stub.issue_reply_token(ALICE), messages=[TextMessage(text="r")])
    )

    quota, consumption = api.get_message_quota(), api.get_message_quota_consumption()

    assert (quota.type, quota.value) == ("limited", 200)
    assert consumption.total_usage == 13


def test_unlimited_quota_by_default(api: MessagingApi) -> None:
    assert api.get_message_quota().type == "none"


def test_over_the_monthly_limit_is_429_but_replies_still_work(stub: LineStub, api: MessagingApi) -> None:
    stub.set_quota(200, used=199)
    with pytest.raises(ApiException) as multicast:
        api.multicast(MulticastRequest(to=[ALICE, BOB], messages=[TextMessage(text="二人へ")]))
    push(api, "最後の一通")
    with pytest.raises(ApiException) as over:
        push(api, "もう無理")

    api.reply_message(
        ReplyMessageRequest(reply_token=stub.issue_reply_token(ALICE), messages=[TextMessage(text="返信")])
    )

    assert multicast.value.status == over.value.status == 429
    assert error_of(over) == {"message": "You have reached your monthly limit."}
    assert stub.texts_for(ALICE) == ["最後の一通", "返信"]
    assert stub.texts_for(BOB) == []


def test_loading_animation(stub: LineStub, api: MessagingApi) -> None:
    response = api.show_loading_animation_with_http_info(
        ShowLoadingAnimationRequest(chat_id=ALICE, loading_seconds=5)
    )

    odd, _, _ = raw_call(stub, "POST", "/v2/bot/chat/loading/start", {"chatId": ALICE, "loadingSeconds": 7})
    group, _, _ = raw_call(stub, "POST", "/v2/bot/chat/loading/start", {"chatId": "C" + "0" * 32})

    assert response.status_code == 202
    assert (odd, group) == (400, 400)
    assert stub.calls("/v2/bot/chat/loading/start", status=202) == 1


def test_mark_as_read(stub: LineStub, api: MessagingApi) -> None:
    api.mark_messages_as_read_by_token(MarkMessagesAsReadByTokenRequest(mark_as_read_token="read-token"))

    missing, _, _ = raw_call(stub, "POST", "/v2/bot/chat/markAsRead", {})

    assert missing == 400
    assert stub.requests[0].json == {"markAsReadToken": "read-token"}


def test_message_content_download_from_the_data_host(stub: LineStub, client: ApiClient) -> None:
    stub.add_content("4711", b"\xff\xd8jpeg", "image/jpeg")

    with ApiClient(Configuration(access_token=TOKEN, host=stub.data_url)) as data_client:
        blob = MessagingApiBlob(data_client)
        content = blob.get_message_content("4711")
        with pytest.raises(ApiException) as missing:
            blob.get_message_content("4712")
    with pytest.raises(ApiException) as wrong_host:
        MessagingApiBlob(client).get_message_content("4711")

    assert content == b"\xff\xd8jpeg"
    assert missing.value.status == 404
    assert wrong_host.value.status == 404  # as on LINE: content is served by api-data.line.me only


def test_wrong_or_missing_access_token_is_401(stub: LineStub) -> None:
    with (
        ApiClient(Configuration(access_token="stolen", host=stub.url)) as intruder,
        pytest.raises(ApiException) as wrong,
    ):
        MessagingApi(intruder).get_message_quota()

    missing, body, _ = raw_call(stub, "GET", "/v2/bot/message/quota", token=None)

    assert wrong.value.status == missing == 401
    assert body["message"].startswith("Authorization header required")
    assert stub.calls("/v2/bot/message/quota", status=401) == 2


def test_body_over_2_mb_is_413(stub: LineStub) -> None:
    oversized = json.dumps({"to": ALICE, "messages": [text("a" * (2 * 1024 * 1024))]}).encode()

    status, body, _ = raw_call(stub, "POST", "/v2/bot/message/push", data=oversized)

    assert status == 413
    assert "message" in body
    assert stub.messages_for(ALICE) == []


def test_unknown_api_path_is_404(stub: LineStub) -> None:
    status, _, _ = raw_call(stub, "GET", "/v2/bot/nothing/here")

    assert status == 404
    assert stub.calls("/v2/bot/nothing/here", status=404) == 1


# -- fault injection -------------------------------------------------------------------------------


def push_status(api: MessagingApi, text: str) -> int:
    try:
        return push(api, text).status_code
    except ApiException as failed:
        return failed.status


def test_fail_next_fails_that_many_matching_calls(stub: LineStub, api: MessagingApi) -> None:
    stub.fail_next(2, status=500, path_prefix="/v2/bot/message/push")
    stub.fail_next(1, status=429, path_prefix="/v2/bot/message/quota")

    statuses = [push_status(api, f"試行{attempt}") for attempt in range(3)]
    profile = api.get_profile(ALICE)
    with pytest.raises(ApiException) as throttled:
        api.get_message_quota()

    assert statuses == [500, 500, 200]
    assert profile.display_name == "アリス"
    assert throttled.value.status == 429
    assert stub.texts_for(ALICE) == ["試行2"]


def test_fail_next_without_a_path_fails_whatever_comes_next(stub: LineStub, api: MessagingApi) -> None:
    stub.fail_next(status=502)

    with pytest.raises(ApiException) as failed:
        api.get_profile(ALICE)

    assert failed.value.status == 502
    assert error_of(failed) == {"message": "Bad Gateway"}
    assert api.get_profile(ALICE).display_name == "アリス"


def test_failure_after_processing_then_retry_is_409_and_delivered_once(
    stub: LineStub, api: MessagingApi
) -> None:
    stub.fail_next(status=503, after_processing=True)
    key = str(uuid.uuid4())
    with pytest.raises(ApiException) as lost:
        push(api, "一度だけ届く", retry_key=key)

    with pytest.raises(ApiException) as retry:
        push(api, "一度だけ届く", retry_key=key)

    assert (lost.value.status, retry.value.status) == (503, 409)
    assert stub.texts_for(ALICE) == ["一度だけ届く"]


def test_delay_makes_the_client_time_out_and_the_retry_is_not_delivered_twice(
    stub: LineStub, api: MessagingApi
) -> None:
    stub.delay_next(30)
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=ALICE, messages=[TextMessage(text="遅延")])
    with pytest.raises(urllib3.exceptions.HTTPError):
        api.push_message(request, x_line_retry_key=key, _request_timeout=0.2)

    api.push_message(request, x_line_retry_key=key)
    started = time.monotonic()
    stub.stop()  # lets the delayed request finish: it must find the key already used

    assert time.monotonic() - started < 5
    assert stub.texts_for(ALICE) == ["遅延"]
    assert sorted(r.status for r in stub.requests) == [200, 409]


# -- recording -------------------------------------------------------------------------------------


def test_requests_are_recorded_with_lowercase_headers(stub: LineStub, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    push(api, "記録", retry_key=key)
    push_raw(stub, [text("")])

    accepted, rejected = stub.requests

    assert (accepted.method, accepted.path, accepted.status) == ("POST", "/v2/bot/message/push", 200)
    assert accepted.headers["x-line-retry-key"] == key
    assert accepted.json["messages"] == [{"type": "text", "text": "記録"}]
    assert rejected.status == 400
    assert stub.calls("/v2/bot/message/push") == 2


def test_quick_reply_shows_only_on_the_last_message(stub: LineStub) -> None:
    asking = with_quick_reply(postback())

    push_raw(stub, [asking, asking])

    first, last = stub.messages_for(ALICE)
    assert "quickReply" not in first
    assert last["quickReply"]["items"][0]["action"]["data"] == "action=accept&id=1"


def test_texts_for_reads_text_and_alt_text_only(stub: LineStub) -> None:
    sticker = {"type": "sticker", "packageId": "446", "stickerId": "1988"}

    push_raw(stub, [text("本文"), sticker, flex(bubble(), alt="カード")])

    assert stub.texts_for(ALICE) == ["本文", "カード"]
    assert len(stub.messages_for(ALICE)) == 3


def test_inbox_endpoint_serves_json_after_a_seq(stub: LineStub) -> None:
    push_raw(stub, [text("一"), text("二")])
    push_raw(stub, [text("三")], to=BOB)
    push_raw(stub, [text("四")])

    _, everything, headers = raw_call(stub, "GET", f"/_stub/inbox/{ALICE}", token=None)
    first_seq = everything["messages"][0]["seq"]
    _, newer, _ = raw_call(stub, "GET", f"/_stub/inbox/{ALICE}?after={first_seq}", token=None)

    assert [entry["message"]["text"] for entry in everything["messages"]] == ["一", "二", "四"]
    assert [entry["message"]["text"] for entry in newer["messages"]] == ["二", "四"]
    seqs = [entry["seq"] for entry in everything["messages"]]
    assert seqs == sorted(seqs)
    assert "access-control-allow-origin" not in headers  # no web page may read what neighbours wrote
    assert stub.calls(f"/_stub/inbox/{ALICE}") == 0


def test_inbox_endpoint_refuses_another_host_name(stub: LineStub) -> None:
    push_raw(stub, [text("一")])

    status, _, _ = raw_call(
        stub, "GET", f"/_stub/inbox/{ALICE}", token=None, headers={"Host": "evil.example"}
    )

    assert status == 403


def test_clear_forgets_everything_but_seq_keeps_increasing(stub: LineStub, api: MessagingApi) -> None:
    stub.set_quota(5)
    push(api, "前")
    seq_before = stub.inbox(ALICE)[0].seq
    token = stub.issue_reply_token(ALICE)

    stub.clear()
    push(api, "後")

    with pytest.raises(ApiException) as forgotten_token:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="x")]))
    with pytest.raises(ApiException) as forgotten_user:
        api.get_profile(ALICE)
    assert (forgotten_token.value.status, forgotten_user.value.status) == (400, 404)
    assert stub.texts_for(ALICE) == ["後"]
    assert stub.inbox(ALICE)[0].seq > seq_before
    assert api.get_message_quota().type == "none"
    assert stub.requests[0].path == "/v2/bot/message/push"


def test_concurrent_pushes_are_all_recorded(stub: LineStub, api: MessagingApi) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: push(api, f"通知{n}"), range(40)))

    entries = stub.inbox(ALICE)

    assert sorted(entry.message["text"] for entry in entries) == sorted(f"通知{n}" for n in range(40))
    assert len({entry.seq for entry in entries}) == 40
    assert stub.quota_used == 40


# -- lifecycle -------------------------------------------------------------------------------------


def test_lifecycle() -> None:
    line = LineStub()
    with pytest.raises(RuntimeError):
        _ = line.url

    with line:
        url = line.url
        with pytest.raises(RuntimeError):
            line.start()
        assert url.startswith("http://127.0.0.1:")
    line.stop()  # stopping twice is harmless

    with pytest.raises(ConnectionRefusedError):
        raw_call_to(url)


def raw_call_to(url: str) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=2)
    try:
        connection.request("GET", "/v2/bot/message/quota")
    finally:
        connection.close()


def test_add_user_rejects_ids_line_would_never_send() -> None:
    with pytest.raises(ValueError, match="user_id_for"):
        LineStub().add_user("alice", "アリス")
