"""Quick end-to-end smoke: follow, then a 困りごと message, over signed webhooks."""

from tests.support import Chat


def test_follow_then_request(chat: Chat) -> None:
    alice = chat.user("alice", "山田花子")
    greeting = chat.follow(alice)
    print(greeting)
    answer = chat.say(alice, "電球が切れて替えられない")
    print(answer)
    assert answer
